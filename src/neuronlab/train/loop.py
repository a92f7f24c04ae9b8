"""``fit``, ``evaluate`` and ``predict``: the training loop, written once, in plain sight.

Everything ``fit`` does beyond the five lines of a training step (forward, loss, zero_grad,
backward, step) happens in callbacks, so the loop stays short enough to read on one screen.
Helpers live next door: ``_data`` (what counts as data), ``_metrics`` (metric names to numbers),
``_interrupt`` (Ctrl-C never cuts a step in half), ``callbacks/``.

>>> import numpy as np, neuronlab as nl
>>> from neuronlab.train import fit, evaluate, predict
>>> _ = nl.manual_seed(0)
>>> X = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
>>> y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
>>> model = nl.nn.Linear(2, 2)
>>> history = fit(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=0.5),
...               (X, y), epochs=5, metrics=["accuracy"], seed=0, verbose=False)
>>> history.history["accuracy"][-1] > 0.9, evaluate(model, nl.nn.CrossEntropyLoss(), (X, y),
...     metrics=["accuracy"])["accuracy"] > 0.9, predict(model, X).shape
(True, True, (64, 2))
"""

from __future__ import annotations

import itertools
import sys
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import Tensor, manual_seed, no_grad
from ..optim import lr_scheduler
from ._data import as_loader, check_positive_int, feature_batches, model_mode, pairs
from ._interrupt import InterruptGuard
from ._metrics import Tracker, make_trackers
from .callbacks import Callback, CallbackList, History, ProgressBar, TrainingContext
from .callbacks.terminate_on_nan import nan_advice

__all__ = ["Step", "Trainer", "evaluate", "fit", "predict"]


@dataclass(frozen=True)
class Step:
    """What one optimizer step of a :class:`Trainer` hands out.

    ``epoch`` and ``batch`` count from 0; ``global_step`` counts every step of the run from 1;
    ``loss`` is this batch's training loss; ``epoch_logs`` is ``None`` except on the step that
    ended an epoch, where it holds that epoch's logs (``loss``, metrics, ``val_...``, ``lr``).
    """

    epoch: int
    batch: int
    global_step: int
    loss: float
    epoch_logs: dict[str, float] | None = None

    @property
    def epoch_ended(self) -> bool:
        return self.epoch_logs is not None


