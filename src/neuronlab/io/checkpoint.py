"""Resuming training: the optimizer's state, and checkpoints (model + optimizer + progress).

A checkpoint is a file written by :func:`neuronlab.io.save` with three more things in its
metadata: the epoch, the training history and your ``extra`` values (any mix of numbers,
strings, lists, tuples, dicts and arrays; arrays are stored as tensors under ``checkpoint.*``),
plus the state of the engine's random number generator, so that dropout masks after resuming
are the ones an uninterrupted run would have drawn. It is still a model file: ``load`` and
``load_weights`` read it.

>>> import tempfile, pathlib
>>> import neuronlab as nl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ckpt.safetensors"
>>> model = nl.nn.Linear(2, 1)
>>> opt = nl.optim.Adam(model.parameters(), lr=0.01)
>>> save_checkpoint(path, model, opt, epoch=3, history={"loss": [0.9, 0.5, 0.4]})
>>> resumed = nl.nn.Linear(2, 1)
>>> load_checkpoint(path, resumed, nl.optim.Adam(resumed.parameters()))
{'epoch': 3, 'history': {'loss': [0.9, 0.5, 0.4]}, 'extra': None}
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

from .. import nn
from ..engine import default_generator
from ._pack import unpack
from .safetensors import CorruptFileError, read
from .serialization import (
    META_CHECKPOINT,
    META_OPTIMIZER,
    _check_model,
    _fit,
    _json,
    _weights,
    _write,
    all_or_nothing,
    malformed,
    reraise,
)


def load_optimizer_state(optimizer, path) -> None:
    """Restore into ``optimizer`` the state saved with ``save(model, path, optimizer=...)``.

    ``optimizer`` must be of the same class and over the same parameters (same groups, same
    order) as the saved one; build it over the model you loaded the weights into. Nothing
    changes if the saved state does not fit.
    """
    _check_optimizer(optimizer, "load_optimizer_state")
    tensors, meta = read(path, "load_optimizer_state")
    with malformed(path):
        state = _optimizer_state(optimizer, tensors, meta, path, "load_optimizer_state")
    try:
        with malformed(path):
            optimizer.load_state_dict(state)
    except ValueError as error:
        if isinstance(error, CorruptFileError):
            raise
        reraise(
            error,
            f"load_optimizer_state: the optimizer state in {str(path)!r} does not fit "
            f"this {type(optimizer).__name__}:",
        )


def save_checkpoint(
    path,
    model: nn.Module,
    optimizer=None,
    *,
    epoch: int | None = None,
    history=None,
    extra=None,
    metadata: Mapping[str, str] | None = None,
) -> None:
    """Write everything needed to resume training to ``path`` (one safetensors file, atomic).

    ``history``: a dict of lists such as ``{'loss': [...], 'val_loss': [...]}`` (an object with
    such a dict in ``.history``, like a History callback, is accepted too). ``extra``: anything
    else to keep (e.g. a learning-rate scheduler's ``state_dict()``). ``metadata``: your own
    str -> str notes, as in :func:`neuronlab.io.save`.
    """
    if hasattr(history, "history") and isinstance(history.history, dict):
        history = history.history
    progress = {
        "epoch": epoch,
        "history": history,
        "extra": extra,
        "rng": default_generator().bit_generator.state,
    }
    _write(
        path, model, "save_checkpoint", optimizer=optimizer, metadata=metadata, checkpoint=progress
    )


def load_checkpoint(path, model: nn.Module, optimizer=None, *, restore_rng: bool = True) -> dict:
    """Load a checkpoint written by :func:`save_checkpoint` into ``model`` (and ``optimizer``).

    Returns ``{'epoch': ..., 'history': ..., 'extra': ...}`` (``None`` where not saved);
    training goes on from ``epoch + 1``. Everything is checked before anything changes: if the
    weights or the optimizer state do not fit, the model and the optimizer stay as they were.
    ``restore_rng``: also put the engine's random generator back where it was at saving time.
    """
    who = "load_checkpoint"
    _check_model(model, who)
    if optimizer is not None:
        _check_optimizer(optimizer, who)
    tensors, meta = read(path, who)
    with malformed(path):
        weights = _weights(tensors, meta, path)
        progress = (
            unpack(_json(meta, META_CHECKPOINT, path), tensors, str(path))
            if META_CHECKPOINT in meta
            else {}
        )
        if not isinstance(progress, dict):
            raise CorruptFileError(path, "its checkpoint metadata is not an object")
        state = None if optimizer is None else _optimizer_state(optimizer, tensors, meta, path, who)
    with all_or_nothing(model):
        _fit(model, weights, True, path, who)
        if state is not None:
            try:
                with malformed(path):
                    optimizer.load_state_dict(state)
            except ValueError as error:
                if isinstance(error, CorruptFileError):
                    raise
                reraise(
                    error,
                    f"{who}: the optimizer state in {str(path)!r} does not fit this "
                    f"{type(optimizer).__name__} (the model was left unchanged):",
                )
    if restore_rng and progress.get("rng") is not None:
        _restore_rng(progress["rng"])
    return {key: progress.get(key) for key in ("epoch", "history", "extra")}


def _check_optimizer(optimizer, who: str) -> None:
    if not hasattr(optimizer, "load_state_dict"):
        raise TypeError(
            f"{who}: optimizer must be a neuronlab optimizer (such as "
            f"optim.Adam(...)), got {type(optimizer).__name__}"
        )


def _optimizer_state(optimizer, tensors: dict, meta: dict, path, who: str) -> dict:
    """The saved ``optimizer.state_dict()``, checked to be for an optimizer of this class."""
    if META_OPTIMIZER not in meta:
        raise ValueError(
            f"{who}: {str(path)!r} holds no optimizer state; it was saved without one. Save "
            "with save(model, path, optimizer=optimizer) or save_checkpoint(path, model, "
            "optimizer), or leave the optimizer out to load only the weights"
        )
    saved = _json(meta, META_OPTIMIZER, path)
    if not isinstance(saved, dict) or not isinstance(saved.get("state_dict"), dict):
        raise CorruptFileError(path, "its optimizer metadata is not an object with a state_dict")
    name = type(optimizer).__name__
    if saved.get("type") != name:
        raise ValueError(
            f"{who}: {str(path)!r} holds the state of a {saved.get('type')} optimizer, but a "
            f"{name} was given; create a {saved.get('type')} over the model's parameters to "
            "resume (or start the new optimizer fresh, without loading state)"
        )
    return unpack(saved["state_dict"], tensors, str(path))


def _restore_rng(state) -> None:
    generator = default_generator()
    try:
        generator.bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError, AttributeError, IndexError) as error:
        warnings.warn(
            f"load_checkpoint: could not restore the random generator's state "
            f"({error}); results after resuming may differ from an unbroken run",
            RuntimeWarning,
            stacklevel=3,
        )
