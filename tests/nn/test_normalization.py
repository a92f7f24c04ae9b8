"""LayerNorm, BatchNorm1d and BatchNorm2d: the layer contract, PyTorch parity (outputs, every
gradient, running statistics, state_dict keys), the fused ops against their composed references,
error messages, and a save/load round trip."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.io import layers_norm
from neuronlab.io.serialization import load, save
from neuronlab.nn import norm_functional as NF
from neuronlab.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm

from .harness import check_layer

TOL = dict(rtol=1e-6, atol=1e-9)
EXACT = dict(rtol=1e-12, atol=1e-12)


def _data(shape, seed=0, scale=1.0, shift=0.0):
    return np.random.default_rng(seed).standard_normal(shape) * scale + shift


# ----- the layer contract ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "shape", "names", "config"),
    [
        (lambda: LayerNorm(5), (4, 5), ["weight", "bias"], ["(5,)", "eps=1e-05"]),
        (lambda: LayerNorm((3, 4)), (2, 3, 4), ["weight", "bias"], ["(3, 4)"]),
        (lambda: LayerNorm(4, bias=False), (2, 3, 4), ["weight"], ["(4,)"]),
        (lambda: LayerNorm(4, elementwise_affine=False), (3, 4), [],
         ["elementwise_affine=False"]),
        (lambda: BatchNorm1d(3), (5, 3), ["weight", "bias"], ["3", "momentum=0.1"]),
        (lambda: BatchNorm1d(3), (4, 3, 6), ["weight", "bias"], ["affine=True"]),
        (lambda: BatchNorm1d(3, affine=False), (5, 3), [], ["affine=False"]),
        (lambda: BatchNorm2d(2), (3, 2, 4, 4), ["weight", "bias"],
         ["track_running_stats=True"]),
        (lambda: BatchNorm2d(2, track_running_stats=False), (3, 2, 3, 3), ["weight", "bias"],
         ["track_running_stats=False"]),
    ],
    ids=["ln", "ln-2d", "ln-nobias", "ln-noaffine", "bn1d", "bn1d-3d", "bn1d-noaffine", "bn2d",
         "bn2d-nostats"],
)
def test_layer_contract(make, shape, names, config):
    check_layer(make, shape, shape, param_names=names, config=config)


# ----- PyTorch parity ----------------------------------------------------------------------------
def _copy_into_torch(ours, theirs):
    theirs.load_state_dict(
        {k: torch.from_numpy(np.array(v.data)) for k, v in ours.state_dict().items()}, strict=True
    )


def _compare(ours, theirs, x_np, seed=0):
    """One forward and backward in both, along a random direction; every gradient compared."""
    x = nl.tensor(x_np, dtype="float64", requires_grad=True)
    tx = torch.tensor(x_np, dtype=torch.float64, requires_grad=True)
    out, tout = ours(x), theirs(tx)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), **TOL)
    direction = np.random.default_rng(seed).standard_normal(out.shape)
    (out * nl.tensor(direction, dtype="float64")).sum().backward()
    (tout * torch.from_numpy(direction)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TOL, err_msg="input gradient")
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, theirs_params[name].grad.numpy(), **TOL, err_msg=name)


def _perturb(layer, seed=1):
    """Parameters away from their 1 / 0 start, so a swapped weight and bias would show."""
    rng = np.random.default_rng(seed)
    for p in layer.parameters():
        p.data[...] = rng.standard_normal(p.shape)
    return layer


@pytest.mark.torch
@pytest.mark.parametrize(
    ("ours", "theirs", "shape"),
    [
        (lambda: LayerNorm(6), lambda: torch.nn.LayerNorm(6), (4, 6)),
        (lambda: LayerNorm((3, 4), eps=1e-3), lambda: torch.nn.LayerNorm((3, 4), eps=1e-3),
         (2, 5, 3, 4)),
        (lambda: LayerNorm(4, bias=False), lambda: torch.nn.LayerNorm(4, bias=False), (3, 4)),
        (lambda: LayerNorm(4, elementwise_affine=False),
         lambda: torch.nn.LayerNorm(4, elementwise_affine=False), (3, 2, 4)),
    ],
    ids=["ln", "ln-2d-eps", "ln-nobias", "ln-noaffine"],
)
def test_layer_norm_matches_torch(ours, theirs, shape):
    ours, theirs = _perturb(ours().double()), theirs().double()
    _copy_into_torch(ours, theirs)
    _compare(ours, theirs, _data(shape, scale=3, shift=2))


BATCH_NORMS = [
    (lambda: BatchNorm1d(3), lambda: torch.nn.BatchNorm1d(3), (6, 3)),
    (lambda: BatchNorm1d(3, momentum=0.3), lambda: torch.nn.BatchNorm1d(3, momentum=0.3),
     (4, 3, 5)),
    (lambda: BatchNorm1d(3, momentum=None), lambda: torch.nn.BatchNorm1d(3, momentum=None),
     (5, 3)),
    (lambda: BatchNorm1d(3, affine=False), lambda: torch.nn.BatchNorm1d(3, affine=False),
     (5, 3)),
    (lambda: BatchNorm2d(2, eps=1e-3), lambda: torch.nn.BatchNorm2d(2, eps=1e-3), (3, 2, 4, 5)),
    (lambda: BatchNorm2d(2, track_running_stats=False),
     lambda: torch.nn.BatchNorm2d(2, track_running_stats=False), (3, 2, 3, 3)),
]
BN_IDS = ["bn1d", "bn1d-3d-momentum", "bn1d-cumulative", "bn1d-noaffine", "bn2d", "bn2d-nostats"]


@pytest.mark.torch
@pytest.mark.parametrize(("ours", "theirs", "shape"), BATCH_NORMS, ids=BN_IDS)
def test_batch_norm_matches_torch_in_training_and_evaluation(ours, theirs, shape):
    ours, theirs = _perturb(ours().double()), theirs().double()
    _copy_into_torch(ours, theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())  # same keys, same order
    for step in range(3):  # training: batch statistics, running statistics move
        for p in (*ours.parameters(), *theirs.parameters()):
            p.grad = None
        _compare(ours, theirs, _data(shape, seed=step, scale=2, shift=step), seed=step)
        for key, value in theirs.state_dict().items():
            np.testing.assert_allclose(ours.state_dict()[key].data, value.numpy(), **TOL,
                                       err_msg=f"{key} after {step + 1} training steps")
    ours.eval(), theirs.eval()
    for p in (*ours.parameters(), *theirs.parameters()):
        p.grad = None
    _compare(ours, theirs, _data(shape, seed=9, scale=2, shift=1))  # evaluation: running stats


def test_running_statistics_use_the_unbiased_variance():
    bn = BatchNorm1d(1, momentum=1.0).double()  # momentum 1: the running stats = the last batch
    x = np.array([[1.0], [2.0], [6.0]])
    y = bn(nl.tensor(x, dtype="float64"))
    assert bn.running_mean.item() == pytest.approx(3.0)
    assert bn.running_var.item() == pytest.approx(x.var(ddof=1))  # 7.0, not the biased 4.667
    np.testing.assert_allclose(y.data, (x - 3) / np.sqrt(x.var() + 1e-5))  # biased in the norm
    assert bn.num_batches_tracked.item() == 1 and bn.num_batches_tracked.dtype == np.int64


def test_evaluation_uses_the_running_statistics_and_changes_nothing():
    bn = BatchNorm1d(2).double()
    bn.running_mean.data[...] = [1.0, -1.0]
    bn.running_var.data[...] = [4.0, 0.25]
    bn.eval()
    y = bn(nl.tensor([[3.0, -1.5]], dtype="float64"))  # a batch of one is fine in evaluation
    np.testing.assert_allclose(y.data, [[2 / np.sqrt(4 + 1e-5), -0.5 / np.sqrt(0.25 + 1e-5)]])
    assert bn.num_batches_tracked.item() == 0
    assert bn.running_mean.tolist() == [1.0, -1.0]


def test_state_dict_keys_are_pytorchs():
    assert list(BatchNorm2d(3).state_dict()) == list(torch.nn.BatchNorm2d(3).state_dict())
    assert list(BatchNorm1d(3, affine=False).state_dict()) == list(
        torch.nn.BatchNorm1d(3, affine=False).state_dict())
    assert list(BatchNorm1d(3, track_running_stats=False).state_dict()) == ["weight", "bias"]
    assert list(LayerNorm(3, bias=False).state_dict()) == list(
        torch.nn.LayerNorm(3, bias=False).state_dict())


def test_buffers_follow_the_dtype_but_the_counter_stays_an_integer():
    bn = BatchNorm2d(2).double()
    assert bn.running_mean.dtype == bn.running_var.dtype == np.float64
    assert bn.num_batches_tracked.dtype == np.int64


# ----- fused ops against the composed references -------------------------------------------------
def _grads_of(fn, tensors, direction):
    for t in tensors:
        t.grad = None
    out = fn()
    (out * nl.tensor(direction, dtype="float64")).sum().backward()
    return out.data, [t.grad for t in tensors]


@pytest.mark.parametrize("shape", [(4, 6), (2, 3, 6)])
@pytest.mark.parametrize("affine", ["both", "weight", "none"])
def test_fused_layer_norm_equals_the_composed_reference(shape, affine):
    x = nl.tensor(_data(shape, scale=3, shift=1), dtype="float64", requires_grad=True)
    w = nl.tensor(_data(6, 1), dtype="float64", requires_grad=True) if affine != "none" else None
    b = nl.tensor(_data(6, 2), dtype="float64", requires_grad=True) if affine == "both" else None
    leaves = [t for t in (x, w, b) if t is not None]
    direction = _data(shape, 3)
    fused = _grads_of(lambda: NF.layer_norm(x, 6, w, b), leaves, direction)
    naive = _grads_of(lambda: NF.composed_layer_norm(x, 6, w, b), leaves, direction)
    np.testing.assert_allclose(fused[0], naive[0], **EXACT)
    for got, want in zip(fused[1], naive[1]):
        np.testing.assert_allclose(got, want, **EXACT)


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2, 2)])
@pytest.mark.parametrize("training", [True, False])
def test_fused_batch_norm_equals_the_composed_reference(shape, training):
    x = nl.tensor(_data(shape, scale=2, shift=1), dtype="float64", requires_grad=True)
    w = nl.tensor(_data(3, 1), dtype="float64", requires_grad=True)
    b = nl.tensor(_data(3, 2), dtype="float64", requires_grad=True)
    direction = _data(shape, 3)
    stats = {}
    results = {}
    for name, fn in (("fused", NF.batch_norm), ("naive", NF.composed_batch_norm)):
        mean, var = np.array([0.5, -1.0, 0.0]), np.array([0.5, 2.0, 1.5])
        results[name] = _grads_of(lambda fn=fn, m=mean, v=var: fn(x, m, v, w, b, training, 0.2),
                                  [x, w, b], direction)
        stats[name] = (mean, var)
    for got, want in zip([results["fused"][0], *results["fused"][1]],
                         [results["naive"][0], *results["naive"][1]]):
        np.testing.assert_allclose(got, want, **EXACT)
    for got, want in zip(stats["fused"], stats["naive"]):
        np.testing.assert_allclose(got, want, **EXACT)
    if training:  # the running statistics did move
        assert not np.allclose(stats["fused"][0], [0.5, -1.0, 0.0])


def test_float32_stays_float32():
    x = nl.randn(4, 3, requires_grad=True)
    for layer in (LayerNorm(3), BatchNorm1d(3)):
        out = layer(x)
        out.sum().backward()
        assert out.dtype == np.float32 and x.grad.dtype == np.float32
        assert all(p.grad.dtype == np.float32 for p in layer.parameters())
    assert BatchNorm1d(3).running_var.dtype == np.float32


# ----- errors ------------------------------------------------------------------------------------
def test_errors_name_the_layer_what_arrived_and_the_fix():
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\) expected 3 channels on axis 1 "
                                         r"\(N, C, H, W\), got shape \(2, 8, 8, 3\); the channels "
                                         r"look last.*x\.permute\(0, 3, 1, 2\)"):
        BatchNorm2d(3)(nl.zeros(2, 8, 8, 3))
    with pytest.raises(ValueError, match=r"BatchNorm1d\(4\) expected a 2-D or 3-D input"):
        BatchNorm1d(4)(nl.zeros(2, 4, 3, 3))
    with pytest.raises(ValueError, match=r"BatchNorm1d\(4\) expected 4 channels.*x\.transpose"):
        BatchNorm1d(4)(nl.zeros(2, 7, 4))
    with pytest.raises(ValueError, match="more than 1 value per channel when training"):
        BatchNorm1d(4)(nl.zeros(1, 4))
    with pytest.raises(ValueError, match=r"LayerNorm\(\(5,\).*expected inputs whose last 1 "
                                         r"dimension\(s\) are \(5,\), got \(3, 4\)"):
        LayerNorm(5)(nl.zeros(3, 4))
    with pytest.raises(TypeError, match=r"LayerNorm.*float32 parameters but got a float64 input"):
        LayerNorm(4)(nl.zeros(3, 4, dtype="float64"))
    with pytest.raises(ValueError, match="num_features must be a positive integer"):
        BatchNorm1d(0)


# ----- saving and loading -------------------------------------------------------------------------
def test_save_and_load_round_trip(tmp_path):
    layers_norm.register()
    nl.manual_seed(0)
    model = nl.nn.Sequential(
        BatchNorm2d(2, momentum=None), nl.nn.Flatten(), nl.nn.Linear(18, 6),
        BatchNorm1d(6, eps=1e-3, affine=False), LayerNorm(6, bias=False),
    )
    model(nl.randn(4, 2, 3, 3))  # running statistics that are not the defaults
    save(model, tmp_path / "model.safetensors")
    loaded = load(tmp_path / "model.safetensors")
    assert repr(loaded) == repr(model)
    model.eval(), loaded.eval()
    x = nl.randn(3, 2, 3, 3)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)
    assert loaded[0].num_batches_tracked.item() == 1