class Trainer:
    """``fit``, one step at a time: the one training loop of neuronlab.

    ``fit(...)`` is ``Trainer(...).run()``. The lab drives the same loop a step or an epoch at a
    time and draws a frame between steps:

    >>> import numpy as np, neuronlab as nl
    >>> X = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    >>> y = (X[:, 0] > 0).astype(np.int64)
    >>> model = nl.nn.Linear(2, 2)
    >>> trainer = Trainer(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(),
    ...                   lr=0.5), (X, y), epochs=None, batch_size=10, seed=0)
    >>> first = trainer.step()                     # one optimizer step
    >>> first.global_step, first.epoch_ended
    (1, False)
    >>> logs = trainer.run_epoch()                 # the rest of epoch 1: its logs
    >>> trainer.global_step, sorted(logs)
    (4, ['loss'])
    >>> for step in trainer:                       # or iterate: a Step after every step
    ...     if step.global_step == 6:
    ...         break
    >>> trainer.stop(); trainer.done               # callbacks get on_train_end
    True

    Args as :func:`fit`, plus ``epochs=None``: train until :meth:`stop` (or a callback such as
    ``EarlyStopping`` ends it). ``verbose`` defaults to False here (no progress bar). Between two
    steps a caller may change ``trainer.loss_fn`` (add a penalty), the optimizer's
    ``param_groups``, ``trainer.train_data.batch_size`` (from the next epoch) and the callbacks
    (:meth:`add_callback`, :meth:`remove_callback`), as the lab's live controls do.
    """

    def __init__(
        self,
        model: Any,
        loss_fn: Any,
        optimizer: Any,
        train: Any,
        val: Any = None,
        *,
        epochs: int | None = 10,
        batch_size: int = 32,
        metrics: Iterable[Any] = (),
        callbacks: Iterable[Callback] = (),
        scheduler: Any = None,
        shuffle: bool = True,
        seed: int | None = None,
        verbose: bool = False,
    ) -> None:
        if epochs is not None:
            epochs = check_positive_int("fit", "epochs", epochs, 10)
        if seed is not None:
            manual_seed(seed)
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.scheduler, self.epochs = scheduler, epochs
        self.train_data, self.val_data = _loaders(train, val, batch_size, shuffle, seed)
        self.tracker, self.val_tracker = make_trackers(metrics, loss_fn, count=2)
        callbacks, self.history = _with_defaults(callbacks, verbose and epochs, scheduler,
                                                 optimizer)  # fmt: skip
        params = _params(epochs, verbose, self.train_data, self.val_data, self.tracker)
        self.context = TrainingContext(model, optimizer, params, history=self.history)
        self.callbacks = CallbackList(callbacks, self.context)
        self.global_step = 0
        self.done = False
        # Ctrl-C is deferred to the end of a step while run() (fit) drives the loop; a caller that
        # steps it (the lab) keeps Python's own Ctrl-C, and an abandoned Trainer holds no handler
        self._interrupts = InterruptGuard()
        self._steps = self._loop()

    def _loop(self) -> Iterator[Step]:
        """The loop itself: every line of ``fit``; a ``yield`` after every optimizer step."""
        model, optimizer, context = self.model, self.optimizer, self.context
        callbacks, interrupts, logs = self.callbacks, self._interrupts, {}
        epochs = range(self.epochs) if self.epochs is not None else itertools.count()
        with callbacks, model_mode(model, training=True):
            try:
                callbacks.on_train_begin(logs)
                for epoch in epochs:
                    callbacks.on_epoch_begin(epoch, {})
                    self.tracker.reset()
                    steps_per_epoch = len(self.train_data)  # batch_size may change between epochs
                    for batch, (x, y) in enumerate(pairs(self.train_data, "fit(train)")):
                        model.training or model.train()  # a caller may have evaluated it
                        callbacks.on_train_batch_begin(batch, {})
                        with interrupts.deferred():  # Ctrl-C waits until the step is complete
                            output = model(Tensor(x))  # forward: the predictions
                            loss = self.loss_fn(output, y)  # one number: how wrong they are
                            optimizer.zero_grad()  # forget the previous step's gradients
                            loss.backward()  # backpropagation: d loss / d every parameter
                            optimizer.step()  # move every parameter a little downhill
                        batch_logs = self.tracker.update(y, output, loss)
                        callbacks.on_train_batch_end(batch, batch_logs)
                        self.global_step += 1
                        last = batch == steps_per_epoch - 1 or context.stop_training
                        logs = self._end_epoch(epoch) if last else None
                        yield Step(epoch, batch, self.global_step, batch_logs["loss"], logs)
                        if context.stop_training:
                            break
                    if context.stop_training:
                        break
            except (KeyboardInterrupt, GeneratorExit) as end:  # Ctrl-C, or stop() between steps
                context.interrupted = isinstance(end, KeyboardInterrupt)
            finally:
                self.done = True
            callbacks.on_train_end(logs or {})

    def _end_epoch(self, epoch: int) -> dict[str, float]:
        """After the last batch: the epoch's logs, validation, the schedule, the callbacks."""
        logs = self.tracker.result()
        _warn_if_not_finite(self.tracker, self.context)
        if self.val_data is not None:
            logs |= _evaluate(self.model, self.loss_fn, self.val_data, self.val_tracker,
                              self.callbacks, "val_")  # fmt: skip
        _step_scheduler(self.scheduler, self.optimizer, logs)
        self.callbacks.on_epoch_end(epoch, logs)
        return logs

    # -- driving the loop ----------------------------------------------------------------------
    def __iter__(self) -> Iterator[Step]:
        return self._steps

    def step(self) -> Step | None:
        """One optimizer step; ``None`` when training has ended."""
        return next(self._steps, None)

    def run_epoch(self) -> dict[str, float] | None:
        """Steps until the current epoch ends; its logs (``None`` if training had ended)."""
        for step in self._steps:
            if step.epoch_ended:
                return step.epoch_logs
        return None

    def run(self) -> History:
        """Train to the end (``epochs``, or until a callback or Ctrl-C stops it)."""
        with self._interrupts:  # Ctrl-C ends training after the current step
            for _ in self._steps:
                pass
        if self.context.interrupted:
            _say_interrupted(self.context, self.history)
        return self.history

    def add_callback(self, callback: Callback) -> None:
        """Attach ``callback`` between two steps (the lab's "early stop" switch does); it gets
        the context, the model and ``on_train_begin`` at once."""
        self.callbacks.add(callback)

    def remove_callback(self, callback: Callback) -> None:
        """Detach ``callback`` between two steps; it gets no further hook."""
        self.callbacks.remove(callback)

    def stop(self) -> None:
        """End training now, between two steps: callbacks get ``on_train_end`` (so
        ``EarlyStopping`` restores its best weights); later steps return ``None``."""
        self._steps.close()
        self.done = True


