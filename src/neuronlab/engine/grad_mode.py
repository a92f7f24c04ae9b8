"""Whether operations are being recorded for backpropagation: ``no_grad`` and ``enable_grad``.

The switch is per thread (like PyTorch's), so a web worker that trains does not affect another that
only evaluates.
"""

from __future__ import annotations

import functools
import threading


class _GradMode(threading.local):
    enabled = True


state = _GradMode()


def is_grad_enabled() -> bool:
    """True while operations are recorded for backward."""
    return state.enabled


class _SetGradMode:
    """Context manager and decorator that sets grad mode and restores the previous one on exit."""

    mode = True

    def __new__(cls, func=None):
        instance = super().__new__(cls)
        if func is not None:  # used as @no_grad without parentheses
            if not callable(func):
                raise TypeError(f"{cls.__name__}() takes no arguments, got {func!r}")
            return instance(func)
        return instance

    def __init__(self, func=None):
        pass

    def __enter__(self):
        self._previous = state.enabled
        state.enabled = self.mode
        return self

    def __exit__(self, *exc_info):
        state.enabled = self._previous
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return func(*args, **kwargs)

        return wrapper


class no_grad(_SetGradMode):  # noqa: N801 - PyTorch's name
    """Record nothing inside this block: outputs do not require grad and no graph is kept.

    Use it for evaluation and for parameter updates. Works as ``with no_grad():`` or ``@no_grad()``.

    >>> import neuronlab as nl
    >>> w = nl.ones(2, requires_grad=True)
    >>> with nl.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    mode = False


class enable_grad(_SetGradMode):  # noqa: N801 - PyTorch's name
    """Record operations again inside a ``no_grad`` block."""

    mode = True
