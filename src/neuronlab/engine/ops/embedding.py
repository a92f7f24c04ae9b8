"""The embedding lookup: row ``i`` of a table for every index ``i``, and its scatter-add backward.

An embedding is ``W[indices]``, which ``GetItem`` can already do; its backward has to add the
gradient rows of repeated indices together, which ``GetItem`` does with ``np.add.at`` (correct
but slow: one unbuffered add per index). Here the backward sorts the indices once and adds each
run of equal indices with one ``np.add.reduceat`` call. ``scatter_add_rows_naive`` keeps the
``np.add.at`` reference beside it; tests hold the two equal.

Measured on this machine (float32, one thread, median ms, M indices into a (V, D) table):

    V      D    M      add.at  sort+reduceat  bincount(flat key)  one-hot matmul
    65     64   4096    3.6     0.37           0.50                0.42
    1000   64   4096    3.7     0.92           0.61               13.9
    10000  128  8192   19.6    15.1            8.1               515
    50000  256  2048   12.3    12.3           29.3              1144
    100    384  16384  85.1    24.6           36.3                23.3

sort+reduceat is never slower than ``add.at`` and 3-10x faster in the usual range; bincount wins
in the middle but is slower for large tables and sums in float64; one-hot wins only when V is tiny.
"""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register


def scatter_add_rows(index, rows, num_rows):
    """out[i] = sum of rows[k] over all k with index[k] == i, for i < num_rows.

    index (M,) integers, rows (M, D) -> (num_rows, D). Sort the indices so that equal ones sit
    together, then add each run of equal indices with one ``add.reduceat``.
    """
    out = xp.zeros((num_rows, rows.shape[1]), dtype=rows.dtype)
    if index.size == 0:
        return out
    order = xp.argsort(index, kind="stable")
    sorted_index = index[order]
    starts = xp.flatnonzero(xp.concatenate(([True], sorted_index[1:] != sorted_index[:-1])))
    out[sorted_index[starts]] = xp.add.reduceat(rows[order], starts, axis=0)
    return out


def scatter_add_rows_naive(index, rows, num_rows):
    """The reference for ``scatter_add_rows``: ``np.add.at``, one add per index."""
    out = xp.zeros((num_rows, rows.shape[1]), dtype=rows.dtype)
    xp.add.at(out, index, rows)
    return out


@register
class Embedding(Function):
    """y = W[indices]   (row indices[...] of the table W, for integer indices of any shape)

    Shape: W (V, D), indices (*) integers in [0, V) -> y (*, D).

    Backward: dW[i] = sum of dout[k] over the positions k where indices[k] == i (a scatter-add);
    the row ``padding_idx`` (when given) gets no gradient. The indices get none: they are not
    numbers one could nudge.

    >>> import numpy as np, neuronlab as nl
    >>> W = nl.tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], requires_grad=True)
    >>> y = Embedding.apply(W, indices=np.array([2, 0, 2]))
    >>> y.tolist()
    [[4.0, 5.0], [0.0, 1.0], [4.0, 5.0]]
    >>> y.sum().backward()
    >>> W.grad.tolist()  # row 2 was used twice
    [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]
    """

    name = "embedding"

    def forward(self, W, indices, padding_idx=None):
        check_indices("embedding", indices, W.shape[0])
        self.indices, self.num_rows, self.padding_idx = indices, W.shape[0], padding_idx
        return W[indices]

    def backward(self, dout):
        D = dout.shape[-1]
        dW = scatter_add_rows(self.indices.reshape(-1), dout.reshape(-1, D), self.num_rows)
        if self.padding_idx is not None:
            dW[self.padding_idx] = 0
        return (dW,)

    def explain_error(self, shapes, error):
        if len(shapes[0]) != 2:
            return f"embedding: the table must be 2-D (num_embeddings, embedding_dim), got shape " \
                   f"{tuple(shapes[0])}"
        return None


class EmbeddingIndexError(IndexError, ValueError):
    """An index outside the table: an ``IndexError`` (PyTorch's type) that is also the
    ``ValueError`` our style asks for, so ``except`` clauses written for either work."""


def check_indices(who: str, indices, num_rows: int) -> None:
    """Raise a clear error unless ``indices`` is an integer array with values in [0, num_rows)."""
    if not hasattr(indices, "dtype") or indices.dtype.kind not in "iu":
        kind = getattr(indices, "dtype", type(indices).__name__)
        raise TypeError(
            f"{who} expected integer indices (int64), got {kind}. Convert them with "
            "x.long() or np.asarray(x, dtype=np.int64); an embedding looks rows up by position, "
            "so the indices cannot be fractional."
        )
    if indices.size and (indices.min() < 0 or indices.max() >= num_rows):
        too_big = indices.max() >= num_rows
        bad = indices.max() if too_big else indices.min()
        fix = ("Make num_embeddings larger than the largest index (the vocabulary size), or "
               "check the tokenizer." if too_big else "Negative indices do not count from the "
               "end here; map them to valid rows first.")
        raise EmbeddingIndexError(
            f"{who}: index {int(bad)} is out of range for a table of {num_rows} rows: indices "
            f"must lie between 0 and {num_rows - 1} (the max allowed). {fix}"
        )
