"""The evaluation stop's parameter schemas (validated centrally by ``neuronlab.tour.schema``)."""

from __future__ import annotations

from ...schema import FloatParam, IntParam, ListParam
from .experiments import OUTLIER_ROWS

SEED = IntParam("seed", 0, min=0, max=10_000, label="Seed")
EPOCHS = IntParam(
    "epochs",
    6,
    min=1,
    max=40,
    label="Training epochs",
    help="Epochs of the MLP that scores the test rows",
)

TRAP_PARAMS = [EPOCHS, SEED]

THRESHOLD_PARAMS = [
    FloatParam(
        "cost_fp",
        1.0,
        min=0.1,
        max=50.0,
        label="Cost of a false positive",
        log=True,
        help="What it costs to flag someone who does not earn above $50K",
    ),
    FloatParam(
        "cost_fn",
        5.0,
        min=0.1,
        max=50.0,
        label="Cost of a false negative",
        log=True,
        help="What it costs to miss someone who does",
    ),
    EPOCHS,
    SEED,
]

REGRESSION_PARAMS = [
    ListParam(
        "shifts",
        [0.0] * OUTLIER_ROWS,
        item=FloatParam("shift", 0.0, min=-400.0, max=400.0),
        min_len=0,
        max_len=OUTLIER_ROWS,
        label="Outliers",
        help="How far each outlier's true value was moved",
    ),
]

UNTOUCHED_PARAMS = [
    IntParam("repeats", 8, min=1, max=20, label="Repeats", help="New random splits"),
    IntParam("n_train", 300, min=50, max=3000, label="Training rows"),
    IntParam("n_val", 100, min=20, max=2000, label="Validation rows"),
    IntParam("n_test", 100, min=20, max=2000, label="Test rows"),
    IntParam("epochs", 10, min=1, max=40, label="Epochs per model"),
    SEED,
]
