"""save/load (weights + architecture) and save_weights/load_weights."""

from __future__ import annotations

import json

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn
from neuronlab.io import (
    CorruptFileError,
    load,
    load_file,
    load_metadata,
    load_weights,
    save,
    save_weights,
)

ACTIVATIONS = [
    nn.ReLU,
    nn.Tanh,
    nn.Sigmoid,
    nn.GELU,
    lambda: nn.LeakyReLU(0.05),
    lambda: nn.GELU("tanh"),
    nn.Identity,
]


def random_model(seed: int, dtype=np.float32) -> nn.Sequential:
    """A random MLP: 1-4 hidden layers of random widths, activations, dropout, bias or not."""
    rng = np.random.default_rng(seed)
    nl.manual_seed(seed)
    layers, width = [nn.Flatten()], 6
    for _ in range(rng.integers(1, 5)):
        out = int(rng.integers(1, 9))
        layers += [
            nn.Linear(width, out, bias=bool(rng.integers(2))),
            ACTIVATIONS[rng.integers(len(ACTIVATIONS))](),
        ]
        if rng.random() < 0.4:
            layers.append(nn.Dropout(float(rng.uniform(0.1, 0.6))))
        width = out
    layers += [nn.Linear(width, 3), nn.LogSoftmax(dim=1)]
    return nn.Sequential(*layers).to(dtype)


def snapshot(model) -> dict:
    return {key: tensor.data.copy() for key, tensor in model.state_dict().items()}


def assert_same_state(model, expected: dict):
    state = model.state_dict()
    assert list(state) == list(expected)
    for key, array in expected.items():
        assert state[key].dtype == array.dtype, key
        np.testing.assert_array_equal(state[key].data, array, err_msg=key)


# ----- save -> load ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(6))
def test_round_trip_gives_the_same_model(tmp_path, seed, dtype):
    model = random_model(seed, dtype).eval()
    path = tmp_path / "model.safetensors"
    save(model, path)
    loaded = load(path)
    assert repr(loaded) == repr(model)
    assert_same_state(loaded, snapshot(model))
    assert loaded.training  # load keeps PyTorch's default: training mode
    loaded.eval()
    x = nl.randn(7, 2, 3, dtype=dtype)
    out, expected = loaded(x), model(x)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.data, expected.data)


def test_loaded_model_trains_on_exactly_like_the_original(tmp_path):
    nl.manual_seed(1)
    model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3), nn.LogSoftmax(dim=1))
    save(model, tmp_path / "m.safetensors")
    loaded = load(tmp_path / "m.safetensors")
    x, y = nl.randn(16, 6), nl.tensor(np.arange(16) % 3)
    losses = []
    for net in (model, loaded):
        params = list(net.parameters())
        assert all(p.requires_grad for p in params)
        opt = nl.optim.SGD(params, lr=0.5)
        for _ in range(3):
            opt.zero_grad()
            loss = nn.NLLLoss()(net(x), y)
            loss.backward()
            assert all(p.grad is not None and np.abs(p.grad).sum() > 0 for p in params)
            opt.step()
            losses.append(loss.item())
    assert losses[:3] == losses[3:] and losses[2] < losses[0]
    assert_same_state(loaded, snapshot(model))


def test_file_layout_is_a_plain_state_dict_plus_metadata(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    path = tmp_path / "m.safetensors"
    save(model, path, metadata={"trained_on": "xor", "accuracy": "0.97"})
    assert set(load_file(path)) == set(model.state_dict())
    meta = load_metadata(path)
    assert meta["trained_on"] == "xor" and meta["accuracy"] == "0.97"
    assert meta["neuronlab.version"] == nl.__version__
    architecture = json.loads(meta["neuronlab.architecture"])
    assert architecture["format"] == "neuronlab.model"
    assert [c["type"] for c in architecture["module"]["children"]] == ["Linear", "ReLU", "Linear"]
    with pytest.raises(ValueError, match="'neuronlab.' are reserved"):
        save(model, path, metadata={"neuronlab.version": "9"})


def test_shared_and_tied_weights_survive(tmp_path):
    shared = nn.Linear(3, 3)
    model = nn.Sequential(shared, nn.Tanh(), shared, nn.Linear(3, 3))
    model[3].weight = model[0].weight
    save(model, tmp_path / "m.safetensors")
    loaded = load(tmp_path / "m.safetensors")
    assert loaded[0] is loaded[2] and loaded[3].weight is loaded[0].weight
    assert len(list(loaded.parameters())) == len(list(model.parameters())) == 3
    x = nl.randn(2, 3)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)


