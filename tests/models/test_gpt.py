"""TinyGPT: causality, PyTorch parity of the whole model (weights copied), generation (seeded,
cropped to the context, greedy and top-k), saving and loading, errors, and a slow end-to-end
run of ``examples/tiny_gpt_words.py`` that must beat the unigram baseline and invent words."""

from __future__ import annotations

import importlib.util
import string
from pathlib import Path

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

import neuronlab as nl
from neuronlab.models.gpt import TinyGPT
from neuronlab.nn.attention import causal_mask

ROOT = Path(__file__).resolve().parents[2]
WORDS = Path("/usr/share/dict/words")
V, BLOCK = 11, 8


def _model(**options):
    nl.manual_seed(0)
    return TinyGPT(V, BLOCK, n_layer=2, n_head=2, n_embd=8, **options)


def _ids(shape, seed=0):
    return np.random.default_rng(seed).integers(0, V, shape)


def test_shapes_and_independent_blocks():
    model = _model()
    assert model(_ids((3, 5))).shape == (3, 5, V)
    assert model(_ids(4)).shape == (4, V)  # one unbatched sequence
    a, b = model.blocks.layers
    assert not np.allclose(a.linear1.weight.data, b.linear1.weight.data)  # not copies of one
    assert np.allclose(model.tok_emb.weight.data.std(), 0.02, rtol=0.3)


def test_the_model_is_causal():
    """Changing token t changes the predictions at positions >= t only."""
    model = _model()
    ids = _ids((2, 7))
    changed = ids.copy()
    changed[:, 4] = (changed[:, 4] + 1) % V
    with nl.no_grad():
        a, b = model(ids).data, model(changed).data
    np.testing.assert_array_equal(a[:, :4], b[:, :4])
    assert not np.allclose(a[:, 4:], b[:, 4:])


class _TorchPositions(torch.nn.Module):
    def __init__(self, weight):
        super().__init__()
        self.weight = torch.nn.Parameter(weight)


