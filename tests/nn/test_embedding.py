"""Embedding: the layer contract (by hand: its input is integers, so ``check_layer`` does not
apply), PyTorch parity, the fast scatter-add against ``np.add.at``, the composed reference,
initialization, errors, and a save/load round trip."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops.embedding import (
    EmbeddingIndexError,
    scatter_add_rows,
    scatter_add_rows_naive,
)
from neuronlab.io import layers_norm
from neuronlab.io.serialization import load, save
from neuronlab.nn import norm_functional as NF
from neuronlab.nn.embedding import Embedding

TOKENS = np.array([[1, 4, 4, 0], [2, 0, 0, 0], [4, 4, 4, 3]])  # repeats and padding


def _direction(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# ----- the layer contract ------------------------------------------------------------------------
def test_contract_registration_repr_shapes_and_dtypes():
    emb = Embedding(6, 3, padding_idx=0)
    assert [name for name, _ in emb.named_parameters()] == ["weight"]
    assert repr(emb) == "Embedding(6, 3, padding_idx=0)  # 18 params"
    assert repr(Embedding(6, 3)) == "Embedding(6, 3)  # 18 params"
    out = emb(nl.tensor(TOKENS))
    assert out.shape == (3, 4, 3) and out.dtype == np.float32
    out.sum().backward()
    assert emb.weight.grad.shape == (6, 3) and emb.weight.grad.dtype == np.float32
    assert emb(TOKENS[0]).shape == (4, 3)  # a NumPy array of one sequence
    assert emb(nl.tensor(2)).shape == (3,)  # a single index


def test_contract_gradcheck_in_float64():
    emb = Embedding(6, 3).double()
    assert nl.gradcheck(lambda w: NF.embedding(TOKENS, w), emb.weight)


def test_contract_state_dict_round_trip_and_modes():
    nl.manual_seed(0)
    emb = Embedding(6, 3, padding_idx=2)
    nl.manual_seed(1)
    twin = Embedding(6, 3, padding_idx=2)
    array = twin.weight.data
    twin.load_state_dict(emb.state_dict())
    assert twin.weight.data is array  # copied in place
    np.testing.assert_array_equal(twin(TOKENS).data, emb(TOKENS).data)
    assert emb.eval() is emb and not emb.training
    np.testing.assert_array_equal(emb(TOKENS).data, twin(TOKENS).data)


# ----- PyTorch parity ----------------------------------------------------------------------------
@pytest.mark.torch
@pytest.mark.parametrize("padding_idx", [None, 0, 4, -2])
def test_matches_torch(padding_idx):
    nl.manual_seed(0)
    ours = Embedding(5, 3, padding_idx=padding_idx).double()
    theirs = torch.nn.Embedding(5, 3, padding_idx=padding_idx).double()
    theirs.load_state_dict({"weight": torch.from_numpy(ours.weight.data.copy())})
    out, tout = ours(nl.tensor(TOKENS)), theirs(torch.from_numpy(TOKENS))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-6)
    direction = _direction(out.shape)
    (out * nl.tensor(direction, dtype="float64")).sum().backward()
    (tout * torch.from_numpy(direction)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-6, atol=1e-12)
    assert ours.padding_idx == theirs.padding_idx


# ----- the fast backward against its naive reference --------------------------------------------
@pytest.mark.parametrize(("V", "D", "M"), [(1, 1, 1), (5, 3, 40), (50, 7, 20), (300, 4, 1000)])
def test_scatter_add_equals_add_at(V, D, M):
    rng = np.random.default_rng(V)
    index = rng.integers(0, V, M)
    rows = rng.standard_normal((M, D))
    np.testing.assert_allclose(scatter_add_rows(index, rows, V),
                               scatter_add_rows_naive(index, rows, V), rtol=1e-12, atol=1e-12)


def test_scatter_add_of_nothing_is_zero():
    out = scatter_add_rows(np.zeros(0, dtype=np.int64), np.zeros((0, 3), np.float32), 4)
    assert out.shape == (4, 3) and out.dtype == np.float32 and not out.any()


@pytest.mark.parametrize("padding_idx", [None, 4])
def test_fused_embedding_equals_the_composed_reference(padding_idx):
    w = nl.tensor(_direction((6, 3), 1), dtype="float64", requires_grad=True)
    direction = _direction(TOKENS.shape + (3,))
    results = []
    for fn in (NF.embedding, NF.composed_embedding):
        w.grad = None
        out = fn(TOKENS, w, padding_idx)
        (out * nl.tensor(direction, dtype="float64")).sum().backward()
        results.append((out.data, w.grad))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12, atol=1e-12)
    if padding_idx is not None:
        assert not results[0][1][padding_idx].any()


# ----- initialization ----------------------------------------------------------------------------
def test_weights_are_standard_normal_seeded_with_the_padding_row_zero():
    nl.manual_seed(3)
    emb = Embedding(400, 50, padding_idx=7)
    values = np.delete(emb.weight.data, 7, axis=0)
    assert abs(values.mean()) < 0.02 and abs(values.std() - 1) < 0.02
    assert not emb.weight.data[7].any()
    nl.manual_seed(3)
    np.testing.assert_array_equal(Embedding(400, 50, padding_idx=7).weight.data, emb.weight.data)


def test_the_padding_row_stays_zero_under_training():
    emb = Embedding(5, 2, padding_idx=0)
    optimizer_step = 0.5
    for _ in range(3):
        emb.weight.grad = None
        emb(TOKENS).sum().backward()
        emb.weight.data -= optimizer_step * emb.weight.grad
    assert not emb.weight.data[0].any()


def test_from_pretrained_is_frozen_unless_asked():
    table = np.arange(6.0).reshape(3, 2)
    frozen = Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad and frozen(np.array([2])).tolist() == [[4.0, 5.0]]
    assert Embedding.from_pretrained(nl.tensor(table), freeze=False).weight.requires_grad


# ----- errors ------------------------------------------------------------------------------------
def test_float_indices_are_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"Embedding\(5, 3\) expected integer indices \(int64\), "
                                        r"got dtype float32 of shape \(2,\).*x\.long\(\)"):
        Embedding(5, 3)(nl.tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="one-hot rows, take x.argmax"):
        Embedding(5, 3)(nl.zeros(2, 5))


def test_out_of_range_indices_name_the_max_allowed():
    with pytest.raises(EmbeddingIndexError, match=r"Embedding\(5, 3\): index 9 is out of range "
                                                  r"for a table of 5 rows.*between 0 and 4 "
                                                  r"\(the max allowed\).*num_embeddings"):
        Embedding(5, 3)(nl.tensor([[0, 9]]))
    with pytest.raises(IndexError, match=r"index -1 is out of range.*Negative indices"):
        Embedding(5, 3)(nl.tensor([-1]))
    with pytest.raises(ValueError):  # also a ValueError, our style's type for bad values
        Embedding(5, 3)(nl.tensor([5]))


def test_bad_configuration():
    with pytest.raises(ValueError, match="num_embeddings must be a positive integer, got 0"):
        Embedding(0, 3)
    with pytest.raises(ValueError, match=r"padding_idx must be within the 4 rows \(between -4 "
                                         r"and 3\), got 4"):
        Embedding(4, 3, padding_idx=4)


# ----- saving and loading -------------------------------------------------------------------------
def test_save_and_load_round_trip(tmp_path):
    layers_norm.register()
    nl.manual_seed(0)
    model = nl.nn.Sequential(Embedding(6, 3, padding_idx=0), nl.nn.Flatten(),
                             nl.nn.Linear(12, 2))
    save(model, tmp_path / "model.safetensors")
    loaded = load(tmp_path / "model.safetensors")
    assert repr(loaded) == repr(model)
    np.testing.assert_array_equal(loaded(TOKENS).data, model(TOKENS).data)
