"""``neuronlab.interpret``: look inside a trained (or untrained) network.

``gradient_flow`` measures the gradient that reaches each layer (the depth chapter's tool).

>>> import neuronlab as nl
>>> from neuronlab.interpret import gradient_norms
>>> model = nl.nn.Sequential(nl.nn.Linear(2, 3), nl.nn.Tanh(), nl.nn.Linear(3, 2))
>>> norms = gradient_norms(model, nl.nn.CrossEntropyLoss(), nl.ones(4, 2), [0, 1, 0, 1])
>>> [name for name, _ in norms]
['0', '2']
"""

from .gradient_flow import (
    GradientFlowReport,
    format_gradient_flow,
    gradient_flow_report,
    gradient_norms,
)

__all__ = [
    "GradientFlowReport",
    "format_gradient_flow",
    "gradient_flow_report",
    "gradient_norms",
]
