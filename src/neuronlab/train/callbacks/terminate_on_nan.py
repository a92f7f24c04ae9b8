"""``TerminateOnNaN``: stop at the first batch whose loss is NaN or infinite, and say why that
usually happens.

Once a loss is NaN, every gradient and then every weight becomes NaN too; training on is wasted
time. Without this callback ``fit`` still warns at the end of the first epoch whose loss is not
finite.

>>> import warnings
>>> from neuronlab.train import TrainingContext
>>> cb = TerminateOnNaN()
>>> cb.set_context(TrainingContext(model=None, optimizer=None, params={"steps": 10}, epoch=2))
>>> cb.on_train_begin()
>>> with warnings.catch_warnings(record=True):
...     cb.on_train_batch_end(4, {"loss": float("nan")})
>>> cb.context.stop_training, (cb.stopped_epoch, cb.stopped_step)
(True, (2, 4))
>>> print(cb.message.splitlines()[0])
TerminateOnNaN · the training loss became nan at epoch 3, step 5 of 10 · training stopped.
"""

from __future__ import annotations

import math
import warnings

from .base import Callback, Logs

__all__ = ["TerminateOnNaN", "nan_advice"]


def nan_advice() -> str:
    """The likely causes of a NaN or infinite loss, and what to try for each."""
    return (
        "Likely causes and fixes:\n"
        "  - the learning rate is too high: lower it (e.g. 10 times smaller);\n"
        "  - the log of zero or of a negative number: give raw logits to BCEWithLogitsLoss or "
        "CrossEntropyLoss instead of taking log(sigmoid(x)) or log(softmax(x)) yourself;\n"
        "  - exploding gradients: clip them with "
        "optim.clip_grad_norm_(model.parameters(), max_norm=1.0) before optimizer.step();\n"
        "  - NaN or inf in the data: check np.isnan(X).any() and np.isinf(X).any()."
    )


class TerminateOnNaN(Callback):
    """Stop training at the first batch with a NaN or infinite loss, with a clear warning.

    After the stop: ``stopped_epoch`` and ``stopped_step`` (from 0) say where it happened and
    ``message`` holds the text that was warned (a ``RuntimeWarning``). Other callbacks still see
    the end of training: ``EarlyStopping(restore_best_weights=True)`` puts back the best weights.
    """

    def __init__(self) -> None:
        self.on_train_begin()

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.stopped_epoch: int | None = None
        self.stopped_step: int | None = None
        self.message: str | None = None

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(loss):
            return
        epoch = self.context.epoch
        steps = self.context.params.get("steps")
        of_steps = f" of {steps}" if steps else ""
        self.stopped_epoch, self.stopped_step = epoch, batch
        self.message = (
            f"TerminateOnNaN · the training loss became {loss} at epoch {epoch + 1}, "
            f"step {batch + 1}{of_steps} · training stopped.\n{nan_advice()}"
        )
        self.context.stop_training = True
        warnings.warn(self.message, RuntimeWarning, stacklevel=2)
