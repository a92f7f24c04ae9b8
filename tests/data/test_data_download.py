"""Downloads against a local HTTP server: success, bad checksum, unreachable server, mirrors."""

from __future__ import annotations

import dataclasses
import hashlib
import socket
import sys

import numpy as np
import pytest

from neuronlab.data import (
    DATASETS,
    CorruptDatasetError,
    DatasetNotFoundError,
    download_file,
    load_german_credit,
    load_mnist,
    locate,
)
from neuronlab.data.progress import ProgressBar


def _patch(monkeypatch, name, urls_for, served_dir=None, corrupt=False):
    """Point a registry entry at test URLs, with checksums of the files we serve."""
    info = DATASETS[name]
    files = []
    for spec in info.files:
        sha = md5 = None
        if served_dir is not None:
            data = (served_dir / spec.name).read_bytes()
            sha, md5 = hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest()
            if corrupt:
                sha = "0" * 64
        files.append(
            dataclasses.replace(spec, urls=urls_for(spec.name), sha256=sha or "0" * 64, md5=md5)
        )
    monkeypatch.setitem(
        DATASETS, name, dataclasses.replace(info, files=tuple(files), system_dirs=())
    )


def _leftovers(folder):
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_download_success(data_home, http_root, factory, monkeypatch):
    root, base = http_root
    arrays = factory.idx_set(root, n_train=12, n_test=4)
    _patch(monkeypatch, "mnist", lambda n: (base + n,), root)
    assert locate("mnist") is None
    b = load_mnist()
    np.testing.assert_array_equal(b.y_train, arrays["train-labels-idx1-ubyte.gz"])
    folder = data_home / "mnist"
    assert _leftovers(folder) == sorted(arrays)  # the four files, no temporary files
    assert locate("mnist") == folder
    # a second load does not download again
    for f in root.iterdir():
        f.unlink()
    assert load_mnist().X_train.shape == (12, 28, 28)


def test_download_goes_to_user_cache_without_env(isolated_home, http_root, factory, monkeypatch):
    root, base = http_root
    factory.german_file(root)
    _patch(monkeypatch, "german_credit", lambda n: (base + n,), root)
    b = load_german_credit(source="official")
    assert len(b.y) == 4
    assert (isolated_home / ".cache" / "neuronlab" / "uci-german-credit" / "german.data").is_file()


def test_checksum_mismatch_leaves_nothing(data_home, http_root, factory, monkeypatch):
    root, base = http_root
    factory.german_file(root)
    _patch(monkeypatch, "german_credit", lambda n: (base + n,), root, corrupt=True)
    with pytest.raises(CorruptDatasetError, match=r"sha256 .*expected 0000.*nothing was saved"):
        load_german_credit(source="official")
    assert _leftovers(data_home) == ["uci-german-credit"]  # the folder, empty


def test_md5_mismatch_is_an_error_too(tmp_path, http_root):
    root, base = http_root
    (root / "f.bin").write_bytes(b"hello")
    spec = DATASETS["german_credit"].files[0]
    spec = dataclasses.replace(
        spec,
        name="f.bin",
        urls=(base + "f.bin",),
        sha256=hashlib.sha256(b"hello").hexdigest(),
        md5="0" * 32,
    )
    with pytest.raises(CorruptDatasetError, match="md5"):
        download_file(spec, tmp_path / "out")
    assert _leftovers(tmp_path / "out") == []


def test_unreachable_server(data_home, monkeypatch):
    url = f"http://127.0.0.1:{_free_port()}/german.data"
    _patch(monkeypatch, "german_credit", lambda n: (url,))
    with pytest.raises(DatasetNotFoundError) as err:
        load_german_credit(source="official")
    text = str(err.value)
    assert str(data_home / "uci-german-credit") in text and "user cache" in text
    assert url in text and "download failed" in text and "curl -fL --create-dirs -o" in text
    assert err.value.reasons and err.value.urls == [url]
    assert _leftovers(data_home) == ["uci-german-credit"]


def test_http_404_then_mirror(data_home, http_root, factory, monkeypatch):
    root, base = http_root
    factory.german_file(root)
    _patch(monkeypatch, "german_credit", lambda n: (base + "missing/" + n, base + n), root)
    assert load_german_credit(source="official").X.shape[0] == 4


def test_file_urls_work(data_home, tmp_path, factory, monkeypatch):
    src = tmp_path / "src"
    factory.adult_files(src)
    _patch(monkeypatch, "adult", lambda n: ((src / n).as_uri(),), src)
    from neuronlab.data import load_adult

    assert load_adult(source="official", encode=False).X_train.shape == (3, 14)


def test_truncated_transfer_leaves_nothing(data_home, monkeypatch):
    """A server that promises more bytes than it sends."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def serve():
        conn, _ = server.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        _patch(monkeypatch, "german_credit", lambda n: (f"http://127.0.0.1:{port}/{n}",))
        with pytest.raises(DatasetNotFoundError, match=r"stopped after 1,000 of 100,000 bytes"):
            load_german_credit(source="official")
    finally:
        thread.join(timeout=5)
        server.close()
    assert _leftovers(data_home) == ["uci-german-credit"]


def test_interrupted_download_removes_temp_file(data_home, http_root, factory, monkeypatch):
    root, base = http_root
    factory.german_file(root)
    _patch(monkeypatch, "german_credit", lambda n: (base + n,), root)

    def interrupt(self, n):
        raise KeyboardInterrupt

    monkeypatch.setattr(ProgressBar, "advance", interrupt)
    with pytest.raises(KeyboardInterrupt):
        load_german_credit(source="official")
    assert _leftovers(data_home) == ["uci-german-credit"]


def test_progress_bar_plain_fallback(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "rich.progress", None)  # as if rich were missing
    with ProgressBar("file.gz", 10, enabled=True) as bar:
        bar.advance(10)
    err = capsys.readouterr().err
    assert "downloading file.gz" in err and "done (10 bytes)" in err


def test_progress_bar_rich_and_quiet(capsys):
    import rich  # noqa: F401 - the progress bar imports it lazily

    with ProgressBar("file.gz", 10, enabled=True) as bar:
        bar.advance(10)
    with ProgressBar("quiet.gz", 10, enabled=False) as bar:
        bar.advance(10)
    assert "quiet.gz" not in capsys.readouterr().err
    with ProgressBar("auto.gz", None) as bar:  # pytest's stderr is not a terminal
        assert not bar.enabled


def test_refuses_unverifiable_files(tmp_path):
    spec = dataclasses.replace(DATASETS["german_credit"].files[0], sha256=None, md5=None)
    with pytest.raises(ValueError, match="refusing"):
        download_file(spec, tmp_path)
