"""Fixtures for the CLI tests: no network, an isolated home, and a way to run ``neuronlab``
in-process and capture what it prints."""

from __future__ import annotations

import socket

import pytest
from cli_testkit import run_cli


@pytest.fixture(autouse=True, scope="module")
def no_network():
    """Any attempt to open a network connection fails the test that made it (module scope:
    the module-scoped runs are covered too, and other test folders are left alone)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a CLI test tried to open a network connection")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "create_connection", refuse)
        yield


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Work in a temporary folder (default run folders land there) with a fresh HOME (no user
    cache) and no $NEURONLAB_DATA; Fashion-MNIST is still found in /usr/share/datasets."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("NEURONLAB_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli(capsys):
    """``cli(*argv)`` runs ``neuronlab argv`` in-process; returns ``(status, stdout, stderr)``."""

    def run(*argv):
        status = run_cli(*argv)
        out, err = capsys.readouterr()
        return status, out, err

    return run
