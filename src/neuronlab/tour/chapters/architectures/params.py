"""The architectures stop's parameter schemas (validated centrally by ``neuronlab.tour.schema``)."""

from __future__ import annotations

from ...schema import ChoiceParam, FloatParam, IntParam, ListParam, TextParam
from .words import KINDS

SEED = IntParam("seed", 0, min=0, max=999_999, label="Seed", help="Same seed, same run")

TABULAR_PARAMS = [
    ChoiceParam(
        "dataset",
        "breast_cancer",
        choices=["breast_cancer", "adult"],
        label="Data set",
        help="Breast cancer: 569 tumours, 30 measurements. Adult: census rows, income above $50K",
    ),  # fmt: skip
    IntParam("epochs", 30, min=1, max=200, label="Epochs"),
    IntParam("hidden", 32, min=2, max=256, label="MLP width", help="Units in each of 2 layers"),
    IntParam(
        "n_train",
        4000,
        min=100,
        max=40_000,
        label="Training rows (Adult)",
        help="Adult has 30,162 training rows; a random subset of this size is used",
    ),
    SEED,
]

TRAIN_CNN_PARAMS = [
    ChoiceParam(
        "start",
        "scratch",
        choices=["scratch", "shipped"],
        label="Start from",
        help="Random weights, or the trained weights that ship with the lab",
    ),  # fmt: skip
    IntParam("epochs", 6, min=1, max=50, label="Epochs"),
    FloatParam(
        "learning_rate", 0.003, min=1e-5, max=0.1, log=True, label="Learning rate", live=True
    ),  # fmt: skip
    IntParam("batch_size", 64, min=8, max=512, label="Batch size"),
    FloatParam(
        "goal",
        0.85,
        min=0.0,
        max=1.0,
        label="Stop at test accuracy",
        help="End the run once the test accuracy reaches this; 0 trains every epoch",
    ),
    IntParam("train_size", 8000, min=100, max=8000, label="Training images"),
    IntParam("test_size", 1000, min=50, max=1000, label="Test images"),
    IntParam("eval_every", 25, min=1, max=10_000, label="Evaluate every (steps)"),
    SEED,
]

INSPECT_PARAMS = [IntParam("index", 0, min=0, max=999, label="Test image")]

DRAWING_PARAMS = [
    ListParam(
        "pixels",
        [0.0] * 784,
        item=FloatParam("pixel", 0.0, min=0.0, max=1.0),
        min_len=784,
        max_len=784,
        label="Pixels",
        help="28x28 values in [0, 1], row by row (white ink on black)",
    ),  # fmt: skip
]

N_TEST = IntParam("n_test", 1000, min=20, max=1000, label="Test images")
COMPARE_PARAMS = [N_TEST]
SHIFT_PARAMS = [IntParam("max_shift", 4, min=0, max=8, label="Largest shift (pixels)"), N_TEST]

TRAIN_WORDS_PARAMS = [
    ChoiceParam(
        "kind",
        "lstm",
        choices=list(KINDS),
        label="Model",
        help="rnn: a plain tanh RNN; lstm: gated memory; transformer: attention",
    ),
    IntParam("epochs", 6, min=1, max=100, label="Epochs"),
    FloatParam("learning_rate", 0.005, min=1e-5, max=0.1, log=True, label="Learning rate"),
    IntParam("n_words", 4000, min=100, max=4000, label="Words", help="90% train, 10% validate"),
    IntParam("eval_every", 25, min=1, max=10_000, label="Sample every (steps)"),
    IntParam(
        "speed",
        150,
        min=0,
        max=10_000,
        label="Steps per second",
        help="In the lab, at most this many steps a second so that you can read the "
        "samples; 0: as fast as the machine goes",
    ),  # fmt: skip
    SEED,
]

SEQUENCE_PARAMS = [IntParam("n_samples", 8, min=1, max=30, label="Invented words per model")]
ATTENTION_PARAMS = [TextParam("word", "learning", max_chars=40, label="Word")]
CONTEXT_PARAMS = [
    IntParam("n_words", 400, min=10, max=400, label="Validation words"),
    IntParam("max_context", 10, min=1, max=11, label="Longest context"),
]
