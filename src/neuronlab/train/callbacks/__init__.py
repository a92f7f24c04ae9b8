"""Callbacks: objects whose hooks ``fit`` calls at fixed moments (Keras's names and signatures).

Reading order: ``base`` (the hooks, the ``TrainingContext``, ``LambdaCallback``), ``history``,
``progress``, ``monitor`` (what "better" means for a logged value), then one file per callback.
"""

from .base import Callback, CallbackList, LambdaCallback, TrainingContext
from .checkpoint import ModelCheckpoint
from .csv_logger import CSVLogger
from .early_stopping import EarlyStopping
from .history import History
from .progress import ProgressBar
from .reduce_lr import ReduceLROnPlateau
from .terminate_on_nan import TerminateOnNaN

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
    "TerminateOnNaN",
    "TrainingContext",
]
