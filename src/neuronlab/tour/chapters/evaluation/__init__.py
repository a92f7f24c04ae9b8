"""Stop 9, evaluation: metrics that reflect the real goal, and a test set kept untouched.

Accuracy's trap on a rare class from UCI Adult, precision / recall / F1 and the confusion matrix,
ROC and precision-recall curves under a threshold slider with the costs of the two mistakes,
MAE against RMSE with outliers, and the optimism of tuning on the test set, measured.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from .claims import CLAIMS
from .experiments import accuracy_trap, regression_errors, thresholds
from .live import untouched_test
from .params import REGRESSION_PARAMS, THRESHOLD_PARAMS, TRAP_PARAMS, UNTOUCHED_PARAMS

EXPERIMENTS = [
    Experiment(
        "accuracy_trap", "Always 'no' against a trained model", TRAP_PARAMS, run=accuracy_trap
    ),
    Experiment(
        "thresholds",
        "ROC and precision-recall curves, a threshold and its costs",
        THRESHOLD_PARAMS,
        run=thresholds,
    ),
    Experiment(
        "regression", "MAE and RMSE with outliers", REGRESSION_PARAMS, run=regression_errors
    ),
    Experiment(
        "untouched_test",
        "Tuning on the test set against a validation set",
        UNTOUCHED_PARAMS,
        stream=untouched_test,
        max_steps=2000,
        max_seconds=300,
    ),
]

CHAPTER = Chapter(
    id="evaluation",
    title="Evaluation",
    summary="Accuracy hides a rare class; precision, recall, ROC and PR curves and the cost of "
    "each mistake tell the truth; MAE and RMSE weigh outliers differently; a test set used for "
    "tuning flatters the model.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep("accuracy_trap", widget="accuracy-trap"),
        TourStep("thresholds", widget="thresholds"),
        TourStep(
            "thresholds",
            {"cost_fn": 20.0},
            widget="thresholds",
            caption="A missed positive now costs 20 false alarms",
        ),
        TourStep(
            "regression",
            {"shifts": [300.0, -250.0, 0.0, 0.0, 0.0]},
            widget="regression",
            caption="Two true values moved far away",
        ),
        TourStep("untouched_test", widget="untouched-test", every=1000),
    ],
    folder=Path(__file__).parent,
)
