"""Describing a model as JSON and building it again."""

from __future__ import annotations

import json

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn
from neuronlab.io.architecture import CONTAINERS, LAYERS, build, describe, register_layer

EVERY_LAYER = [
    (nn.Identity(), {}),
    (nn.Flatten(0, 2), {"start_dim": 0, "end_dim": 2}),
    (nn.Linear(5, 3), {"in_features": 5, "out_features": 3, "bias": True}),
    (nn.Linear(2, 7, bias=False), {"in_features": 2, "out_features": 7, "bias": False}),
    (nn.ReLU(), {}),
    (nn.LeakyReLU(0.2), {"negative_slope": 0.2}),
    (nn.Sigmoid(), {}),
    (nn.Tanh(), {}),
    (nn.GELU(approximate="tanh"), {"approximate": "tanh"}),
    (nn.Softmax(dim=-1), {"dim": -1}),
    (nn.LogSoftmax(dim=0), {"dim": 0}),
    (nn.Dropout(0.3), {"p": 0.3}),
]


class Doubler(nn.Module):
    def forward(self, x):
        return x * 2


class Linear(nn.Module):  # a user's own class that happens to share a built-in's name
    def forward(self, x):
        return x


def roundtrip(model):
    description = describe(model)
    return json.loads(json.dumps(description)), build(json.loads(json.dumps(description)))


def test_every_built_in_layer_is_in_the_table():
    assert {type(layer).__name__ for layer, _ in EVERY_LAYER} <= set(LAYERS)
    assert set(CONTAINERS) == {"Sequential", "ModuleList", "ModuleDict"}


def test_every_public_layer_and_model_can_be_saved():
    """Each layer exported by nn and each ready model has a save/load description (losses and
    the Module base are not layers one saves)."""
    import neuronlab.models

    public = [getattr(nl.nn, n) for n in nl.nn.__all__] + [
        getattr(neuronlab.models, n) for n in neuronlab.models.__all__
    ]
    layers = {
        cls.__name__
        for cls in public
        if isinstance(cls, type) and issubclass(cls, nl.nn.Module) and cls is not nl.nn.Module
        and not cls.__name__.endswith("Loss")
    }
    assert layers - set(CONTAINERS) - set(LAYERS) == set()


@pytest.mark.parametrize("layer, config", EVERY_LAYER, ids=lambda v: type(v).__name__)
def test_each_layer_round_trips_with_its_config(layer, config):
    description, rebuilt = roundtrip(layer)
    assert description == {
        "format": "neuronlab.model",
        "version": 1,
        "module": {"type": type(layer).__name__, "config": config},
    }
    assert type(rebuilt) is type(layer) and repr(rebuilt) == repr(layer)
    assert {k: v.shape for k, v in rebuilt.state_dict().items()} == {
        k: v.shape for k, v in layer.state_dict().items()
    }


def test_nested_containers_and_the_documented_layout():
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256),
        nn.ReLU(),
        nn.Sequential(nn.Linear(256, 64), nn.GELU()),
        nn.ModuleList([nn.Linear(64, 64), nn.Sequential(nn.Tanh())]),
    )
    description, rebuilt = roundtrip(model)
    children = description["module"]["children"]
    assert description["module"]["type"] == "Sequential"
    assert children[1] == {
        "type": "Linear",
        "config": {"in_features": 784, "out_features": 256, "bias": True},
    }
    assert children[3]["type"] == "Sequential" and children[4]["type"] == "ModuleList"
    assert children[4]["children"][1] == {
        "type": "Sequential",
        "children": [{"type": "Tanh", "config": {}}],
    }
    assert repr(rebuilt) == repr(model)
    assert list(rebuilt.state_dict()) == list(model.state_dict())


def test_sequential_with_chosen_names():
    model = nn.Sequential({"hidden": nn.Linear(2, 3), "act": nn.ReLU(), "out": nn.Linear(3, 1)})
    description, rebuilt = roundtrip(model)
    assert description["module"]["children"][0]["name"] == "hidden"
    assert list(rebuilt.state_dict()) == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]


def test_a_layer_used_twice_stays_shared():
    shared = nn.Linear(4, 4)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    description, rebuilt = roundtrip(model)
    assert description["module"]["children"][2] == {"same_as": "0"}
    assert rebuilt[0] is rebuilt[2]
    assert description["tied"] == [["0.weight", "2.weight"], ["0.bias", "2.bias"]]


def test_tied_parameters_are_tied_again():
    model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 3))
    model[2].weight = model[0].weight
    description, rebuilt = roundtrip(model)
    assert description["tied"] == [["0.weight", "2.weight"]]
    assert rebuilt[2].weight is rebuilt[0].weight and rebuilt[2].bias is not rebuilt[0].bias
    assert len(list(rebuilt.parameters())) == 3