class _TorchGPT(torch.nn.Module):
    """The same model written with PyTorch's layers and parameter names."""

    def __init__(self, n_layer=2, n_head=2, n_embd=8):
        super().__init__()
        self.tok_emb = torch.nn.Embedding(V, n_embd)
        self.pos_emb = _TorchPositions(torch.zeros(BLOCK, n_embd))
        layer = torch.nn.TransformerEncoderLayer(
            n_embd,
            n_head,
            4 * n_embd,
            dropout=0.0,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.blocks = torch.nn.TransformerEncoder(
            layer, n_layer, norm=torch.nn.LayerNorm(n_embd), enable_nested_tensor=False
        )
        self.head = torch.nn.Linear(n_embd, V)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.tok_emb(idx) + self.pos_emb.weight[:T]
        mask = torch.from_numpy(causal_mask(T, dtype=np.float64))
        return self.head(self.blocks(x, mask=mask, is_causal=True))


@pytest.mark.torch
def test_matches_the_same_model_in_torch():
    model = _model().double()
    twin = _TorchGPT().double()
    twin.load_state_dict({k: torch.tensor(v.data) for k, v in model.state_dict().items()})
    ids = _ids((3, 6))
    targets = _ids((3, 6), seed=1)
    logits = model(ids)
    t_logits = twin(torch.from_numpy(ids))
    np.testing.assert_allclose(logits.data, t_logits.detach().numpy(), rtol=1e-6, atol=1e-10)
    nl.nn.functional.cross_entropy(logits.reshape(-1, V), targets.reshape(-1)).backward()
    torch.nn.functional.cross_entropy(
        t_logits.reshape(-1, V), torch.from_numpy(targets).reshape(-1)
    ).backward()
    t_params = dict(twin.named_parameters())
    assert [n for n, _ in model.named_parameters()] == list(t_params)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(
            p.grad, t_params[name].grad.numpy(), rtol=1e-6, atol=1e-10, err_msg=name
        )


def test_generate():
    model = _model()
    start = np.array([[1], [2], [3]])
    state = nl.engine.random.default_generator().bit_generator.state
    a = model.generate(start, 12, seed=5)  # longer than the context: it is cropped each step
    assert nl.engine.random.default_generator().bit_generator.state == state  # untouched
    assert a.shape == (3, 13) and a.dtype == np.int64
    np.testing.assert_array_equal(a.numpy()[:, :1], start)
    assert a.numpy().min() >= 0 and a.numpy().max() < V
    np.testing.assert_array_equal(model.generate(start, 12, seed=5).numpy(), a.numpy())
    assert not np.array_equal(model.generate(start, 12, seed=6).numpy(), a.numpy())
    greedy = model.generate(start, 5, temperature=0)
    np.testing.assert_array_equal(model.generate(start, 5, top_k=1, seed=1).numpy(), greedy.numpy())
    with nl.no_grad():  # greedy = the argmax of the model's own prediction at each step
        np.testing.assert_array_equal(
            model(greedy.numpy()[:, :5]).data.argmax(-1), greedy.numpy()[:, 1:]
        )
    assert model.training  # the mode is restored
    assert model.generate([4], 3, seed=0).shape == (4,)


def test_top_k_only_samples_the_k_most_likely():
    model = _model()
    with nl.no_grad():
        logits = model(np.array([[1]])).data[0, -1]
    allowed = set(np.argsort(logits)[-3:].tolist())
    samples = model.generate(np.ones((200, 1), np.int64), 1, top_k=3, temperature=2.0, seed=0)
    assert set(samples.numpy()[:, 1].tolist()) == allowed


def test_errors():
    model = _model()
    with pytest.raises(
        ValueError,
        match=r"TinyGPT\(block_size=8\) expected token ids of shape "
        r"\(N, T\) with T <= 8, got shape \(2, 9\); crop the context",
    ):
        model(_ids((2, 9)))
    with pytest.raises(ValueError, match=r"top_k must be between 1 and vocab_size=11, got 0"):
        model.generate([[1]], 2, top_k=0)
    with pytest.raises(ValueError, match=r"temperature must be >= 0, got -1"):
        model.generate([[1]], 2, temperature=-1)
    with pytest.raises(ValueError, match=r"TinyGPT: n_embd must be a positive integer"):
        TinyGPT(V, BLOCK, n_embd=0)


def test_save_load_round_trip(tmp_path):
    from neuronlab.io import layers_attention

    layers_attention.register()
    model = _model(dropout=0.1).eval()
    path = tmp_path / "gpt.safetensors"
    nl.io.save(model, path)
    loaded = nl.io.load(path).eval()
    assert repr(loaded) == repr(model)
    ids = _ids((2, 5))
    np.testing.assert_array_equal(loaded(ids).data, model(ids).data)


# ----- end to end ------------------------------------------------------------------------------
def _example():
    spec = importlib.util.spec_from_file_location(
        "tiny_gpt_words", ROOT / "examples" / "tiny_gpt_words.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_tiny_gpt_learns_words_and_invents_new_ones():
    example = _example()
    from neuronlab.data.text import read_words

    words = read_words(WORDS, limit=3000, seed=0)
    with threadpool_limits(limits=1, user_api="blas"):  # small matrices: threads only wait
        model, vocab, train_words, history = example.train(
            words,
            epochs=5,
            n_layer=2,
            n_head=4,
            n_embd=48,
            dropout=0.0,
            seed=0,
            log=lambda *_: None,
        )
        samples = example.sample_words(model, vocab, n=60, temperature=0.8, seed=1)
        picture = example.attention_picture(model, vocab, "word")
    best = min(history["val_loss"])
    assert best <= history["baseline"] - 0.3, history
    print("generated:", ", ".join(samples[:20]))
    assert all(set(s) <= set(string.ascii_lowercase) for s in samples)
    new = [s for s in samples if s not in set(words)]
    assert len(new) >= 0.7 * len(samples), samples
    lengths = np.array([len(s) for s in samples])
    assert 3 <= np.median(lengths) <= 12, lengths
    assert np.mean((lengths >= 2) & (lengths <= 15)) >= 0.9, lengths
    assert len(picture) == 4 and "reading 'w'" in picture[0]
