"""The practice chapter's experiments: four live races (``live.py``), each two or three lanes
of ``race.Lane`` advanced an epoch at a time."""

from __future__ import annotations

from ...chapter import Experiment
from .live import early_stopping, normalization, overfitting, schedules
from .params import EARLY_PARAMS, NORMALIZATION_PARAMS, OVERFIT_PARAMS, SCHEDULE_PARAMS


def _live(name, title, params, stream):
    return Experiment(name, title, params=params, stream=stream, max_steps=520, max_seconds=300)


EXPERIMENTS = [
    _live("normalization", "Raw vs normalized inputs", NORMALIZATION_PARAMS, normalization),
    _live("schedules", "Constant lr vs reduce-on-plateau vs cosine", SCHEDULE_PARAMS, schedules),
    _live(
        "overfitting",
        "A big net on a small data set, with and without dropout and L2",
        OVERFIT_PARAMS,
        overfitting,
    ),  # fmt: skip
    _live("early_stopping", "Early stopping and the best weights", EARLY_PARAMS, early_stopping),
]
