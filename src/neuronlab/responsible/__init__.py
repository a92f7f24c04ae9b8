"""Responsible machine learning: group fairness metrics, one mitigation, and differential privacy.

Fairness (Fairlearn's names, signatures and numbers, plain dicts instead of pandas):
:func:`selection_rate`, the group rates (:func:`true_positive_rate` ...), :class:`MetricFrame`,
:func:`demographic_parity_difference` / ``_ratio``, :func:`equalized_odds_difference` /
``_ratio``, :func:`equal_opportunity_difference` / ``_ratio``; mitigation by group-specific
thresholds, :class:`GroupThresholds`.

Differential privacy (Abadi et al. 2016, Opacus's numbers): :func:`make_private` turns a model,
an optimizer and a data set into DP-SGD (Poisson sampling, per-example clipping, Gaussian noise)
that trains with the ordinary :class:`~neuronlab.train.Trainer`; :class:`RDPAccountant` and
:func:`get_noise_multiplier` count the privacy spent.
"""

from .accountant import DEFAULT_ALPHAS, RDPAccountant, compute_rdp, get_noise_multiplier
from .disparities import (
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
)
from .dp_sgd import DPOptimizer, PerExampleGrads, PoissonLoader, make_private
from .metric_frame import MetricFrame
from .rates import (
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from .thresholds import CONSTRAINTS, GroupThresholds

__all__ = [
    "CONSTRAINTS",
    "DEFAULT_ALPHAS",
    "DPOptimizer",
    "GroupThresholds",
    "MetricFrame",
    "PerExampleGrads",
    "PoissonLoader",
    "RDPAccountant",
    "compute_rdp",
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "false_negative_rate",
    "false_positive_rate",
    "get_noise_multiplier",
    "make_private",
    "selection_rate",
    "true_negative_rate",
    "true_positive_rate",
]
