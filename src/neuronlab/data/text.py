"""Character-level text for sequence models: read words or any text, build a vocabulary, encode,
decode, and make next-character training pairs.

A character model reads a word one character at a time and predicts the next one. Each word is
framed by a start token and an end token, so the model also learns how words begin and when
they stop:

    input   <bos> c  a  t            (token ids, padded with <pad> to the longest word)
    target  c     a  t  <eos>        (the input shifted by one; padding is IGNORE_INDEX)

The baseline a model has to beat is the unigram model, which predicts every character with its
overall frequency and ignores context: ``unigram_loss`` gives its loss in nats per character.

>>> vocab = CharVocab.build(["cat", "act"])
>>> vocab.tokens
['<pad>', '<bos>', '<eos>', '<unk>', 'a', 'c', 't']
>>> X, Y = next_char_pairs(["cat"], vocab)
>>> X.tolist(), Y.tolist()
([[1, 5, 4, 6]], [[5, 4, 6, 2]])
>>> vocab.decode(Y[0])
'cat'
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .errors import DatasetNotFoundError

DEFAULT_WORDS = "/usr/share/dict/words"
SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>")
IGNORE_INDEX = -100  # the default ignore_index of cross_entropy: padded targets count for nothing


class CharVocab:
    """A character vocabulary: the special tokens (pad, bos, eos, unk) first, then characters.

    ``encode`` maps characters to ids (unknown ones to ``<unk>``), ``decode`` maps ids back and
    drops the special tokens, stopping at the first ``<eos>``.
    """

    def __init__(self, chars: Iterable[str]):
        chars = [c for c in dict.fromkeys(chars) if c not in SPECIALS]
        for c in chars:
            if len(c) != 1:
                raise ValueError(f"CharVocab: tokens must be single characters, got {c!r}")
        self.tokens = [*SPECIALS, *chars]
        self.index = {token: i for i, token in enumerate(self.tokens)}
        self.pad_id, self.bos_id, self.eos_id, self.unk_id = range(4)

    @classmethod
    def build(cls, texts: Iterable[str]) -> CharVocab:
        """The vocabulary of every character in ``texts``, sorted."""
        return cls(sorted(set().union(*map(set, texts))))

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} tokens: {''.join(self.tokens[len(SPECIALS) :])!r})"

    def encode(self, text: str, frame: bool = False) -> np.ndarray:
        """Token ids (int64) of ``text``; ``frame=True`` adds <bos> before and <eos> after."""
        ids = [self.index.get(c, self.unk_id) for c in text]
        if frame:
            ids = [self.bos_id, *ids, self.eos_id]
        return np.asarray(ids, dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> str:
        """The text of ``ids``, without special tokens, up to the first <eos>."""
        out = []
        for i in np.asarray(ids, dtype=np.int64).reshape(-1).tolist():
            if i == self.eos_id:
                break
            if i >= len(SPECIALS) and i < len(self.tokens):
                out.append(self.tokens[i])
        return "".join(out)


def read_text(path) -> str:
    """The contents of any text file (UTF-8), with a clear error if it is missing."""
    path = Path(path)
    if not path.is_file():
        raise DatasetNotFoundError(
            f"read_text: no text file at {str(path)!r}. Pass the path of any UTF-8 text file; "
            "for a word list on Debian/Ubuntu run `sudo apt-get install wamerican` (it installs "
            f"{DEFAULT_WORDS}).",
            dataset="text",
            searched=[str(path.parent)],
            hints=["sudo apt-get install wamerican"],
        )
    return path.read_text(encoding="utf-8", errors="replace")


def read_words(
    path=DEFAULT_WORDS,
    *,
    alphabet: str = string.ascii_lowercase,
    lowercase: bool = True,
    min_len: int = 2,
    max_len: int = 12,
    limit: int | None = None,
    seed: int = 0,
) -> list[str]:
    """Distinct words from a word list (one per line), keeping only those made of ``alphabet``
    with min_len <= length <= max_len; ``limit`` draws that many at random (seeded)."""
    seen = dict.fromkeys(
        w
        for line in read_text(path).splitlines()
        if (w := (line.strip().lower() if lowercase else line.strip()))
    )
    allowed = set(alphabet)
    words = [w for w in seen if min_len <= len(w) <= max_len and set(w) <= allowed]
    if not words:
        raise ValueError(
            f"read_words: no words in {str(path)!r} are made only of {alphabet!r} "
            f"with {min_len} to {max_len} characters; widen alphabet or lengths"
        )
    if limit is not None and limit < len(words):
        pick = np.random.default_rng(seed).choice(len(words), size=limit, replace=False)
        words = [words[i] for i in sorted(pick)]
    return words


def split_words(
    words: Sequence[str], val_fraction: float = 0.1, seed: int = 0
) -> tuple[list[str], list[str]]:
    """(train, validation) lists, shuffled with ``seed``."""
    if not 0 < val_fraction < 1:
        raise ValueError(f"split_words: val_fraction must be between 0 and 1, got {val_fraction}")
    order = np.random.default_rng(seed).permutation(len(words))
    n_val = max(1, round(len(words) * val_fraction))
    return [words[i] for i in order[n_val:]], [words[i] for i in order[:n_val]]


def next_char_pairs(
    words: Sequence[str], vocab: CharVocab, length: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y), both (n_words, T) int64: X = <bos> + word, Y = word + <eos>, padded to T
    (the longest word + 1 unless ``length`` is given) with <pad> in X and IGNORE_INDEX in Y."""
    T = length if length is not None else max(len(w) for w in words) + 1
    X = np.full((len(words), T), vocab.pad_id, dtype=np.int64)
    Y = np.full((len(words), T), IGNORE_INDEX, dtype=np.int64)
    for row, word in enumerate(words):
        ids = vocab.encode(word, frame=True)[: T + 1]
        X[row, : len(ids) - 1] = ids[:-1]
        Y[row, : len(ids) - 1] = ids[1:]
    return X, Y


def text_windows(
    text: str, vocab: CharVocab, seq_len: int, stride: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y), both (n_windows, seq_len) int64, from running text: windows of ``seq_len``
    characters every ``stride`` (default seq_len) and the same windows shifted by one."""
    ids = vocab.encode(text)
    stride = stride or seq_len
    starts = np.arange(0, len(ids) - seq_len, stride)
    if not len(starts):
        raise ValueError(
            f"text_windows: the text has {len(ids)} characters, fewer than "
            f"seq_len + 1 = {seq_len + 1}; use a shorter seq_len or more text"
        )
    rows = starts[:, None] + np.arange(seq_len)  # (n_windows, seq_len)
    return ids[rows], ids[rows + 1]


def unigram_loss(train_targets: np.ndarray, eval_targets: np.ndarray, vocab_size: int) -> float:
    """Cross-entropy (nats per character) on ``eval_targets`` of the unigram model fitted on
    ``train_targets``: p(c) = (count(c) + 1) / (total + V), add-one smoothed so that unseen
    characters are possible. IGNORE_INDEX entries are skipped. A model that uses context should
    beat it.

    >>> Y = np.array([[4, 4, 5, 2]])
    >>> round(unigram_loss(Y, Y, vocab_size=6), 4)
    1.4067
    """
    train = np.asarray(train_targets).reshape(-1)
    counts = np.bincount(train[train != IGNORE_INDEX], minlength=vocab_size) + 1.0
    log_p = np.log(counts / counts.sum())
    ev = np.asarray(eval_targets).reshape(-1)
    ev = ev[ev != IGNORE_INDEX]
    return float(-log_p[ev].mean()) if len(ev) else math.nan
