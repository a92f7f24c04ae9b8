"""Crafted and malformed model files: each gives a ValueError naming the file (a
CorruptFileError for a malformed one), never a raw error, never a change to a library class,
never an unbounded walk or allocation. A bounded generator of crafted files covers the rest."""

from __future__ import annotations

import json
import random
import struct
import tracemalloc

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn
from neuronlab.io import CorruptFileError
from neuronlab.io.architecture import describe

CLASSES = (nn.Sequential, nn.Linear, nn.Module, nn.ReLU, nn.ModuleList)


def class_state():
    return {cls: dict(vars(cls)) for cls in CLASSES}


def model_and_optimizer():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    return model, nl.optim.Adam(model.parameters(), lr=0.01)


def write_with(path, tensors: dict, metadata: dict) -> None:
    """A file holding ``tensors`` and ``metadata`` exactly as given (the metadata's values are
    raw JSON text, so it may hold anything a crafted file may)."""
    nl.io.save_file(tensors, path, metadata)


def saved_parts(tmp_path):
    """The tensors and metadata of a real checkpoint (model + Adam state + progress)."""
    model, opt = model_and_optimizer()
    model(nl.randn(2, 3)).sum().backward()
    opt.step()
    path = tmp_path / "real.safetensors"
    nl.io.save_checkpoint(path, model, opt, epoch=1, history={"loss": [0.5]})
    from neuronlab.io.safetensors import read

    return read(path)


def assert_refused(path, load=nl.io.load, kind=ValueError, match=None):
    before = class_state()
    with pytest.raises(kind, match=match) as info:
        load(path)
    assert path.name in str(info.value)
    assert class_state() == before  # no library class was touched
    return info.value


def arch(module: dict, **extra) -> dict:
    return {"neuronlab.architecture": json.dumps({"format": "neuronlab.model", "version": 1,
                                                  "module": module, **extra})}  # fmt: skip


LINEAR_3_4 = {
    "type": "Sequential",
    "children": [{"type": "Linear", "config": {"in_features": 3, "out_features": 4}}],
}
WEIGHTS_3_4 = {"0.weight": np.zeros((4, 3), np.float32), "0.bias": np.zeros(4, np.float32)}


# ----- 1. tied entries reach only the model's own parameters -----------------------------------
@pytest.mark.parametrize(
    "tied",
    [
        [["0.weight", "__class__.forward"]],
        [["0.weight", "0.__class__"]],
        [[1, 2]],
        [[]],
        [["0.weight"]],
        "0.weight",
        [["0.weight", "0.bias"]],
    ],  # fmt: skip
)
def test_tied_entries_name_parameters_of_the_model_only(tmp_path, tied):
    path = tmp_path / "tied.safetensors"
    write_with(path, WEIGHTS_3_4, arch(LINEAR_3_4, tied=tied))
    assert_refused(path, kind=CorruptFileError, match="tie|tied")
    model = nn.Sequential(nn.Linear(2, 2))
    assert model(nl.randn(1, 2)).shape == (1, 2)  # Sequential still works in this process


# ----- 2. a model inside itself ------------------------------------------------------------------
def test_same_as_cycle_is_refused(tmp_path):
    path = tmp_path / "cycle.safetensors"
    write_with(path, WEIGHTS_3_4, arch({"type": "Sequential", "children": [{"same_as": ""}]}))
    assert_refused(path, kind=CorruptFileError, match="inside itself")


def test_module_walks_end_on_a_model_inside_itself():
    model = nn.Sequential(nn.Linear(2, 2))
    model.add_module("again", model)
    assert list(model.state_dict()) == ["0.weight", "0.bias"]
    assert len(list(model.parameters())) == 2


# ----- 3. no allocation before the declared sizes are checked ---------------------------------
@pytest.mark.parametrize("size", [20_000, 10**6, 10**12])
def test_huge_layers_in_a_tiny_file_allocate_nothing(tmp_path, size):
    path = tmp_path / "huge.safetensors"
    module = {"type": "Linear", "config": {"in_features": size, "out_features": size}}
    write_with(path, {}, arch(module))
    assert path.stat().st_size < 1000
    tracemalloc.start()
    try:
        assert_refused(path, kind=CorruptFileError, match="does not match the weights")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20  # at most a few MB of bookkeeping, never the layer


