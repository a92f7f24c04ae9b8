"""The transfer stop's parameter schemas (validated centrally by ``neuronlab.tour.schema``)."""

from __future__ import annotations

from ...schema import FloatParam, IntParam, ListParam

LABELS = IntParam("labels", 10, min=5, max=500, label="Labels per class",
                  help="labelled training images of each of the five new classes")  # fmt: skip
STEPS = IntParam("steps", 150, min=10, max=2000, label="Training steps",
                 help="optimizer steps of batches of 32 for each run")  # fmt: skip
LR = FloatParam("lr", 0.003, min=1e-4, max=0.1, log=True, label="Learning rate (Adam)",
                help="for scratch, the probe's head and the fine-tuned head")  # fmt: skip
BODY_LR = FloatParam("body_lr", 0.1, min=0.0, max=1.0, label="Body lr (× head lr)",
                     help="fine-tuning: the pretrained layers learn this much slower")  # fmt: skip
SEED = IntParam("seed", 0, min=0, max=10_000, label="Seed",
                help="which labelled images are drawn, and the new heads' start")  # fmt: skip
SPEED = IntParam("speed", 0, min=0, max=200, label="Steps per second", live=True,
                 help="0 runs as fast as possible")  # fmt: skip

RACE_PARAMS = [LABELS, STEPS, LR, BODY_LR, SEED, SPEED]

CURVE_PARAMS = [
    ListParam(
        "label_counts",
        [5, 20, 100],
        item=IntParam("k", 5, min=5, max=500),
        min_len=1,
        max_len=6,
        label="Labels per class to try",
    ),  # fmt: skip
    IntParam(
        "seeds",
        3,
        min=1,
        max=5,
        label="Seeds per point",
        help="each seed draws other labelled images; the curve shows the mean",
    ),
    IntParam("steps", 100, min=10, max=1000, label="Training steps per run"),
    LR,
    BODY_LR,
]
