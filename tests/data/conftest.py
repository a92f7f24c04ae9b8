"""Fixtures for the neuronlab.data tests: an isolated data home and generators of small files
in the real on-disk formats (IDX gz, CIFAR-10 python tar.gz, UCI Adult and German text)."""

from __future__ import annotations

import io
import pickle
import struct
import tarfile
import threading
import zlib
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from neuronlab.data.formats import write_idx


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Never read or write the real ~/.cache/neuronlab; start without $NEURONLAB_DATA."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("NEURONLAB_DATA", raising=False)
    return home


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """A fresh folder used as $NEURONLAB_DATA."""
    root = tmp_path / "neuronlab-data"
    root.mkdir()
    monkeypatch.setenv("NEURONLAB_DATA", str(root))
    return root


class Factory:
    """Writes small data files in the formats the loaders read."""

    @staticmethod
    def idx_set(directory: Path, n_train: int = 30, n_test: int = 10, *, seed: int = 0) -> dict:
        directory.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(seed)
        arrays = {
            "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
            "train-labels-idx1-ubyte.gz": (np.arange(n_train) % 10).astype(np.uint8),
            "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
            "t10k-labels-idx1-ubyte.gz": (np.arange(n_test) % 10).astype(np.uint8),
        }
        for name, a in arrays.items():
            write_idx(directory / name, a, compress=True)
        return arrays

    @staticmethod
    def cifar_batch(n: int, rng: np.random.Generator, label: bytes) -> bytes:
        batch = {
            b"batch_label": label,
            b"labels": [int(v) for v in rng.integers(0, 10, n)],
            b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
            b"filenames": [b"img_%d.png" % i for i in range(n)],
        }
        return pickle.dumps(batch, protocol=2)

    @classmethod
    def cifar_members(cls, n: int = 4, *, seed: int = 0) -> dict[str, bytes]:
        rng = np.random.default_rng(seed)
        members = {f"data_batch_{i}": cls.cifar_batch(n, rng, b"batch") for i in range(1, 6)}
        members["test_batch"] = cls.cifar_batch(n, rng, b"test")
        names = [b"airplane", b"automobile", b"bird", b"cat", b"deer"]
        names += [b"dog", b"frog", b"horse", b"ship", b"truck"]
        members["batches.meta"] = pickle.dumps(
            {b"label_names": names, b"num_cases_per_batch": n, b"num_vis": 3072}, protocol=2
        )
        return members

    @classmethod
    def cifar_tar(cls, path: Path, members: dict[str, bytes] | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        members = cls.cifar_members() if members is None else members
        with tarfile.open(path, "w:gz") as tar:
            for name, raw in members.items():
                info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
                info.size = len(raw)
                tar.addfile(info, io.BytesIO(raw))
        return path

    ADULT_ROWS = [
        "39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, "
        "White, Male, 2174, 0, 40, United-States, <=50K",
        "50, Self-emp-not-inc, 83311, Bachelors, 13, Married-civ-spouse, Exec-managerial, "
        "Husband, White, Male, 0, 0, 13, United-States, >50K",
        "38, Private, 215646, HS-grad, 9, Divorced, Handlers-cleaners, Not-in-family, "
        "Black, Female, 0, 0, 40, ?, <=50K",
        "53, ?, 234721, 11th, 7, Married-civ-spouse, ?, Husband, Black, Male, 0, 0, 40, "
        "United-States, <=50K",
        "28, Private, 338409, Bachelors, 13, Married-civ-spouse, Prof-specialty, Wife, Black, "
        "Female, 0, 0, 40, Cuba, >50K",
    ]

    @classmethod
    def adult_files(cls, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "adult.data").write_text("\n".join(cls.ADULT_ROWS) + "\n\n")
        test_rows = [r + "." for r in cls.ADULT_ROWS[:3]]
        test_rows.append(
            "25, Private, 226802, 11th, 7, Never-married, Machine-op-inspct, Own-child, "
            "Amer-Indian-Eskimo, Male, 0, 0, 40, Holand-Netherlands, <=50K."
        )
        (directory / "adult.test").write_text(
            "|1x3 Cross validator\n" + "\n".join(test_rows) + "\n"
        )

    GERMAN_ROWS = [
        "A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1",
        "A12 48 A32 A43 5951 A61 A73 2 A92 A101 2 A121 22 A143 A152 1 A173 1 A191 A201 2",
        "A14 12 A34 A46 2096 A61 A74 2 A93 A101 3 A121 49 A143 A152 1 A172 2 A191 A201 1",
        "A11 42 A32 A42 7882 A61 A74 2 A93 A103 4 A122 45 A143 A153 1 A173 2 A191 A201 1",
    ]

    @classmethod
    def german_file(cls, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "german.data").write_text("\n".join(cls.GERMAN_ROWS) + "\n")


@pytest.fixture
def factory() -> type[Factory]:
    return Factory


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@pytest.fixture
def http_root(tmp_path):
    """Serve a temporary folder on http://127.0.0.1:<port>/; yields (folder, base_url)."""
    root = tmp_path / "served"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def write_png(path: Path, rgb: np.ndarray) -> None:
    """Write an (h, w, 3) uint8 image as a PNG with zlib and struct only."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[r].tobytes() for r in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    path.write_bytes(png)


PALETTE = np.array(
    [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
     [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207]],
    dtype=np.uint8,
)  # fmt: skip


def scatter_png(path: Path, X: np.ndarray, y: np.ndarray, *, size: int = 240) -> None:
    """A scatter plot of 2-D points over [-7, 7]²: class colours, or blue-white-orange for a
    regression target in [-1, 1]; grey axes through the origin."""
    img = np.full((size, size, 3), 255, dtype=np.uint8)
    mid = size // 2
    img[mid, :] = img[:, mid] = 200
    px = np.clip(((X[:, 0] + 7) / 14 * (size - 1)).round().astype(int), 0, size - 1)
    py = np.clip(((7 - X[:, 1]) / 14 * (size - 1)).round().astype(int), 0, size - 1)
    if y.dtype.kind in "iu":
        colours = PALETTE[y % len(PALETTE)]
    else:
        t = np.clip(y, -1, 1)[:, None]  # -1 blue, 0 light grey, +1 orange
        grey, blue, orange = (
            np.array([220.0] * 3),
            np.array([31, 119, 180]),
            np.array([255, 127, 14]),
        )
        colours = np.where(t < 0, grey + (blue - grey) * -t, grey + (orange - grey) * t)
        colours = colours.astype(np.uint8)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            img[np.clip(py + dy, 0, size - 1), np.clip(px + dx, 0, size - 1)] = colours
    write_png(path, img)


@pytest.fixture
def save_scatter():
    return scatter_png
