"""``neuronlab.io``: saving and loading models, weights, optimizer state and checkpoints.

Files are safetensors (github.com/huggingface/safetensors): a JSON header and raw little-endian
arrays, readable by any safetensors library, and safe to open -- loading never runs code, unlike
pickle. Reading order: ``safetensors`` (the format), ``architecture`` (a model as JSON),
``serialization`` (``save``/``load``, weights), ``checkpoint`` (resuming training).

The way out to other frameworks: ``to_torch`` / ``export_torch`` (PyTorch, a live module or a
readable ``model.py``; the classes in ``torch_classes``, the layer table in ``torch_code``),
``export_onnx`` (an ONNX file; the layer table in ``onnx_layers``) and, the way back in,
``from_torch`` (PyTorch weights into a neuronlab model, names and shapes checked).

>>> import tempfile, pathlib
>>> import neuronlab as nl
>>> path = pathlib.Path(tempfile.mkdtemp()) / "model.safetensors"
>>> nl.io.save(nl.nn.Sequential(nl.nn.Linear(2, 3), nl.nn.Tanh()), path)
>>> nl.io.load(path)
Sequential(
  (0): Linear(in_features=2, out_features=3, bias=True)  # 9 params
  (1): Tanh()
)  # 9 params in total
"""

import importlib as _importlib
import pkgutil as _pkgutil

from .architecture import build, describe, register_layer
from .checkpoint import load_checkpoint, load_optimizer_state, save_checkpoint
from .export_onnx import export_onnx
from .export_torch import export_torch, to_torch
from .from_torch import MismatchError, from_torch
from .safetensors import CorruptFileError, load_file, load_metadata, save_file
from .serialization import load, load_weights, save, save_weights

# The layers beyond the core ones describe themselves in io/layers_<topic>.py (convolution,
# normalization, recurrent, attention, ready models); each such module's register() adds them.
for _info in sorted(_pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("layers_"):
        _importlib.import_module(f"{__name__}.{_info.name}").register()

__all__ = [
    "CorruptFileError",
    "MismatchError",
    "build",
    "describe",
    "export_onnx",
    "export_torch",
    "from_torch",
    "load",
    "load_checkpoint",
    "load_file",
    "load_metadata",
    "load_optimizer_state",
    "load_weights",
    "register_layer",
    "save",
    "save_checkpoint",
    "save_file",
    "save_weights",
    "to_torch",
]
