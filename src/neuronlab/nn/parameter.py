"""``Parameter``: a tensor that a ``Module`` learns.

A parameter is an ordinary leaf ``Tensor`` that requires grad. The subclass exists so that a
``Module`` can tell learnable state from everything else: assigning a ``Parameter`` as an
attribute (``self.weight = Parameter(...)``) registers it, and ``module.parameters()`` hands it
to the optimizer. Results of ops on a parameter are plain tensors.
"""

from __future__ import annotations

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, FLOAT_DTYPES, as_dtype
from ..engine.tensor import Tensor


def _parameter_array(data, dtype) -> np.ndarray:
    """The array a parameter holds: float32, unless float64 is given (by array or dtype)."""
    if data is None:
        data = np.empty(0, dtype=DEFAULT_FLOAT)
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=as_dtype(dtype))
    array = np.asarray(data)
    if array.dtype.kind == "f" and array.dtype not in FLOAT_DTYPES:
        return array.astype(DEFAULT_FLOAT)  # float16 and friends
    if array.dtype.kind == "f" and not isinstance(data, np.ndarray):
        return array.astype(DEFAULT_FLOAT)  # Python floats and lists: float32, as in tensor()
    return array


class Parameter(Tensor):
    """A leaf tensor that requires grad and is registered by the ``Module`` it is assigned to.

    ``data`` is an array, a list or a ``Tensor``; arrays and tensors are held without copying (as
    in PyTorch). Floating data is float32 unless a float64 array or ``dtype='float64'`` is given.

    >>> import neuronlab as nl
    >>> w = nl.nn.Parameter([[1.0, 2.0]])
    >>> w.requires_grad, w.is_leaf, w.dtype
    (True, True, dtype('float32'))
    >>> w
    Parameter containing:
    tensor([[1., 2.]], requires_grad=True)
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad: bool = True, dtype=None):
        array = _parameter_array(data, dtype)
        # Tensor.__init__ sets up the bookkeeping of a leaf; it would copy ``array`` (or make a
        # float64 array float32), so the array itself is put in afterwards.
        super().__init__(0.0)
        self.data = array
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
