"""The practice chapter's parameters: one schema per race, each default declared once."""

from __future__ import annotations

from ...schema import ChoiceParam, FloatParam, IntParam

SPEED = IntParam("speed", 20, min=0, max=1000, label="Epochs per second",
                 help="0 runs as fast as possible", live=True)  # fmt: skip
SEED = IntParam("seed", 0, min=0, max=10_000, label="Seed")

NORMALIZATION_PARAMS = [
    ChoiceParam("dataset", "breast_cancer", choices=["breast_cancer", "wine"], label="Data set"),
    FloatParam("lr", 0.05, min=0.001, max=1.0, label="Learning rate (SGD)", log=True),
    IntParam("epochs", 60, min=1, max=500, label="Epochs"),
    SPEED,
    SEED,
]

SCHEDULE_PARAMS = [
    FloatParam("lr", 0.5, min=0.01, max=2.0, label="Starting learning rate (SGD)", log=True),
    IntParam("epochs", 60, min=2, max=500, label="Epochs"),
    IntParam("patience", 3, min=0, max=50, label="Plateau patience (epochs)"),
    FloatParam("factor", 0.5, min=0.05, max=0.95, label="Plateau factor"),
    SPEED,
    SEED,
]

OVERFIT_PARAMS = [
    ChoiceParam("dataset", "breast_cancer", choices=["breast_cancer", "wine"], label="Data set"),
    IntParam("n_train", 40, min=10, max=120, label="Training examples"),
    IntParam("width", 128, min=8, max=256, label="Neurons per hidden layer"),
    FloatParam("dropout", 0.5, min=0.05, max=0.9, label="Dropout p"),
    FloatParam("l2", 0.01, min=0.0001, max=0.5, label="L2 (weight decay)", log=True),
    IntParam("epochs", 100, min=2, max=400, label="Epochs"),
    SPEED,
    SEED,
]

EARLY_PARAMS = [
    ChoiceParam("dataset", "breast_cancer", choices=["breast_cancer", "wine"], label="Data set"),
    IntParam("n_train", 40, min=10, max=120, label="Training examples"),
    IntParam("patience", 10, min=1, max=100, label="Patience (epochs)"),
    IntParam("epochs", 100, min=2, max=400, label="Epochs"),
    SPEED,
    SEED,
]
