"""``neuronlab.interpret``: look inside a trained (or untrained) network.

Attributions (Captum's semantics; each takes a model, inputs ``(N, ...)`` and the class to
explain, runs in eval mode without changing the model, and returns NumPy arrays):

* ``saliency``, ``smoothgrad``: gradients of the class score with respect to the input.
* ``integrated_gradients``: gradients summed along a path from a baseline; they add up to the
  change of the score (``return_delta`` gives the gap).
* ``occlusion``: the score's drop when a sliding patch is hidden.
* ``grad_cam`` (+ ``upsample_to``): which regions of a conv layer's maps matter for the class.

Features: ``feature_maps`` (forward hooks), ``activation_maximization`` (an input that excites a
filter or a class), ``top_activating`` (the examples that excite it most).

Limits: ``randomization_check`` (Adebayo et al.'s sanity check, with ``spearman``).

Training diagnostics: ``gradient_flow`` measures the gradient that reaches each layer.

>>> import neuronlab as nl
>>> from neuronlab.interpret import gradient_norms
>>> model = nl.nn.Sequential(nl.nn.Linear(2, 3), nl.nn.Tanh(), nl.nn.Linear(3, 2))
>>> norms = gradient_norms(model, nl.nn.CrossEntropyLoss(), nl.ones(4, 2), [0, 1, 0, 1])
>>> [name for name, _ in norms]
['0', '2']

See ``docs/interpret.md`` for the formulas and what each method can and cannot tell.
"""

from .features import activation_maximization, feature_maps, gaussian_blur, top_activating
from .gradcam import grad_cam, upsample_to
from .gradient_flow import (
    GradientFlowReport,
    format_gradient_flow,
    gradient_flow_report,
    gradient_norms,
)
from .gradients import saliency, smoothgrad
from .integrated import METHODS, integrated_gradients, path_rule
from .occlusion import occlusion
from .sanity import RandomizationCheck, randomization_check, spearman, weight_layers

__all__ = [
    "METHODS",
    "GradientFlowReport",
    "RandomizationCheck",
    "activation_maximization",
    "feature_maps",
    "format_gradient_flow",
    "gaussian_blur",
    "grad_cam",
    "gradient_flow_report",
    "gradient_norms",
    "integrated_gradients",
    "occlusion",
    "path_rule",
    "randomization_check",
    "saliency",
    "smoothgrad",
    "spearman",
    "top_activating",
    "upsample_to",
    "weight_layers",
]
