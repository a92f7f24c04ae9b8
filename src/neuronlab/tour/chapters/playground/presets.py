"""The playground's ready setups, defined once: the page's "Try it -> Load ..." buttons and the
side-by-side comparisons that back the chapter's claims.

Each scenario is a shared base and the variants it compares. ``presets()`` turns every variant
into a complete, normalized configuration (``config.build_config``), sent to the page with the
``train`` experiment's description (``extra.presets``), so loading one replaces every setting
and the run trains exactly that network on exactly that data. ``choices()`` gives the page the
labels of the data sets and features, so the page keeps no list of its own.
"""

from __future__ import annotations

from .config import build_config
from .params import CLASSIFICATION_SETS, FEATURE_LABELS, MULTICLASS_SETS, REGRESSION_SETS

__all__ = ["SCENARIOS", "WIDGETS", "choices", "presets", "scenario_params"]

# Each scenario: a shared base config and the variants it compares, in the order shown.
SCENARIOS = {
    "xor": (
        {"dataset": "xor", "learning_rate": 0.03, "optimizer": "adam"},
        {
            "no hidden layer, x1 and x2": {"layers": [], "features": ["x1", "x2"]},
            "no hidden layer, plus x1x2": {"layers": [], "features": ["x1", "x2", "x1x2"]},
            "one hidden layer of 4": {"layers": [4], "features": ["x1", "x2"]},
        },
    ),
    "spiral": (
        {"dataset": "spiral", "learning_rate": 0.01, "optimizer": "adam", "batch_size": 20},
        {
            "no hidden layer": {"layers": [], "features": ["x1", "x2"]},
            "8-8-8 hidden, x1 x2 and sines": {
                "layers": [8, 8, 8],
                "features": ["x1", "x2", "sinx1", "sinx2"],
            },
        },
    ),
    "l2": (
        {
            "dataset": "xor",
            "noise": 40,
            "n_samples": 200,
            "train_ratio": 50,
            "layers": [8, 8],
            "learning_rate": 0.03,
            "optimizer": "adam",
        },
        {
            "no regularization": {},
            "L2, rate 0.03": {"regularization": "l2", "reg_rate": 0.03},
        },
    ),
    "learning_rate": (
        {"dataset": "circle", "layers": [4, 2], "optimizer": "sgd"},
        {
            "learning rate 0.03": {"learning_rate": 0.03},
            "learning rate 10": {"learning_rate": 10.0},
        },
    ),
    "multiclass": (
        {
            "dataset": "gaussian",
            "classes": 3,
            "layers": [6],
            "optimizer": "adam",
            "learning_rate": 0.03,
        },
        {"3 classes, softmax output": {}},
    ),
    "regression": (
        {"problem": "regression", "dataset": "plane", "optimizer": "adam", "learning_rate": 0.03},
        {
            "no hidden layer": {"layers": []},
        },
    ),
    "optimizers": (
        {"dataset": "circle", "layers": [4, 2], "learning_rate": 0.01},
        {
            "SGD": {"optimizer": "sgd"},
            "momentum": {"optimizer": "momentum"},
            "Adam": {"optimizer": "adam"},
        },
    ),
}


# The "Try it" widget of each scenario, in the order of the chapter's text.
WIDGETS = {
    "xor": "try-xor",
    "spiral": "try-spiral",
    "l2": "try-l2",
    "learning_rate": "try-learning-rate",
    "optimizers": "try-optimizers",
    "multiclass": "try-multiclass",
    "regression": "try-regression",
}

DATASET_LABELS = {
    "circle": "Circle",
    "xor": "Exclusive or (xor)",
    "gaussian": "Gaussian clusters",
    "spiral": "Spiral",
    "moons": "Moons",
    "plane": "Plane",
    "multi_gaussian": "Six bumps",
    "custom": "Only my points",
}


def scenario_params(scenario: str, label: str) -> dict:
    """The parameters of one variant: the scenario's base, then the variant's own settings."""
    base, variants = SCENARIOS[scenario]
    return {"activations": ["tanh"], **base, **variants[label]}


def presets() -> list[dict]:
    """``[{"widget", "scenario", "presets": [{"label", "params"}]}]``; ``params`` is a complete
    normalized configuration (every parameter of the ``train`` experiment)."""
    return [
        {
            "widget": WIDGETS[name],
            "scenario": name,
            "presets": [
                {"label": label, "params": build_config(**scenario_params(name, label)).to_dict()}
                for label in variants
            ],  # fmt: skip
        }
        for name, (_, variants) in SCENARIOS.items()
    ]


def choices() -> dict:
    """Labels for the page's selects: data sets by problem type, the sets that take more than
    two classes, and the input features."""
    return {
        "multiclass": [*MULTICLASS_SETS, "custom"],
        "datasets": {
            "classification": [[d, DATASET_LABELS[d]] for d in (*CLASSIFICATION_SETS, "custom")],
            "regression": [[d, DATASET_LABELS[d]] for d in (*REGRESSION_SETS, "custom")],
        },
        "features": [[name, label] for name, label in FEATURE_LABELS.items()],
    }
