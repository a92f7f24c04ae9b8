"""Stop 10, responsibility: audit the data and the model for bias, mitigate it, and train with
differential privacy.

UCI Adult, the tour's MLP trained with the ``Trainer``, ``neuronlab.responsible`` for the group
metrics (Fairlearn's definitions), group thresholds as the mitigation, DP-SGD with an RDP
accountant (Opacus's numbers), and a membership-inference attack that measures the leak.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from .claims import CLAIMS
from .experiments import bias_audit, data_audit, mitigation
from .live import privacy
from .params import BIAS_PARAMS, DATA_AUDIT_PARAMS, MITIGATION_PARAMS, PRIVACY_PARAMS

EXPERIMENTS = [
    Experiment(
        "data_audit",
        "Audit the data: groups, base rates, missing values, proxies",
        DATA_AUDIT_PARAMS,
        run=data_audit,
    ),
    Experiment("bias_audit", "Audit the model by sex and race", BIAS_PARAMS, run=bias_audit),
    Experiment(
        "mitigation", "Group thresholds: parity against accuracy", MITIGATION_PARAMS, run=mitigation
    ),
    Experiment(
        "privacy",
        "DP-SGD at several epsilons, and a membership attack",
        PRIVACY_PARAMS,
        stream=privacy,
        max_steps=2000,
        max_seconds=300,
    ),
]

CHAPTER = Chapter(
    id="responsibility",
    title="Responsibility",
    summary="A bias audit of a model trained on UCI Adult, with the data's base rates beside "
    "it; a mitigation and its price in accuracy; differential privacy with its price, and a "
    "membership attack that shows what it buys.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep("data_audit", widget="data-audit"),
        TourStep("bias_audit", widget="bias-audit"),
        TourStep("mitigation", widget="mitigation"),
        TourStep(
            "mitigation",
            {"constraint": "equal_opportunity"},
            widget="mitigation",
            caption="The same thresholds idea for equal true positive rates",
        ),
        TourStep("privacy", widget="privacy", every=1000),
    ],
    folder=Path(__file__).parent,
)
