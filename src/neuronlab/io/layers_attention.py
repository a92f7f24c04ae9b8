"""How ``neuronlab.io`` describes and rebuilds the attention layers: MultiheadAttention, the
Transformer encoder, the positional encodings and TinyGPT. ``register()`` adds them to the
architecture table (``io.architecture.register_layer``)."""

from __future__ import annotations

from ..nn.activation import GELU, ReLU
from ..nn.attention import MultiheadAttention
from ..nn.transformer import (
    LearnedPositionalEncoding,
    SinusoidalPositionalEncoding,
    TransformerEncoder,
    TransformerEncoderLayer,
)
from . import architecture


def _mha(m: MultiheadAttention) -> dict:
    return {
        "embed_dim": m.embed_dim,
        "num_heads": m.num_heads,
        "dropout": m.dropout,
        "bias": m.in_proj_bias is not None,
        "batch_first": m.batch_first,
        "kdim": m.kdim,
        "vdim": m.vdim,
    }


def _activation_name(layer: TransformerEncoderLayer) -> str:
    act = layer.activation
    if type(act) is ReLU:
        return "relu"
    if type(act) is GELU and act.approximate == "none":
        return "gelu"
    raise ValueError(
        f"describe: a TransformerEncoderLayer with activation {act!r} cannot be written as "
        "JSON (only 'relu' and 'gelu' can); save the weights only (save_weights) and build the "
        "model in code"
    )


def _encoder_layer(layer: TransformerEncoderLayer) -> dict:
    return {
        "d_model": layer.d_model,
        "nhead": layer.nhead,
        "dim_feedforward": layer.dim_feedforward,
        "dropout": layer.dropout.p,
        "activation": _activation_name(layer),
        "layer_norm_eps": layer.layer_norm_eps,
        "batch_first": layer.batch_first,
        "norm_first": layer.norm_first,
        "bias": layer.linear1.bias is not None,
    }


def _describe_norm(norm) -> dict | None:
    if norm is None:
        return None
    name = type(norm).__name__
    if name not in architecture.LAYERS:
        raise ValueError(
            f"describe: a TransformerEncoder's final norm {name} is not a layer "
            "neuronlab.io can rebuild; save the weights only"
        )
    return {"type": name, "config": architecture.LAYERS[name].extract(norm)}


def _encoder(encoder: TransformerEncoder) -> dict:
    return {
        "encoder_layer": _encoder_layer(encoder.layers[0]),
        "num_layers": encoder.num_layers,
        "norm": _describe_norm(encoder.norm),
    }


def _build_encoder(config: dict) -> TransformerEncoder:
    norm = config.get("norm")
    if norm is not None:
        norm = architecture.LAYERS[norm["type"]].build(dict(norm["config"]))
    layer = TransformerEncoderLayer(**config["encoder_layer"])
    return TransformerEncoder(layer, config["num_layers"], norm=norm)


def _positions(m) -> dict:
    return {
        "d_model": m.d_model,
        "max_len": m.max_len,
        "dropout": m.drop.p,
        "batch_first": m.batch_first,
    }


def _gpt(model) -> dict:
    return dict(model.config)


def register() -> None:
    """Teach ``neuronlab.io.describe``/``build`` (so ``save``/``load``) these layers."""
    from ..models.gpt import TinyGPT

    architecture.register_layer(MultiheadAttention, _mha, lambda c: MultiheadAttention(**c))
    architecture.register_layer(
        TransformerEncoderLayer, _encoder_layer, lambda c: TransformerEncoderLayer(**c)
    )
    architecture.register_layer(TransformerEncoder, _encoder, _build_encoder)
    for cls in (SinusoidalPositionalEncoding, LearnedPositionalEncoding):
        architecture.register_layer(cls, _positions, lambda c, cls=cls: cls(**c))
    architecture.register_layer(TinyGPT, _gpt, lambda c: TinyGPT(**c))