def test_many_layers_count_together(tmp_path):
    path = tmp_path / "many.safetensors"
    layer = {"type": "Linear", "config": {"in_features": 2000, "out_features": 2000}}
    write_with(path, {}, arch({"type": "Sequential", "children": [layer] * 50}))
    assert_refused(path, kind=CorruptFileError, match="does not match the weights")


def test_a_real_model_within_the_budget_still_loads(tmp_path):
    model = nn.Sequential(nn.Linear(300, 200), nn.ReLU(), nn.Linear(200, 10))
    nl.io.save(model, tmp_path / "m.safetensors")
    again = nl.io.load(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(again[2].weight.data, model[2].weight.data)


# ----- 4. malformed structures are CorruptFileErrors naming the file ---------------------------
DEEP = "[" * 100_000 + "]" * 100_000
MALFORMED_ARCHITECTURES = {
    "deep JSON": DEEP,
    "4300+ digit number": '{"format": "neuronlab.model", "version": ' + "9" * 5000 + "}",
    "list as a child": json.dumps({"format": "neuronlab.model", "version": 1,
                                   "module": {"type": "Sequential", "children": [[1]]}}),
    "dict as children": json.dumps({"format": "neuronlab.model", "version": 1,
                                    "module": {"type": "Sequential", "children": {"a": 1}}}),
    "list as a type": json.dumps({"format": "neuronlab.model", "version": 1,
                                  "module": {"type": ["Linear"]}}),
    "list as a config": json.dumps({"format": "neuronlab.model", "version": 1,
                                    "module": {"type": "Linear", "config": [3, 4]}}),
    "deep containers": json.dumps({"format": "neuronlab.model", "version": 1, "module":
                                   json.loads('{"type": "Sequential", "children": [' * 90
                                              + "]}" * 90)}),
    "bad child name": json.dumps({"format": "neuronlab.model", "version": 1,
                                  "module": {"type": "Sequential",
                                             "children": [{"name": ["x"], "type": "ReLU"}]}}),
    "same_as a list": json.dumps({"format": "neuronlab.model", "version": 1,
                                  "module": {"type": "Sequential", "children": [{"same_as": []}]}}),
    "encoder config without its layer": json.dumps({"format": "neuronlab.model", "version": 1,
                                   "module": {"type": "TransformerEncoder", "config": {}}}),
}  # fmt: skip


@pytest.mark.parametrize("name", MALFORMED_ARCHITECTURES)
def test_malformed_architectures(tmp_path, name):
    path = tmp_path / "bad.safetensors"
    write_with(path, WEIGHTS_3_4, {"neuronlab.architecture": MALFORMED_ARCHITECTURES[name]})
    assert_refused(path, kind=CorruptFileError)


def test_deep_json_in_the_safetensors_header(tmp_path):
    header = b'{"__metadata__": {"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}"
    path = tmp_path / "header.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header)
    assert_refused(path, kind=CorruptFileError, match="invalid JSON in header")


def test_list_where_a_dtype_belongs(tmp_path):
    header = json.dumps({"a": {"dtype": ["F32"], "shape": [1], "data_offsets": [0, 4]}}).encode()
    path = tmp_path / "dtype.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + bytes(4))
    assert_refused(path, kind=CorruptFileError)


@pytest.mark.parametrize(
    "checkpoint",
    [
        '{"__ndarray__": [1]}',
        '{"epoch": {"__tuple__": 5}}',
        '{"epoch": {"__dict__": [[1]]}}',
        '{"epoch": {"__dict__": [[{"a": 1}, 2]]}}',
        '{"epoch": {"__scalar__": "nope"}}',
        "[1, 2]",
        DEEP,
    ],
)
def test_bad_checkpoint_tags(tmp_path, checkpoint):
    tensors, meta = saved_parts(tmp_path)
    path = tmp_path / "ckpt.safetensors"
    write_with(path, tensors, {**meta, "neuronlab.checkpoint": checkpoint})
    model, opt = model_and_optimizer()
    assert_refused(path, lambda p: nl.io.load_checkpoint(p, model, opt), kind=CorruptFileError)


@pytest.mark.parametrize(
    "optimizer",
    [
        '{"type": "Adam", "state_dict": []}',
        "[]",
        '{"type": "Adam"}',
        '{"type": "Adam", "state_dict": {"state": 1, "param_groups": 2}}',
    ],  # fmt: skip
)
def test_bad_optimizer_state(tmp_path, optimizer):
    tensors, meta = saved_parts(tmp_path)
    path = tmp_path / "opt.safetensors"
    write_with(path, tensors, {**meta, "neuronlab.optimizer": optimizer})
    model, opt = model_and_optimizer()
    assert_refused(path, lambda p: nl.io.load_optimizer_state(opt, p))


# ----- the file format stays the one earlier versions wrote ------------------------------------
def old_layout(tensors: dict, metadata: dict) -> bytes:
    """A file laid out as neuronlab's own writer did before it used the safetensors package:
    compact JSON, __metadata__ first, tensors by dtype alignment (largest first) then name,
    the header padded with spaces to a multiple of 8."""
    rank = {"BOOL": 0, "U8": 4, "I8": 5, "I16": 11, "U16": 12, "F16": 13, "I32": 15, "U32": 16,
            "F32": 17, "F64": 19, "I64": 20, "U64": 21}  # fmt: skip
    codes = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int64): "I64"}
    items = sorted(((n, a, codes[a.dtype]) for n, a in tensors.items()),
                   key=lambda item: (-rank[item[2]], item[0]))  # fmt: skip
    header, offset = {"__metadata__": metadata}, 0
    for name, array, code in items:
        header[name] = {"dtype": code, "shape": list(array.shape),
                        "data_offsets": [offset, offset + array.nbytes]}  # fmt: skip
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(a.tobytes() for _, a, _ in items)