def fit(
    model: Any,
    loss_fn: Any,
    optimizer: Any,
    train: Any,
    val: Any = None,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    metrics: Iterable[Any] = (),
    callbacks: Iterable[Callback] = (),
    scheduler: Any = None,
    shuffle: bool = True,
    seed: int | None = None,
    verbose: bool = True,
) -> History:
    """Train ``model`` for ``epochs`` passes over ``train``; return the :class:`History`.

    The loop is :class:`Trainer`'s (``fit`` is ``Trainer(...).run()``), so the lab, which drives
    a ``Trainer`` a step at a time, and your scripts train in exactly the same way.

    Args:
        model: a ``neuronlab.nn.Module`` (put in training mode, and back in its old mode after).
        loss_fn: ``loss_fn(output, target)`` returning a scalar Tensor, e.g. ``CrossEntropyLoss()``.
        optimizer: a ``neuronlab.optim`` optimizer over ``model.parameters()``.
        train, val: ``(X, y)`` arrays, a Dataset (both wrapped in a ``DataLoader`` with
            ``batch_size``; ``train`` shuffled with ``seed``) or a ready ``DataLoader``. ``val``
            adds ``val_loss`` and ``val_<metric>`` to the epoch logs.
        epochs: passes over ``train``; batch_size: samples per step (when wrapping arrays).
        metrics: names (``'accuracy'``, ``'f1'``, ``'mae'``, ``'rmse'``...), functions or
            streaming metrics; see ``neuronlab.train._metrics``.
        callbacks: :class:`Callback` objects; a :class:`History` is always attached (yours if you
            pass one), and a :class:`ProgressBar` when ``verbose`` (unless you pass one).
        scheduler: an ``optim.lr_scheduler`` stepped once per epoch, after validation;
            ``ReduceLROnPlateau`` gets ``val_loss`` (``loss`` without ``val``). Adds ``'lr'``.
        shuffle: reshuffle ``train`` every epoch (when wrapping arrays or a Dataset).
        seed: seeds the shuffling and ``nl.manual_seed`` (dropout), so a run can be repeated.
        verbose: show progress (bars on a terminal, one line per epoch elsewhere).

    Ctrl-C ends training after the current step: callbacks get ``on_train_end`` (so
    ``EarlyStopping`` restores its best weights), ``history.interrupted`` is True, one line says
    so, and ``fit`` returns the history instead of raising.
    """
    epochs = check_positive_int("fit", "epochs", epochs, 10)
    trainer = Trainer(model, loss_fn, optimizer, train, val, epochs=epochs,
                      batch_size=batch_size, metrics=metrics, callbacks=callbacks,
                      scheduler=scheduler, shuffle=shuffle, seed=seed, verbose=verbose)  # fmt: skip
    return trainer.run()


def evaluate(
    model: Any, loss_fn: Any, data: Any, *, metrics: Iterable[Any] = (), batch_size: int = 256
) -> dict[str, float]:
    """The mean loss and ``metrics`` of ``model`` on ``data`` (``(X, y)``, a Dataset or a
    DataLoader), computed under ``no_grad()`` in evaluation mode; the model's mode is restored.

    ``loss_fn=None`` skips the loss. Returns e.g. ``{'loss': 0.31, 'accuracy': 0.91}``.
    """
    batch_size = check_positive_int("evaluate", "batch_size", batch_size, 256)
    loader = as_loader(data, who="evaluate(data)", batch_size=batch_size)
    return _evaluate(model, loss_fn, loader, *make_trackers(metrics, loss_fn, count=1))


