"""The playground's parameters: their limits and schemas, the one place each default lives.

Each parameter alone is validated by the tour's schema (``neuronlab.tour.schema``); the rules
that tie several together are in ``config.py``, which builds the run's configuration from these
defaults. Names are the URL keys, so they stay short. ``live=True`` marks what a running net
accepts without a reset, as in the Playground: learning rate, regularization, batch size and the
early stop. Everything else (data, features, architecture, dropout, optimizer, seed) changes the
network or its data and starts a new run.
"""

from __future__ import annotations

from ....models.features import FEATURES as FEATURE_FUNCS
from ...schema import BoolParam, ChoiceParam, FloatParam, IntParam, ListParam, TextParam

CLASSIFICATION_SETS = ("circle", "xor", "gaussian", "spiral", "moons")
REGRESSION_SETS = ("plane", "multi_gaussian")
DATASETS = (*CLASSIFICATION_SETS, *REGRESSION_SETS, "custom")
MULTICLASS_SETS = ("gaussian", "spiral")  # the generators that can make more than 2 classes
FEATURES = tuple(FEATURE_FUNCS)  # x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1sq": "x₁²",
    "x2sq": "x₂²",
    "x1x2": "x₁x₂",
    "sinx1": "sin(x₁)",
    "sinx2": "sin(x₂)",
}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "leaky_relu")
OPTIMIZERS = ("sgd", "momentum", "adam")
REGULARIZATIONS = ("none", "l1", "l2")
PROBLEMS = ("classification", "regression")

MAX_LAYERS = 8
MAX_NEURONS = 10
MAX_CLASSES = 6
MAX_POINTS = 2000  # user points (clicked or uploaded) in one data set
MAX_SAMPLES = 2000
MAX_CSV_BYTES = 256 * 1024
DOMAIN = 6.0  # the plane shown is [-6, 6] x [-6, 6]

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
    IntParam(
        "val_fraction",
        20,
        min=0,
        max=50,
        label="Validation share",
        help="Percent of the training share held out to choose when to stop (early stopping "
        "watches its loss); the test points are only looked at",
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
        help="Fraction of hidden units dropped at each training step",
    ),
    BoolParam(
        "early_stop",
        False,
        label="Early stop",
        live=True,
        help="Stop when the validation loss has not improved for 'patience' epochs, and put "
        "back the best weights",
    ),
    IntParam(
        "stop_after",
        0,
        min=0,
        max=1_000_000,
        label="Stop after (steps)",
        help="End the run after this many steps; 0 trains until you pause or leave",
    ),
    IntParam(
        "patience",
        20,
        min=1,
        max=1000,
        label="Patience (epochs)",
        live=True,
        help="Epochs without a better validation loss before early stopping ends the run",
    ),
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
