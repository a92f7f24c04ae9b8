"""Saving and loading models: one safetensors file holds the weights, the architecture and,
optionally, the optimizer's state.

What a file written by :func:`save` holds:

* tensors: the model's ``state_dict()`` (parameters and buffers, PyTorch's key names, so any
  safetensors reader sees a plain state dict); with ``optimizer=``, also the optimizer's arrays
  under ``optimizer.state.<index>.<name>``;
* ``__metadata__`` (strings only, so JSON-encoded): ``neuronlab.version``,
  ``neuronlab.architecture`` (see :mod:`neuronlab.io.architecture`), ``neuronlab.optimizer``
  (class name, param_groups and the scalar state), plus your own ``metadata``.

Every write is atomic (a failure leaves the old file as it was), and every load checks the whole
file and the whole fit before it changes anything: an error never leaves a half-loaded model.

>>> import tempfile, pathlib, numpy as np
>>> import neuronlab as nl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "mlp.safetensors"
>>> model = nl.nn.Sequential(nl.nn.Linear(4, 8), nl.nn.ReLU(), nl.nn.Linear(8, 2))
>>> save(model, path)
>>> again = load(path)
>>> x = nl.randn(3, 4)
>>> np.array_equal(again(x).data, model(x).data)
True
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping

from .. import __version__, nn
from ._pack import pack, referenced
from .architecture import build, describe
from .safetensors import CorruptFileError, read, save_file

META_VERSION = "neuronlab.version"
META_ARCHITECTURE = "neuronlab.architecture"
META_OPTIMIZER = "neuronlab.optimizer"
META_CHECKPOINT = "neuronlab.checkpoint"


# ----- the public functions ----------------------------------------------------------------------
def save(
    model: nn.Module, path, *, optimizer=None, metadata: Mapping[str, str] | None = None
) -> None:
    """Write ``model`` (weights + architecture) to ``path``, a safetensors file, atomically.

    ``optimizer``: also store its state (``load_optimizer_state`` restores it, to resume
    training). ``metadata``: your own str -> str notes, readable with ``load_metadata(path)``.
    A model with custom layer classes is saved too, but only ``load_weights`` can load it.
    """
    _write(path, model, "save", optimizer=optimizer, metadata=metadata)


def load(path) -> nn.Module:
    """The model saved at ``path`` by :func:`save`, rebuilt without the code that built it.

    The model comes back in training mode, as a new model does (PyTorch's convention); call
    ``model.eval()`` before predicting if it has dropout. Each tensor keeps the dtype it was
    saved with. Files that hold only weights need ``load_weights(model, path)`` instead.
    """
    tensors, meta = read(path, "load")
    if META_ARCHITECTURE not in meta:
        raise ValueError(
            f"load: {str(path)!r} holds weights only, no description of the architecture (it "
            "was written by save_weights or by another library), so load() cannot rebuild the "
            "model. Construct the model in code and call "
            f"neuronlab.io.load_weights(model, {str(path)!r})"
        )
    with malformed(path):
        weights = _weights(tensors, meta, path)
        elements = sum(int(array.size) for array in weights.values())
        model = build(
            _json(meta, META_ARCHITECTURE, path), source=str(path), max_elements=4 * elements
        )
    for key, tensor in model.state_dict(keep_vars=True).items():
        saved = weights.get(key)
        if saved is not None and saved.dtype.kind == tensor.data.dtype.kind:
            tensor.data = tensor.data.astype(saved.dtype, copy=False)  # e.g. a float64 model
    _fit(model, weights, True, path, "load")
    return model


def save_weights(model: nn.Module, path, *, metadata: Mapping[str, str] | None = None) -> None:
    """Write only ``model.state_dict()`` to ``path`` (safetensors, atomically): a plain state
    dict that any safetensors reader (PyTorch's included) can load."""
    _write(path, model, "save_weights", architecture=False, metadata=metadata)


def load_weights(model: nn.Module, path, strict: bool = True) -> nn.IncompatibleKeys:
    """Copy the weights saved at ``path`` into ``model``, in place; returns the skipped keys.

    Works with any safetensors file whose names are ``model.state_dict()``'s keys (files from
    ``save``, ``save_weights``, ``save_checkpoint``, or PyTorch's ``safetensors.torch``).
    ``strict=True``: the keys must match exactly; shapes must always match. Values are cast to
    the model's dtypes. On any mismatch nothing is changed and the error lists every problem.
    """
    _check_model(model, "load_weights")
    tensors, meta = read(path, "load_weights")
    with malformed(path):
        weights = _weights(tensors, meta, path)
    with all_or_nothing(model):
        return _fit(model, weights, strict, path, "load_weights")


# ----- shared by save, save_weights and save_checkpoint ---------------------------------------
def _write(
    path,
    model,
    who: str,
    *,
    optimizer=None,
    metadata=None,
    architecture=True,
    checkpoint: dict | None = None,
) -> None:
    _check_model(model, who)
    tensors = {key: tensor.data for key, tensor in model.state_dict().items()}
    meta = {META_VERSION: __version__}
    if architecture:
        meta[META_ARCHITECTURE] = json.dumps(describe(model), separators=(",", ":"))
    extras = {}
    if optimizer is not None:
        if not (hasattr(optimizer, "state_dict") and hasattr(optimizer, "param_groups")):
            raise TypeError(
                f"{who}: optimizer must be a neuronlab optimizer (such as "
                f"optim.Adam(...)), got {type(optimizer).__name__}"
            )
        tree = pack(optimizer.state_dict(), "optimizer", extras)
        meta[META_OPTIMIZER] = _dumps({"type": type(optimizer).__name__, "state_dict": tree})
    if checkpoint is not None:
        meta[META_CHECKPOINT] = _dumps(pack(checkpoint, "checkpoint", extras))
    clash = sorted(tensors.keys() & extras.keys())
    if clash:
        raise ValueError(
            f"{who}: the model has weights named {clash}, names this file format "
            "keeps for the optimizer and checkpoint; rename those sub-modules"
        )
    tensors.update(extras)
    if metadata is not None:
        if not isinstance(metadata, Mapping):
            raise TypeError(
                f"{who}: metadata must be a dict of str -> str, got {type(metadata).__name__}"
            )
        reserved = sorted(k for k in metadata if isinstance(k, str) and k.startswith("neuronlab."))
        if reserved:
            raise ValueError(
                f"{who}: metadata keys starting with 'neuronlab.' are reserved, got "
                f"{reserved}; choose other names"
            )
        meta.update(metadata)
    save_file(tensors, path, meta)


def _dumps(tree) -> str:
    return json.dumps(tree, separators=(",", ":"))


def _check_model(model, who: str) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"{who}: expected a neuronlab Module (a model or layer), got {type(model).__name__}"
        )


# ----- shared by the loaders ---------------------------------------------------------------------
def _json(meta: dict, key: str, path):
    """The metadata entry ``key`` parsed as JSON; a ``CorruptFileError`` when it is not, or is
    nested too deep, or holds a number too long to read."""
    try:
        return json.loads(meta[key])
    except RecursionError:
        raise CorruptFileError(path, f"its metadata {key!r} is nested too deep") from None
    except ValueError as error:  # JSONDecodeError, and int() of more than 4,300 digits
        raise CorruptFileError(
            path, f"its metadata {key!r} is not valid JSON ({str(error)[:200]})"
        ) from None


# What a malformed file's metadata can make the loaders raise before it is caught by a check.
_MALFORMED = (TypeError, KeyError, AttributeError, IndexError, RecursionError, OverflowError)


@contextlib.contextmanager
def malformed(path) -> Iterator[None]:
    """Turn the raw errors a crafted file's metadata could still cause (a list where a dict
    belongs...) into a ``CorruptFileError`` naming the file."""
    try:
        yield
    except _MALFORMED as error:
        raise CorruptFileError(
            path,
            f"its metadata has an unexpected structure ({type(error).__name__}: "
            f"{str(error)[:200]})",
            what="neuronlab model file",
        ) from None


def _weights(tensors: dict, meta: dict, path) -> dict:
    """The model's entries of a file: everything but the optimizer's and checkpoint's arrays."""
    others = set()
    for key in (META_OPTIMIZER, META_CHECKPOINT):
        if key in meta:
            others |= referenced(_json(meta, key, path))
    return {name: array for name, array in tensors.items() if name not in others}


def _fit(model: nn.Module, weights: dict, strict: bool, path, who: str):
    """``model.load_state_dict(weights)`` with the file named in errors (wrap it in
    ``all_or_nothing`` unless the model is new). Floating values may change precision, but a
    float weight stored as an integer (or the reverse) is refused: that is a wrong file."""
    own = model.state_dict(keep_vars=True)
    wrong = [
        f"  {key!r} is stored as {array.dtype}, the model's is {own[key].data.dtype}"
        for key, array in weights.items()
        if key in own and _family(array.dtype) != _family(own[key].data.dtype)
    ]
    if wrong:
        raise nn.StateDictError(
            "\n".join(
                [f"{who}: the weights in {str(path)!r} have the wrong kind of dtype:", *wrong]
                + ["Save the weights from a model with the same dtypes, or convert them first"]
            )
        )
    try:
        return model.load_state_dict(weights, strict=strict)
    except (ValueError, RuntimeError) as error:
        reraise(
            error, f"{who}: the weights in {str(path)!r} do not fit this {type(model).__name__}:"
        )


def _family(dtype) -> str:
    """float, integer, bool or complex: loading may convert within a family, never across."""
    return {"u": "i"}.get(dtype.kind, dtype.kind)


def reraise(error: Exception, context: str):
    """Raise an exception of ``error``'s type whose message starts with ``context``."""
    try:
        new = type(error)(f"{context}\n{error}")
    except Exception:  # an exception type with another constructor: raise it as it is
        raise error from None
    raise new from error


@contextlib.contextmanager
def all_or_nothing(model: nn.Module) -> Iterator[None]:
    """Restore every parameter and buffer of ``model`` if the block raises."""
    backup = [(t, t.data, t.data.copy()) for t in model.state_dict(keep_vars=True).values()]
    try:
        yield
    except BaseException:
        for tensor, array, copy in backup:
            tensor.data = array
            array[...] = copy
        raise
