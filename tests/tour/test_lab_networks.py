"""Every network the lab trains is a library ``nn.Module`` trained by ``train.Trainer``: each
can be summarized (``nn.summary``), saved and loaded (``nl.save`` / ``nl.load``) and hooked
(``register_forward_hook``). The networks are caught where they are trained: every Trainer
built while each chapter's live experiments take their first steps."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn
from neuronlab.tour import get_chapter
from neuronlab.tour.runner import RunContext
from neuronlab.train import Trainer

# each live experiment with small settings (and the playground in its variants)
LIVE_RUNS = [
    ("neuron", "train_neuron", {"n_points": 16, "steps": 3}),
    ("playground", "train", {"layers": [4, 2], "features": ["x1", "x2", "x1x2", "sinx1"]}),
    (
        "playground",
        "train",
        {"dataset": "spiral", "classes": 3, "layers": [3], "activations": ["relu"], "dropout": 0.2},
    ),  # fmt: skip
    ("playground", "train", {"problem": "regression", "dataset": "plane", "layers": []}),
    ("practice", "normalization", {"epochs": 1, "speed": 0}),
    ("practice", "schedules", {"epochs": 2, "speed": 0}),
    ("practice", "overfitting", {"epochs": 2, "width": 8, "speed": 0}),
    ("practice", "early_stopping", {"epochs": 2, "speed": 0}),
]


def trained_models(monkeypatch, chapter: str, name: str, params: dict) -> list:
    """The models of every Trainer the experiment builds in its first two steps."""
    models = []
    original = Trainer.__init__

    def spy(self, model, *args, **kwargs):
        models.append(model)
        original(self, model, *args, **kwargs)

    monkeypatch.setattr(Trainer, "__init__", spy)
    exp = get_chapter(chapter).experiment(name)
    values = exp.validate(params)
    gen = exp.stream(RunContext(values, 10), **values)
    for _ in range(2):
        next(gen)
    gen.close()
    return models


def example_input(model: nn.Module) -> np.ndarray:
    first = next(m for m in model.modules() if isinstance(m, nn.Linear))
    points = any(type(m).__name__ == "PointFeatures" for m in model.modules())
    width = 2 if points else first.in_features
    return np.random.default_rng(0).uniform(-3, 3, (5, width)).astype(np.float32)


@pytest.mark.parametrize(("chapter", "name", "params"), LIVE_RUNS)
def test_every_trained_network_summarizes_saves_and_hooks(monkeypatch, tmp_path, chapter, name,
                                                          params):  # fmt: skip
    models = trained_models(monkeypatch, chapter, name, params)
    assert models, f"{chapter}/{name} trained no network through train.Trainer"
    for i, model in enumerate(models):
        assert isinstance(model, nn.Module)
        x = example_input(model)
        info = nn.summary(model, x.shape, print_fn=None)
        assert info.total_params == sum(p.data.size for p in model.parameters()) > 0
        model.eval()
        path = tmp_path / f"{chapter}-{name}-{i}.safetensors"
        nl.save(model, path)
        again = nl.load(path).eval()
        np.testing.assert_array_equal(again(nl.tensor(x)).data, model(nl.tensor(x)).data)
        assert _hooked_linear_calls(model, x) == sum(isinstance(m, nn.Linear)
                                                     for m in model.modules()) > 0  # fmt: skip


def _hooked_linear_calls(model: nn.Module, x: np.ndarray) -> int:
    """How many forward hooks on the model's Linear layers fire in one forward pass."""
    seen = []
    handles = [m.register_forward_hook(lambda m, inputs, out: seen.append(out.shape))
               for m in model.modules() if isinstance(m, nn.Linear)]  # fmt: skip
    model(nl.tensor(x))
    for handle in handles:
        handle.remove()
    return len(seen)
