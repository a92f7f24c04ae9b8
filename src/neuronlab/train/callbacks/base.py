"""The callback protocol: :class:`Callback`, :class:`TrainingContext` and :class:`CallbackList`.

A callback is an object whose hooks ``fit`` calls at fixed moments, with Keras's names and
signatures::

    on_train_begin(logs)                      once, before the first epoch
      on_epoch_begin(epoch, logs)             epochs count from 0
        on_train_batch_begin(batch, logs)     batches count from 0 in every epoch
        on_train_batch_end(batch, logs)       logs: running 'loss' (and cheap metrics)
      on_test_begin(logs) ... on_test_end(logs)   the validation pass, if any
      on_epoch_end(epoch, logs)               logs: 'loss', metrics, 'val_loss', 'val_<metric>'
    on_train_end(logs)                        once, however training ends (also after Ctrl-C)
    close()                                   always last, even when fit raises an error

``logs`` is a plain dict of floats. A callback may add keys to it in ``on_epoch_end`` (as
:class:`ReduceLROnPlateau` adds ``'lr'``); :class:`History`, attached last, records them.

To stop training, a callback sets ``self.context.stop_training = True``. Keras writes
``self.model.stop_training``; our ``Module`` stays small and grows no training attributes, so the
flag lives on the :class:`TrainingContext` that ``fit`` gives every callback (with the model,
the optimizer and the run's parameters). ``fit`` checks it after every batch and every epoch.

>>> class Counter(Callback):
...     def on_train_begin(self, logs=None):
...         self.batches = 0
...     def on_train_batch_end(self, batch, logs=None):
...         self.batches += 1
...         if self.batches == 3:
...             self.context.stop_training = True
>>> counter = Counter()
>>> callbacks = CallbackList([counter], TrainingContext(model=None, optimizer=None))
>>> callbacks.on_train_begin({})
>>> for batch in range(5):
...     callbacks.on_train_batch_end(batch, {"loss": 0.5})
>>> counter.batches, callbacks.context.stop_training
(5, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Callback", "CallbackList", "LambdaCallback", "TrainingContext"]

Logs = dict[str, float]

HOOKS = (
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
    "on_test_batch_begin", "on_test_batch_end",
)  # fmt: skip


@dataclass
class TrainingContext:
    """What callbacks can see and change during one ``fit`` call.

    Attributes:
        model: the model being trained.
        optimizer: its optimizer (callbacks such as :class:`ReduceLROnPlateau` change its lrs).
        params: the run's settings: ``epochs``, ``steps`` (batches per epoch), ``verbose``,
            ``metrics`` (the log keys at the end of an epoch), ``do_validation``.
        stop_training: set it to True to end training after the current batch.
        interrupted: True once Ctrl-C (``KeyboardInterrupt``) ended the run.
        epoch, step: where training is (the current epoch and batch, from 0).
        history: the run's :class:`History` (it records an epoch after the other callbacks).
    """

    model: Any
    optimizer: Any
    params: dict[str, Any] = field(default_factory=dict)
    stop_training: bool = False
    interrupted: bool = False
    epoch: int = 0
    step: int = 0
    history: Any = None


class Callback:
    """Base class of callbacks: every hook exists and does nothing; override the ones you need.

    ``fit`` calls ``set_context``, ``set_model`` and ``set_params`` before ``on_train_begin``, so
    every hook can use ``self.context``, ``self.model``, ``self.optimizer`` and ``self.params``.
    A callback should reset its own state in ``on_train_begin``, so one instance can serve many
    ``fit`` calls.
    """

    context: TrainingContext | None = None
    model: Any = None
    params: dict[str, Any] = {}  # replaced, never mutated, by set_params

    def set_context(self, context: TrainingContext) -> None:
        self.context = context

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    @property
    def optimizer(self) -> Any:
        """The optimizer of the current run (``None`` outside ``fit``)."""
        return None if self.context is None else self.context.optimizer

    def on_train_begin(self, logs: Logs | None = None) -> None: ...
    def on_train_end(self, logs: Logs | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None: ...
    def on_train_batch_begin(self, batch: int, logs: Logs | None = None) -> None: ...
    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None: ...
    def on_test_begin(self, logs: Logs | None = None) -> None: ...
    def on_test_end(self, logs: Logs | None = None) -> None: ...
    def on_test_batch_begin(self, batch: int, logs: Logs | None = None) -> None: ...
    def on_test_batch_end(self, batch: int, logs: Logs | None = None) -> None: ...

    def close(self) -> None:
        """Release what the callback holds (files, live displays). Called last, always."""


class LambdaCallback(Callback):
    """A callback made of plain functions, one per hook (Keras's ``LambdaCallback``).

    Each argument is a function with the hook's signature, e.g.
    ``on_epoch_end=lambda epoch, logs: ...``; hooks not given do nothing.

    >>> seen = []
    >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, logs["loss"])))
    >>> cb.on_epoch_end(0, {"loss": 0.25}); cb.on_epoch_begin(1, {})
    >>> seen
    [(0, 0.25)]
    """

    def __init__(self, **hooks: Callable[..., Any] | None) -> None:
        for name, function in hooks.items():
            if name not in HOOKS:
                raise TypeError(
                    f"LambdaCallback · expected hook names such as on_epoch_end · got {name!r} "
                    f"· use one of: {', '.join(HOOKS)}"
                )
            if function is not None and not callable(function):
                raise TypeError(
                    f"LambdaCallback({name}=...) · expected a function · got "
                    f"{type(function).__name__} · pass e.g. {name}=lambda *args: print(args)"
                )
            if function is not None:
                setattr(self, name, function)


class CallbackList:
    """Calls one hook on every callback in order; ``fit`` uses it, callbacks rarely need it.

    It hands every callback the context, the model and ``params`` on creation, and calls
    ``close()`` on all of them in :meth:`close` (also when used as a context manager).
    """

    def __init__(self, callbacks: Iterable[Callback], context: TrainingContext) -> None:
        self.callbacks = list(callbacks)
        self.context = context
        self._listening: dict[str, list[Callback]] = {}  # hook -> the callbacks that use it
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"fit(callbacks=...) · expected Callback instances · got "
                    f"{type(callback).__name__} {callback!r:.60} · subclass "
                    "neuronlab.train.Callback, or wrap functions in LambdaCallback(...)"
                )
            callback.set_context(context)
            callback.set_model(context.model)
            callback.set_params(context.params)

    def add(self, callback: Callback) -> None:
        """Join a running loop: set up as at creation, then ``on_train_begin``."""
        CallbackList([callback], self.context)  # the same checks and setup as at creation
        callback.on_train_begin({})
        self.callbacks.insert(len(self.callbacks) - self._trailing(), callback)
        self._listening.clear()

    def remove(self, callback: Callback) -> None:
        """Leave a running loop (a callback not in the list is ignored)."""
        self.callbacks = [c for c in self.callbacks if c is not callback]
        self._listening.clear()

    def _trailing(self) -> int:
        """How many History callbacks end the list: a joining callback goes before them, so the
        History still records what it adds to the logs."""
        from .history import History

        n = 0
        for c in reversed(self.callbacks):
            if not isinstance(c, History):
                break
            n += 1
        return n

    def _call(self, hook: str, *args: Any) -> None:
        listening = self._listening.get(hook)
        if listening is None:  # skip the callbacks whose hook is the base class's no-op
            base = getattr(Callback, hook)
            listening = self._listening[hook] = [
                c for c in self.callbacks if getattr(getattr(c, hook), "__func__", None) is not base
            ]
        for callback in listening:
            getattr(callback, hook)(*args)

    def on_train_begin(self, logs: Logs) -> None:
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: Logs) -> None:
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch: int, logs: Logs) -> None:
        self.context.epoch = epoch
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch: int, logs: Logs) -> None:
        self.context.step = batch
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: Logs) -> None:
        self._call("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs: Logs) -> None:
        self._call("on_test_begin", logs)

    def on_test_end(self, logs: Logs) -> None:
        self._call("on_test_end", logs)

    def on_test_batch_begin(self, batch: int, logs: Logs) -> None:
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs) -> None:
        self._call("on_test_batch_end", batch, logs)

    def close(self) -> None:
        """Call ``close()`` on every callback, even if one of them fails."""
        errors = []
        for callback in self.callbacks:
            try:
                callback.close()
            except Exception as exc:  # close the others, then report the first failure
                errors.append(exc)
        if errors:
            raise errors[0]

    def __enter__(self) -> CallbackList:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