def predict(model: Any, X: Any, *, batch_size: int = 256) -> np.ndarray:
    """The model's outputs for ``X`` (an array, a Tensor, a Dataset or a DataLoader whose batches
    start with the features), batch by batch under ``no_grad()`` in evaluation mode; the model's
    mode is restored. Returns one NumPy array with a row per sample.
    """
    batch_size = check_positive_int("predict", "batch_size", batch_size, 256)
    with no_grad(), model_mode(model, training=False):
        outputs = [_output_array(model(Tensor(x))) for x in feature_batches(X, batch_size)]
    return np.concatenate(outputs)


# ----- helpers of the three functions above -----------------------------------------------------
def _evaluate(model, loss_fn, loader, tracker, callbacks=None, prefix="") -> dict[str, float]:
    tracker.reset()
    if callbacks is not None:
        callbacks.on_test_begin({})
    with no_grad(), model_mode(model, training=False):
        for step, (x, y) in enumerate(pairs(loader, "evaluate(data)")):
            if callbacks is not None:
                callbacks.on_test_batch_begin(step, {})
            output = model(Tensor(x))
            batch_logs = tracker.update(y, output, None if loss_fn is None else loss_fn(output, y))
            if callbacks is not None:
                callbacks.on_test_batch_end(step, batch_logs)
    logs = tracker.result()
    if callbacks is not None:
        callbacks.on_test_end(logs)
    return {prefix + key: value for key, value in logs.items()}


def _output_array(output: Any) -> np.ndarray:
    if not isinstance(output, Tensor):
        raise TypeError(
            f"predict · expected model(x) to return a Tensor · got {type(output).__name__} · "
            "return the output tensor from forward() (a model with several outputs needs its "
            "own predict loop)"
        )
    return output.data


def _loaders(train, val, batch_size, shuffle, seed) -> tuple[Any, Any]:
    batch_size = check_positive_int("fit", "batch_size", batch_size, 32)
    train_data = as_loader(
        train, who="fit(train)", batch_size=batch_size, shuffle=shuffle, seed=seed
    )
    val_data = None if val is None else as_loader(val, who="fit(val)", batch_size=batch_size)
    return train_data, val_data


def _params(epochs, verbose, train_data, val_data, tracker) -> dict[str, Any]:
    names = ["loss", *(m.name for m in tracker.metrics)]
    if val_data is not None:
        names += [f"val_{name}" for name in names]
    return {"epochs": epochs, "steps": len(train_data), "verbose": verbose, "metrics": names,
            "do_validation": val_data is not None}  # fmt: skip


def _with_defaults(callbacks, verbose, scheduler, optimizer) -> tuple[list[Callback], History]:
    callbacks = list(callbacks)
    history = next((c for c in callbacks if isinstance(c, History)), None)
    if history is None:
        history = History()
        callbacks.append(history)
    if verbose and not any(isinstance(c, ProgressBar) for c in callbacks):
        callbacks.append(ProgressBar())
    if scheduler is not None and getattr(scheduler, "optimizer", optimizer) is not optimizer:
        raise ValueError(
            "fit(scheduler=...) · expected a scheduler built on the optimizer passed to fit · "
            "got one that adjusts another optimizer · build it as "
            "lr_scheduler.X(optimizer, ...) with the same optimizer"
        )
    return callbacks, history


def _step_scheduler(scheduler: Any, optimizer: Any, logs: dict[str, float]) -> None:
    if scheduler is None:
        return
    logs["lr"] = float(optimizer.param_groups[0]["lr"])  # the lr used in this epoch
    if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):
        scheduler.step(logs.get("val_loss", logs.get("loss")))
    else:
        scheduler.step()


def _warn_if_not_finite(tracker: Tracker, context: TrainingContext) -> None:
    if tracker.first_bad_step is None or tracker.warned or context.stop_training:
        return
    tracker.warned = True
    warnings.warn(
        f"fit · the training loss was not finite (NaN or inf) in epoch {context.epoch + 1}, "
        f"first at step {tracker.first_bad_step + 1} of {context.params['steps']} · training "
        "goes on, but the weights are probably NaN now; add TerminateOnNaN() to stop at once.\n"
        + nan_advice(),
        RuntimeWarning,
        stacklevel=3,
    )


def _say_interrupted(context: TrainingContext, history: History) -> None:
    done = len(history.epoch)
    print(
        f"Training interrupted (Ctrl-C) in epoch {context.epoch + 1}/{context.params['epochs']} "
        f"after step {context.step + 1}; fit returns the history of the {done} finished "
        f"epoch{'s' if done != 1 else ''}.",
        file=sys.stderr,
    )
