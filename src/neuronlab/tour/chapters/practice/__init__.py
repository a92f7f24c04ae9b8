"""Chapter 4, training in practice: side-by-side live runs of the habits that make training work.

Normalized vs raw inputs, learning-rate schedules, overfitting against dropout and L2, and early
stopping with the best weights restored. ``trainer`` holds the epoch-at-a-time run; each
experiment in ``experiments`` races two or three of them in lockstep.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from .claims import CLAIMS
from .experiments import (
    EARLY_PARAMS,
    NORMALIZATION_PARAMS,
    OVERFIT_PARAMS,
    SCHEDULE_PARAMS,
    early_stopping,
    normalization,
    overfitting,
    schedules,
)


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

CHAPTER = Chapter(
    id="practice",
    title="Training in practice",
    summary="Normalize the inputs, schedule the learning rate, fight overfitting with dropout "
    "and L2, and stop early: each shown by runs racing side by side.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep(
            "normalization",
            {"speed": 0},
            widget="normalization",
            caption="SGD at lr 0.05 on the breast cancer set",
            every=10,
        ),  # fmt: skip
        TourStep("schedules", {"speed": 0}, widget="schedules", every=10),
        TourStep(
            "overfitting",
            {"speed": 0},
            widget="overfitting",
            caption="Two hidden layers of 128 on 40 examples",
            every=20,
        ),  # fmt: skip
        TourStep("early_stopping", {"speed": 0}, widget="early-stopping", every=20),
    ],
    folder=Path(__file__).parent,
)
