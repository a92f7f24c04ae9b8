"""TransformerEncoderLayer, TransformerEncoder and the positional encodings: the layer contract,
PyTorch parity with copied weights (float64: outputs, input and every parameter gradient), the
sinusoidal formula, the learned table's gradients, errors and a save/load round trip."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.nn.attention import causal_mask
from neuronlab.nn.normalization import LayerNorm
from neuronlab.nn.per_example import per_example_gradients
from neuronlab.nn.transformer import (
    LearnedPositionalEncoding,
    SinusoidalPositionalEncoding,
    TransformerEncoder,
    TransformerEncoderLayer,
    sinusoidal_table,
)

from .harness import check_layer

TIGHT = dict(rtol=1e-6, atol=1e-10)
LAYER_PARAMS = [
    "self_attn.in_proj_weight",
    "self_attn.in_proj_bias",
    "self_attn.out_proj.weight",
    "self_attn.out_proj.bias",
    "linear1.weight",
    "linear1.bias",
    "linear2.weight",
    "linear2.bias",
    "norm1.weight",
    "norm1.bias",
    "norm2.weight",
    "norm2.bias",
]


# ----- the layer contract ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "shape"),
    [
        pytest.param({}, (5, 3, 8), id="post-norm"),
        pytest.param({"norm_first": True, "activation": "gelu"}, (5, 3, 8), id="pre-norm-gelu"),
        pytest.param({"batch_first": True, "dropout": 0.2}, (3, 5, 8), id="batch-first-dropout"),
        pytest.param({}, (5, 8), id="unbatched"),
    ],
)
def test_encoder_layer_contract(options, shape):
    check_layer(
        lambda: TransformerEncoderLayer(8, 2, dim_feedforward=12, **options),
        shape,
        shape,
        param_names=LAYER_PARAMS,
        config=["TransformerEncoderLayer(", "d_model=8"],
    )


def test_encoder_contract():
    names = [f"layers.{i}.{n}" for i in range(2) for n in LAYER_PARAMS] + [
        "norm.weight",
        "norm.bias",
    ]
    check_layer(
        lambda: TransformerEncoder(
            TransformerEncoderLayer(4, 2, 8, dropout=0.0), 2, norm=LayerNorm(4)
        ),
        (3, 2, 4),
        (3, 2, 4),
        param_names=names,
        config=["num_layers=2"],
    )


@pytest.mark.parametrize("cls", [SinusoidalPositionalEncoding, LearnedPositionalEncoding])
@pytest.mark.parametrize(
    ("batch_first", "shape"), [(False, (6, 2, 8)), (True, (2, 6, 8)), (False, (6, 8))]
)
def test_positional_encoding_contract(cls, batch_first, shape):
    names = ["weight"] if cls is LearnedPositionalEncoding else []
    check_layer(
        lambda: cls(8, max_len=10, batch_first=batch_first, dropout=0.1),
        shape,
        shape,
        param_names=names,
        config=["d_model=8", "max_len=10"],
    )


# ----- PyTorch parity ----------------------------------------------------------------------------
N, L, E = 3, 5, 8
PAD = np.zeros((N, L), bool)
PAD[1, -2:] = True


def _pair(num_layers=2, final_norm=False, **options):
    nl.manual_seed(0)
    ours = TransformerEncoder(
        TransformerEncoderLayer(E, 2, 16, dropout=0.0, **options),
        num_layers,
        norm=LayerNorm(E) if final_norm else None,
    )
    for p in ours.parameters():  # break the copies' symmetry, and move norms off (1, 0)
        p.data += nl.randn(*p.shape).data * 0.1
    ours.double()
    layer = torch.nn.TransformerEncoderLayer(E, 2, 16, dropout=0.0, **options)
    theirs = torch.nn.TransformerEncoder(
        layer,
        num_layers,
        norm=torch.nn.LayerNorm(E) if final_norm else None,
        enable_nested_tensor=False,
    )
    theirs = theirs.double()
    theirs.load_state_dict({k: torch.tensor(v.data) for k, v in ours.state_dict().items()})
    return ours, theirs


@pytest.mark.torch
@pytest.mark.parametrize(
    ("options", "call"),
    [
        pytest.param({}, {}, id="post-norm"),
        pytest.param({"norm_first": True, "final_norm": True}, {}, id="pre-norm+final-norm"),
        pytest.param({"activation": "gelu", "batch_first": True}, {}, id="gelu-batch-first"),
        pytest.param({"bias": False}, {}, id="no-bias"),
        pytest.param({"layer_norm_eps": 1e-3}, {}, id="eps"),
        pytest.param(
            {}, {"mask": causal_mask(L, dtype=np.float64), "is_causal": True}, id="causal"
        ),
        pytest.param({}, {"mask": np.triu(np.ones((L, L), bool), 1)}, id="bool-mask"),
        pytest.param({"batch_first": True}, {"src_key_padding_mask": PAD}, id="padding"),
    ],
)
def test_encoder_matches_torch(options, call):
    options = dict(options)
    final_norm = options.pop("final_norm", False)
    ours, theirs = _pair(final_norm=final_norm, **options)
    shape = (N, L, E) if options.get("batch_first") else (L, N, E)
    x = np.random.default_rng(1).standard_normal(shape)
    X, TX = nl.tensor(x, dtype="float64", requires_grad=True), torch.tensor(x, requires_grad=True)
    t_call = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in call.items()}
    out, t_out = ours(X, **call), theirs(TX, **t_call)
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), **TIGHT)

    direction = np.random.default_rng(2).standard_normal(out.shape)
    out.backward(direction)
    t_out.backward(torch.from_numpy(direction))
    np.testing.assert_allclose(X.grad, TX.grad.numpy(), **TIGHT)
    t_params = dict(theirs.named_parameters())
    assert [n for n, _ in ours.named_parameters()] == list(t_params)
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, t_params[name].grad.numpy(), **TIGHT, err_msg=name)


@pytest.mark.torch
def test_eval_mode_with_dropout_matches_torch_without_its_fast_path():
    """In eval mode dropout is off; PyTorch would take its fused inference path, so it is
    switched off to compare the plain math."""
    ours, theirs = _pair(batch_first=True)
    for layer in ours.layers:
        layer.dropout.p = layer.dropout1.p = layer.dropout2.p = layer.self_attn.dropout = 0.5
    ours.eval()
    theirs.eval()
    x = np.random.default_rng(3).standard_normal((N, L, E))
    previous = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        with torch.no_grad():
            expected = theirs(torch.tensor(x)).numpy()
    finally:
        torch.backends.mha.set_fastpath_enabled(previous)
    with nl.no_grad():
        np.testing.assert_allclose(ours(nl.tensor(x, dtype="float64")).data, expected, **TIGHT)


def test_layers_are_independent_copies():
    layer = TransformerEncoderLayer(E, 2, 16)
    encoder = TransformerEncoder(layer, 3)
    first, second = encoder.layers[0], encoder.layers[1]
    assert first is not second and first is not layer
    np.testing.assert_array_equal(first.linear1.weight.data, second.linear1.weight.data)
    first.linear1.weight.data += 1
    assert not np.allclose(first.linear1.weight.data, second.linear1.weight.data)
    assert len(list(encoder.parameters())) == 3 * len(LAYER_PARAMS)


def test_dropout_only_while_training():
    nl.manual_seed(0)
    layer = TransformerEncoderLayer(E, 2, 16, dropout=0.5, batch_first=True)
    x = nl.randn(2, L, E)
    a, b = layer(x), layer(x)
    assert not np.allclose(a.data, b.data)
    layer.eval()
    np.testing.assert_array_equal(layer(x).data, layer(x).data)


# ----- positional encodings ----------------------------------------------------------------------
@pytest.mark.parametrize("d_model", [6, 7])
def test_sinusoidal_table_is_the_papers_formula(d_model):
    table = sinusoidal_table(20, d_model, np.float64)
    for pos in range(20):
        for i in range(d_model):
            angle = pos / 10000 ** ((i - i % 2) / d_model)
            expected = np.sin(angle) if i % 2 == 0 else np.cos(angle)
            assert table[pos, i] == pytest.approx(expected, abs=1e-12)


def test_sinusoidal_offsets_are_rotations():
    """PE[pos + k] is PE[pos] with each (sin, cos) pair rotated by an angle that depends on k
    only -- why a model can learn to attend by relative position."""
    table = sinusoidal_table(40, 8, np.float64)
    k = 5
    for pair in range(4):
        sin, cos = table[:, 2 * pair], table[:, 2 * pair + 1]
        theta = k / 10000 ** (2 * pair / 8)
        np.testing.assert_allclose(
            sin[k:], sin[:-k] * np.cos(theta) + cos[:-k] * np.sin(theta), atol=1e-12
        )


@pytest.mark.parametrize("batch_first", [False, True])
def test_positions_are_added_along_the_length_axis(batch_first):
    pe = SinusoidalPositionalEncoding(4, max_len=10, batch_first=batch_first, dtype="float64")
    shape = (2, 3, 4) if batch_first else (3, 2, 4)
    out = pe(nl.zeros(*shape, dtype="float64")).data
    out = out if batch_first else out.transpose(1, 0, 2)  # (N, L, E)
    for n in range(2):
        np.testing.assert_array_equal(out[n], sinusoidal_table(3, 4, np.float64))
    assert not any(True for _ in pe.parameters()) and "pe" not in pe.state_dict()


def test_learned_positions_gradient_and_per_example_rule():
    nl.manual_seed(0)
    pos = LearnedPositionalEncoding(4, max_len=6, batch_first=True)
    x = nl.randn(3, 2, 4)
    dout = np.random.default_rng(0).standard_normal((3, 2, 4)).astype(np.float32)
    pos(x).backward(dout)
    expected = np.zeros((6, 4), np.float32)
    expected[:2] = dout.sum(axis=0)
    np.testing.assert_allclose(pos.weight.grad, expected, rtol=1e-6)

    model = nl.nn.Sequential(pos, nl.nn.Flatten(), nl.nn.Linear(8, 2))
    X, y = nl.randn(3, 2, 4), nl.tensor([0, 1, 1])
    grads = per_example_gradients(model, nl.nn.CrossEntropyLoss(), X, y)
    for n in range(3):  # each example alone, the ordinary way
        model.zero_grad()
        loss = nl.nn.CrossEntropyLoss(reduction="sum")(model(X[n : n + 1]), y[n : n + 1])
        loss.backward()
        np.testing.assert_allclose(grads["0.weight"][n], pos.weight.grad, rtol=1e-5, atol=1e-7)


# ----- errors ------------------------------------------------------------------------------------
def test_errors_say_what_to_fix():
    with pytest.raises(
        ValueError,
        match=r"activation must be one of \['gelu', 'relu'\].*"
        r"got 'tanh'",
    ):
        TransformerEncoderLayer(8, 2, activation="tanh")
    with pytest.raises(ValueError, match=r"num_layers must be a positive integer, got 0"):
        TransformerEncoder(TransformerEncoderLayer(8, 2), 0)
    pe = LearnedPositionalEncoding(8, max_len=4, batch_first=True)
    with pytest.raises(
        ValueError,
        match=r"LearnedPositionalEncoding\(d_model=8, max_len=4\) got "
        r"a sequence of length 6 \(shape \(2, 6, 8\)\), longer than max_len=4",
    ):
        pe(nl.zeros(2, 6, 8))
    with pytest.raises(
        ValueError,
        match=r"expected \(N, L, d_model\) or \(L, d_model\) with "
        r"d_model=8, got \(2, 3, 5\)",
    ):
        pe(nl.zeros(2, 3, 5))
    layer = TransformerEncoderLayer(8, 2)
    with pytest.raises(ValueError, match=r"MultiheadAttention\(embed_dim=8.*last dimension is 8"):
        layer(nl.zeros(5, 2, 6))


# ----- saving and loading ------------------------------------------------------------------------
def test_save_load_round_trip(tmp_path):
    from neuronlab.io import layers_attention, layers_norm

    layers_norm.register()
    layers_attention.register()
    nl.manual_seed(0)
    model = nl.nn.Sequential(
        LearnedPositionalEncoding(8, max_len=12, batch_first=True),
        SinusoidalPositionalEncoding(8, max_len=12, batch_first=True),
        TransformerEncoder(
            TransformerEncoderLayer(8, 2, 16, activation="gelu", batch_first=True, norm_first=True),
            2,
            norm=LayerNorm(8),
        ),
    ).eval()
    path = tmp_path / "encoder.safetensors"
    nl.io.save(model, path)
    loaded = nl.io.load(path).eval()
    assert repr(loaded) == repr(model)
    x = nl.randn(2, 7, 8)
    np.testing.assert_array_equal(loaded(x).data, model(x).data)
    copy.deepcopy(loaded)  # a loaded model is an ordinary one
