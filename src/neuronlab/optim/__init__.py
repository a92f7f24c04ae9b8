"""Optimizers, learning-rate schedules and gradient clipping, with PyTorch's names and maths.

Reading order: ``optimizer`` (the base: parameter groups, state, step, state_dict), then one
file per algorithm (``sgd``, ``adam``, ``rmsprop``, ``adagrad``), ``lr_scheduler``, ``clip``.

>>> import neuronlab as nl
>>> from neuronlab import optim
>>> w = nl.tensor([2.0], requires_grad=True)
>>> opt = optim.SGD([w], lr=0.25)
>>> for _ in range(3):                 # minimize w^2: each step multiplies w by 1 - 2 * lr
...     opt.zero_grad()
...     (w * w).sum().backward()
...     opt.step()
>>> w.item()
0.25
"""

from ..nn.utils import clip_grad_norm_, clip_grad_value_
from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "Optimizer",
    "RMSprop",
    "clip_grad_norm_",
    "clip_grad_value_",
    "lr_scheduler",
]
