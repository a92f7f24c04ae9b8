"""Downloads against a local HTTP server: success, bad checksum, unreachable server, mirrors."""

from __future__ import annotations

import contextlib
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


# ----- misbehaving servers: a deadline in all, and no more than the registered size ----------
class Misbehaving:
    """A one-connection-at-a-time HTTP server on 127.0.0.1 that answers with ``reply(conn)``."""

    def __init__(self, reply):
        import threading

        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.server.settimeout(0.2)
        self.port, self.reply, self.stop = self.server.getsockname()[1], reply, threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            with conn:
                conn.recv(4096)
                with contextlib.suppress(OSError):  # the client hung up, as it should
                    self.reply(conn, self.stop)

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)
        self.server.close()


def trickle(conn, stop):
    """Headers, then one byte every 50 ms: each read succeeds, the download never ends."""
    import time

    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 15800\r\n\r\n")
    while not stop.is_set():
        conn.sendall(b"x")
        time.sleep(0.05)


def flood(conn, stop):
    """No Content-Length, and far more bytes than the registered file has."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
    while not stop.is_set():
        conn.sendall(b"y" * 65536)


def boast(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 67108864\r\n\r\n" + b"z" * 1000)


def german_spec(port):
    spec = DATASETS["german_credit"].files[0]
    return dataclasses.replace(spec, urls=(f"http://127.0.0.1:{port}/{spec.name}",), size=15_800)


def test_a_server_sending_one_byte_at_a_time_meets_the_deadline(tmp_path):
    import time

    server = Misbehaving(trickle)
    try:
        started = time.monotonic()
        with pytest.raises(ConnectionError, match=r"took longer than 0.5 s in all"):
            download_file(german_spec(server.port), tmp_path, deadline=0.5, timeout=5)
        assert time.monotonic() - started < 30  # bounded: the deadline, not the server, ended it
    finally:
        server.close()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("reply, what", [(flood, "sent over"), (boast, "announces 67,108,864")])
def test_a_server_sending_too_much_is_stopped_at_the_registered_size(tmp_path, reply, what):
    server = Misbehaving(reply)
    try:
        with pytest.raises(CorruptDatasetError, match=rf"{what}.*more than the 81,336 allowed"):
            download_file(german_spec(server.port), tmp_path, timeout=5)
    finally:
        server.close()
    assert _leftovers(tmp_path) == []


def test_the_loader_reports_a_slow_server_as_not_found(data_home, monkeypatch):
    from neuronlab.data import download as dl

    server = Misbehaving(trickle)
    monkeypatch.setattr(dl, "default_deadline", lambda spec: 0.5)
    try:
        _patch(monkeypatch, "german_credit", lambda n: (f"http://127.0.0.1:{server.port}/{n}",))
        with pytest.raises(DatasetNotFoundError, match=r"took longer than 0.5 s"):
            load_german_credit()
    finally:
        server.close()
    assert _leftovers(data_home) == ["uci-german-credit"]
