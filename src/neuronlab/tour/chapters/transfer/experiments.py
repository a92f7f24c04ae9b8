"""The transfer stop's experiments: two live runs (``live.py``) of the contenders of ``task``."""

from __future__ import annotations

from ...chapter import Experiment
from .live import curve, race
from .params import CURVE_PARAMS, RACE_PARAMS

EXPERIMENTS = [
    Experiment(
        "race",
        "Scratch vs linear probe vs fine-tuning on a few labels",
        params=RACE_PARAMS,
        stream=race,
        max_steps=2100,
        max_seconds=300,
    ),  # fmt: skip
    Experiment(
        "curve",
        "Accuracy against labels per class, and the time each run took",
        params=CURVE_PARAMS,
        stream=curve,
        max_steps=500,
        max_seconds=600,
    ),  # fmt: skip
]