def test_built_models_start_fresh_in_training_mode():
    model = nn.Sequential(nn.Linear(3, 2), nn.Dropout(0.5)).eval()
    rebuilt = build(describe(model))
    assert rebuilt.training and rebuilt[1].training
    assert rebuilt[0].weight.dtype == np.float32


def test_custom_classes_are_recorded_and_refused_by_build():
    model = nn.Sequential(nn.Linear(2, 2), Doubler())
    node = describe(model)["module"]["children"][1]
    assert node == {"type": "Doubler", "custom": True, "class": f"{__name__}.Doubler"}
    with pytest.raises(
        ValueError,
        match=r"includes a custom class `Doubler` .*cannot be "
        r"rebuilt.*load_weights\(model, 'm.st'\)",
    ):
        build(describe(model), source="m.st")


def test_same_name_is_not_enough_to_be_built_in():
    class MyLinear(nn.Linear):
        pass

    for impostor in (Linear(), MyLinear(2, 2)):
        assert describe(impostor)["module"]["custom"] is True
    with pytest.raises(ValueError, match=r"custom class `MyLinear`"):
        build(describe(nn.Sequential(MyLinear(1, 1))))


def test_register_layer_extends_the_table():
    class Scale(nn.Module):
        def __init__(self, factor: float):
            super().__init__()
            self.factor = factor

        def forward(self, x):
            return x * self.factor

    register_layer(Scale, lambda m: {"factor": m.factor}, lambda c: Scale(**c))
    try:
        description, rebuilt = roundtrip(nn.Sequential(Scale(np.float64(2.5))))
        assert description["module"]["children"][0] == {"type": "Scale", "config": {"factor": 2.5}}
        assert isinstance(rebuilt[0], Scale) and rebuilt[0].factor == 2.5
    finally:
        LAYERS.pop("Scale")
    with pytest.raises(TypeError, match="expected a Module subclass"):
        register_layer(int, None, None)


def test_bad_descriptions_are_clear_errors():
    good = describe(nn.Sequential(nn.Linear(2, 2)))
    with pytest.raises(ValueError, match="not a neuronlab model description"):
        build({"format": "keras"})
    with pytest.raises(ValueError, match=r"format version 2.*upgrade neuronlab"):
        build({**good, "version": 2})
    with pytest.raises(ValueError, match=r"layer type 'Conv9d' that this version.*load_weights"):
        build({**good, "module": {"type": "Conv9d", "config": {}}})
    with pytest.raises(
        ValueError,
        match=r"a Linear with config \{'in_features': 2\} that does "
        r"not construct one",
    ):
        build({**good, "module": {"type": "Linear", "config": {"in_features": 2}}})
    with pytest.raises(TypeError, match="expected a neuronlab Module"):
        describe(object())


def test_rebuilt_model_computes_the_same_function_once_weights_are_copied():
    nl.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 6), nn.LeakyReLU(0.3), nn.Linear(6, 2), nn.LogSoftmax(1))
    rebuilt = build(describe(model))
    rebuilt.load_state_dict(model.state_dict())
    x = nl.randn(5, 4)
    np.testing.assert_array_equal(rebuilt(x).data, model(x).data)


def test_the_wider_layer_surface_round_trips_through_save_and_load(tmp_path):
    """New layers, ModuleDict and the parameter holders: saved and loaded with their config and
    weights, giving the same outputs."""
    model = nn.Sequential(
        nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1),
        nn.GroupNorm(3, 3),
        nn.PReLU(3),
        nn.Upsample(scale_factor=2, mode="bilinear"),
        nn.InstanceNorm2d(3, affine=True),
        nn.Softplus(beta=2.0),
        nn.Flatten(),
        nn.Unflatten(1, (3, -1)),
    )
    holder = nn.Module()
    holder.blocks = nn.ModuleDict({"body": model, "act": nn.Hardswish()})
    holder.scales = nn.ParameterList([nn.Parameter(np.ones(2)), nn.Parameter(np.zeros((2, 3)))])
    holder.extra = nn.ParameterDict({"shift": nn.Parameter(np.full(4, 0.5))})
    rebuilt = build(json.loads(json.dumps(describe(holder.blocks))))
    assert type(rebuilt).__name__ == "ModuleDict" and list(rebuilt.keys()) == ["body", "act"]
    for part in (holder.scales, holder.extra):
        again = build(json.loads(json.dumps(describe(part))))
        assert [tuple(p.shape) for p in again.parameters()] == [p.shape for p in
                                                                 part.parameters()]
    path = tmp_path / "surface"
    nl.save(model, path)
    loaded = nl.load(path)
    x = nl.randn(2, 2, 4, 4)
    np.testing.assert_allclose(loaded(x).data, model(x).data, rtol=1e-6)
