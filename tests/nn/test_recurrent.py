"""RNN, LSTM, GRU and their cells: the layer contract, PyTorch parity (outputs, states and every
gradient, with our weights copied into torch), the fused path against the composed reference,
shapes, errors, initialization and saving."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.functions import concatenate
from neuronlab.io.architecture import build, describe
from neuronlab.io.layers_recurrent import register
from neuronlab.nn.recurrent import GRU, LSTM, RNN
from neuronlab.nn.recurrent_cells import GRUCell, LSTMCell, RNNCell
from neuronlab.nn.recurrent_functional import gru_cell, lstm_cell, recurrent_reference, rnn_cell

from .harness import check_layer

TORCH_CLASSES = {
    RNN: torch.nn.RNN,
    LSTM: torch.nn.LSTM,
    GRU: torch.nn.GRU,
    RNNCell: torch.nn.RNNCell,
    LSTMCell: torch.nn.LSTMCell,
    GRUCell: torch.nn.GRUCell,
}


def _flat(*results):
    """Everything a layer returns as one 1-D tensor (so one check covers outputs and states)."""
    parts = [_flat(*r) if isinstance(r, tuple) else r.reshape(-1) for r in results]
    return concatenate(parts) if len(parts) > 1 else parts[0]


def _flattened(cls):
    """``cls`` whose forward returns its output and final states as one flat tensor."""
    return type(cls.__name__, (cls,), {"forward": lambda self, x: _flat(cls.forward(self, x))})


def _rng(seed=0):
    return np.random.default_rng(seed)


def _torch_twin(layer, **kwargs):
    twin = TORCH_CLASSES[type(layer)](**kwargs).double()
    with torch.no_grad():
        for name, p in layer.named_parameters():
            getattr(twin, name).copy_(torch.from_numpy(p.data))
    return twin


# ----- the layer contract -----------------------------------------------------------------------
SEQ_PARAMS = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_sequence_layers_meet_the_contract(cls):
    n_states = 2 if cls is LSTM else 1
    L, N, H = 4, 2, 3
    check_layer(
        lambda: _flattened(cls)(5, H),
        (L, N, 5),
        ((L + n_states) * N * H,),
        param_names=SEQ_PARAMS,
        config=("5, 3",),
    )


def test_bidirectional_two_layer_lstm_meets_the_contract():
    names = [
        f"{w}_l{k}{s}"
        for k in range(2)
        for s in ("", "_reverse")
        for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]
    size = 4 * 2 * 6 + 2 * (4 * 2 * 3)  # output (4, 2, 6) + h_n, c_n (4, 2, 3) each
    check_layer(
        lambda: _flattened(LSTM)(5, 3, num_layers=2, bidirectional=True),
        (4, 2, 5),
        (size,),
        param_names=names,
        config=("num_layers=2", "bidirectional=True"),
    )


@pytest.mark.parametrize("cls", [RNNCell, LSTMCell, GRUCell])
def test_cells_meet_the_contract(cls):
    n_states = 2 if cls is LSTMCell else 1
    check_layer(
        lambda: _flattened(cls)(5, 3),
        (2, 5),
        (n_states * 2 * 3,),
        param_names=["weight_ih", "weight_hh", "bias_ih", "bias_hh"],
        config=("5, 3",),
    )


# ----- PyTorch parity ---------------------------------------------------------------------------
CONFIGS = [
    {},
    {"num_layers": 2, "bidirectional": True},
    {"num_layers": 3, "batch_first": True},
    {"bias": False, "bidirectional": True},
]
LAYERS = [(RNN, {}), (RNN, {"nonlinearity": "relu"}), (LSTM, {}), (GRU, {})]


def _parity(layer, twin, x_shape, with_state, batched=True):
    """Compare outputs, final states and the gradients of the input, the initial states and
    every parameter, under a random weighting of all outputs."""
    rng = _rng(1)
    x = rng.standard_normal(x_shape)
    k = layer.num_layers * layer.num_directions
    s_shape = (
        (k, x_shape[0 if layer.batch_first else 1], layer.hidden_size)
        if batched
        else (k, layer.hidden_size)
    )
    n_states = 2 if isinstance(layer, LSTM) else 1
    states = [rng.standard_normal(s_shape) for _ in range(n_states)] if with_state else []
    ours = [nl.tensor(a, dtype="float64", requires_grad=True) for a in [x, *states]]
    theirs = [torch.tensor(a, requires_grad=True) for a in [x, *states]]

    def run(module, inputs):
        hx = None
        if with_state:
            hx = tuple(inputs[1:]) if n_states == 2 else inputs[1]
        out, h = module(inputs[0], hx)
        return [out, *(h if isinstance(h, tuple) else (h,))]

    a, b = run(layer, ours), run(twin, theirs)
    weights = [rng.standard_normal(t.shape) for t in a]
    sum(((t * nl.tensor(w, dtype="float64")).sum() for t, w in zip(a, weights))).backward()
    sum(((t * torch.from_numpy(w)).sum() for t, w in zip(b, weights))).backward()
    for i, (t, u) in enumerate(zip(a, b)):
        assert t.shape == tuple(u.shape), f"result {i}"
        np.testing.assert_allclose(t.data, u.detach().numpy(), rtol=1e-6, atol=1e-10)
    for i, (t, u) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(
            t.grad, u.grad.numpy(), rtol=1e-6, atol=1e-10, err_msg=f"gradient of input {i}"
        )
    for name, p in layer.named_parameters():
        np.testing.assert_allclose(
            p.grad,
            getattr(twin, name).grad.numpy(),
            rtol=1e-6,
            atol=1e-10,
            err_msg=f"gradient of {name}",
        )


@pytest.mark.torch
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "default")
@pytest.mark.parametrize(("cls", "extra"), LAYERS, ids=["rnn_tanh", "rnn_relu", "lstm", "gru"])
@pytest.mark.parametrize("with_state", [False, True], ids=["zeros", "h0"])
def test_sequence_layers_match_torch(cls, extra, config, with_state):
    nl.manual_seed(0)
    kwargs = dict(input_size=3, hidden_size=4, **extra, **config)
    layer = cls(**kwargs).double()
    x_shape = (2, 5, 3) if config.get("batch_first") else (5, 2, 3)
    _parity(layer, _torch_twin(layer, **kwargs), x_shape, with_state)


@pytest.mark.torch
@pytest.mark.parametrize(("cls", "extra"), LAYERS, ids=["rnn_tanh", "rnn_relu", "lstm", "gru"])
def test_unbatched_sequences_match_torch(cls, extra):
    kwargs = dict(input_size=3, hidden_size=4, num_layers=2, bidirectional=True, **extra)
    layer = cls(**kwargs).double()
    _parity(layer, _torch_twin(layer, **kwargs), (5, 3), with_state=True, batched=False)


@pytest.mark.torch
@pytest.mark.parametrize("cls", [RNNCell, LSTMCell, GRUCell])
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_torch(cls, batched):
    layer = cls(3, 4).double()
    twin = _torch_twin(layer, input_size=3, hidden_size=4)
    rng = _rng(2)
    lead = (2,) if batched else ()
    arrays = [rng.standard_normal(lead + (3,))] + [
        rng.standard_normal(lead + (4,)) for _ in range(2 if cls is LSTMCell else 1)
    ]
    ours = [nl.tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    if cls is LSTMCell:
        a = layer(ours[0], (ours[1], ours[2]))
        b = twin(theirs[0], (theirs[1], theirs[2]))
    else:
        a, b = (layer(ours[0], ours[1]),), (twin(theirs[0], theirs[1]),)
    weights = [rng.standard_normal(t.shape) for t in a]
    sum((t * nl.tensor(w, dtype="float64")).sum() for t, w in zip(a, weights)).backward()
    sum((t * torch.from_numpy(w)).sum() for t, w in zip(b, weights)).backward()
    for t, u in zip(a, b):
        np.testing.assert_allclose(t.data, u.detach().numpy(), rtol=1e-6, atol=1e-10)
    for t, u in zip(ours, theirs):
        np.testing.assert_allclose(t.grad, u.grad.numpy(), rtol=1e-6, atol=1e-10)
    for name, p in layer.named_parameters():
        np.testing.assert_allclose(p.grad, getattr(twin, name).grad.numpy(), rtol=1e-6, atol=1e-10)


@pytest.mark.torch
def test_state_dict_loads_into_torch_and_back():
    ours = LSTM(3, 4, num_layers=2, bidirectional=True)
    twin = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert list(ours.state_dict()) == list(twin.state_dict())
    assert all(
        tuple(v.shape) == tuple(twin.state_dict()[k].shape) for k, v in ours.state_dict().items()
    )


# ----- the fused ops against the composed reference ---------------------------------------------
@pytest.mark.parametrize(("cls", "extra"), LAYERS, ids=["rnn_tanh", "rnn_relu", "lstm", "gru"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "default")
def test_fused_equals_composed_reference(cls, extra, config):
    nl.manual_seed(3)
    layer = cls(3, 4, **extra, **config).double()
    x_shape = (2, 6, 3) if config.get("batch_first") else (6, 2, 3)
    x_data = _rng(3).standard_normal(x_shape)
    results = []
    for run in (layer, lambda x: recurrent_reference(layer, x)):
        layer.zero_grad()
        x = nl.tensor(x_data, dtype="float64", requires_grad=True)
        out, h = run(x)
        flat = _flat(out, h)
        (flat * nl.tensor(_rng(4).standard_normal(flat.shape), dtype="float64")).sum().backward()
        results.append([flat.data, x.grad, *[p.grad.copy() for p in layer.parameters()]])
    for fused, naive in zip(*results):
        np.testing.assert_allclose(fused, naive, rtol=1e-12, atol=1e-13)


def test_composed_cells_are_one_step_of_the_layers():
    rng = _rng(5)
    x = nl.tensor(rng.standard_normal((2, 3)), dtype="float64")
    for cls, cell in ((RNNCell, rnn_cell), (LSTMCell, lstm_cell), (GRUCell, gru_cell)):
        layer = cls(3, 4).double()
        states = [
            nl.tensor(rng.standard_normal((2, 4)), dtype="float64")
            for _ in range(2 if cls is LSTMCell else 1)
        ]
        params = list(layer.parameters())
        ref = cell(x, *states, *params)
        got = layer(x, tuple(states) if cls is LSTMCell else states[0])
        for a, b in zip(
            ref if isinstance(ref, tuple) else (ref,), got if isinstance(got, tuple) else (got,)
        ):
            np.testing.assert_allclose(a.data, b.data, rtol=1e-12, atol=1e-14)


# ----- behaviour --------------------------------------------------------------------------------
def test_shapes_follow_pytorch():
    x = nl.randn(7, 4, 3)
    out, (h, c) = LSTM(3, 5, num_layers=2, bidirectional=True)(x)
    assert (out.shape, h.shape, c.shape) == ((7, 4, 10), (4, 4, 5), (4, 4, 5))
    out, h = GRU(3, 5, batch_first=True)(nl.randn(4, 7, 3))
    assert (out.shape, h.shape) == ((4, 7, 5), (1, 4, 5))
    out, h = RNN(3, 5, num_layers=3)(nl.randn(7, 3))
    assert (out.shape, h.shape) == ((7, 5), (3, 5))


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_feeding_a_sequence_in_two_pieces_with_the_state_equals_feeding_it_whole(cls):
    layer = cls(3, 4, num_layers=2).double()
    x = nl.tensor(_rng(6).standard_normal((8, 2, 3)), dtype="float64")
    whole, h_whole = layer(x)
    first, h = layer(x[:5])
    second, h_two = layer(x[5:], h)
    np.testing.assert_allclose(whole.data[5:], second.data, rtol=1e-12)
    for a, b in zip(h_whole if cls is LSTM else (h_whole,), h_two if cls is LSTM else (h_two,)):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12)


def test_a_reversed_direction_reads_the_sequence_backwards():
    layer = RNN(2, 3, bidirectional=True).double()
    x = nl.tensor(_rng(7).standard_normal((5, 1, 2)), dtype="float64")
    out, h = layer(x)
    # The backward direction's first output has seen the whole sequence: changing the last
    # step changes it; the forward direction's first output has not.
    x2 = x.data.copy()
    x2[-1] += 1.0
    out2, _ = layer(nl.tensor(x2, dtype="float64"))
    assert np.allclose(out.data[0, :, :3], out2.data[0, :, :3])
    assert not np.allclose(out.data[0, :, 3:], out2.data[0, :, 3:])
    np.testing.assert_allclose(h.data[1], out.data[0, :, 3:])  # h_n of the reverse direction


def test_float32_stays_float32():
    out, (h, c) = LSTM(3, 4)(nl.randn(5, 2, 3))
    assert out.dtype == h.dtype == c.dtype == np.float32


def test_dropout_between_layers_only_in_training():
    nl.manual_seed(0)
    layer = LSTM(3, 8, num_layers=2, dropout=0.5)
    x = nl.randn(5, 2, 3)
    nl.manual_seed(1)
    a = layer(x)[0].data
    nl.manual_seed(2)
    b = layer(x)[0].data
    assert not np.allclose(a, b)  # two dropout masks
    layer.eval()
    np.testing.assert_array_equal(layer(x)[0].data, layer(x)[0].data)
    ref = recurrent_reference(layer, x)[0].data
    np.testing.assert_allclose(layer(x)[0].data, ref, rtol=1e-5, atol=1e-6)


def test_initialization_is_uniform_within_one_over_sqrt_hidden():
    nl.manual_seed(0)
    layer = GRU(10, 64, num_layers=2)
    values = np.concatenate([p.data.ravel() for p in layer.parameters()])
    bound = 1 / np.sqrt(64)
    assert values.min() >= -bound and values.max() <= bound
    assert abs(values.std() - bound / np.sqrt(3)) < 0.01 * bound  # U(-k, k) has std k / sqrt(3)
    nl.manual_seed(0)
    np.testing.assert_array_equal(
        GRU(10, 64, num_layers=2).weight_hh_l1.data, layer.weight_hh_l1.data
    )


def test_repr_names_the_configuration():
    assert repr(LSTM(3, 4, num_layers=2, batch_first=True)).startswith(
        "LSTM(3, 4, num_layers=2, batch_first=True)"
    )
    assert repr(RNN(3, 4, nonlinearity="relu")).startswith("RNN(3, 4, nonlinearity='relu')")
    assert repr(GRUCell(3, 4, bias=False)).startswith("GRUCell(3, 4, bias=False)")


# ----- errors -----------------------------------------------------------------------------------
def test_wrong_input_size_names_the_layer_and_the_shapes():
    with pytest.raises(ValueError, match=r"LSTM\(10, 20.*input_size = 10, got shape \(5, 3, 8\)"):
        LSTM(10, 20)(nl.randn(5, 3, 8))
    with pytest.raises(ValueError, match=r"GRU\(4, 2\).*got shape \(5,\)"):
        GRU(4, 2)(nl.randn(5))


def test_wrong_state_shapes_say_what_was_expected():
    layer = LSTM(3, 4, num_layers=2)
    x = nl.randn(5, 2, 3)
    with pytest.raises(ValueError, match=r"h0 of shape .* = \(2, 2, 4\), got \(2, 4\)"):
        layer(x, (nl.zeros(2, 4), nl.zeros(2, 2, 4)))
    with pytest.raises(ValueError, match=r"c0 of shape .* = \(2, 2, 4\), got \(1, 2, 4\)"):
        layer(x, (nl.zeros(2, 2, 4), nl.zeros(1, 2, 4)))
    with pytest.raises(TypeError, match=r"hx must be a tuple \(h0, c0\)"):
        layer(x, nl.zeros(2, 2, 4))
    with pytest.raises(ValueError, match=r"h0 of shape .* = \(1, 4\) for an unbatched input"):
        GRU(3, 4)(nl.randn(5, 3), nl.zeros(1, 2, 4))


def test_dtype_mismatch_and_bad_arguments():
    with pytest.raises(TypeError, match=r"float32 parameters but got a float64 input"):
        RNN(3, 4)(nl.randn(5, 2, 3, dtype="float64"))
    with pytest.raises(TypeError, match=r"expected a Tensor"):
        RNN(3, 4)(np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match=r"nonlinearity must be 'tanh' or 'relu'"):
        RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match=r"hidden_size must be a positive integer"):
        LSTM(3, 0)
    with pytest.raises(ValueError, match=r"drop probability"):
        LSTM(3, 4, num_layers=2, dropout=1.5)


def test_cells_reject_sequences_and_bad_states():
    with pytest.raises(ValueError, match=r"LSTMCell\(3, 4\) expected one step of shape \(N, 3\)"):
        LSTMCell(3, 4)(nl.randn(5, 2, 3))
    with pytest.raises(ValueError, match=r"expected h of shape \(2, 4\)"):
        GRUCell(3, 4)(nl.randn(2, 3), nl.zeros(3, 4))
    with pytest.raises(TypeError, match=r"hx must be a tuple \(h, c\)"):
        LSTMCell(3, 4)(nl.randn(2, 3), nl.zeros(2, 4))


# ----- saving -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [
        lambda: LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True, dropout=0.1),
        lambda: RNN(3, 4, nonlinearity="relu", bias=False),
        lambda: GRU(3, 4),
        lambda: RNNCell(3, 4, nonlinearity="relu"),
        lambda: LSTMCell(3, 4, bias=False),
        lambda: GRUCell(3, 4),
    ],
    ids=["lstm", "rnn", "gru", "rnn_cell", "lstm_cell", "gru_cell"],
)
def test_save_and_load_round_trip(make, tmp_path):
    register()
    layer = make().eval()
    rebuilt = build(describe(layer))
    assert repr(rebuilt) == repr(layer)
    path = tmp_path / "layer.safetensors"
    nl.io.save(layer, path)
    loaded = nl.io.load(path).eval()
    x = nl.randn(5, 2, 3) if not type(layer).__name__.endswith("Cell") else nl.randn(2, 3)
    a, b = _flat(layer(x)), _flat(loaded(x))
    np.testing.assert_array_equal(a.data, b.data)
