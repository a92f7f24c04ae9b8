"""The safetensors reader and writer: byte-exact against the format's reference, and strict."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import neuronlab as nl
from neuronlab.io.safetensors import (
    CorruptFileError,
    deserialize,
    load_file,
    load_metadata,
    save_file,
    serialize,
)

# The expected bytes of the reference implementation's own tests (huggingface/safetensors,
# safetensors/src/tensor.rs: test_serialization, test_empty, test_serialization_forced_alignement).
F32_0_TO_5 = [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64]
REFERENCE_ATTN = bytes(
    [64, 0, 0, 0, 0, 0, 0, 0]
    + list(b'{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}')
    + F32_0_TO_5
)
REFERENCE_ALIGNED = bytes(
    [72, 0, 0, 0, 0, 0, 0, 0]
    + list(b'{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ')
    + F32_0_TO_5
)
REFERENCE_EMPTY = bytes([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
REFERENCE_EMPTY_META = bytes(
    [40, 0, 0, 0, 0, 0, 0, 0] + list(b'{"__metadata__":{"framework":"pt"}}     ')
)


def handcrafted(header: dict | bytes, data: bytes = b"", n: int | None = None) -> bytes:
    """A file put together by hand from the spec: u64 LE length, JSON header, data."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw) if n is None else n) + raw + data


# ----- byte-level compatibility ------------------------------------------------------------------
def test_writer_matches_reference_bytes():
    six = np.arange(6, dtype=np.float32)
    assert serialize({"attn.0": six.reshape(1, 2, 3)}) == REFERENCE_ATTN
    assert serialize({"attn0": six.reshape(1, 1, 2, 3)}) == REFERENCE_ALIGNED
    assert serialize({}) == REFERENCE_EMPTY
    assert serialize({}, metadata={"framework": "pt"}) == REFERENCE_EMPTY_META


def test_reader_reads_reference_bytes():
    expected = np.arange(6, dtype=np.float32).reshape(1, 2, 3)
    out = deserialize(REFERENCE_ATTN)
    assert list(out) == ["attn.0"] and out["attn.0"].dtype == np.float32
    np.testing.assert_array_equal(out["attn.0"], expected)
    np.testing.assert_array_equal(deserialize(REFERENCE_ALIGNED)["attn0"], expected[None])
    assert deserialize(REFERENCE_EMPTY) == {}


def test_reads_a_handcrafted_file(tmp_path):
    # Pretty-printed JSON, entries out of offset order, no padding, a null __metadata__: all legal.
    header = {
        "b": {"dtype": "I64", "shape": [2], "data_offsets": [8, 24]},
        "__metadata__": {"who": "hand"},
        "a": {"dtype": "I32", "shape": [2], "data_offsets": [0, 8]},
        "flag": {"dtype": "BOOL", "shape": [], "data_offsets": [24, 25]},
    }
    data = struct.pack("<2i", -1, 7) + struct.pack("<2q", 2**40, -3) + b"\x01"
    path = tmp_path / "hand.safetensors"
    path.write_bytes(handcrafted(json.dumps(header, indent=2).encode(), data))
    out = load_file(path)
    assert list(out) == ["a", "b", "flag"]  # in file order
    np.testing.assert_array_equal(out["a"], np.array([-1, 7], dtype=np.int32))
    np.testing.assert_array_equal(out["b"], np.array([2**40, -3], dtype=np.int64))
    assert out["flag"].shape == () and out["flag"].dtype == np.bool_ and out["flag"]
    assert load_metadata(path) == {"who": "hand"}


def test_written_header_is_json_with_contiguous_offsets_and_padding(tmp_path):
    tensors = {
        "w": np.ones((3, 5), np.float32),
        "idx": np.arange(7),
        "m": np.zeros(3, np.uint8),
        "d": np.ones(2),
        "h": np.ones(3, np.float16),
    }
    path = tmp_path / "t.safetensors"
    save_file(tensors, path, metadata={"k": "v"})
    blob = path.read_bytes()
    n = struct.unpack("<Q", blob[:8])[0]
    assert n % 8 == 0 and blob[8 : 8 + n].decode().endswith((" ", "}"))
    header = json.loads(blob[8 : 8 + n])
    assert next(iter(header)) == "__metadata__" and header.pop("__metadata__") == {"k": "v"}
    # the reference's order: by its dtype enum (... F32 < F64 < I64), largest first, then by name
    assert list(header) == ["idx", "d", "w", "h", "m"]
    end = 0
    for name, info in header.items():
        begin, stop = info["data_offsets"]
        assert begin == end and stop - begin == tensors[name].nbytes
        assert info["shape"] == list(tensors[name].shape)
        raw = blob[8 + n + begin : 8 + n + stop]
        assert raw == tensors[name].astype(tensors[name].dtype.newbyteorder("<")).tobytes()
        end = stop
    assert 8 + n + end == len(blob)


