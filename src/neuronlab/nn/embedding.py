"""``Embedding``: a learned lookup table that turns token ids into vectors."""

from __future__ import annotations

import numpy as np

from ..engine.backend import DEFAULT_FLOAT, as_dtype
from ..engine.ops.embedding import check_indices
from ..engine.tensor import Tensor
from . import init
from . import norm_functional as NF
from .module import Module
from .parameter import Parameter


class Embedding(Module):
    """y = W[x]: row x of the table W for every integer index x (a word, a character, a class).

    Equivalent to multiplying a one-hot vector by W, without building the one-hot vector. The
    backward adds up the gradients of each row's uses (``engine/ops/embedding.py``).

    Shape: input (*) integers in [0, num_embeddings) -> output (*, embedding_dim).

    Args:
        num_embeddings: the number of rows (the vocabulary size).
        embedding_dim: the size of each vector.
        padding_idx: a row that stays zero and learns nothing (the padding token), or None.
        dtype: of the table, float32 unless 'float64' is asked for.

    Parameters:
        weight: (num_embeddings, embedding_dim), initialized from N(0, 1) (PyTorch's default),
            with the padding row zeroed.

    >>> import neuronlab as nl
    >>> emb = Embedding(10, 3, padding_idx=0)
    >>> emb(nl.tensor([[1, 2, 0], [4, 0, 0]])).shape
    (2, 3, 3)
    >>> emb.weight.data[0].tolist()
    [0.0, 0.0, 0.0]
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 dtype=None, _weight=None):
        super().__init__()
        for label, n in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
                raise ValueError(f"Embedding: {label} must be a positive integer, got {n!r}")
        self.num_embeddings, self.embedding_dim = int(num_embeddings), int(embedding_dim)
        self.padding_idx = NF.check_padding_idx("Embedding", padding_idx, self.num_embeddings)
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            dtype = DEFAULT_FLOAT if dtype is None else as_dtype(dtype)
            self.weight = Parameter(np.empty(shape, dtype=dtype))
            self.reset_parameters()
        else:
            self.weight = Parameter(_weight)
            if self.weight.shape != shape:
                raise ValueError(f"Embedding: the given weight has shape {self.weight.shape}, "
                                 f"expected {shape}")

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True,
                        padding_idx: int | None = None) -> Embedding:
        """An Embedding holding ``embeddings`` (a 2-D tensor or array, not copied); frozen
        (no gradient) unless ``freeze=False``. The padding row is kept as given."""
        data = embeddings.data if isinstance(embeddings, Tensor) else np.asarray(embeddings)
        if data.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: expected a 2-D (num_embeddings, "
                             f"embedding_dim) table, got shape {data.shape}")
        layer = cls(*data.shape, padding_idx=padding_idx, _weight=data)
        layer.weight.requires_grad_(not freeze)
        return layer

    def reset_parameters(self) -> None:
        """Draw fresh N(0, 1) rows (``default_generator()``); the padding row becomes zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0

    def forward(self, input) -> Tensor:
        who = f"Embedding({self.extra_repr()})"
        indices = input.data if isinstance(input, Tensor) else np.asarray(input)
        if not hasattr(indices, "dtype") or indices.dtype.kind not in "iu":
            hint = (" If these are one-hot rows, take x.argmax(axis=-1) first."
                    if indices.ndim and indices.shape[-1] == self.num_embeddings else "")
            raise TypeError(
                f"{who} expected integer indices (int64), got dtype {indices.dtype} of shape "
                f"{indices.shape}; convert them with x.long() or np.asarray(x, dtype=np.int64)."
                + hint
            )
        check_indices(who, indices, self.num_embeddings)
        return NF.embedding(indices, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text if self.padding_idx is None else f"{text}, padding_idx={self.padding_idx}"
