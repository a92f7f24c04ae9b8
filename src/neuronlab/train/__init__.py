"""Training: ``fit`` / ``evaluate`` / ``predict`` with one visible loop, and callbacks.

Reading order: ``loop`` (the loop itself), ``callbacks/base`` (the hooks and the
``TrainingContext``), then the callbacks one file each. ``docs/training.md`` shows the same loop
written by hand next to the ``fit`` call.

>>> import numpy as np, neuronlab as nl
>>> from neuronlab.train import EarlyStopping, fit
>>> _ = nl.manual_seed(0)
>>> X = np.random.default_rng(0).normal(size=(80, 3)).astype(np.float32)
>>> y = X @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)
>>> model = nl.nn.Linear(3, 1)
>>> history = fit(model, nl.nn.MSELoss(), nl.optim.Adam(model.parameters(), lr=0.1),
...               (X[:60], y[:60]), val=(X[60:], y[60:]), epochs=20, metrics=["mae"],
...               callbacks=[EarlyStopping(patience=3)], seed=0, verbose=False)
>>> sorted(history.history)
['loss', 'mae', 'val_loss', 'val_mae']
>>> history.history["val_loss"][-1] < history.history["val_loss"][0]
True
"""

from .callbacks import (
    Callback,
    CallbackList,
    CSVLogger,
    EarlyStopping,
    History,
    LambdaCallback,
    ModelCheckpoint,
    ProgressBar,
    ReduceLROnPlateau,
    TerminateOnNaN,
    TrainingContext,
)
from .loop import Step, Trainer, evaluate, fit, predict

__all__ = [
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "ModelCheckpoint",
    "ProgressBar",
    "ReduceLROnPlateau",
    "Step",
    "TerminateOnNaN",
    "TrainingContext",
    "Trainer",
    "evaluate",
    "fit",
    "predict",
]
