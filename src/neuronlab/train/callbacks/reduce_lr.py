"""``ReduceLROnPlateau``: the callback form of the scheduler of the same name.

It watches a log key (``'val_loss'`` by default) and, through
:class:`neuronlab.optim.lr_scheduler.ReduceLROnPlateau`, multiplies every parameter group's lr
by ``factor`` after more than ``patience`` epochs without improvement. The rule is PyTorch's,
exactly (there is one implementation, in ``optim``); the callback adds the ``monitor`` key,
``mode='auto'``, a fresh start in every ``fit`` and an ``'lr'`` entry in the epoch logs.

Keras's callback differs in two details: it reduces once ``wait >= patience`` (PyTorch: ``>``)
and its ``min_delta`` is absolute (PyTorch's default is relative). ``threshold_mode='abs'`` gives
the absolute meaning; the patience count is PyTorch's.

>>> import neuronlab as nl
>>> from neuronlab.optim import SGD
>>> from neuronlab.train import TrainingContext
>>> opt = SGD([nl.zeros(1, requires_grad=True)], lr=1.0)
>>> cb = ReduceLROnPlateau("val_loss", patience=1, factor=0.5)
>>> cb.set_context(TrainingContext(model=None, optimizer=opt))
>>> cb.on_train_begin()
>>> lrs = []
>>> for epoch, val_loss in enumerate([3.0, 2.0, 2.0, 2.0, 2.0]):
...     logs = {"val_loss": val_loss}
...     cb.on_epoch_end(epoch, logs)
...     lrs.append(logs["lr"])
>>> lrs, opt.param_groups[0]["lr"]
([1.0, 1.0, 1.0, 1.0, 0.5], 0.5)
"""

from __future__ import annotations

from ...optim import lr_scheduler
from .base import Callback, Logs
from .monitor import Monitor

__all__ = ["ReduceLROnPlateau"]


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stops improving.

    Args:
        monitor: the log key to watch.
        factor: the multiplier, in (0, 1).
        patience: epochs without improvement tolerated; the lr drops on the next bad one.
        min_delta: the threshold of an improvement (PyTorch's ``threshold``): with
            ``threshold_mode='rel'`` (the default) a new value must beat ``best * (1 - min_delta)``
            (mode 'min'), with ``'abs'`` it must beat ``best - min_delta``.
        cooldown: epochs to wait after a reduction before counting bad epochs again.
        min_lr: the lr never goes below this.
        mode: ``'min'``, ``'max'`` or ``'auto'`` (from the monitor's name).
        verbose: print a line at every reduction.

    Each epoch's logs get ``'lr'``: the lr of the first parameter group during that epoch.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        *,
        factor: float = 0.1,
        patience: int = 10,
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        mode: str = "auto",
        threshold_mode: str = "rel",
        verbose: bool = False,
    ) -> None:
        if not 0.0 < factor < 1.0:
            raise ValueError(
                f"ReduceLROnPlateau(factor=...) · expected a number in (0, 1) · got {factor!r} · "
                "pass e.g. factor=0.5 to halve the learning rate"
            )
        self._monitor = Monitor("ReduceLROnPlateau", monitor, mode)
        self.monitor, self.mode = monitor, self._monitor.mode
        self.factor, self.patience, self.min_delta = factor, patience, min_delta
        self.cooldown, self.min_lr, self.threshold_mode = cooldown, min_lr, threshold_mode
        self.verbose = verbose
        self.scheduler: lr_scheduler.ReduceLROnPlateau | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        if self.optimizer is None:
            raise RuntimeError(
                "ReduceLROnPlateau · needs the optimizer of the run · got none · pass the "
                "callback to fit(..., callbacks=[...]), which gives it the optimizer"
            )
        self.scheduler = lr_scheduler.ReduceLROnPlateau(
            self.optimizer, mode=self.mode, factor=self.factor, patience=self.patience,
            threshold=self.min_delta, threshold_mode=self.threshold_mode,
            cooldown=self.cooldown, min_lr=self.min_lr,
        )  # fmt: skip

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = {} if logs is None else logs
        old_lr = float(self.optimizer.param_groups[0]["lr"])
        logs["lr"] = old_lr
        current = self._monitor.get(logs, epoch)
        if current is None:
            return
        self.scheduler.step(current)
        new_lr = float(self.optimizer.param_groups[0]["lr"])
        if self.verbose and new_lr != old_lr:
            print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr:.4g}.")

    def __repr__(self) -> str:
        return (
            f"ReduceLROnPlateau(monitor={self.monitor!r}, factor={self.factor}, "
            f"patience={self.patience}, mode={self.mode!r})"
        )
