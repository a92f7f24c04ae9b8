"""The engine: tensors with reverse-mode automatic differentiation, on NumPy.

Reading order: ``backend`` (the array module), ``function`` (what an op is), ``ops/`` (the
primitives, forward beside backward), ``unbroadcast``, ``autograd`` (backward), ``tensor``
(with the rest of PyTorch's tensor methods in ``tensor_math``, ``tensor_select`` and
``tensor_views``, composed from the primitives), ``creation``, ``functions``, ``gradcheck``,
``graph``.
"""

from .autograd import backward, topological_order
from .backend import xp
from .creation import (
    arange,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from .function import REGISTRY, Function, register
from .functions import cat, concatenate, einsum, maximum, minimum, stack, where
from .grad_mode import enable_grad, is_grad_enabled, no_grad
from .gradcheck import GradcheckError, gradcheck, numerical_gradients
from .random import default_generator, manual_seed
from .tensor import Tensor
from .unbroadcast import unbroadcast

__all__ = [
    "REGISTRY", "Function", "GradcheckError", "Tensor", "arange", "backward", "cat",
    "concatenate", "default_generator", "einsum", "enable_grad", "eye", "from_numpy", "full",
    "full_like",
    "gradcheck", "is_grad_enabled", "linspace", "manual_seed", "maximum", "minimum", "no_grad",
    "numerical_gradients", "ones", "ones_like", "rand", "rand_like", "randint", "randn",
    "randn_like", "register", "stack", "tensor", "topological_order", "unbroadcast", "where",
    "xp", "zeros", "zeros_like",
]
