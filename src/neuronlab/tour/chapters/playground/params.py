"""The playground's parameter schemas (validated centrally by ``neuronlab.tour.schema``).

Names are the URL keys, so they stay short. ``live=True`` marks what a running net accepts
without a reset, as in the Playground: learning rate, regularization, dropout, batch size and the
early stop. Everything else (data, features, architecture, optimizer, seed) starts a new run.
"""

from __future__ import annotations

from ...schema import BoolParam, ChoiceParam, FloatParam, IntParam, ListParam, TextParam
from .config import (
    ACTIVATIONS,
    DATASETS,
    DOMAIN,
    FEATURES,
    MAX_CLASSES,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_POINTS,
    MAX_SAMPLES,
    OPTIMIZERS,
    PROBLEMS,
    REGULARIZATIONS,
)
from .data import MAX_CSV_BYTES

SEED = IntParam(
    "seed", 1, min=0, max=999_999, label="Seed", help="Same seed, same data and same start"
)

DATA_PARAMS = [
    SEED,
    ChoiceParam("problem", "classification", choices=list(PROBLEMS), label="Problem type"),
    ChoiceParam(
        "dataset",
        "circle",
        choices=list(DATASETS),
        label="Data set",
        help="circle, xor, gaussian, spiral, moons classify; plane and multi_gaussian "
        "are regression; custom is your own points",
    ),
    IntParam(
        "classes",
        2,
        min=2,
        max=MAX_CLASSES,
        label="Classes",
        help="More than two for gaussian, spiral and your own data",
    ),
    IntParam("noise", 0, min=0, max=50, label="Noise", help="Percent"),
    IntParam(
        "train_ratio", 50, min=10, max=90, label="Training data", help="Percent used for training"
    ),
    IntParam("n_samples", 400, min=20, max=MAX_SAMPLES, label="Points"),
    ListParam(
        "features",
        ["x1", "x2"],
        item=ChoiceParam("feature", "x1", choices=list(FEATURES)),
        min_len=1,
        max_len=len(FEATURES),
        label="Input features",
    ),
    ListParam(
        "points",
        [],
        item=ListParam(
            "point",
            [0.0, 0.0, 0.0],
            item=FloatParam("value", 0.0, min=-DOMAIN, max=DOMAIN),
            min_len=3,
            max_len=3,
        ),
        max_len=MAX_POINTS,
        label="Your points",
        help="[x1, x2, label] rows, added by clicking or from a CSV",
    ),
]

NET_PARAMS = [
    ListParam(
        "layers",
        [4, 2],
        item=IntParam("neurons", 4, min=1, max=MAX_NEURONS),
        max_len=MAX_LAYERS,
        label="Hidden layers",
        help="Neurons in each hidden layer",
    ),
    ListParam(
        "activations",
        ["tanh", "tanh"],
        item=ChoiceParam("activation", "tanh", choices=list(ACTIVATIONS)),
        max_len=MAX_LAYERS,
        label="Activations",
        help="One per hidden layer",
    ),
    ChoiceParam("optimizer", "sgd", choices=list(OPTIMIZERS), label="Optimizer"),
    FloatParam(
        "learning_rate", 0.03, min=1e-5, max=10.0, label="Learning rate", live=True, log=True
    ),
    IntParam("batch_size", 10, min=1, max=100, label="Batch size", live=True),
    ChoiceParam(
        "regularization", "none", choices=list(REGULARIZATIONS), label="Regularization", live=True
    ),
    FloatParam("reg_rate", 0.0, min=0.0, max=10.0, label="Regularization rate", live=True),
    FloatParam(
        "dropout",
        0.0,
        min=0.0,
        max=0.9,
        label="Dropout",
        live=True,
        help="Fraction of hidden units dropped at each training step",
    ),
    BoolParam(
        "early_stop",
        False,
        label="Early stop",
        live=True,
        help="Stop when the test loss has not improved for 'patience' epochs",
    ),
    IntParam(
        "stop_after",
        0,
        min=0,
        max=1_000_000,
        label="Stop after (steps)",
        help="End the run after this many steps; 0 trains until you pause or leave",
    ),
    IntParam("patience", 20, min=1, max=1000, label="Patience (epochs)", live=True),
]

TRAIN_PARAMS = DATA_PARAMS + NET_PARAMS

CSV_PARAMS = [
    TextParam(
        "csv",
        "",
        max_chars=MAX_CSV_BYTES,
        label="CSV text",
        help="Rows of x1,x2,label; an optional header line",
    ),
    ChoiceParam("problem", "classification", choices=list(PROBLEMS), label="Problem type"),
]

SCENARIOS = ("xor", "spiral", "l2", "learning_rate", "multiclass", "regression", "optimizers")

COMPARE_PARAMS = [
    ChoiceParam("scenario", "xor", choices=list(SCENARIOS), label="Comparison"),
    IntParam("steps", 3000, min=10, max=50_000, label="Training steps per model"),
    IntParam("n_samples", 400, min=20, max=MAX_SAMPLES, label="Points"),
    SEED,
]
