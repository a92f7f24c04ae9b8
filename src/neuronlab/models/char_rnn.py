"""``CharRNN`` and ``CharLSTM``: character-level language models that read text one character at
a time, predict the next one, and generate new text by sampling their own predictions.

    ids (N, T) -> Embedding -> (N, T, E) -> RNN / LSTM -> (N, T, H) -> Linear -> logits (N, T, V)

Train with ``sequence_cross_entropy(logits, targets)`` on the pairs of
``neuronlab.data.text.next_char_pairs`` (padded targets are ignored), then call ``generate``.
``examples/char_lstm_words.py`` trains one on a word list and invents words.
"""

from __future__ import annotations

import numpy as np

from ..engine.grad_mode import no_grad
from ..engine.random import default_generator
from ..engine.tensor import Tensor
from ..nn.embedding import Embedding
from ..nn.linear import Linear
from ..nn.loss_functional import cross_entropy
from ..nn.module import Module
from ..nn.recurrent import LSTM, RNN, check_size


def sequence_cross_entropy(logits: Tensor, targets, ignore_index: int = -100) -> Tensor:
    """Mean cross-entropy over every (example, step) whose target is not ``ignore_index``:
    logits (N, T, V), targets (N, T) -> a scalar (nats per character)."""
    V = logits.shape[-1]
    targets = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    return cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=ignore_index)


def _sample(logits: np.ndarray, temperature: float, rng) -> np.ndarray:
    """One id per row of ``logits`` (n, V): softmax(logits / temperature); argmax at 0."""
    if temperature == 0:
        return logits.argmax(axis=1)
    z = logits.astype(np.float64) / temperature
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random(len(p))[:, None]
    return np.minimum((p.cumsum(axis=1) < u).sum(axis=1), p.shape[1] - 1)


class CharRNN(Module):
    """logits = Linear(RNN(Embedding(ids))): a next-character model with a plain tanh RNN.

    Shape: ids (N, T) int64 -> logits (N, T, vocab_size).

    Args:
        vocab_size: number of tokens (``len(CharVocab)``).
        embedding_dim: size of each character's vector.
        hidden_size: size of the recurrent state.
        num_layers: stacked recurrent layers (default 1).
        dropout: between recurrent layers, in training (default 0).

    >>> import neuronlab as nl
    >>> model = CharRNN(10, 4, 8)
    >>> model(nl.tensor([[1, 2, 3]])).shape
    (1, 3, 10)
    >>> len(model.generate([1], max_len=5, seed=0))
    5
    """

    recurrent_class = RNN

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int,
        hidden_size: int,
        num_layers: int = 1,
        dropout: float = 0.0,
    ):
        super().__init__()
        who = type(self).__name__
        self.vocab_size = check_size(who, "vocab_size", vocab_size)
        self.embedding_dim = check_size(who, "embedding_dim", embedding_dim)
        self.hidden_size = check_size(who, "hidden_size", hidden_size)
        self.num_layers = check_size(who, "num_layers", num_layers)
        self.dropout = float(dropout)
        self.embedding = Embedding(vocab_size, embedding_dim)
        self.rnn = self.recurrent_class(
            embedding_dim, hidden_size, num_layers, batch_first=True, dropout=dropout
        )
        self.head = Linear(hidden_size, vocab_size)

    def step(self, ids, state=None):
        """(logits (N, T, V), the recurrent state after the last step), continuing from
        ``state`` (None: zeros). Feeding a sequence in pieces with the state gives the same
        logits as feeding it whole."""
        if not isinstance(ids, Tensor):
            ids = Tensor(np.asarray(ids, dtype=np.int64))
        if ids.ndim != 2:
            raise ValueError(
                f"{type(self).__name__} expected token ids of shape (N, T), got "
                f"shape {ids.shape}; add the batch axis with ids[None]"
            )
        out, state = self.rnn(self.embedding(ids), state)  # (N, T, H)
        return self.head(out), state

    def forward(self, ids) -> Tensor:
        return self.step(ids)[0]

    def generate(
        self,
        start,
        max_len: int = 20,
        temperature: float = 1.0,
        seed: int | None = None,
        *,
        end: int | None = None,
    ) -> list[int]:
        """Sample a continuation of the ids ``start``: up to ``max_len`` new ids, stopping
        early (and leaving it out) when ``end`` is drawn. ``temperature`` < 1 sharpens the
        distribution, > 1 flattens it, 0 always takes the most likely id. ``seed`` makes it
        reproducible (None: the engine's generator)."""
        return self.generate_batch(start, 1, max_len, temperature, seed, end=end)[0]

    def generate_batch(
        self,
        start,
        num_samples: int,
        max_len: int = 20,
        temperature: float = 1.0,
        seed: int | None = None,
        *,
        end: int | None = None,
    ) -> list[list[int]]:
        """``num_samples`` continuations of ``start`` at once (see ``generate``)."""
        start = np.asarray(start, dtype=np.int64).reshape(-1)
        if not len(start):
            raise ValueError("generate: start must hold at least one id (e.g. [vocab.bos_id])")
        if temperature < 0:
            raise ValueError(f"generate: temperature must be >= 0, got {temperature}")
        rng = default_generator() if seed is None else np.random.default_rng(seed)
        was_training = self.training
        self.eval()
        samples: list[list[int]] = [[] for _ in range(num_samples)]
        done = np.zeros(num_samples, dtype=bool)
        try:
            with no_grad():
                logits, state = self.step(np.tile(start, (num_samples, 1)))
                for _ in range(max_len):
                    ids = _sample(logits.data[:, -1], temperature, rng)  # (num_samples,)
                    for k in np.flatnonzero(~done):
                        if end is not None and ids[k] == end:
                            done[k] = True
                        else:
                            samples[k].append(int(ids[k]))
                    if done.all():
                        break
                    logits, state = self.step(ids[:, None], state)
        finally:
            self.train(was_training)
        return samples

    def extra_repr(self) -> str:
        return (
            f"vocab_size={self.vocab_size}, embedding_dim={self.embedding_dim}, "
            f"hidden_size={self.hidden_size}, num_layers={self.num_layers}"
        )


class CharLSTM(CharRNN):
    """logits = Linear(LSTM(Embedding(ids))): a next-character model with an LSTM, which keeps
    information over many more steps than a plain RNN.

    Shape and arguments: as for ``CharRNN``.

    >>> import neuronlab as nl
    >>> model = CharLSTM(10, 4, 8, num_layers=2)
    >>> model(nl.tensor([[1, 2, 3]])).shape
    (1, 3, 10)
    """

    recurrent_class = LSTM
