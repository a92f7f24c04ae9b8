"""The base class of every primitive op, and the table that registers them.

A primitive op is a class with ``forward`` and ``backward`` side by side:

* ``forward(*arrays, **options)`` computes the output array from the input arrays and keeps on
  ``self`` whatever backward will need (the cheaper of input or output).
* ``backward(dout)`` receives the gradient of the final result with respect to this op's output and
  returns one gradient per input (``None`` where an input needs none). It must never modify ``dout``
  in place: the same array may be handed to other ops too.

``Op.apply(*tensors, **options)`` runs forward and, when gradients are being recorded and some input
requires one, links the output to this op so that ``backward()`` can find its way back.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any, ClassVar

from . import grad_mode
from .backend import ndarray, xp

#: Every primitive op, by name. Tests iterate over it; the tour lists it.
REGISTRY: dict[str, type[Function]] = {}


def register(cls: type[Function]) -> type[Function]:
    """Class decorator: add a primitive op to :data:`REGISTRY` under ``cls.name``."""
    if cls.name in REGISTRY:
        raise RuntimeError(f"an op named {cls.name!r} is registered twice")
    REGISTRY[cls.name] = cls
    return cls


class Function:
    """A primitive op: one node of the computation graph.

    After ``apply`` has recorded it, ``parents`` holds the input tensors. ``backward()`` releases
    the saved arrays (unless asked to retain the graph), after which ``parents`` is ``None``.
    """

    name: ClassVar[str] = "function"
    parents: tuple | None
    seq: int  # when it was recorded: backward visits newer nodes before older ones

    def forward(self, *arrays, **options):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def needs_grad(self, i: int) -> bool:
        """Whether input ``i`` wants a gradient (skip computing it when not)."""
        return self.parents[i].requires_grad

    def describe(self) -> str:
        """A short label for graph pictures, such as ``matmul`` or ``sum(axis=1)``."""
        return self.name

    def explain_error(self, shapes, error: Exception) -> str | None:
        """A friendly message for a forward failure, or None to keep the original error."""
        return None

    def release(self) -> None:
        """Drop the saved arrays and the links to the inputs, so their memory can be freed (the
        node keeps its number, so a second backward can say the graph was freed)."""
        saved = self.__dict__
        seq = saved.get("seq", -1)
        saved.clear()
        saved["parents"], saved["seq"] = None, seq

    @classmethod
    def apply(cls, *inputs, **options):
        op = object.__new__(cls)
        try:
            if len(inputs) == 1:  # the usual cases, without building a list
                out = op.forward(inputs[0].data, **options)
            elif len(inputs) == 2:
                out = op.forward(inputs[0].data, inputs[1].data, **options)
            elif len(inputs) == 3:
                out = op.forward(inputs[0].data, inputs[1].data, inputs[2].data, **options)
            else:
                out = op.forward(*[t.data for t in inputs], **options)
        except (ValueError, TypeError) as exc:
            message = op.explain_error([t.data.shape for t in inputs], exc)
            if message is None:
                raise
            raise type(exc)(message) from None
        if out.__class__ is not ndarray:  # NumPy gives scalars for 0-d results
            out = xp.asarray(out)
        if grad_mode.state.enabled:
            for t in inputs:
                if t.requires_grad:
                    op.parents = inputs
                    op.seq = _next_seq()
                    return _make_tensor(out, True, op)
        return _make_tensor(out, False, None)


_next_seq = count().__next__


def _no_tensor_factory(data, requires_grad, op):
    raise RuntimeError(
        "Function.apply · expected a tensor factory registered by neuronlab.engine.tensor · none "
        "was · import neuronlab (or neuronlab.engine) before applying an op"
    )


_make_tensor: Callable[[Any, bool, Function | None], Any] = _no_tensor_factory


def register_tensor_factory(make: Callable[[Any, bool, Function | None], Any]) -> None:
    """Tell ``Function.apply`` how to wrap every op's result: ``make(data, requires_grad, op)``.

    The hook between the ops and ``Tensor``: ``tensor.py`` defines ``Tensor``, whose methods call
    the ops, so the ops cannot import it; instead ``tensor.py`` registers its factory here once,
    when it is imported (``import neuronlab`` does it). ``op`` is the Function that made the
    result when it needs a gradient (the autograd graph's edge), else ``None``.
    """
    global _make_tensor
    _make_tensor = make


def shapes_text(shapes) -> str:
    """``(3, 4) and (5,)`` for two shapes; comma-separated for more."""
    parts = [str(tuple(s)) for s in shapes]
    return " and ".join(parts) if len(parts) == 2 else ", ".join(parts)
