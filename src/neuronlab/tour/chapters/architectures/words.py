"""The sequence part of the architectures stop: a shipped word list, three character models
(a plain RNN, an LSTM and a tiny Transformer), two counting baselines and the measurements the
stop shows (nats per character, samples, next-character accuracy against context length).

The word list is ``neuronlab/data/package/words.txt``: 4,000 English words drawn from SCOWL
(its licence, ``WORDS-LICENSE.txt``, sits beside it).

>>> words = load_words()
>>> len(words), VOCAB.tokens[:5]
(4000, ['<pad>', '<bos>', '<eos>', '<unk>', 'a'])
"""

from __future__ import annotations

import math
import string
from pathlib import Path

import numpy as np

from .... import models
from ....data.text import IGNORE_INDEX, CharVocab, next_char_pairs, read_words, split_words
from ....engine import Tensor, no_grad

WORDS_FILE = Path(__file__).resolve().parents[3] / "data" / "package" / "words.txt"
VOCAB = CharVocab(string.ascii_lowercase)
MAX_WORD = 10
BLOCK = MAX_WORD + 1  # <bos> + the longest word: the most context any model reads
KINDS = {"rnn": "plain RNN", "lstm": "LSTM", "transformer": "Transformer"}
SHIPPED = {"rnn": "words-rnn", "lstm": "words-lstm", "transformer": "words-gpt"}


def load_words(limit: int | None = None, seed: int = 0) -> list[str]:
    """The shipped word list (``limit``: a seeded random subset)."""
    return read_words(WORDS_FILE, min_len=3, max_len=MAX_WORD, limit=limit, seed=seed)


def word_data(limit: int | None = None, seed: int = 0) -> dict[str, np.ndarray]:
    """Training and validation pairs (X, Y: (n, BLOCK) token ids) from a 90/10 split."""
    train, val = split_words(load_words(limit, seed), val_fraction=0.1, seed=seed)
    X, Y = next_char_pairs(train, VOCAB, length=BLOCK)
    Xv, Yv = next_char_pairs(val, VOCAB, length=BLOCK)
    return {"X": X, "Y": Y, "X_val": Xv, "Y_val": Yv, "train": train, "val": val}


def build_model(kind: str, hidden: int = 64):
    """A character model of the given kind, all three of about the same size."""
    V = len(VOCAB)
    if kind == "rnn":
        return models.CharRNN(V, 16, hidden)
    if kind == "lstm":
        return models.CharLSTM(V, 16, hidden // 2)
    if kind == "transformer":
        return models.TinyGPT(V, block_size=BLOCK, n_layer=2, n_head=2, n_embd=hidden // 2)
    raise ValueError(f"build_model: kind must be one of {sorted(KINDS)}, got {kind!r}")


# ----- baselines: counting, no learning ----------------------------------------------------------
def unigram_nats(Y_train: np.ndarray, Y_eval: np.ndarray) -> float:
    """-mean log p(c) with p the add-one smoothed character frequencies of the training set."""
    V = len(VOCAB)
    t = Y_train[Y_train != IGNORE_INDEX]
    log_p = np.log((np.bincount(t, minlength=V) + 1.0) / (len(t) + V))
    return float(-log_p[Y_eval[Y_eval != IGNORE_INDEX]].mean())


def bigram_nats(X_train, Y_train, X_eval, Y_eval) -> float:
    """-mean log p(next | previous) from add-one smoothed pair counts of the training set."""
    V = len(VOCAB)
    keep = Y_train != IGNORE_INDEX
    counts = np.ones((V, V))
    np.add.at(counts, (X_train[keep], Y_train[keep]), 1.0)
    log_p = np.log(counts / counts.sum(axis=1, keepdims=True))
    keep = Y_eval != IGNORE_INDEX
    return float(-log_p[X_eval[keep], Y_eval[keep]].mean())


# ----- measurements of a model -------------------------------------------------------------------
def model_nats(model, X: np.ndarray, Y: np.ndarray) -> float:
    """The model's cross-entropy in nats per character on (X, Y), padded targets skipped."""
    with no_grad():
        logits = model(Tensor(X)).data  # (N, T, V)
    z = logits - logits.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    keep = Y != IGNORE_INDEX
    return float(-np.take_along_axis(log_p[keep], Y[keep][:, None], axis=1).mean())


def samples(model, n: int = 8, seed: int = 0, temperature: float = 0.8) -> list[str]:
    """``n`` invented words: sampled one character at a time until the model writes <eos>."""
    if isinstance(model, models.TinyGPT):  # n rows at once; decode stops at the first <eos>
        ids = model.generate([[VOCAB.bos_id]] * n, MAX_WORD, temperature, seed=seed).data
        return [VOCAB.decode(row[1:]) for row in ids]
    ids = model.generate_batch(
        [VOCAB.bos_id], n, max_len=MAX_WORD, temperature=temperature, seed=seed, end=VOCAB.eos_id
    )
    return [VOCAB.decode(s) for s in ids]


def context_accuracy(model, X: np.ndarray, Y: np.ndarray, k: int) -> float:
    """Next-character accuracy when the model sees only the last ``k`` tokens before each target.

    The prediction of ``Y[:, t]`` uses ``X[:, max(0, t - k + 1) : t + 1]``; windows are run in
    groups of equal length (no padding inside a window, so nothing but the context changes).
    """
    correct = total = 0
    T = X.shape[1]
    for t in range(T):
        rows = np.flatnonzero(Y[:, t] != IGNORE_INDEX)
        if not len(rows):
            continue
        window = X[rows, max(0, t - k + 1) : t + 1]  # (n, <= k)
        with no_grad():
            logits = model(Tensor(window)).data[:, -1]  # (n, V)
        correct += int((logits.argmax(axis=1) == Y[rows, t]).sum())
        total += len(rows)
    return correct / max(total, 1)


def bigram_accuracy(X_train, Y_train, X_eval, Y_eval) -> float:
    """Accuracy of always predicting the most frequent next character after the previous one."""
    V = len(VOCAB)
    keep = Y_train != IGNORE_INDEX
    counts = np.zeros((V, V))
    np.add.at(counts, (X_train[keep], Y_train[keep]), 1.0)
    keep = Y_eval != IGNORE_INDEX
    return float((counts.argmax(axis=1)[X_eval[keep]] == Y_eval[keep]).mean())


def clean_word(text: str) -> tuple[str, list[str]]:
    """(the word in the model's alphabet, the characters dropped): lowercase a-z only."""
    lowered = text.strip().lower()
    dropped = sorted({c for c in lowered if c not in VOCAB.index or c in ("<", ">")})
    kept = "".join(c for c in lowered if c in string.ascii_lowercase)
    return kept[:MAX_WORD], dropped


def perplexity(nats: float) -> float:
    """e^nats: the number of equally likely characters that would be as uncertain."""
    return math.exp(nats)
