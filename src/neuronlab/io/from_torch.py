"""From PyTorch back to neuronlab: ``from_torch(source, model=None)``.

``source`` is a ``torch.nn.Module`` or a ``state_dict`` (any mapping of names to tensors or
arrays). With ``model`` given, its weights are replaced by the source's; without one, the model
is rebuilt from the torch module's layers (those of ``torch.nn`` that neuronlab has too, and the
classes of ``neuronlab.io.torch_classes``, which is what ``to_torch`` and ``export_torch`` make;
an ``MLP`` comes back as the ``Sequential`` of its layers, with the same names and outputs).

Every name and every shape is checked before anything is copied, and all the differences are
reported at once: the names the model needs that the source lacks, the names the source has that
the model does not, and each shape that differs, so a learner can study pretrained PyTorch
weights here, or see exactly why they do not fit.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import nn
from . import architecture


class MismatchError(ValueError):
    """The source's names or shapes do not fit the model; ``report`` lists every difference."""

    def __init__(self, message: str, report: dict):
        super().__init__(message)
        self.report = report


def _as_array(value, key: str) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    elif hasattr(value, "data") and isinstance(value.data, np.ndarray):
        value = value.data  # a neuronlab tensor
    try:
        return np.array(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"from_torch: the entry {key!r} is a {type(value).__name__}, not a tensor or array"
        ) from None


def _state_of(source) -> dict[str, np.ndarray]:
    if hasattr(source, "state_dict") and callable(source.state_dict):
        source = source.state_dict()
    if not isinstance(source, Mapping):
        raise TypeError(
            f"from_torch: expected a torch.nn.Module or a state_dict (a mapping of names to "
            f"tensors), got {type(source).__name__}; load a file first, e.g. "
            "torch.load('weights.pt', weights_only=True)"
        )
    return {str(k): _as_array(v, str(k)) for k, v in source.items()}


def compare(model: nn.Module, state: Mapping[str, np.ndarray]) -> dict:
    """What does not fit: ``{"missing": [...], "unexpected": [...], "shapes": [(key, model's,
    source's), ...]}`` (all empty when ``state`` loads into ``model``)."""
    own = model.state_dict()
    shapes = [
        (k, tuple(own[k].shape), tuple(state[k].shape))
        for k in own
        if k in state and tuple(own[k].shape) != tuple(state[k].shape)
    ]
    return {
        "missing": [k for k in own if k not in state],
        "unexpected": [k for k in state if k not in own],
        "shapes": shapes,
    }


def _message(model: nn.Module, report: dict) -> str:
    lines = [f"from_torch: the weights do not fit {type(model).__name__}; nothing was copied."]
    if report["shapes"]:
        lines.append("Shapes that differ (name: the model's <- the source's):")
        lines += [f"  {k}: {ours} <- {theirs}" for k, ours, theirs in report["shapes"]]
    if report["missing"]:
        lines.append(f"Names the model needs that the source lacks: {', '.join(report['missing'])}")
    if report["unexpected"]:
        names = ", ".join(report["unexpected"])
        lines.append(f"Names in the source that the model does not have: {names}")
    if report["shapes"]:
        lines.append(
            "Build the neuronlab model with the same sizes as the PyTorch one (each shape above "
            "names the layer that differs)"
        )
    if report["missing"] or report["unexpected"]:
        lines.append(
            "Rename the source's keys to the model's (model.state_dict().keys() lists them), "
            "or build the model that matches the source (from_torch(module) rebuilds it from a "
            "torch module)"
        )
    return "\n".join(lines)


def _torch_description(module, path: str = "") -> dict:
    """A neuronlab architecture description read off a torch module's layers."""
    name = type(module).__name__
    where = f"at {path!r}" if path else "(the model itself)"
    if name in architecture.CONTAINERS or name in ("MLP", "DeepMLP"):  # rebuilt layer by layer
        name = "ModuleList" if name == "ModuleList" else "Sequential"
        children = []
        for i, (key, child) in enumerate(module._modules.items()):
            node = _torch_description(child, f"{path}.{key}" if path else key)
            children.append(node if key == str(i) else {"name": key, **node})
        return {"type": name, "children": children}
    if name == "Residual":
        return {"type": name, "config": {"fn": _torch_description(module.fn, f"{path}.fn")}}
    if name not in architecture.LAYERS:
        raise ValueError(
            f"from_torch: the torch layer {name} {where} ({type(module).__module__}."
            f"{type(module).__qualname__}) has no neuronlab counterpart, so the model cannot be "
            "rebuilt from it; build the neuronlab model in code and pass it as "
            "from_torch(source, model)"
        )
    return {"type": name, "config": _torch_config(module, name)}


