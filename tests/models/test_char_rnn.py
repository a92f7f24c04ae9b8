"""CharRNN / CharLSTM: shapes, generation, saving, and the demonstration that an LSTM trained on
a word list beats the unigram baseline and invents new words."""

from __future__ import annotations

import importlib.util
import string
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import neuronlab as nl
from neuronlab.io.architecture import build, describe
from neuronlab.io.layers_recurrent import register
from neuronlab.models.char_rnn import CharLSTM, CharRNN, sequence_cross_entropy
from neuronlab.nn.recurrent import LSTM, RNN

ROOT = Path(__file__).resolve().parents[2]
WORDS = Path("/usr/share/dict/words")


def test_models_are_embedding_recurrent_linear():
    model = CharLSTM(12, 5, 7, num_layers=2)
    assert isinstance(model.rnn, LSTM) and model.rnn.num_layers == 2 and model.rnn.batch_first
    assert isinstance(CharRNN(12, 5, 7).rnn, RNN)
    assert model.embedding.weight.shape == (12, 5) and model.head.weight.shape == (12, 7)
    ids = nl.tensor(np.random.default_rng(0).integers(0, 12, (3, 6)))
    assert model(ids).shape == (3, 6, 12)


def test_step_with_state_continues_the_sequence():
    model = CharLSTM(10, 4, 6).double()
    ids = np.random.default_rng(1).integers(0, 10, (2, 7))
    whole, _ = model.step(ids)
    first, state = model.step(ids[:, :4])
    second, _ = model.step(ids[:, 4:], state)
    np.testing.assert_allclose(whole.data[:, 4:], second.data, rtol=1e-12)


def test_sequence_cross_entropy_ignores_padding():
    logits = nl.randn(2, 3, 5, requires_grad=True)
    targets = np.array([[1, 2, -100], [4, -100, -100]])
    loss = sequence_cross_entropy(logits, targets)
    log_p = logits.data - np.log(np.exp(logits.data).sum(-1, keepdims=True))
    expected = -(log_p[0, 0, 1] + log_p[0, 1, 2] + log_p[1, 0, 4]) / 3
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    loss.backward()
    assert not logits.grad[0, 2].any() and not logits.grad[1, 1:].any()


def test_generate_is_seeded_stops_at_end_and_restores_training_mode():
    nl.manual_seed(0)
    model = CharRNN(8, 4, 6)
    a = model.generate([1], max_len=15, seed=3)
    assert a == model.generate([1], max_len=15, seed=3) and len(a) == 15
    assert all(0 <= i < 8 for i in a)
    assert model.training
    # greedy decoding (temperature 0) is deterministic without a seed
    assert model.generate([1, 2], 10, temperature=0) == model.generate([1, 2], 10, temperature=0)
    # an end id stops a sample early and is left out
    samples = model.generate_batch([1], 40, max_len=30, temperature=2.0, seed=0, end=5)
    assert len(samples) == 40
    assert all(5 not in s for s in samples)
    assert any(len(s) < 30 for s in samples)


def test_generate_rejects_bad_arguments():
    model = CharLSTM(8, 4, 6)
    with pytest.raises(ValueError, match="at least one id"):
        model.generate([], 5)
    with pytest.raises(ValueError, match="temperature must be >= 0"):
        model.generate([1], 5, temperature=-1)
    with pytest.raises(ValueError, match=r"shape \(N, T\)"):
        model.step(np.array([1, 2, 3]))


def test_save_and_load_round_trip(tmp_path):
    register()
    model = CharLSTM(9, 4, 5, num_layers=2, dropout=0.1)
    assert describe(model)["module"]["config"]["num_layers"] == 2
    assert repr(build(describe(model))) == repr(model)
    nl.io.save(model, tmp_path / "m.safetensors")
    loaded = nl.io.load(tmp_path / "m.safetensors")
    ids = nl.tensor([[1, 2, 3]])
    np.testing.assert_array_equal(model.eval()(ids).data, loaded.eval()(ids).data)
    assert model.generate([1], 8, seed=0) == loaded.generate([1], 8, seed=0)


def _example():
    spec = importlib.util.spec_from_file_location(
        "char_lstm_words", ROOT / "examples" / "char_lstm_words.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_char_lstm_learns_words_and_invents_new_ones():
    example = _example()
    from neuronlab.data.text import read_words

    words = read_words(WORDS, limit=3000, seed=0)
    # One BLAS thread: the per-step matrices are small, and threaded BLAS on a busy machine
    # spends most of its time waiting (measured 20x slower under load).
    with threadpool_limits(limits=1, user_api="blas"):
        model, vocab, train_words, history = example.train(
            words, epochs=5, hidden_size=64, seed=0, log=lambda *_: None
        )
    best = min(history["val_loss"])
    assert best <= history["baseline"] - 0.3, history
    samples = example.sample_words(model, vocab, n=60, temperature=0.8, seed=1)
    print("generated:", ", ".join(samples[:20]))
    assert all(set(s) <= set(string.ascii_lowercase) for s in samples)
    new = [s for s in samples if s not in set(train_words)]
    assert len(new) >= 0.7 * len(samples), samples
    lengths = np.array([len(s) for s in samples])
    assert 3 <= np.median(lengths) <= 12, lengths
    assert np.mean((lengths >= 2) & (lengths < 20)) >= 0.9, lengths
