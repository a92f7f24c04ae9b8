"""``neuronlab.nn.init``: PyTorch's formulas, the engine's seedable generator, in place."""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuronlab as nl
from neuronlab import nn
from neuronlab.nn import init

SHAPE = (600, 400)  # fan_in 400, fan_out 600: 240,000 samples, std known to ~0.2%


@pytest.mark.parametrize(
    ("fill", "expected_std"),
    [
        (lambda t: init.kaiming_uniform_(t, nonlinearity="relu"), math.sqrt(2 / 400)),
        (lambda t: init.kaiming_normal_(t, nonlinearity="relu"), math.sqrt(2 / 400)),
        (lambda t: init.kaiming_normal_(t, mode="fan_out"), math.sqrt(2 / 1.0001 / 600)),
        (lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)), 1 / math.sqrt(3) / math.sqrt(400)),
        (lambda t: init.xavier_uniform_(t), math.sqrt(2 / 1000)),
        (
            lambda t: init.xavier_normal_(t, gain=init.calculate_gain("tanh")),
            5 / 3 * math.sqrt(2 / 1000),
        ),
        (lambda t: init.normal_(t, 1.0, 0.5), 0.5),
        (lambda t: init.uniform_(t, -3.0, 3.0), 3 / math.sqrt(3)),
    ],
    ids=[
        "kaiming_uniform",
        "kaiming_normal",
        "kaiming_fan_out",
        "kaiming_linear_default",
        "xavier_uniform",
        "xavier_normal_tanh",
        "normal",
        "uniform",
    ],
)
def test_initial_spread_matches_the_formula(fill, expected_std):
    nl.manual_seed(0)
    t = nl.zeros(*SHAPE)
    array = t.data
    assert fill(t) is t and t.data is array  # in place, returns the tensor
    assert abs(t.data.std() - expected_std) < 0.01 * expected_std


def test_uniform_bounds_and_constants():
    t = init.uniform_(nl.zeros(1000), -0.5, 0.25)
    assert t.data.min() >= -0.5 and t.data.max() < 0.25
    np.testing.assert_array_equal(init.constant_(nl.zeros(3), 2.5).data, [2.5] * 3)
    np.testing.assert_array_equal(init.ones_(nl.zeros(2)).data, [1.0, 1.0])
    np.testing.assert_array_equal(init.zeros_(nl.ones(2)).data, [0.0, 0.0])


def test_seeding_makes_models_reproducible():
    def build():
        return nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 2))

    nl.manual_seed(0)
    first = build()
    nl.manual_seed(0)
    second = build()
    third = build()
    for (name, p), (_, q), (_, r) in zip(
        first.named_parameters(), second.named_parameters(), third.named_parameters()
    ):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
        assert not np.array_equal(p.data, r.data)


def test_float32_and_float64_models_seeded_alike_match():
    nl.manual_seed(4)
    single = nn.Linear(6, 3)
    nl.manual_seed(4)
    double = nn.Linear(6, 3, dtype="float64")
    np.testing.assert_allclose(single.weight.data, double.weight.data, rtol=1e-7)


def test_generator_argument_leaves_the_global_generator_alone():
    nl.manual_seed(0)
    expected = nl.randn(3).data
    nl.manual_seed(0)
    a = init.normal_(nl.zeros(4), generator=np.random.default_rng(1))
    b = init.normal_(nl.zeros(4), generator=np.random.default_rng(1))
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(nl.randn(3).data, expected)


def test_gain_and_fan_formulas():
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("leaky_relu", 0.0) == pytest.approx(math.sqrt(2))
    assert init._calculate_fan_in_and_fan_out(nl.zeros(16, 3, 5, 5)) == (75, 400)
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match=r"at least 2 dimensions .* got shape \(5,\)"):
        init.xavier_uniform_(nl.zeros(5))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_uniform_(nl.zeros(2, 2), mode="fan")
    with pytest.raises(TypeError, match="expected a Tensor"):
        init.zeros_(np.zeros(3))
    with pytest.warns(UserWarning, match="zero-element tensor"):
        init.kaiming_uniform_(nl.zeros(0, 3))
