"""Watching one logged value: which direction is better, what counts as an improvement, and a
clear warning when the value is missing from the logs.

:class:`EarlyStopping`, :class:`ModelCheckpoint` and :class:`ReduceLROnPlateau` all watch a
``monitor`` key such as ``'val_loss'``. With ``mode='auto'`` the direction comes from the name,
as scikit-learn's convention says: losses and errors go down, scores and accuracies go up.

>>> resolve_mode("EarlyStopping", "val_acc", "auto"), resolve_mode("EarlyStopping", "mae", "auto")
('max', 'min')
>>> m = Monitor("EarlyStopping", "val_loss", min_delta=0.1)
>>> m.is_improvement(0.85, 1.0), m.is_improvement(0.95, 1.0)
(True, False)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

__all__ = ["Monitor", "resolve_mode"]

_DOWN = {"loss", "mae", "mse", "rmse", "mape", "error", "lr"}
_UP = {"acc", "accuracy", "auc", "roc_auc", "f1", "fbeta", "precision", "recall", "r2", "ap"}


def resolve_mode(who: str, monitor: str, mode: str) -> str:
    """``'min'`` or ``'max'`` for ``monitor``; ``mode='auto'`` reads it from the name."""
    if mode in ("min", "max"):
        return mode
    if mode != "auto":
        raise ValueError(
            f"{who}(mode=...) · expected 'auto', 'min' or 'max' · got {mode!r} · "
            "use 'min' for losses and errors, 'max' for accuracies and scores"
        )
    name = monitor.removeprefix("val_")
    if name in _DOWN or name.endswith(("loss", "_error")):
        return "min"
    if name in _UP or name.endswith("_score") or "acc" in name:
        return "max"
    raise ValueError(
        f"{who}(monitor={monitor!r}, mode='auto') · expected a name that tells whether it should "
        f"go down (…loss, …_error, mae, rmse) or up (…acc…, …_score, f1, auc) · got {name!r} · "
        "pass mode='min' or mode='max'"
    )


class Monitor:
    """One watched key: its direction, the least change that counts, and how to read it.

    An improvement is ``current < reference - min_delta`` in mode 'min' and
    ``current > reference + min_delta`` in mode 'max'; NaN is never an improvement, and any
    number improves on ``None`` (nothing seen yet).
    """

    def __init__(self, who: str, monitor: str, mode: str = "auto", min_delta: float = 0.0):
        if not isinstance(monitor, str) or not monitor:
            raise TypeError(
                f"{who}(monitor=...) · expected a log key such as 'val_loss' · got {monitor!r}"
            )
        if not min_delta >= 0:
            raise ValueError(
                f"{who}(min_delta=...) · expected a number >= 0 · got {min_delta!r} · the "
                "direction comes from mode, so pass the size of the change, e.g. 1e-3"
            )
        self.who = who
        self.monitor = monitor
        self.mode = resolve_mode(who, monitor, mode)
        self.min_delta = float(min_delta)

    def is_improvement(self, current: float, reference: float | None) -> bool:
        if math.isnan(current):
            return False
        if reference is None:
            return True
        if self.mode == "min":
            return current < reference - self.min_delta
        return current > reference + self.min_delta

    def get(self, logs: Mapping[str, float] | None, epoch: int) -> float | None:
        """The monitored value in ``logs``, or ``None`` with a warning listing the keys there."""
        logs = logs or {}
        if self.monitor in logs:
            return float(logs[self.monitor])
        available = ", ".join(repr(k) for k in logs) or "none"
        hint = (
            "pass val=... to fit to get 'val_' keys, or monitor a training key"
            if self.monitor.startswith("val_")
            else "monitor one of the available keys"
        )
        warnings.warn(
            f"{self.who} · monitors {self.monitor!r}, which is not in the logs at the end of "
            f"epoch {epoch + 1} · available keys: {available} · {hint}",
            UserWarning,
            stacklevel=3,
        )
        return None
