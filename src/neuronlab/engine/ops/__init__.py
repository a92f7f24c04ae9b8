"""The primitive ops, one class each, all registered in ``neuronlab.engine.function.REGISTRY``.

Grouped by kind, one module each: element-wise (``elementwise``), reductions (``reduce``), shape
and indexing (``shape``), matrix products (``matrix``), the fused, numerically stable softmax and
classification losses (``fused``), and the layer kernels that later modules add (convolution,
pooling, normalization, recurrent and attention steps). Everything else in the engine is composed
from these. Every module of this package is imported here, which registers its ops.
"""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if not _module.startswith("_"):
        importlib.import_module(f"{__name__}.{_module}")
