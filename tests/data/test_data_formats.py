"""IDX and CIFAR-10 parsers: round trips, validation, corrupt and hostile files."""

from __future__ import annotations

import gzip
import os
import pickle
import struct

import numpy as np
import pytest

from neuronlab.data import CorruptDatasetError, read_cifar10, read_idx, write_idx


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip(tmp_path, dtype, compress):
    a = (np.arange(24) - 5).astype(dtype).reshape(2, 3, 4)
    path = tmp_path / "x-idx3"
    write_idx(path, a, compress=compress)
    b = read_idx(path, expected_ndim=3)
    assert b.dtype == np.dtype(dtype).newbyteorder("=") and b.flags.writeable
    np.testing.assert_array_equal(a, b)


def test_idx_header_is_big_endian(tmp_path):
    path = tmp_path / "labels-idx1-ubyte"
    write_idx(path, np.array([7, 8], dtype=np.int32))
    raw = path.read_bytes()
    assert raw[:8] == bytes([0, 0, 0x0C, 1, 0, 0, 0, 2])
    assert struct.unpack(">ii", raw[8:]) == (7, 8)


def _expect_corrupt(path, match):
    with pytest.raises(CorruptDatasetError, match=match) as info:
        read_idx(path)
    assert str(path) in str(info.value) and "delete" in str(info.value)
    assert info.value.path == str(path)


def test_idx_bad_magic(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"\x12\x34\x08\x01" + b"\x00" * 8)
    _expect_corrupt(path, "magic 0x12340801")
    path.write_bytes(b"\x00\x00\x42\x01" + b"\x00" * 8)  # unknown type code
    _expect_corrupt(path, "magic")


def test_idx_truncated_and_oversized(tmp_path):
    path = tmp_path / "images-idx3-ubyte"
    write_idx(path, np.zeros((5, 4, 4), np.uint8))
    raw = path.read_bytes()
    path.write_bytes(raw[:-3])
    _expect_corrupt(path, r"holds 77 bytes of values")
    path.write_bytes(raw + b"\x00")
    _expect_corrupt(path, r"expected 80 bytes")
    path.write_bytes(raw[:10])
    _expect_corrupt(path, "header")
    path.write_bytes(b"\x00\x00")
    _expect_corrupt(path, "only 2 bytes")


def test_idx_truncated_gzip(tmp_path):
    path = tmp_path / "images-idx3-ubyte.gz"
    write_idx(path, np.arange(4000, dtype=np.uint8).reshape(10, 20, 20), compress=True)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    _expect_corrupt(path, "decompressed")


def test_idx_wrong_ndim(tmp_path):
    path = tmp_path / "labels"
    write_idx(path, np.zeros(3, np.uint8))
    with pytest.raises(CorruptDatasetError, match="1 dimensions"):
        read_idx(path, expected_ndim=3)


def test_write_idx_rejects_unsupported(tmp_path):
    with pytest.raises(TypeError, match="uint8"):
        write_idx(tmp_path / "x", np.zeros(3, np.int64))


def test_cifar_from_tar_and_from_folder(tmp_path, factory):
    members = factory.cifar_members(n=6)
    tar = factory.cifar_tar(tmp_path / "cifar-10-python.tar.gz", members)
    X_tr, y_tr, X_te, y_te, names = read_cifar10(tar)
    assert X_tr.shape == (30, 3, 32, 32) and X_tr.dtype == np.uint8
    assert X_te.shape == (6, 3, 32, 32) and y_te.dtype == np.int64
    assert names[0] == "airplane" and len(names) == 10
    batch1 = pickle.loads(members["data_batch_1"], encoding="bytes")
    np.testing.assert_array_equal(X_tr[:6].reshape(6, -1), batch1[b"data"])  # NCHW = row order
    np.testing.assert_array_equal(y_tr[:6], batch1[b"labels"])
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for name, raw in members.items():
        (folder / name).write_bytes(raw)
    np.testing.assert_array_equal(read_cifar10(folder)[0], X_tr)


