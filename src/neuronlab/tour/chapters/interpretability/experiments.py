"""The interpretability stop's experiments: quick calls (``quick.py``, ``tabular.py``) and
the live sanity check (``live.py``)."""

from __future__ import annotations

from ...chapter import Experiment
from .live import sanity
from .params import (
    BASELINE_PARAMS,
    COMPLETENESS_PARAMS,
    EXPLAIN_PARAMS,
    FEATURE_PARAMS,
    FOCUS_PARAMS,
    MISTAKE_PARAMS,
    SANITY_PARAMS,
    TABULAR_PARAMS,
)
from .quick import baselines, completeness, explain, features, focus, mistakes
from .tabular import tabular

EXPERIMENTS = [
    Experiment("explain", "Five attribution methods side by side", EXPLAIN_PARAMS, run=explain),
    Experiment("features", "What each unit wants to see", FEATURE_PARAMS, run=features),
    Experiment(
        "sanity",
        "The randomization sanity check",
        SANITY_PARAMS,
        stream=sanity,
        max_steps=20,
        max_seconds=300,
    ),  # fmt: skip
    Experiment(
        "baselines", "Integrated gradients from five baselines", BASELINE_PARAMS, run=baselines
    ),  # fmt: skip
    Experiment("mistakes", "Confidently wrong", MISTAKE_PARAMS, run=mistakes),
    Experiment("focus", "How much of each map lies on the garment", FOCUS_PARAMS, run=focus),
    Experiment("tabular", "Integrated gradients per column", TABULAR_PARAMS, run=tabular),
    Experiment(
        "completeness",
        "Integrated gradients' completeness gap",
        COMPLETENESS_PARAMS,
        run=completeness,
    ),  # fmt: skip
]
