"""``TinyGPT``: a small GPT-style language model -- a stack of causal self-attention blocks that
reads tokens and predicts, at every position, the next one.

    ids (N, T) -> token Embedding + learned positions -> (N, T, C)
               -> n_layer pre-norm Transformer blocks, each position sees itself and the past
               -> LayerNorm -> Linear -> logits (N, T, vocab_size)

The same model as nanoGPT's, at toy size, built from ``neuronlab.nn`` layers:
``TransformerEncoderLayer(norm_first=True, activation='gelu')`` with a causal mask *is* a GPT-2
block (GPT-2 uses the tanh form of GELU; the exact form is as good, and cheaper in neuronlab).
``examples/tiny_gpt_words.py`` trains one on a word list and invents new words.
"""

from __future__ import annotations

import numpy as np

from ..engine.creation import from_numpy
from ..engine.grad_mode import no_grad
from ..engine.random import default_generator
from ..engine.tensor import Tensor
from ..nn import init
from ..nn.attention import causal_mask
from ..nn.embedding import Embedding
from ..nn.linear import Linear
from ..nn.module import Module
from ..nn.normalization import LayerNorm
from ..nn.transformer import (
    LearnedPositionalEncoding,
    TransformerEncoder,
    TransformerEncoderLayer,
)


def _positive(who: str, name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{who}: {name} must be a positive integer, got {value!r}")
    return int(value)


class TinyGPT(Module):
    """logits = head(ln_f(blocks(tok_emb(ids) + pos_emb)))   with causal self-attention

    Shape: ids (N, T) or (T,) int64, T <= block_size -> logits (N, T, vocab_size) (or (T, V)).

    Args:
        vocab_size: number of tokens.
        block_size: the longest context the model reads (the positions it has vectors for).
        n_layer: Transformer blocks (default 2).
        n_head: attention heads per block; must divide n_embd (default 4).
        n_embd: size of every token vector (default 64); the MLP inside a block has 4 * n_embd.
        dropout: on the embeddings, the attention weights and inside each block (default 0).

    Initialization follows GPT-2: every weight matrix and embedding from N(0, 0.02^2), biases 0.

    >>> import neuronlab as nl
    >>> model = TinyGPT(vocab_size=10, block_size=8, n_layer=1, n_head=2, n_embd=16)
    >>> model(nl.tensor([[1, 2, 3]])).shape
    (1, 3, 10)
    >>> model.generate([[1]], max_new_tokens=4, seed=0).shape
    (1, 5)
    """

    def __init__(
        self,
        vocab_size: int,
        block_size: int,
        n_layer: int = 2,
        n_head: int = 4,
        n_embd: int = 64,
        dropout: float = 0.0,
    ):
        super().__init__()
        who = "TinyGPT"
        self.config = {
            "vocab_size": _positive(who, "vocab_size", vocab_size),
            "block_size": _positive(who, "block_size", block_size),
            "n_layer": _positive(who, "n_layer", n_layer),
            "n_head": _positive(who, "n_head", n_head),
            "n_embd": _positive(who, "n_embd", n_embd),
            "dropout": float(dropout),
        }
        self.vocab_size, self.block_size = self.config["vocab_size"], self.config["block_size"]
        self.tok_emb = Embedding(vocab_size, n_embd)
        self.pos_emb = LearnedPositionalEncoding(
            n_embd, max_len=block_size, dropout=dropout, batch_first=True
        )
        block = TransformerEncoderLayer(
            n_embd,
            n_head,
            dim_feedforward=4 * n_embd,
            dropout=dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.blocks = TransformerEncoder(block, n_layer, norm=LayerNorm(n_embd))
        self.head = Linear(n_embd, vocab_size)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """GPT-2's initialization, each block drawn separately (not copies of one another)."""
        for name, p in self.named_parameters():
            if p.ndim == 2:  # weight matrices, the token and position tables
                init.normal_(p, 0.0, 0.02)
            elif name.endswith("bias"):
                init.zeros_(p)

    def forward(self, idx) -> Tensor:
        ids = idx.data if isinstance(idx, Tensor) else np.asarray(idx)
        unbatched = ids.ndim == 1
        if unbatched:
            ids = ids[None]
        if ids.ndim != 2 or ids.shape[1] > self.block_size:
            raise ValueError(
                f"TinyGPT(block_size={self.block_size}) expected token ids of shape (N, T) with "
                f"T <= {self.block_size}, got shape {np.shape(idx)}; crop the context to the "
                f"last {self.block_size} tokens (ids[:, -{self.block_size}:])"
            )
        T = ids.shape[1]
        x = self.pos_emb(self.tok_emb(ids))  # (N, T, C)
        x = self.blocks(x, mask=causal_mask(T, dtype=x.data.dtype))  # (N, T, C)
        logits = self.head(x)  # (N, T, V)
        return logits[0] if unbatched else logits

    def generate(
        self,
        idx,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        seed: int | None = None,
    ) -> Tensor:
        """Extend every row of ``idx`` (N, T) by ``max_new_tokens`` sampled tokens -> (N, T + new).

        Each step feeds the last ``block_size`` tokens, takes the logits of the last position,
        divides them by ``temperature`` (below 1: safer, above 1: wilder, 0: always the most
        likely token), keeps the ``top_k`` largest (if given) and samples from their softmax.
        ``seed`` makes the samples reproducible without touching the global generator. Runs in
        evaluation mode without recording gradients; the model's mode is restored afterwards.
        """
        ids = np.array(idx.data if isinstance(idx, Tensor) else idx, dtype=np.int64)
        unbatched = ids.ndim == 1
        ids = ids[None] if unbatched else ids
        if ids.ndim != 2 or ids.shape[1] == 0:
            raise ValueError(
                f"TinyGPT.generate: expected a (N, T) array of token ids with T >= 1 "
                f"(e.g. [[bos_id]]), got shape {np.shape(ids)}"
            )
        if temperature < 0:
            raise ValueError(f"TinyGPT.generate: temperature must be >= 0, got {temperature}")
        if top_k is not None and not 1 <= top_k <= self.vocab_size:
            raise ValueError(
                f"TinyGPT.generate: top_k must be between 1 and vocab_size="
                f"{self.vocab_size}, got {top_k}"
            )
        rng = np.random.default_rng(seed) if seed is not None else default_generator()
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                for _ in range(max_new_tokens):
                    logits = self(ids[:, -self.block_size :]).data[:, -1]  # (N, V)
                    ids = np.concatenate([ids, _sample(logits, temperature, top_k, rng)], axis=1)
        finally:
            self.train(was_training)
        return from_numpy(ids[0] if unbatched else ids)

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.config.items())


def _sample(logits: np.ndarray, temperature: float, top_k: int | None, rng) -> np.ndarray:
    """One token per row of ``logits`` (N, V) -> (N, 1)."""
    if temperature == 0:
        return logits.argmax(axis=1)[:, None]
    z = logits.astype(np.float64) / temperature
    if top_k is not None:
        kth = np.sort(z, axis=1)[:, -top_k][:, None]  # (N, 1)
        z = np.where(z < kth, -np.inf, z)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random((len(p), 1))
    return np.minimum((p.cumsum(axis=1) < u).sum(axis=1), p.shape[1] - 1)[:, None]