def test_files_written_before_still_load_and_saves_write_the_same_layout(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    tensors = {k: np.ascontiguousarray(v.data) for k, v in model.state_dict().items()}
    description = json.dumps(describe(model), separators=(",", ":"))
    meta = {"neuronlab.version": nl.__version__, "neuronlab.architecture": description}
    old = tmp_path / "old.safetensors"
    old.write_bytes(old_layout(tensors, meta))
    again = nl.io.load(old)
    x = nl.randn(2, 3).double()
    np.testing.assert_allclose(again(x).data, model(x).data)
    new = tmp_path / "new.safetensors"
    nl.io.save(model, new)

    def parts(blob):  # the header as data (the package orders metadata keys its own way)
        n = struct.unpack("<Q", blob[:8])[0]
        return json.loads(blob[8 : 8 + n]), blob[8 + n :]

    assert parts(new.read_bytes()) == parts(old.read_bytes())


# ----- a bounded generator of crafted files ----------------------------------------------------
HOSTILE = [None, True, -1, 0, 2**70, 1e308, "x", "__class__", "", [], {}, [[]], {"a": []},
           "0.weight", "__class__.forward", {"same_as": ""}, [1, 2], "Linear"]  # fmt: skip


def mutate(value, rng: random.Random):
    """``value`` (parsed JSON) with one randomly chosen place replaced by a hostile value."""
    places = []

    def walk(node, parent, key):
        places.append((parent, key))
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, node, k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, node, i)

    walk(value, None, None)
    parent, key = rng.choice(places[1:])
    parent[key] = rng.choice(HOSTILE)
    return value


def crafted_files(tmp_path, n: int):
    """``n`` crafted files: metadata with one hostile value, or bytes cut or flipped."""
    rng = random.Random(1234)
    tensors, meta = saved_parts(tmp_path)
    real = (tmp_path / "real.safetensors").read_bytes()
    for i in range(n):
        path = tmp_path / f"crafted-{i}.safetensors"
        kind = i % 4
        if kind < 3:
            key = ("neuronlab.architecture", "neuronlab.optimizer", "neuronlab.checkpoint")[kind]
            tree = mutate(json.loads(meta[key]), rng)
            write_with(path, tensors, {**meta, key: json.dumps(tree)})
        else:
            blob = bytearray(real)
            for _ in range(rng.randint(1, 4)):
                blob[rng.randrange(len(blob))] = rng.randrange(256)
            path.write_bytes(bytes(blob[: rng.randint(0, len(blob))] if i % 8 == 3 else blob))
        yield path


@pytest.mark.filterwarnings("ignore:load_checkpoint. could not restore:RuntimeWarning")
def test_generated_crafted_files(tmp_path):
    counts = {"files": 0, "refused": 0, "loaded": 0}
    before = class_state()
    for path in crafted_files(tmp_path, 240):
        counts["files"] += 1
        for load in (
            nl.io.load,
            lambda p: nl.io.load_checkpoint(p, *model_and_optimizer()),
        ):
            try:
                load(path)
                counts["loaded"] += 1
            except ValueError as error:
                assert path.name in str(error), error
                counts["refused"] += 1
    assert class_state() == before
    assert counts["files"] == 240 and counts["refused"] > 200
