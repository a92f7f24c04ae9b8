"""Per-example gradients: the vectorised driver against a Python loop that runs each example
alone and calls backward (float64, 1e-10), plus the rules' contract and its errors."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn
from neuronlab.nn import functional as F
from neuronlab.nn.embedding import Embedding
from neuronlab.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from neuronlab.nn.per_example import (
    PER_EXAMPLE_RULES,
    per_example_gradients,
    register_per_example_rule,
)

TOL = dict(rtol=1e-10, atol=1e-12)


def loop_gradients(model, loss_fn, X, y):
    """The slow, obvious reference: one example at a time, one backward each."""
    grads = {name: [] for name, p in model.named_parameters() if p.requires_grad}
    for n in range(len(X)):
        model.zero_grad()
        loss_fn(model(nl.tensor(X[n : n + 1], dtype=X.dtype)), y[n : n + 1]).backward()
        for name, p in model.named_parameters():
            if name in grads:
                grads[name].append(np.zeros_like(p.data) if p.grad is None else p.grad.copy())
    return {name: np.stack(g) for name, g in grads.items()}


def assert_matches_loop(model, loss_fn, X, y, summed_loss=None):
    fast = per_example_gradients(model, loss_fn, X, y)
    if summed_loss is None:  # a functional loss: its reduction='sum' version
        summed_loss = lambda out, target: loss_fn(out, target, reduction="sum")  # noqa: E731
    slow = loop_gradients(model, summed_loss, X, y)
    assert list(fast) == list(slow)
    for name in slow:
        assert fast[name].shape == slow[name].shape, name
        np.testing.assert_allclose(fast[name], slow[name], **TOL, err_msg=name)
    return fast


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def test_mlp_matches_the_loop():
    nl.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)).double()
    X, y = _data((6, 4)), np.array([0, 2, 1, 1, 0, 2])
    grads = assert_matches_loop(model, nn.CrossEntropyLoss(), X, y,
                                nn.CrossEntropyLoss(reduction="sum"))
    assert grads["0.weight"].shape == (6, 8, 4) and grads["2.bias"].shape == (6, 3)
    # the rows are not all the same (a driver that broadcast the batch gradient would pass
    # a sum test but not this one)
    assert not np.allclose(grads["0.weight"][0], grads["0.weight"][1])


def test_linear_on_sequences_sums_over_the_middle_axes():
    nl.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2, bias=False)).double()
    X, y = _data((4, 7, 3)), _data((4, 7, 2), seed=1)
    assert_matches_loop(model, nn.MSELoss(), X, nl.tensor(y, dtype="float64"),
                        nn.MSELoss(reduction="sum"))


class BagOfEmbeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = Embedding(9, 4, padding_idx=0)
        self.out = nn.Linear(4, 3)

    def forward(self, tokens):
        return self.out(self.emb(tokens).sum(axis=1).tanh())


def test_embedding_model_matches_the_loop():
    nl.manual_seed(2)
    model = BagOfEmbeddings().double()
    tokens = np.array([[1, 1, 5, 0], [3, 8, 0, 0], [5, 5, 5, 2], [7, 1, 0, 3], [8, 8, 8, 8]])
    y = np.array([0, 1, 2, 1, 0])
    grads = assert_matches_loop(model, nn.CrossEntropyLoss(), tokens, y,
                                nn.CrossEntropyLoss(reduction="sum"))
    assert grads["emb.weight"].shape == (5, 9, 4)
    assert not grads["emb.weight"][:, 0].any()  # the padding row learns nothing
    assert not grads["emb.weight"][1, 1].any()  # example 1 never uses token 1


def test_layer_norm_model_matches_the_loop():
    nl.manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 6), LayerNorm(6), nn.Tanh(), nn.Linear(6, 2)).double()
    assert_matches_loop(model, F.cross_entropy, _data((5, 3)), np.array([0, 1, 1, 0, 1]))


def test_layer_norm_over_two_axes_of_sequences_matches_the_loop():
    nl.manual_seed(4)
    model = nn.Sequential(LayerNorm((3, 4)), nn.Linear(4, 2)).double()
    X, y = _data((3, 5, 3, 4)), nl.tensor(_data((3, 5, 3, 2), seed=2), dtype="float64")
    assert_matches_loop(model, F.mse_loss, X, y)


def test_batch_norm_in_eval_mode_matches_the_loop():
    nl.manual_seed(5)
    model = nn.Sequential(nn.Linear(3, 4), BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).double()
    model(nl.tensor(_data((16, 3)), dtype="float64"))  # running statistics worth the name
    model.eval()
    assert_matches_loop(model, F.cross_entropy, _data((5, 3), seed=3), np.array([0, 1, 1, 0, 1]))


def test_batch_norm_2d_in_eval_mode_matches_the_loop():
    nl.manual_seed(6)
    model = nn.Sequential(BatchNorm2d(2), nn.Flatten(), nn.Linear(2 * 3 * 3, 2)).double()
    model(nl.tensor(_data((8, 2, 3, 3)) * 2 + 1, dtype="float64"))
    model.eval()
    assert_matches_loop(model, F.cross_entropy, _data((4, 2, 3, 3)), np.array([0, 1, 1, 0]))


@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_in_training_mode_is_refused_before_anything_moves(affine):
    model = nn.Sequential(nn.Linear(3, 4), BatchNorm1d(4, affine=affine), nn.Linear(4, 2))
    bn = model[1]
    with pytest.raises(RuntimeError, match=r"BatchNorm1d\(4\) is in training mode.*model\.eval\(\)"
                                           r".*LayerNorm.*Opacus"):
        per_example_gradients(model, F.cross_entropy, _data((4, 3)), np.array([0, 1, 1, 0]))
    assert int(bn.num_batches_tracked.item()) == 0 and not bn.running_mean.data.any()


def test_batch_norm_without_running_stats_is_refused_in_eval_mode_too():
    model = nn.Sequential(nn.Linear(3, 4), BatchNorm1d(4, track_running_stats=False)).eval()
    with pytest.raises(RuntimeError, match="keeps no running statistics"):
        per_example_gradients(model, F.mse_loss, _data((4, 3)), nl.zeros(4, 4))


def test_a_layer_used_twice_adds_the_gradients_of_both_calls():
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.shared = nn.Linear(3, 3)

        def forward(self, x):
            return self.shared(self.shared(x).tanh())

    nl.manual_seed(7)
    model = Twice().double()
    assert_matches_loop(model, F.mse_loss, _data((4, 3)), nl.tensor(_data((4, 3), 1), "float64"))


class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = nn.Parameter(np.ones(1))

    def forward(self, x):
        return x * self.s


def test_a_layer_without_a_rule_is_named():
    model = nn.Sequential(nn.Linear(2, 2), Scale())
    with pytest.raises(NotImplementedError, match=r"no per-example gradient rule for 1 \(Scale\)"
                                                  r".*@register_per_example_rule\(ThatLayer\)"):
        per_example_gradients(model, F.mse_loss, _data((3, 2)), nl.zeros(3, 2))


def test_frozen_layers_need_no_rule_and_get_no_entry():
    nl.manual_seed(8)
    model = nn.Sequential(nn.Linear(2, 2), Scale()).double()
    model[1].requires_grad_(False)
    X, y = _data((3, 2)), nl.tensor(_data((3, 2), 1), dtype="float64")
    grads = assert_matches_loop(model, F.mse_loss, X, y)
    assert list(grads) == ["0.weight", "0.bias"]


def test_a_registered_rule_is_used_and_its_output_checked():
    @register_per_example_rule(Scale)
    def scale_rule(module, x, dout):
        return {"s": (dout * x).reshape(len(x), -1).sum(axis=1, keepdims=True)}

    try:
        nl.manual_seed(9)
        model = nn.Sequential(nn.Linear(2, 3), Scale()).double()
        X, y = _data((4, 2)), nl.tensor(_data((4, 3), 1), dtype="float64")
        assert_matches_loop(model, F.mse_loss, X, y)

        PER_EXAMPLE_RULES[Scale] = lambda module, x, dout: {"s": np.zeros((1, 1))}
        with pytest.raises(RuntimeError, match=r"returned shape \(1, 1\) for 's', expected "
                                               r"\(4, 1\) \(batch first\)"):
            per_example_gradients(model, F.mse_loss, X, y)
        PER_EXAMPLE_RULES[Scale] = lambda module, x, dout: {}
        with pytest.raises(RuntimeError, match="returned no gradient for parameter 's'"):
            per_example_gradients(model, F.mse_loss, X, y)
    finally:
        del PER_EXAMPLE_RULES[Scale]


def test_only_module_classes_get_rules():
    with pytest.raises(TypeError, match="expected a Module subclass"):
        register_per_example_rule(int)


def test_gradients_of_the_parameters_are_left_alone():
    model = nn.Sequential(nn.Linear(2, 2))
    model(nl.ones(1, 2)).sum().backward()
    before = model[0].weight.grad.copy()
    per_example_gradients(model, F.mse_loss, _data((3, 2)), nl.zeros(3, 2))
    np.testing.assert_array_equal(model[0].weight.grad, before)
    assert model[0].weight.grad is not None


def test_the_loss_is_summed_whatever_its_reduction():
    nl.manual_seed(10)
    model = nn.Sequential(nn.Linear(3, 2)).double()
    X, y = _data((5, 3)), nl.tensor(_data((5, 2), 1), dtype="float64")
    mean_loss = nn.MSELoss()  # reduction='mean' is switched to 'sum' for the call, then back
    by_module = per_example_gradients(model, mean_loss, X, y)
    assert mean_loss.reduction == "mean"
    per_example_losses = per_example_gradients(  # a plain function returning one loss each
        model, lambda out, t: ((out - t) ** 2).sum(axis=1), X, y)
    for name in by_module:
        np.testing.assert_allclose(by_module[name], per_example_losses[name], **TOL)


def test_float32_models_give_float32_gradients():
    model = nn.Sequential(nn.Linear(3, 2), LayerNorm(2))
    grads = per_example_gradients(model, F.mse_loss, _data((4, 3)).astype(np.float32),
                                  nl.zeros(4, 2))
    assert all(g.dtype == np.float32 for g in grads.values())
