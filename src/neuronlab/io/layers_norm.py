"""Saving and loading the normalization layers and ``Embedding``: how ``describe``/``build`` write
down and rebuild ``BatchNorm1d``, ``BatchNorm2d``, ``LayerNorm`` and ``Embedding``. The running
statistics are buffers, so they travel with the weights, not with the description.

>>> from neuronlab.nn.normalization import LayerNorm
>>> from neuronlab.io.architecture import build, describe
>>> register()
>>> node = describe(LayerNorm((3, 4), elementwise_affine=False))["module"]
>>> node["type"], node["config"]["normalized_shape"]
('LayerNorm', [3, 4])
>>> build(describe(LayerNorm(8)))
LayerNorm((8,), eps=1e-05, elementwise_affine=True)  # 16 params
"""

from __future__ import annotations

from ..nn.embedding import Embedding
from ..nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .architecture import register_layer

_BATCH_NORM = ("num_features", "eps", "momentum", "affine", "track_running_stats")


def _batch_norm(cls):
    def extract(module):
        return {name: getattr(module, name) for name in _BATCH_NORM}

    return extract, lambda config: cls(**config)


def _layer_norm_config(module: LayerNorm) -> dict:
    return {
        "normalized_shape": list(module.normalized_shape),  # JSON has lists, not tuples
        "eps": module.eps,
        "elementwise_affine": module.elementwise_affine,
        "bias": module.bias is not None or not module.elementwise_affine,
    }


def _embedding_config(module: Embedding) -> dict:
    return {
        "num_embeddings": module.num_embeddings,
        "embedding_dim": module.embedding_dim,
        "padding_idx": module.padding_idx,
    }


def register() -> None:
    """Add BatchNorm1d, BatchNorm2d, LayerNorm and Embedding to the architecture table."""
    register_layer(BatchNorm1d, *_batch_norm(BatchNorm1d))
    register_layer(BatchNorm2d, *_batch_norm(BatchNorm2d))
    register_layer(LayerNorm, _layer_norm_config, lambda config: LayerNorm(**config))
    register_layer(Embedding, _embedding_config, lambda config: Embedding(**config))