@pytest.mark.parametrize(
    "code, dtype",
    [
        ("F32", np.float32),
        ("F64", np.float64),
        ("I64", np.int64),
        ("I32", np.int32),
        ("BOOL", np.bool_),
        ("U8", np.uint8),
        ("I8", np.int8),
        ("I16", np.int16),
        ("U16", np.uint16),
        ("F16", np.float16),
        ("U32", np.uint32),
        ("U64", np.uint64),
        ("C64", np.complex64),
    ],
)
def test_dtype_table_round_trips(tmp_path, code, dtype):
    array = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    path = tmp_path / f"{code}.safetensors"
    save_file({"x": array}, path)
    n = struct.unpack("<Q", path.read_bytes()[:8])[0]
    assert json.loads(path.read_bytes()[8 : 8 + n])["x"]["dtype"] == code
    out = load_file(path)["x"]
    assert out.dtype == dtype and out.shape == (3, 4)
    np.testing.assert_array_equal(out, array)


def test_bfloat16_is_widened_exactly_to_float32():
    values = np.array([1.0, -2.5, 3.140625, 0.0], np.float32)
    bf16 = (values.view(np.uint32) >> 16).astype("<u2").tobytes()
    header = {"x": {"dtype": "BF16", "shape": [4], "data_offsets": [0, 8]}}
    out = deserialize(handcrafted(header, bf16))["x"]
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, values)


def test_special_arrays_round_trip():
    tensors = {
        "scalar": np.float64(2.5),
        "zero_d": np.array(3, np.int32),
        "empty": np.zeros((0, 4)),
        "big_endian": np.arange(5, dtype=">f8"),
        "strided": np.arange(20.0).reshape(4, 5)[:, ::2],
        "fortran": np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
        "tensor": nl.tensor([[1.0, 2.0]]),
        "list": [1.0, 2.0],
    }
    out = deserialize(serialize(tensors))
    for name, value in tensors.items():
        expected = np.asarray(value.data if isinstance(value, nl.Tensor) else value)
        assert out[name].shape == expected.shape, name
        assert out[name].dtype == expected.dtype.newbyteorder("="), name
        np.testing.assert_array_equal(out[name], expected)
    assert all(a.flags.writeable for a in out.values())


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12).filter(lambda s: s != "__metadata__"),
        hnp.arrays(
            st.sampled_from([np.float32, np.float64, np.int64, np.int32, np.bool_, np.uint8]),
            hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
        ),
        max_size=5,
    )
)
def test_any_dict_of_arrays_round_trips(tensors):
    blob = serialize(tensors)
    assert (struct.unpack("<Q", blob[:8])[0]) % 8 == 0
    out = deserialize(blob)
    assert out.keys() == tensors.keys()
    for name, array in tensors.items():
        assert out[name].dtype == array.dtype
        np.testing.assert_array_equal(out[name], array)


def test_unicode_names_and_metadata(tmp_path):
    path = tmp_path / "u.safetensors"
    save_file({"gewicht.ä": np.ones(1)}, path, metadata={"note": "π ≈ 3.14\n"})
    assert list(load_file(path)) == ["gewicht.ä"]
    assert load_metadata(path) == {"note": "π ≈ 3.14\n"}
    assert load_metadata(tmp_path / "u.safetensors") == {"note": "π ≈ 3.14\n"}


# ----- what the writer refuses -------------------------------------------------------------------
def test_writer_refuses_unstorable_values(tmp_path):
    path = tmp_path / "x.safetensors"
    with pytest.raises(TypeError, match=r"tensor 'o' has dtype object.*astype"):
        save_file({"o": np.array([None])}, path)
    with pytest.raises(TypeError, match="tensor 'c' has dtype complex128"):
        save_file({"c": np.ones(2, np.complex128)}, path)
    with pytest.raises(TypeError, match=r"strings to strings.*json.dumps"):
        save_file({"a": np.ones(1)}, path, metadata={"epoch": 3})
    with pytest.raises(ValueError, match="__metadata__"):
        save_file({"__metadata__": np.ones(1)}, path)
    with pytest.raises(TypeError, match="dict name -> array"):
        save_file([np.ones(1)], path)
    assert not path.exists()