def test_mixed_dtypes_each_keep_their_own(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1, dtype="float64"))
    save(model, tmp_path / "m.safetensors")
    loaded = load(tmp_path / "m.safetensors")
    assert [p.dtype for p in loaded.parameters()] == [p.dtype for p in model.parameters()]


# ----- what load refuses -------------------------------------------------------------------------
class Doubler(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)

    def forward(self, x):
        return self.lin(x) * 2


def test_custom_module_saves_but_load_points_to_load_weights(tmp_path):
    model = nn.Sequential(Doubler(), nn.ReLU())
    path = tmp_path / "custom.safetensors"
    save(model, path)
    with pytest.raises(
        ValueError,
        match=r"custom class `Doubler`.*Construct the model in code and "
        r"call neuronlab\.io\.load_weights\(model, '.*custom",
    ):
        load(path)
    again = nn.Sequential(Doubler(), nn.ReLU())
    load_weights(again, path)
    assert_same_state(again, snapshot(model))


def test_weights_only_file_points_to_load_weights(tmp_path):
    path = tmp_path / "w.safetensors"
    save_weights(nn.Linear(2, 2), path)
    assert "neuronlab.architecture" not in load_metadata(path)
    with pytest.raises(ValueError, match=r"holds weights only.*load_weights\(model, '.*w\."):
        load(path)
    nl.io.save_file({"weight": np.ones((2, 2)), "bias": np.zeros(2)}, path)  # another library
    with pytest.raises(ValueError, match="holds weights only"):
        load(path)


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"load: no such file.*nothing\.safetensors"):
        load(tmp_path / "nothing.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"PK\x03\x04 not a safetensors file at all")
    with pytest.raises(CorruptFileError, match=r"junk\.safetensors.*header length"):
        load(tmp_path / "junk.safetensors")
    model = nn.Linear(2, 2)
    before = snapshot(model)
    with pytest.raises(CorruptFileError):
        load_weights(model, tmp_path / "junk.safetensors")
    assert_same_state(model, before)


def test_corrupt_architecture_metadata(tmp_path):
    path = tmp_path / "m.safetensors"
    nl.io.save_file({"weight": np.ones((1, 1))}, path, {"neuronlab.architecture": "{oops"})
    with pytest.raises(CorruptFileError, match="'neuronlab.architecture' is not valid JSON"):
        load(path)


# ----- load_weights ------------------------------------------------------------------------------
def test_load_weights_round_trip_with_buffers(tmp_path):
    class WithBuffers(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 2)
            self.register_buffer("count", nl.tensor(np.array([5], dtype=np.int64)))
            self.register_buffer("mean", nl.randn(3))
            self.register_buffer("scratch", nl.zeros(3), persistent=False)

    model = WithBuffers()
    path = tmp_path / "b.safetensors"
    save_weights(model, path)
    assert set(load_file(path)) == {"lin.weight", "lin.bias", "count", "mean"}
    other = WithBuffers()
    assert load_weights(other, path) == ([], [])
    assert_same_state(other, snapshot(model))
    assert other.count.dtype == np.int64


def test_load_weights_casts_to_the_models_dtype(tmp_path):
    path = tmp_path / "m.safetensors"
    save(nn.Linear(2, 2).double(), path)
    model = nn.Linear(2, 2)
    load_weights(model, path)
    assert model.weight.dtype == np.float32


def mismatch(tmp_path, saved: nn.Module, target: nn.Module, match: str, strict=True):
    path = tmp_path / "m.safetensors"
    save(saved, path)
    before = snapshot(target)
    with pytest.raises(ValueError, match=match) as info:
        load_weights(target, path, strict=strict)
    assert isinstance(info.value, RuntimeError)  # nn's StateDictError: PyTorch's type too
    assert "m.safetensors" in str(info.value)
    assert_same_state(target, before)  # nothing was loaded, not even the keys that fit


def test_wrong_shapes_change_nothing(tmp_path):
    saved = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    target = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    mismatch(tmp_path, saved, target, r"wrong shape for '2.weight': the state_dict has \(3, 8\)")
    mismatch(tmp_path, saved, target, r"wrong shape for '2.bias'", strict=False)


def test_missing_and_unexpected_keys_change_nothing(tmp_path):
    saved = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3, bias=False))
    target = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    mismatch(tmp_path, saved, target, r"missing keys.*'2\.bias'")
    mismatch(tmp_path, target, saved, r"unexpected keys.*'2\.bias'")


