"""MultiheadAttention and scaled dot-product attention: the layer contract, PyTorch parity
(weights copied, float64, outputs, attention weights and every gradient), the fused op held
equal to its composed reference, masks, dropout, and error messages."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import neuronlab as nl
from neuronlab.nn.attention import (
    MultiheadAttention,
    causal_mask,
    generate_square_subsequent_mask,
    naive_scaled_dot_product_attention,
    scaled_dot_product_attention,
)
from neuronlab.nn.module import Module

from .harness import check_layer

TIGHT = dict(rtol=1e-6, atol=1e-10)  # float64 comparisons


class SelfAttention(Module):
    """MultiheadAttention(x, x, x) as a one-input layer for the contract harness."""

    def __init__(self, **options):
        super().__init__()
        self.mha = MultiheadAttention(8, 2, **options)

    def forward(self, x):
        return self.mha(x, x, x)[0]


class CrossAttention(Module):
    """Queries from the input, keys and values from a fixed memory of another size (kdim)."""

    def __init__(self):
        super().__init__()
        self.mha = MultiheadAttention(8, 4, kdim=6, vdim=5, batch_first=True)
        rng = np.random.default_rng(3)
        self.register_buffer("key", nl.tensor(rng.standard_normal((2, 7, 6))))
        self.register_buffer("value", nl.tensor(rng.standard_normal((2, 7, 5))))

    def forward(self, x):
        return self.mha(x, self.key, self.value)[0]


# ----- the layer contract ------------------------------------------------------------------------
IN_PROJ = ["mha.in_proj_weight", "mha.in_proj_bias", "mha.out_proj.weight", "mha.out_proj.bias"]


@pytest.mark.parametrize(
    ("make", "shape", "names"),
    [
        pytest.param(lambda: SelfAttention(), (5, 3, 8), IN_PROJ, id="seq-first"),
        pytest.param(lambda: SelfAttention(batch_first=True), (3, 5, 8), IN_PROJ, id="batch-first"),
        pytest.param(lambda: SelfAttention(dropout=0.3), (5, 3, 8), IN_PROJ, id="dropout"),
        pytest.param(lambda: SelfAttention(), (5, 8), IN_PROJ, id="unbatched"),
        pytest.param(
            lambda: SelfAttention(bias=False),
            (5, 3, 8),
            ["mha.in_proj_weight", "mha.out_proj.weight"],
            id="no-bias",
        ),
        pytest.param(
            CrossAttention,
            (2, 3, 8),
            [
                "mha.q_proj_weight",
                "mha.k_proj_weight",
                "mha.v_proj_weight",
                "mha.in_proj_bias",
                "mha.out_proj.weight",
                "mha.out_proj.bias",
            ],
            id="kdim-vdim",
        ),
    ],
)
def test_layer_contract(make, shape, names):
    config = ["MultiheadAttention(", "embed_dim=8"]
    check_layer(make, shape, shape, param_names=names, config=config)


def test_initialization_follows_pytorch():
    nl.manual_seed(0)
    mha = MultiheadAttention(64, 4)
    bound = np.sqrt(6 / (64 + 3 * 64))  # Xavier-uniform over the stacked (3E, E) matrix
    w = mha.in_proj_weight.data
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert not mha.in_proj_bias.data.any() and not mha.out_proj.bias.data.any()


# ----- PyTorch parity ----------------------------------------------------------------------------
def _torch_twin(mha: MultiheadAttention, **options):
    twin = torch.nn.MultiheadAttention(mha.embed_dim, mha.num_heads, **options).double()
    twin.load_state_dict({k: torch.tensor(v.data) for k, v in mha.state_dict().items()})
    return twin


def _as_torch(mask):
    return None if mask is None else torch.from_numpy(np.asarray(mask))


N, L, S, E, H = 3, 4, 5, 8, 2
RNG = np.random.default_rng(11)
PAD = np.zeros((N, S), bool)
PAD[0, -2:] = True  # the first sequence has two padded keys
BLOCKED = RNG.random((L, S)) < 0.3
BLOCKED[:, 0] = False  # every query may see key 0
FLOAT_MASK = RNG.standard_normal((L, S))
PER_HEAD = np.where(RNG.random((N * H, L, S)) < 0.3, -np.inf, 0.0)
PER_HEAD[..., 1] = 0.0

PARITY_CASES = [
    pytest.param({}, {}, id="plain"),
    pytest.param({"batch_first": True}, {}, id="batch-first"),
    pytest.param({"bias": False}, {}, id="no-bias"),
    pytest.param({"kdim": 6, "vdim": 3}, {}, id="kdim-vdim"),
    pytest.param({}, {"key_padding_mask": PAD}, id="padding-bool"),
    pytest.param({}, {"key_padding_mask": np.where(PAD, -np.inf, 0.0)}, id="padding-float"),
    pytest.param({}, {"attn_mask": BLOCKED}, id="attn-bool"),
    pytest.param({}, {"attn_mask": FLOAT_MASK}, id="attn-float"),
    pytest.param({}, {"attn_mask": PER_HEAD}, id="attn-per-head"),
    pytest.param(
        {"batch_first": True}, {"attn_mask": BLOCKED, "key_padding_mask": PAD}, id="both-masks"
    ),
    pytest.param({}, {"average_attn_weights": False}, id="per-head-weights"),
    pytest.param({}, {"need_weights": False}, id="no-weights"),
]


@pytest.mark.torch
@pytest.mark.parametrize(("options", "call"), PARITY_CASES)
def test_matches_torch(options, call):
    nl.manual_seed(0)
    mha = MultiheadAttention(E, H, **options).double()
    twin = _torch_twin(mha, **options)
    kdim, vdim = options.get("kdim", E), options.get("vdim", E)

    def layout(n, length, e):
        return (n, length, e) if options.get("batch_first") else (length, n, e)

    rng = np.random.default_rng(0)
    arrays = [
        rng.standard_normal(layout(N, L, E)),
        rng.standard_normal(layout(N, S, kdim)),
        rng.standard_normal(layout(N, S, vdim)),
    ]
    ours = [nl.tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    t_call = {k: _as_torch(v) if "mask" in k else v for k, v in call.items()}
    out, weights = mha(*ours, **call)
    t_out, t_weights = twin(*theirs, **t_call)

    np.testing.assert_allclose(out.data, t_out.detach().numpy(), **TIGHT)
    if t_weights is None:
        assert weights is None
    else:
        assert weights.shape == tuple(t_weights.shape) and not weights.requires_grad
        np.testing.assert_allclose(weights.data, t_weights.detach().numpy(), **TIGHT)
    direction = rng.standard_normal(out.shape)
    out.backward(direction)
    t_out.backward(torch.from_numpy(direction))
    for name, x, tx in zip(("query", "key", "value"), ours, theirs):
        np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TIGHT, err_msg=name)
    t_params = dict(twin.named_parameters())
    assert [n for n, _ in mha.named_parameters()] == list(t_params)
    for name, p in mha.named_parameters():
        np.testing.assert_allclose(p.grad, t_params[name].grad.numpy(), **TIGHT, err_msg=name)


@pytest.mark.torch
@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_and_causal_match_torch(batch_first):
    nl.manual_seed(1)
    mha = MultiheadAttention(E, H, batch_first=batch_first).double()
    twin = _torch_twin(mha, batch_first=batch_first)
    x = np.random.default_rng(1).standard_normal((L, E))  # one sequence, no batch axis
    out, weights = mha(*[nl.tensor(x, dtype="float64")] * 3, is_causal=True)
    mask = torch.from_numpy(causal_mask(L, dtype=np.float64))
    t_out, t_weights = twin(*[torch.tensor(x)] * 3, attn_mask=mask, is_causal=True)
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), **TIGHT)
    np.testing.assert_allclose(weights.data, t_weights.detach().numpy(), **TIGHT)
    assert np.all(np.triu(weights.data, 1) == 0), "a query attended to a later position"


@pytest.mark.torch
def test_float32_matches_torch():
    nl.manual_seed(2)
    mha = MultiheadAttention(16, 4, batch_first=True)
    twin = torch.nn.MultiheadAttention(16, 4, batch_first=True)
    twin.load_state_dict({k: torch.tensor(v.data) for k, v in mha.state_dict().items()})
    x = np.random.default_rng(2).standard_normal((2, 6, 16)).astype(np.float32)
    out, weights = mha(*[nl.tensor(x)] * 3)
    t_out, _ = twin(*[torch.tensor(x)] * 3)
    assert out.dtype == np.float32 and weights.dtype == np.float32
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.torch
def test_generate_square_subsequent_mask_matches_torch():
    ours = generate_square_subsequent_mask(5)
    theirs = torch.nn.Transformer.generate_square_subsequent_mask(5)
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert ours.dtype == np.float32


# ----- the functional form -----------------------------------------------------------------------
def _qkv(shape_q=(2, 3, 5, 4), shape_kv=(2, 3, 6, 4), seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    arrays = [
        rng.standard_normal(shape_q),
        rng.standard_normal(shape_kv),
        rng.standard_normal(shape_kv[:-1] + (3,)),
    ]
    return arrays, [nl.tensor(a, dtype=dtype, requires_grad=True) for a in arrays]


SDPA_CASES = [
    pytest.param({}, id="plain"),
    pytest.param({"attn_mask": np.tril(np.ones((5, 6), bool))}, id="bool-true-attends"),
    pytest.param({"attn_mask": RNG.standard_normal((5, 6))}, id="float"),
    pytest.param({"is_causal": True}, id="causal"),
    pytest.param({"scale": 0.2}, id="scale"),
]


@pytest.mark.torch
@pytest.mark.parametrize("options", SDPA_CASES)
def test_sdpa_matches_torch(options):
    arrays, ours = _qkv()
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    t_options = {k: _as_torch(v) if k == "attn_mask" else v for k, v in options.items()}
    out = scaled_dot_product_attention(*ours, **options)
    t_out = TF.scaled_dot_product_attention(*theirs, **t_options)
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), **TIGHT)
    direction = np.random.default_rng(5).standard_normal(out.shape)
    out.backward(direction)
    t_out.backward(torch.from_numpy(direction))
    for x, tx in zip(ours, theirs):
        np.testing.assert_allclose(x.grad, tx.grad.numpy(), **TIGHT)


@pytest.mark.parametrize("options", [*SDPA_CASES, pytest.param({"dropout_p": 0.4}, id="dropout")])
def test_fused_equals_composed_reference(options):
    """The fused op and the composed reference agree, values and all three gradients."""
    results = []
    for fn in (scaled_dot_product_attention, naive_scaled_dot_product_attention):
        _, inputs = _qkv(seed=4)
        nl.manual_seed(7)  # the same dropout mask for both
        out = fn(*inputs, **options)
        out.backward(np.random.default_rng(6).standard_normal(out.shape))
        results.append([out.data] + [x.grad for x in inputs])
    for fused, composed in zip(*results):
        np.testing.assert_allclose(fused, composed, rtol=1e-9, atol=1e-12)


def test_the_op_is_one_node_and_the_reference_is_several():
    _, inputs = _qkv()
    fused = scaled_dot_product_attention(*inputs, is_causal=True)
    composed = naive_scaled_dot_product_attention(*inputs, is_causal=True)
    assert [type(t.grad_fn).name for t in nl.topological_order(fused)] == [
        "scaled_dot_product_attention"
    ]
    names = [type(t.grad_fn).name for t in nl.topological_order(composed)]
    assert len(names) >= 5 and {"matmul", "softmax", "add"} <= set(names)


def test_a_query_that_sees_nothing_gets_zeros_and_no_gradient():
    _, (q, k, v) = _qkv((1, 3, 4), (1, 5, 4))
    blocked = np.ones((3, 5), bool)
    blocked[0] = False  # query 0 may attend nowhere (True = may attend, in this function)
    out = scaled_dot_product_attention(q, k, v, attn_mask=blocked)
    assert np.all(out.data[0, 0] == 0) and np.isfinite(out.data).all()
    out.sum().backward()
    assert np.all(q.grad[0, 0] == 0) and np.isfinite(k.grad).all()


def test_dropout_on_the_weights_and_determinism_in_eval():
    nl.manual_seed(0)
    mha = MultiheadAttention(E, H, dropout=0.5, batch_first=True)
    x = nl.randn(2, 6, E)
    _, weights = mha(x, x, x, average_attn_weights=False)
    dropped = weights.data == 0
    assert 0.3 < dropped.mean() < 0.7  # about half the probabilities are dropped
    row_sums = weights.data.sum(-1)
    assert not np.allclose(row_sums, 1)  # kept ones are scaled by 1 / (1 - p)
    mha.eval()
    a, wa = mha(x, x, x)
    b, wb = mha(x, x, x)
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_allclose(wa.data.sum(-1), 1, rtol=1e-5)


def test_weights_show_the_masks():
    nl.manual_seed(0)
    mha = MultiheadAttention(E, H)
    x = nl.randn(L, N, E)
    memory = nl.randn(S, N, E)
    _, per_head = mha(
        x, memory, memory, key_padding_mask=PAD, attn_mask=BLOCKED, average_attn_weights=False
    )
    assert per_head.shape == (N, H, L, S)
    assert np.all(per_head.data[0, :, :, -2:] == 0), "padded keys got attention"
    assert np.all(per_head.data[:, :, BLOCKED] == 0), "blocked pairs got attention"
    _, mean = mha(x, memory, memory, key_padding_mask=PAD, attn_mask=BLOCKED)
    np.testing.assert_allclose(mean.data, per_head.data.mean(axis=1), rtol=1e-6)


def test_self_attention_without_positions_is_permutation_equivariant():
    """Shuffle the sequence and the output shuffles the same way: attention alone cannot see
    order, which is why Transformers add positional encodings."""
    nl.manual_seed(0)
    mha = MultiheadAttention(E, H, batch_first=True).double()
    x = np.random.default_rng(0).standard_normal((2, 6, E))
    order = np.array([3, 0, 5, 1, 4, 2])
    out = mha(*[nl.tensor(x, dtype="float64")] * 3)[0].data
    shuffled = mha(*[nl.tensor(x[:, order], dtype="float64")] * 3)[0].data
    np.testing.assert_allclose(shuffled, out[:, order], **TIGHT)


def test_gradcheck_of_the_layer_with_masks():
    nl.manual_seed(0)
    mha = MultiheadAttention(4, 2, batch_first=True).double()
    rng = np.random.default_rng(0)
    q, k, v = (
        nl.tensor(rng.standard_normal(s), dtype="float64", requires_grad=True)
        for s in [(2, 3, 4), (2, 4, 4), (2, 4, 4)]
    )
    pad = np.array([[False, False, False, True], [False, True, False, False]])
    assert nl.gradcheck(
        lambda q, k, v: mha(
            q, k, v, key_padding_mask=pad, is_causal=False, attn_mask=causal_mask(3, 4, np.float64)
        )[0],
        q,
        k,
        v,
    )


# ----- errors ------------------------------------------------------------------------------------
def test_errors_say_what_to_fix():
    with pytest.raises(ValueError, match=r"embed_dim=10 must be divisible by num_heads=4.*\[1, 2"):
        MultiheadAttention(10, 4)
    mha = MultiheadAttention(8, 2)
    with pytest.raises(
        ValueError,
        match=r"MultiheadAttention\(embed_dim=8, num_heads=2, "
        r"batch_first=False\) expected a query whose last dimension is 8, got "
        r"shape \(5, 3, 6\); the features go last: \(L, N, E\)",
    ):
        mha(nl.zeros(5, 3, 6), nl.zeros(5, 3, 8), nl.zeros(5, 3, 8))
    x = nl.zeros(5, 3, 8)
    with pytest.raises(
        ValueError,
        match=r"key_padding_mask must be \(N, S\) = \(3, 5\).*got "
        r"\(5, 3\).*batch_first=False.*\(L, N, E\)",
    ):
        mha(x, x, x, key_padding_mask=np.zeros((5, 3), bool))
    with pytest.raises(ValueError, match=r"attn_mask must have shape \(5, 5\) or \(6, 5, 5\)"):
        mha(x, x, x, attn_mask=np.zeros((5, 4), bool))
    with pytest.raises(
        TypeError,
        match=r"a mask must be boolean \(True = may not attend\).*"
        r"got dtype int64",
    ):
        mha(x, x, x, attn_mask=np.zeros((5, 5), int))
    with pytest.raises(ValueError, match=r"same batch size.*is batch_first set right"):
        mha(x, nl.zeros(5, 2, 8), nl.zeros(5, 2, 8))
    with pytest.raises(ValueError, match=r"key and value must have the same length S"):
        mha(x, nl.zeros(5, 3, 8), nl.zeros(4, 3, 8))
    with pytest.raises(TypeError, match=r"has float32 parameters but got a float64 query"):
        mha(*[nl.zeros(5, 3, 8, dtype="float64")] * 3)
    with pytest.raises(ValueError, match=r"expected query, key and value of 3 dimensions"):
        mha(*[nl.zeros(8)] * 3)
    q = nl.zeros(2, 3, 4)
    with pytest.raises(ValueError, match=r"pass either attn_mask or is_causal=True, not both"):
        scaled_dot_product_attention(q, q, q, attn_mask=np.ones((3, 3), bool), is_causal=True)
    with pytest.raises(ValueError, match=r"query and key must have the same feature size"):
        scaled_dot_product_attention(q, nl.zeros(2, 3, 5), q)


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_bad_sizes(bad):
    with pytest.raises(ValueError, match="MultiheadAttention: (embed_dim|num_heads) must be"):
        MultiheadAttention(8, bad)


# ----- saving and loading ------------------------------------------------------------------------
def test_save_load_round_trip(tmp_path):
    from neuronlab.io import layers_attention

    layers_attention.register()
    nl.manual_seed(0)
    for mha in (
        MultiheadAttention(8, 2, dropout=0.1, batch_first=True),
        MultiheadAttention(8, 4, bias=False, kdim=6, vdim=5),
    ):
        path = tmp_path / "attention.safetensors"
        nl.io.save(mha.eval(), path)
        loaded = nl.io.load(path).eval()
        assert repr(loaded) == repr(mha)
        q, k, v = nl.randn(3, 4, 8), nl.randn(3, 4, mha.kdim), nl.randn(3, 4, mha.vdim)
        np.testing.assert_array_equal(loaded(q, k, v)[0].data, mha(q, k, v)[0].data)