def test_cifar_missing_member_and_broken_archive(tmp_path, factory):
    members = factory.cifar_members()
    del members["test_batch"]
    tar = factory.cifar_tar(tmp_path / "a.tar.gz", members)
    with pytest.raises(CorruptDatasetError, match="lacks test_batch"):
        read_cifar10(tar)
    good = factory.cifar_tar(tmp_path / "b.tar.gz").read_bytes()
    broken = tmp_path / "c.tar.gz"
    broken.write_bytes(good[: len(good) // 3])
    with pytest.raises(CorruptDatasetError, match="delete"):
        read_cifar10(broken)


def test_cifar_bad_batch_contents(tmp_path, factory):
    members = factory.cifar_members()
    members["data_batch_2"] = pickle.dumps(
        {b"data": np.zeros((2, 10), np.uint8), b"labels": [0, 1]}
    )
    with pytest.raises(CorruptDatasetError, match=r"\(n, 3072\).*member data_batch_2"):
        read_cifar10(factory.cifar_tar(tmp_path / "x.tar.gz", members))
    members = factory.cifar_members()
    members["test_batch"] = pickle.dumps(
        {b"data": np.zeros((2, 3072), np.uint8), b"labels": [0, 10]}
    )
    with pytest.raises(CorruptDatasetError, match="labels"):
        read_cifar10(factory.cifar_tar(tmp_path / "y.tar.gz", members))


class _Exploit:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_cifar_pickles_cannot_run_code(tmp_path, factory):
    members = factory.cifar_members()
    members["data_batch_3"] = pickle.dumps({b"data": _Exploit()})
    with pytest.raises(CorruptDatasetError, match="refusing to load"):
        read_cifar10(factory.cifar_tar(tmp_path / "evil.tar.gz", members))


def test_gzip_helper_detection(tmp_path):
    """A gzip file whose name lacks .gz is still recognised by its magic bytes."""
    path = tmp_path / "plain-name"
    payload = struct.pack(">HBBI", 0, 8, 1, 3) + bytes([1, 2, 3])
    path.write_bytes(gzip.compress(payload))
    assert read_idx(path).tolist() == [1, 2, 3]


# ----- hostile IDX headers and gzip bombs -----------------------------------------------------
def gzip_of(header: bytes, zeros: int) -> bytes:
    """``header`` followed by ``zeros`` zero bytes, gzip-compressed a chunk at a time."""
    import io

    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(header)
        chunk = bytes(1 << 20)
        for _ in range(zeros >> 20):
            gz.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize(
    "shape",
    [(2**16, 2**16, 2**16, 2**16), (2**32 - 1, 2**32 - 1), (2**32 - 1,) * 3],
)
def test_idx_sizes_that_overflow_int64_are_refused(tmp_path, shape):
    path = tmp_path / "crafted-idx-ubyte"
    path.write_bytes(
        struct.pack(">HBB", 0, 0x08, len(shape)) + struct.pack(f">{len(shape)}I", *shape)
    )
    _expect_corrupt(path, r"declares shape .* bytes of values")


def test_a_gzip_bomb_is_decompressed_no_further_than_its_header_says(tmp_path):
    import tracemalloc

    path = tmp_path / "labels-idx1-ubyte.gz"
    header = struct.pack(">HBBI", 0, 0x08, 1, 1000)  # 1,000 labels...
    path.write_bytes(gzip_of(header, 64 << 20))  # ...followed by 64 MiB of zeros
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        _expect_corrupt(path, r"holds over 1,000 bytes of values")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # never the 64 MiB


def test_a_header_claiming_more_than_gzip_can_hold_is_refused_unread(tmp_path):
    path = tmp_path / "images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(struct.pack(">HBBIII", 0, 0x08, 3, 60000, 28, 28), mtime=0))
    _expect_corrupt(path, r"no more than the file can hold")
