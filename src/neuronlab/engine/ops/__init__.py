"""The primitive ops, one class each, all registered in ``neuronlab.engine.function.REGISTRY``.

Grouped by kind: element-wise (``elementwise``), reductions (``reduce``), shape and indexing
(``shape``), matrix products (``matrix``) and the fused, numerically stable fast paths for
softmax and the classification losses (``fused``). Everything else in the engine is composed
from these.
"""

from . import elementwise, fused, matrix, reduce, shape  # noqa: F401 - importing registers the ops