def test_strict_false_loads_what_fits(tmp_path):
    saved = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3, bias=False))
    target = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    save(saved, tmp_path / "m.safetensors")
    result = load_weights(target, tmp_path / "m.safetensors", strict=False)
    assert result.missing_keys == ["2.bias"] and result.unexpected_keys == []
    np.testing.assert_array_equal(target[2].weight.data, saved[2].weight.data)


def test_load_weights_ignores_the_optimizer_arrays(tmp_path):
    model = nn.Linear(3, 1)
    opt = nl.optim.Adam(model.parameters())
    model(nl.randn(4, 3)).sum().backward()
    opt.step()
    save(model, tmp_path / "m.safetensors", optimizer=opt)
    assert any(k.startswith("optimizer.state.0.") for k in load_file(tmp_path / "m.safetensors"))
    fresh = nn.Linear(3, 1)
    assert load_weights(fresh, tmp_path / "m.safetensors") == ([], [])
    assert_same_state(fresh, snapshot(model))


def test_type_errors():
    with pytest.raises(TypeError, match="expected a neuronlab Module.*got dict"):
        save({"w": np.ones(1)}, "x.safetensors")
    with pytest.raises(TypeError, match="optimizer must be a neuronlab optimizer"):
        save(nn.Linear(1, 1), "x.safetensors", optimizer="adam")


@pytest.mark.torch
def test_pytorch_reads_the_weights(tmp_path):
    import torch
    model = random_model(3).eval()
    save(model, tmp_path / "m.safetensors")
    width = [m for m in model if isinstance(m, nn.Linear)]
    ours = {k: torch.from_numpy(v) for k, v in load_file(tmp_path / "m.safetensors").items()}
    twin = torch.nn.Sequential(
        *[
            torch.nn.Linear(m.in_features, m.out_features, bias=m.bias is not None)
            if isinstance(m, nn.Linear)
            else torch.nn.Identity()
            for m in model
        ]
    )
    twin.load_state_dict(ours, strict=True)
    for ours_layer, theirs in zip(width, [m for m in twin if isinstance(m, torch.nn.Linear)]):
        np.testing.assert_array_equal(theirs.weight.detach().numpy(), ours_layer.weight.data)


def test_integer_weights_for_float_parameters_are_refused(tmp_path):
    path = tmp_path / "ints.safetensors"
    nl.io.save_file({"weight": np.ones((2, 2), np.int64), "bias": np.zeros(2, np.float64)}, path)
    model = nn.Linear(2, 2)
    before = snapshot(model)
    with pytest.raises(
        ValueError,
        match=r"wrong kind of dtype:\n  'weight' is stored as int64, "
        r"the model's is float32\n",
    ) as info:
        load_weights(model, path)
    assert "'bias'" not in str(info.value)  # float64 -> float32 is fine
    assert_same_state(model, before)