def _torch_config(module, name: str) -> dict:
    if name == "TransformerEncoderLayer":
        return _encoder_layer_config(module)
    if name == "TransformerEncoder":
        norm = module.norm
        return {
            "encoder_layer": _encoder_layer_config(module.layers[0]),
            "num_layers": module.num_layers,
            "norm": None if norm is None else _torch_description(norm),
        }
    if name in ("LearnedPositionalEncoding", "SinusoidalPositionalEncoding"):
        table = module.weight if name.startswith("Learned") else module.pe
        return {
            "d_model": table.shape[1],
            "max_len": table.shape[0],
            "dropout": module.drop.p,
            "batch_first": module.batch_first,
        }
    if name == "TinyGPT":
        return _gpt_config(module)
    config = _ready_model_config(module, name)
    if config is not None:
        return config
    return architecture.LAYERS[name].extract(module)


def _encoder_layer_config(layer) -> dict:
    gelu = getattr(layer, "activation_relu_or_gelu", 1) == 2
    return {
        "d_model": layer.self_attn.embed_dim,
        "nhead": layer.self_attn.num_heads,
        "dim_feedforward": layer.linear1.out_features,
        "dropout": layer.dropout.p,
        "activation": "gelu" if gelu else "relu",
        "layer_norm_eps": layer.norm1.eps,
        "batch_first": layer.self_attn.batch_first,
        "norm_first": layer.norm_first,
        "bias": layer.linear1.bias is not None,
    }


def _gpt_config(module) -> dict:
    n_embd = module.tok_emb.embedding_dim
    return {
        "vocab_size": module.tok_emb.num_embeddings,
        "block_size": module.block_size,
        "n_layer": len(module.blocks.layers),
        "n_head": module.blocks.layers[0].self_attn.num_heads,
        "n_embd": n_embd,
        "dropout": module.pos_emb.drop.p,
    }


def _ready_model_config(module, name: str) -> dict | None:
    """The constructor arguments of torch_classes' ready models, read off their layers."""
    if name in ("CharRNN", "CharLSTM"):
        return {
            "vocab_size": module.embedding.num_embeddings,
            "embedding_dim": module.embedding.embedding_dim,
            "hidden_size": module.rnn.hidden_size,
            "num_layers": module.rnn.num_layers,
            "dropout": module.rnn.dropout,
        }
    if name == "ResNet":
        blocks = len(module.layer1)
        return {
            "depth": 6 * blocks + 2,
            "num_classes": module.fc.out_features,
            "in_channels": module.conv1.in_channels,
            "width": module.conv1.out_channels,
        }
    if name == "BasicBlock":
        return {
            "in_ch": module.conv1.in_channels,
            "out_ch": module.conv1.out_channels,
            "stride": module.conv1.stride[0],
        }
    if name == "LeNet":
        f, c = module.features, module.classifier
        return {
            "in_channels": f[0].in_channels,
            "num_classes": c[5].out_features,
            "widths": [f[0].out_channels, f[3].out_channels],
            "hidden": [c[1].out_features, c[3].out_features],
        }
    if name == "SmallCNN":
        f, c = module.features, module.classifier
        return {
            "in_channels": f[0].in_channels,
            "num_classes": c[-1].out_features,
            "channels": [f[0].out_channels, f[3].out_channels],
            "hidden": c[1].out_features if len(c) > 2 else 0,
        }
    return None


def _rebuild(source) -> nn.Module:
    if not (hasattr(source, "state_dict") and hasattr(source, "_modules")):
        raise ValueError(
            "from_torch: a state_dict alone does not say which layers to build; pass the "
            "neuronlab model it belongs to as from_torch(state_dict, model), or pass the torch "
            "module itself"
        )
    description = _torch_description(source)
    return architecture.build(
        {"format": architecture.FORMAT, "version": architecture.VERSION, "module": description}
    )


def from_torch(source, model: nn.Module | None = None, *, strict: bool = True) -> nn.Module:
    """``model`` (or a new neuronlab model built like ``source``) holding ``source``'s weights.

    Names and shapes are checked first; when anything differs a MismatchError (a ValueError)
    lists every difference and nothing is copied. With ``strict=False`` the entries that fit are
    copied and the others left as they were (the report is then in ``model.from_torch_report``).
    The model is returned in evaluation mode when the source module was, else as it was.
    """
    state = _state_of(source)
    if model is None:
        model = _rebuild(source)
    elif not isinstance(model, nn.Module):
        raise TypeError(
            f"from_torch: model must be a neuronlab nn.Module, got {type(model).__name__}"
        )
    report = compare(model, state)
    if strict and any(report.values()):
        raise MismatchError(_message(model, report), report)
    own = model.state_dict(keep_vars=True)
    bad = {k for k, _, _ in report["shapes"]}
    for key, tensor in own.items():
        if key in state and key not in bad:
            tensor.data[...] = state[key].astype(tensor.data.dtype, copy=False)
    model.from_torch_report = report
    if getattr(source, "training", None) is False:
        model.eval()
    return model
