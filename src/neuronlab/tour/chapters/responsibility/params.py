"""The responsibility stop's parameter schemas (validated by ``neuronlab.tour.schema``)."""

from __future__ import annotations

from neuronlab.responsible import CONSTRAINTS

from ...schema import ChoiceParam, FloatParam, IntParam

SEED = IntParam("seed", 0, min=0, max=10_000, label="Seed")
EPOCHS = IntParam(
    "epochs",
    3,
    min=1,
    max=20,
    label="Training epochs",
    help="Epochs of the audited MLP over the 24,000 fitting rows",
)

DATA_AUDIT_PARAMS = [SEED]
BIAS_PARAMS = [EPOCHS, SEED]
MITIGATION_PARAMS = [
    ChoiceParam(
        "constraint",
        "demographic_parity",
        choices=list(CONSTRAINTS),
        label="Constraint",
        help="Equal selection rates, or equal true positive rates",
    ),
    FloatParam(
        "tolerance",
        0.02,
        min=0.0,
        max=1.0,
        label="Tolerance",
        help="How far apart the groups' rates may stay (1: no constraint)",
    ),
    EPOCHS,
    SEED,
]
PRIVACY_PARAMS = [
    IntParam(
        "n_members",
        1000,
        min=100,
        max=5000,
        label="Training rows",
        help="The members: the rows every model trains on",
    ),
    IntParam("epochs", 20, min=1, max=60, label="Epochs"),
    FloatParam(
        "max_grad_norm",
        1.0,
        min=0.05,
        max=10.0,
        log=True,
        label="Clipping norm C",
        help="Each example's gradient is scaled down to at most this norm",
    ),
    IntParam(
        "delta_exp",
        5,
        min=3,
        max=9,
        label="delta = 10^-k",
        help="The small probability with which the guarantee may fail",
    ),
    SEED,
]
