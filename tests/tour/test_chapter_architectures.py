"""The architectures stop: its claims at tiny sizes, the shipped models, bad input, and the
measurements behind each widget against outside references (PyTorch, SciPy, plain counting)."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import torch
from scipy import ndimage

import neuronlab as nl
from neuronlab.data.text import unigram_loss
from neuronlab.interpret.attention_maps import attention_maps
from neuronlab.models import TinyGPT, load_pretrained, pretrained_card
from neuronlab.tour.chapters.architectures import CHAPTER, images, words
from neuronlab.tour.markdown import to_html
from neuronlab.tour.runner import check_claim, run_experiment, run_headless
from neuronlab.tour.schema import ParamError

pytestmark = pytest.mark.usefixtures("one_blas_thread")


@pytest.mark.parametrize("claim", [c.id for c in CHAPTER.claims])
def test_claim_holds_at_tiny_size(claim):
    result = check_claim("architectures", claim, tiny=True)
    assert result.passed, result.detail


def test_claim_texts_are_in_the_prose_and_every_widget_is_placed():
    text = " ".join(re.sub(r"[*_`]", "", CHAPTER.text()).split())
    html = to_html(CHAPTER.text())
    assert "math-error" not in html and html.count("<math") >= 4
    for step in CHAPTER.tour_steps():
        assert f'data-widget="{step.widget}"' in html, step.widget
    assert 'data-widget="drawing"' in html
    for claim in CHAPTER.claims:
        assert " ".join(claim.text.split()) in text, claim.id


@pytest.mark.parametrize("name", ["fashion-cnn", "fashion-mlp", "words-rnn", "words-lstm",
                                  "words-gpt"])  # fmt: skip
def test_every_model_the_stop_opens_with_ships_with_its_card(name):
    model, card = load_pretrained(name), pretrained_card(name)
    assert card["parameters"] == sum(p.data.size for p in model.parameters())
    assert card["command"].endswith(name) and card["seed"] == 0


def test_the_shipped_cnn_keeps_its_promise_to_the_interpretability_stop():
    cnn = load_pretrained("fashion-cnn")
    assert isinstance(cnn, nl.models.SmallCNN) and cnn.channels == (8, 16) and cnn.hidden == 64
    X, y = images.test_images()
    assert images.accuracy(cnn, X, y) >= 0.85


def test_blank_and_noisy_drawings_get_an_answer_with_its_confidence():
    blank = run_experiment("architectures", "classify_drawing", {"pixels": [0.0] * 784})
    noise = np.random.default_rng(0).random(784).tolist()
    noisy = run_experiment("architectures", "classify_drawing", {"pixels": noise})
    for out, why in ((blank, "blank"), (noisy, "noise")):
        assert sum(out["probs"]) == pytest.approx(1.0, abs=1e-4)
        assert out["prediction"] in images.CLASSES and 0.1 <= out["confidence"] <= 1.0
        assert why in out["unusual"]
    drawn = np.zeros((28, 28))
    drawn[4:24, 10:18] = 1.0  # a thick vertical bar: trousers, roughly
    out = run_experiment("architectures", "classify_drawing", {"pixels": drawn.ravel().tolist()})
    assert out["unusual"] is None and len(out["feature_maps"]["rows"]) == 6


def test_drawings_of_the_wrong_size_or_range_are_refused_clearly():
    with pytest.raises(ParamError, match="784"):
        run_experiment("architectures", "classify_drawing", {"pixels": [0.0] * 783})
    with pytest.raises(ParamError, match="from 0 to 1"):
        run_experiment("architectures", "classify_drawing", {"pixels": [2.0] * 784})


def test_feature_maps_match_pytorch_on_the_shipped_cnn():
    cnn = load_pretrained("fashion-cnn")
    X, _ = images.test_images()
    out = images.look(cnn, X[:1])
    ref = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU())
    ref[0].weight.data = torch.tensor(cnn.features[0].weight.data)
    ref[0].bias.data = torch.tensor(cnn.features[0].bias.data)
    maps = ref(torch.tensor(X[:1])).detach().numpy()[0]  # (8, 28, 28)
    got = np.stack([nl.tour.decode_grid(g) for g in out["feature_maps"]["rows"][1]["grids"]])
    np.testing.assert_allclose(got, maps / np.abs(maps).max(), atol=2 / 255)
    logits = cnn(nl.tensor(X[:1])).data[0]
    ref_probs = torch.softmax(torch.tensor(logits, dtype=torch.float64), 0).numpy()
    np.testing.assert_allclose(out["probs"], ref_probs, atol=1e-5)


@pytest.mark.parametrize(("dx", "dy"), [(2, 0), (-3, 0), (0, 1), (0, -4), (1, -1)])
def test_shift_moves_images_as_scipy_does(dx, dy):
    X = np.random.default_rng(0).random((2, 1, 28, 28)).astype(np.float32)
    ref = ndimage.shift(X, (0, 0, dy, dx), order=0, cval=0.0)
    np.testing.assert_array_equal(images.shift(X, dx, dy), ref)


def test_baselines_count_as_a_plain_loop_does():
    d = words.word_data(limit=300)
    assert words.unigram_nats(d["Y"], d["Y_val"]) == pytest.approx(
        unigram_loss(d["Y"], d["Y_val"], len(words.VOCAB))
    )
    V, counts = len(words.VOCAB), {}
    for x_row, y_row in zip(d["X"], d["Y"]):
        for a, b in zip(x_row, y_row):
            if b >= 0:
                counts[a, b] = counts.get((a, b), 0) + 1
    total = {a: sum(n for (p, _), n in counts.items() if p == a) for a in range(V)}
    losses = [
        -np.log((counts.get((a, b), 0) + 1) / (total[a] + V))
        for x_row, y_row in zip(d["X_val"], d["Y_val"])
        for a, b in zip(x_row, y_row)
        if b >= 0
    ]
    assert words.bigram_nats(d["X"], d["Y"], d["X_val"], d["Y_val"]) == pytest.approx(
        np.mean(losses)
    )


def test_attention_maps_match_pytorch_multihead_attention():
    nl.manual_seed(0)
    model = TinyGPT(vocab_size=8, block_size=6, n_layer=1, n_head=2, n_embd=8)
    ids = np.array([[1, 4, 2, 7, 3]])
    maps = attention_maps(model, ids, causal=True)
    layer = model.blocks.layers[0]
    x = model.pos_emb(model.tok_emb(nl.tensor(ids)))
    h = torch.tensor(layer.norm1(x).data)
    mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    mha.in_proj_weight.data = torch.tensor(layer.self_attn.in_proj_weight.data)
    mha.in_proj_bias.data = torch.tensor(layer.self_attn.in_proj_bias.data)
    mask = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
    _, ref = mha(h, h, h, attn_mask=mask, average_attn_weights=False)
    np.testing.assert_allclose(maps[0], ref.detach().numpy()[0], atol=1e-5)


def test_a_typed_word_says_which_characters_it_dropped():
    out = run_experiment("architectures", "attention", {"word": "Café au lait!"})
    assert out["word"] == "cafaulait"
    assert out["dropped"] == [" ", "!", "é"] and "'é'" in out["note"]
    assert out["tokens"] == ["<bos>", *"cafaulait"]
    rows = out["maps"]["rows"]
    assert len(rows) == 2 and all(len(row["grids"]) == 2 for row in rows)
    grid = nl.tour.decode_grid(rows[0]["grids"][0])
    np.testing.assert_allclose(grid.sum(axis=1), 1.0, atol=0.03)  # rows are softmaxes
    assert np.allclose(np.triu(grid, 1), 0, atol=1 / 255)  # causal: no look at the future
    empty = run_experiment("architectures", "attention", {"word": "123"})
    assert empty["word"] == "" and empty["tokens"] == ["<bos>"] and "'1'" in empty["note"]


def test_the_cnn_run_reports_progress_and_filters_and_honours_the_goal():
    params = {"train_size": 256, "test_size": 64, "epochs": 2, "batch_size": 64, "goal": 0,
              "eval_every": 2}  # fmt: skip
    frames = run_headless("architectures", "train_cnn", params, every=1)
    last = frames[-1]
    assert last["step"] == last["total_steps"] == 8 and last["done"] and last["progress"] == 1
    assert (
        len(last["filters"]["rows"][0]["grids"]) == 8 and len(last["curves"]["x"]) == 5
    )  # step 0, 2, 4, 6, 8
    shipped = run_headless("architectures", "train_cnn", {**params, "start": "shipped",
                                                          "goal": 0.5})  # fmt: skip
    assert shipped[-1]["done"] and shipped[-1]["step"] == 2  # 50% at the first evaluation


def test_the_words_run_samples_as_it_goes():
    params = {"kind": "transformer", "n_words": 200, "epochs": 1, "eval_every": 2}
    frames = run_headless("architectures", "train_words", params, every=1)
    last = frames[-1]
    assert last["done"] and len(last["samples"]) == 4 and len(last["samples"][-1]["words"]) == 8
    assert last["samples"][-1]["step"] == last["step"] == 6


@pytest.mark.slow
def test_the_terminal_tour_saves_the_figures(tmp_path):
    from rich.console import Console

    from neuronlab.tour.terminal import TerminalTour

    tour = TerminalTour(Console(file=io.StringIO(), width=100), tmp_path)
    assert tour.run("architectures", claims=False)
    names = {p.name for p in tour.figures}
    for part in ("filters", "feature_maps", "probabilities", "attention-maps", "shift-accuracy"):
        assert any(part in name for name in names), (part, names)
    assert all(p.is_file() and p.stat().st_size > 1000 for p in tour.figures)
