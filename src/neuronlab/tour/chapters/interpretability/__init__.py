"""Stop 7, interpretability: attributions, feature visualization and their limits, on the
architectures stop's shipped Fashion-MNIST CNN.

``shared`` loads the model and images and runs the five methods of ``neuronlab.interpret``;
``experiments`` holds the quick experiments, ``live`` the sanity check stepped one randomized
layer at a time, ``claims`` the checked sentences of ``text.md``.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from .claims import CLAIMS
from .experiments import baselines, completeness, explain, features, focus, mistakes
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

CHAPTER = Chapter(
    id="interpretability",
    title="Interpretability",
    summary="Saliency, SmoothGrad, integrated gradients, Grad-CAM and occlusion on a trained "
    "CNN, what its filters want to see, and the limits of all of them, measured.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep("explain", {"index": 0}, widget="explain", caption="test image 0"),
        TourStep(
            "features",
            {"layer": "classifier.3", "steps": 60},
            widget="features",
            caption="one picture per class",
        ),  # fmt: skip
        TourStep("sanity", {}, widget="sanity", caption="8 test images"),
        TourStep("baselines", {"index": 0}, widget="baselines"),
        TourStep("mistakes", {}, widget="mistakes"),
        TourStep("focus", {}, widget="focus", caption="64 test images"),
        TourStep("tabular", {}, widget="tabular", caption="200 Adult test rows"),
        TourStep("completeness", {}, widget="completeness", caption="32 test images, 50 steps"),
    ],
    folder=Path(__file__).parent,
)
