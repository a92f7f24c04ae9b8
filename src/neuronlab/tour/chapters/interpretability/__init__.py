"""Stop 7, interpretability: attributions, feature visualization and their limits, on the
architectures stop's shipped Fashion-MNIST CNN.

``shared`` loads the model and images and runs the five methods of ``neuronlab.interpret``;
``quick`` and ``tabular`` hold the quick experiments, ``live`` the sanity check stepped one
randomized layer at a time, ``experiments`` lists them all, ``claims`` the checked sentences
of ``text.md``.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, TourStep
from .claims import CLAIMS
from .experiments import EXPERIMENTS

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
