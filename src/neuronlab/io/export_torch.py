"""From neuronlab to PyTorch: ``to_torch(model)`` (a live ``torch.nn.Module``) and
``export_torch(model, folder)`` (a readable ``model.py`` plus the weights, needing only torch).

Both start from the same tree of constructor calls (``torch_code.torch_call``), so the file a
learner reads builds exactly the module that ``to_torch`` returns, and both copy the weights by
name: neuronlab lays out every layer's parameters as PyTorch does (``0.weight``,
``features.3.bias``, ``rnn.weight_hh_l0``, ``layers.0.self_attn.in_proj_weight``...), batch-norm
running statistics included.

The folder ``export_torch`` writes::

    model.py      the classes, build() (fresh weights) and load(folder) (the trained ones)
    weights.pt    the state_dict, saved with torch.save (load it with weights_only=True)

and a learner continues in PyTorch with ``import model; net = model.load()``.
"""

from __future__ import annotations

import inspect
import pathlib

import numpy as np

from .. import nn
from ._files import atomic_write
from .torch_code import Call, torch_call


def require_torch(who: str):
    """``import torch``, or an ImportError that says what needs it and how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(
            f"{who} needs PyTorch, which is not installed here; install it with "
            "`pip install torch` (the CPU build is enough), or export to ONNX with "
            "neuronlab.io.export_onnx, which needs only the `onnx` package"
        ) from None
    return torch


def torch_state_dict(model: nn.Module) -> dict:
    """``model.state_dict()`` as torch tensors (copies; same names, dtypes and shapes)."""
    torch = require_torch("torch_state_dict")
    return {k: torch.from_numpy(np.array(v.data)) for k, v in model.state_dict().items()}


def to_torch(model: nn.Module):
    """A ``torch.nn.Module`` with ``model``'s architecture, weights and train/eval mode.

    Its outputs equal neuronlab's (to float32 rounding). Layers without a PyTorch twin are
    refused before anything is built (ExportError, a ValueError, naming the layer).

    >>> import neuronlab as nl
    >>> net = nl.nn.Sequential(nl.nn.Linear(2, 3), nl.nn.Tanh())
    >>> to_torch(net)
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
    )
    """
    call = torch_call(model)
    torch = require_torch("neuronlab.io.to_torch")
    with torch.random.fork_rng():  # building draws initial weights; leave torch's seed alone
        module = call.build()
    state = torch_state_dict(model)
    floats = {v.dtype for v in state.values() if v.is_floating_point()}
    if len(floats) == 1:  # a float64 model stays float64 (torch builds float32 layers)
        module = module.to(floats.pop())
    module.load_state_dict(state, strict=True)
    return module.train(model.training)


# ----- model.py ----------------------------------------------------------------------------------
_HEADER = '''"""{title}

Exported from neuronlab: plain PyTorch, nothing else needed. The layers
have the same names as in neuronlab, so the weights in weights.pt load
unchanged.

    import model
    net = model.load()   # the trained network, in evaluation mode
    scores = net(x)      # x: {input_hint}
"""

{imports}


'''

_FOOTER = '''def build() -> nn.Module:
    """The architecture, with fresh (untrained) weights."""
    return {build}


def load(folder=None) -> nn.Module:
    """The trained network from ``folder`` (default: the folder of this file), ready to use."""
    folder = Path(__file__).parent if folder is None else Path(folder)
    net = build()
    net.load_state_dict(torch.load(folder / "weights.pt", weights_only=True))
    return net.eval()
'''


def _class_sources(call: Call) -> list[str]:
    from . import torch_classes

    order: list[str] = []
    for name in call.classes():
        for needed in (*torch_classes.REQUIRES.get(name, ()), name):
            if needed not in order:
                order.append(needed)
    return [inspect.getsource(getattr(torch_classes, name)) for name in order]


def _sequential_class(call: Call, title: str) -> tuple[str, str]:
    """A top-level Sequential written as a class of its own, as a person would."""
    inner = call.code(indent=2)[len("nn.Sequential(") : -1]
    source = (
        "class Model(nn.Sequential):\n"
        f'    """{title}"""\n\n'
        "    def __init__(self):\n"
        f"        super().__init__({inner})\n"
    )
    return source, "Model()"


def torch_source(model: nn.Module, input_hint: str = "a batch of inputs") -> str:
    """The text of the ``model.py`` that ``export_torch`` writes for ``model``."""
    call = torch_call(model)
    title = f"{type(model).__name__} for PyTorch."
    imports = ["from pathlib import Path", "", "import torch", "from torch import nn"]
    sources = _class_sources(call)
    if sources and any("math." in s for s in sources):
        imports.insert(0, "import math")
    if call.name == "nn.Sequential":
        what = "network" if type(model) is nn.Sequential else type(model).__name__
        source, build = _sequential_class(call, f"The {what}, layer by layer.")
        sources.append(source)
    else:
        build = call.code(indent=1)
    if "OrderedDict(" in build or any("OrderedDict(" in s for s in sources):
        imports.insert(0, "from collections import OrderedDict")
    text = _HEADER.format(title=title, imports="\n".join(imports), input_hint=input_hint)
    text += "".join(f"{source}\n\n" for source in sources)
    return text + _FOOTER.format(build=build)


def export_torch(
    model: nn.Module, folder, *, input_hint: str = "a batch of inputs"
) -> pathlib.Path:
    """Write ``folder/model.py`` (readable PyTorch code) and ``folder/weights.pt``.

    ``model.py`` holds a class per model (written out, using only ``torch``), ``build()`` and
    ``load(folder=None)``, which returns the trained module in evaluation mode. Returns the path of
    ``model.py``. Layers without a PyTorch twin are refused before anything is written.
    """
    source = torch_source(model, input_hint)  # refuses unsupported layers first
    torch = require_torch("neuronlab.io.export_torch")
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_write(folder / "weights.pt") as f:
        torch.save(torch_state_dict(model), f)
    with atomic_write(folder / "model.py") as f:
        f.write(source.encode("utf-8"))
    return folder / "model.py"
