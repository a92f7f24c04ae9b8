"""The interpretability stop's parameter schemas (validated by ``neuronlab.tour.schema``)."""

from __future__ import annotations

from ...schema import ChoiceParam, FloatParam, IntParam, ListParam

INDEX = IntParam("index", 0, min=0, max=999, label="Test image",
                 help="one of the 1,000 shipped test images")  # fmt: skip
PIXELS = ListParam("pixels", [], item=FloatParam("pixel", 0.0, min=0.0, max=1.0), min_len=0,
                   max_len=784, label="Drawing", help="784 values in [0, 1]; empty: the test "
                   "image")  # fmt: skip
TARGET = IntParam("target", -1, min=-1, max=9, label="Class to explain",
                  help="-1: the predicted class")  # fmt: skip

EXPLAIN_PARAMS = [
    INDEX,
    PIXELS,
    TARGET,
    IntParam("samples", 25, min=1, max=200, label="SmoothGrad samples"),
    FloatParam("noise", 0.15, min=0.0, max=1.0, label="SmoothGrad noise (share of range)"),
    IntParam("steps", 50, min=2, max=300, label="IG steps"),
    IntParam("window", 5, min=1, max=14, label="Occlusion window (px)"),
    IntParam("stride", 2, min=1, max=14, label="Occlusion stride (px)"),
]

FEATURE_PARAMS = [
    ChoiceParam(
        "layer",
        "features.3",
        choices=["features.0", "features.3", "classifier.3"],
        label="Layer",
        help="features.0: 8 first-layer filters; features.3: 16 "
        "second-layer filters; classifier.3: the 10 classes",
    ),  # fmt: skip
    IntParam("steps", 60, min=0, max=400, label="Ascent steps"),
    FloatParam("l2", 0.05, min=0.0, max=1.0, label="L2 weight"),
    IntParam("jitter", 1, min=0, max=4, label="Jitter (px)"),
    FloatParam("blur", 0.5, min=0.0, max=2.0, label="Blur sigma (px)"),
    IntParam("top", 4, min=1, max=8, label="Training images shown per unit"),
]

SANITY_PARAMS = [
    IntParam("images", 8, min=1, max=32, label="Test images"),
    IntParam("show", 0, min=0, max=31, label="Image whose maps are drawn"),
    IntParam("seed", 0, min=0, max=10_000, label="Seed of the random weights"),
]

BASELINE_PARAMS = [INDEX, PIXELS, TARGET, IntParam("steps", 50, min=2, max=300, label="IG steps")]

MISTAKE_PARAMS = [IntParam("count", 8, min=1, max=24, label="Mistakes listed")]

FOCUS_PARAMS = [
    IntParam("images", 64, min=4, max=200, label="Test images"),
    FloatParam(
        "ink",
        0.05,
        min=0.0,
        max=0.5,
        label="Garment pixel threshold",
        help="pixels brighter than this count as the garment",
    ),  # fmt: skip
]

COMPLETENESS_PARAMS = [
    IntParam("images", 32, min=1, max=200, label="Test images"),
    IntParam("steps", 50, min=2, max=300, label="IG steps"),
]

TABULAR_PARAMS = [
    ChoiceParam(
        "dataset",
        "adult",
        choices=["adult", "breast_cancer"],
        label="Data set",
        help="adult: income above 50,000 dollars from census answers; "
        "breast_cancer: tumour measurements",
    ),  # fmt: skip
    IntParam("rows", 200, min=10, max=1000, label="Test rows averaged"),
    IntParam("steps", 50, min=2, max=300, label="IG steps"),
]
