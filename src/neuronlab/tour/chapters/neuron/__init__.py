"""Chapter 1, ``neuron``: weighted sum, bias, activation functions and their slopes.

Layout (every chapter's): ``params.py`` (schemas), ``experiments.py`` (quick experiments and the
chapter's list), ``live.py`` (one neuron, an ``nn.Module``, trained live by ``train.Trainer``),
``claims.py``, ``text.md``.
"""

from __future__ import annotations

from pathlib import Path

from ... import Chapter, TourStep
from .claims import CLAIMS
from .experiments import EXPERIMENTS

CHAPTER = Chapter(
    id="neuron",
    title="One neuron",
    summary="A weighted sum, a bias and an activation: the unit every network is built from.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep("neuron_output", {"x1": 1.0, "x2": 0.5}, widget="neuron"),
        TourStep("activation_curves", {"activation": "sigmoid"}, widget="activation"),
        TourStep("activation_curves", {"activation": "relu"}, widget="activation"),
        TourStep("train_neuron", {"dataset": "and", "steps": 600}, widget="train"),
        TourStep("train_neuron", {"dataset": "xor", "steps": 600}, widget="train"),
    ],
    folder=Path(__file__).parent,
)