def test_missing_file_is_file_not_found_with_the_path(tmp_path):
    path = tmp_path / "nope.safetensors"
    with pytest.raises(FileNotFoundError, match=r"load_file: no such file: .*nope\.safetensors"):
        load_file(path)
    with pytest.raises(FileNotFoundError) as info:
        load_metadata(str(path))
    assert info.value.filename == str(path)
    with pytest.raises(IsADirectoryError, match="is a directory"):
        load_file(tmp_path)


# ----- corruption: every violation is a CorruptFileError that names the file -------------------
def corrupt(tmp_path, blob: bytes, match: str):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(blob)
    with pytest.raises(CorruptFileError, match=match) as info:
        load_file(path)
    message = str(info.value)
    assert "bad.safetensors" in message and "save it again" in message
    assert isinstance(info.value, ValueError) and info.value.path == str(path)
    return info.value


GOOD = serialize({"a": np.arange(4, dtype=np.float32), "b": np.ones((2, 3))}, {"k": "v"})


@pytest.mark.parametrize("cut", [0, 5, 8, 20, len(GOOD) - 56, len(GOOD) - 1])
def test_truncated_files(tmp_path, cut):
    corrupt(tmp_path, GOOD[:cut], r"too short|truncated\?")


def test_truncated_data_says_how_much_is_missing(tmp_path):
    error = corrupt(tmp_path, GOOD[:-3], r"describes 64 bytes of tensor data but only 61")
    assert "truncated" in error.problem


def test_header_length_larger_than_file(tmp_path):
    corrupt(tmp_path, handcrafted(b"{}", n=1000), r"header length longer than the file")
    corrupt(tmp_path, struct.pack("<Q", 2**63) + b"{}", r"more than the 100,000,000 bytes allowed")


def test_bad_json(tmp_path):
    corrupt(tmp_path, handcrafted(b'{"a": {"dtype": "F32",'), r"invalid JSON in header: EOF")
    corrupt(tmp_path, handcrafted(b"\xff\xfe{}"), r"invalid UTF-8 in header")
    corrupt(tmp_path, handcrafted(b"[1, 2]"), r"invalid JSON in header: invalid type: sequence")
    entry = {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}
    twice = b'{"a": %s, "a": %s}' % ((json.dumps(entry).encode(),) * 2)
    corrupt(tmp_path, handcrafted(twice, bytes(4)), r"lists 'a' twice")


def test_overlapping_and_gapped_offsets(tmp_path):
    overlap = {
        "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
        "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]},
    }
    corrupt(tmp_path, handcrafted(overlap, bytes(12)), r"invalid offset for tensor `b`")
    gap = {"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
    corrupt(tmp_path, handcrafted(gap, bytes(8)), r"invalid offset for tensor `a`")


def test_wrong_byte_count(tmp_path):
    header = {"a": {"dtype": "F64", "shape": [2, 2], "data_offsets": [0, 16]}}
    corrupt(
        tmp_path,
        handcrafted(header, bytes(16)),
        r"invalid shape, data type, or offset for tensor",
    )


def test_bad_entries(tmp_path):
    def entry(**info):
        return handcrafted(
            {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4], **info}}, bytes(4)
        )

    corrupt(tmp_path, entry(dtype="F33"), r"unknown variant `F33`")
    corrupt(tmp_path, entry(shape=[-1]), r"integer `-1`, expected usize")
    corrupt(tmp_path, entry(shape="1"), r"string \"1\", expected a sequence")
    corrupt(tmp_path, entry(data_offsets=[4, 0]), r"invalid offset for tensor `a`")
    corrupt(tmp_path, entry(data_offsets=[0, 4, 8]), r"invalid length 3, expected 2 elements")
    corrupt(tmp_path, handcrafted({"a": [1]}), r"invalid type: integer `1`, expected string or map")
    corrupt(tmp_path, handcrafted({"__metadata__": {"k": 1}}), r"integer `1`, expected a string")


def test_trailing_bytes(tmp_path):
    corrupt(tmp_path, GOOD + b"\0\0", r"2 unexpected bytes follow")


def test_known_dtype_numpy_cannot_hold_is_a_clear_error():
    header = {"a": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [0, 2]}}
    with pytest.raises(ValueError, match=r"'a' is stored as F8_E4M3, which NumPy cannot hold"):
        deserialize(handcrafted(header, bytes(2)))
