"""The character-level text helper: vocabulary, encoding, training pairs, the unigram baseline."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuronlab.data.errors import DatasetNotFoundError
from neuronlab.data.text import (
    IGNORE_INDEX,
    CharVocab,
    next_char_pairs,
    read_text,
    read_words,
    split_words,
    text_windows,
    unigram_loss,
)


@pytest.fixture
def word_file(tmp_path):
    path = tmp_path / "words"
    path.write_text("Cat\ncat\ndog's\nA\nzebra\nÉclair\nox\nhippopotamuses\n\nbird\n")
    return path


def test_vocab_puts_specials_first_and_round_trips():
    vocab = CharVocab.build(["hello", "world"])
    assert vocab.tokens[:4] == ["<pad>", "<bos>", "<eos>", "<unk>"]
    assert vocab.tokens[4:] == sorted(set("helloworld"))
    assert (vocab.pad_id, vocab.bos_id, vocab.eos_id, vocab.unk_id) == (0, 1, 2, 3)
    ids = vocab.encode("hold", frame=True)
    assert ids.dtype == np.int64 and ids[0] == vocab.bos_id and ids[-1] == vocab.eos_id
    assert vocab.decode(ids) == "hold"
    assert vocab.encode("hex").tolist()[-1] == vocab.unk_id  # x is unknown
    assert vocab.decode(vocab.encode("hex")) == "he"  # decode drops special tokens
    assert vocab.decode([vocab.index["h"], vocab.eos_id, vocab.index["e"]]) == "h"


def test_vocab_rejects_multi_character_tokens():
    with pytest.raises(ValueError, match="single characters"):
        CharVocab(["ab"])


def test_next_char_pairs_frame_shift_and_pad():
    vocab = CharVocab.build(["ab", "b"])
    a, b = vocab.index["a"], vocab.index["b"]
    X, Y = next_char_pairs(["ab", "b"], vocab)
    assert X.tolist() == [[vocab.bos_id, a, b], [vocab.bos_id, b, vocab.pad_id]]
    assert Y.tolist() == [[a, b, vocab.eos_id], [b, vocab.eos_id, IGNORE_INDEX]]
    X, Y = next_char_pairs(["ab"], vocab, length=5)
    assert X.shape == Y.shape == (1, 5) and (Y[0, 3:] == IGNORE_INDEX).all()


def test_text_windows_shift_by_one():
    vocab = CharVocab.build("abcdefg")
    X, Y = text_windows("abcdefg", vocab, seq_len=3, stride=2)
    assert [vocab.decode(r) for r in X] == ["abc", "cde"]
    assert [vocab.decode(r) for r in Y] == ["bcd", "def"]
    with pytest.raises(ValueError, match="fewer than seq_len"):
        text_windows("ab", vocab, seq_len=3)


def test_unigram_loss_is_the_smoothed_frequency_cross_entropy():
    train = np.array([[4, 4, 4, 5, IGNORE_INDEX]])
    evaluation = np.array([[4, 5, IGNORE_INDEX]])
    p4, p5 = (3 + 1) / (4 + 6), (1 + 1) / (4 + 6)  # add-one over V = 6 tokens
    expected = -(math.log(p4) + math.log(p5)) / 2
    assert unigram_loss(train, evaluation, vocab_size=6) == pytest.approx(expected)


def test_read_words_filters_lowercases_and_deduplicates(word_file):
    assert read_words(word_file) == ["cat", "zebra", "ox", "bird"]
    assert read_words(word_file, max_len=20) == ["cat", "zebra", "ox", "hippopotamuses", "bird"]
    picked = read_words(word_file, limit=2, seed=1)
    assert len(picked) == 2 and picked == read_words(word_file, limit=2, seed=1)
    with pytest.raises(ValueError, match="no words"):
        read_words(word_file, alphabet="q")


def test_missing_text_file_says_how_to_get_one(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="apt-get install wamerican"):
        read_text(tmp_path / "nope.txt")


def test_split_words_is_a_seeded_partition():
    words = [f"w{i}" for i in range(50)]
    train, val = split_words(words, 0.2, seed=3)
    assert len(val) == 10 and sorted(train + val) == sorted(words)
    assert split_words(words, 0.2, seed=3) == (train, val)
    with pytest.raises(ValueError, match="val_fraction"):
        split_words(words, 1.5)
