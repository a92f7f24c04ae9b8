"""The depth stop's parameter schemas (validated centrally by ``neuronlab.tour.schema``)."""

from __future__ import annotations

from ...schema import BoolParam, ChoiceParam, FloatParam, IntParam, ListParam

SEED = IntParam("seed", 0, min=0, max=999_999, label="Seed", help="Same seed, same start")
DEPTH = IntParam(
    "depth", 20, min=3, max=50, label="Layers", help="Linear layers, input and output included"
)
ACTIVATION = ChoiceParam(
    "activation", "sigmoid", choices=["sigmoid", "tanh", "relu"], label="Activation"
)
NORM = ChoiceParam(
    "norm",
    "none",
    choices=["none", "batch", "layer"],
    label="Normalization",
    help="BatchNorm or LayerNorm after every hidden Linear layer",
)
DATASET = ChoiceParam("dataset", "circle", choices=["circle", "spiral"], label="Data set")

RACE_PARAMS = [
    DEPTH,
    ACTIVATION,
    NORM,
    IntParam("epochs", 40, min=1, max=500, label="Epochs"),
    FloatParam("learning_rate", 0.05, min=1e-4, max=1.0, log=True, label="Learning rate"),
    DATASET,
    IntParam("n_samples", 600, min=40, max=4000, label="Points"),
    IntParam(
        "speed",
        80,
        min=0,
        max=10_000,
        label="Steps per second",
        help="0: as fast as the machine goes",
    ),
    SEED,
]

GRADIENT_PARAMS = [
    DEPTH,
    ACTIVATION,
    NORM,
    BoolParam("residual", False, label="Skip connections"),
    DATASET,
    SEED,
]

BUDGET_PARAMS = [
    ListParam(
        "depths",
        [2, 4, 8, 16],
        item=IntParam("depth", 2, min=2, max=32),
        min_len=2,
        max_len=6,
        label="Depths",
    ),
    IntParam("steps", 300, min=10, max=5000, label="Budget (steps)"),
    IntParam("long_steps", 1200, min=10, max=20_000, label="Longer budget (steps)"),
    IntParam("n_samples", 1000, min=100, max=4000, label="Points"),
    SEED,
]
