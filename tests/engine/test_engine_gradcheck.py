"""``neuronlab.gradcheck`` itself: it passes correct gradients and catches wrong ones, saying
which input and element disagree and both values."""

from __future__ import annotations

import numpy as np
import pytest

import neuronlab as nl
from neuronlab.engine.function import REGISTRY, Function, register


class WrongSquare(Function):
    """y = x * x with a wrong backward (the factor 2 is missing). Never registered."""

    name = "wrong_square"

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, dout):
        return (dout * self.x,)


class AbsWithoutSign(Function):
    """y = |x| with backward dx = dout: right where x > 0, wrong where x < 0."""

    name = "abs_without_sign"

    def forward(self, x):
        return np.abs(x)

    def backward(self, dout):
        return (dout,)


class MulWrongForB(Function):
    """y = a * b with a correct da and a db of the wrong sign."""

    name = "mul_wrong_for_b"

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, dout):
        return dout * self.b, -dout * self.a


def test_passes_on_correct_functions():
    x = nl.tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)
    w = nl.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
    assert nl.gradcheck(lambda x: (x * x.tanh()).sum(), x)
    assert nl.gradcheck(lambda x, w: (x @ w).sigmoid(), x, w)  # non-scalar output
    assert nl.gradcheck(lambda x, k: x * k, x, 3.0)  # non-tensor arguments pass through


def test_works_in_float64_and_leaves_the_callers_tensors_alone():
    x = nl.tensor([0.5, -1.0], requires_grad=True)  # float32
    seen = []
    nl.gradcheck(lambda t: seen.append(t.dtype) or (t * t).sum(), x)
    assert set(seen) == {np.dtype(np.float64)}
    assert x.grad is None and x.dtype == np.float32
    np.testing.assert_array_equal(x.data, np.array([0.5, -1.0], np.float32))


def test_names_the_input_the_element_and_both_values():
    x = nl.tensor([0.5, -1.0, 2.0], requires_grad=True, dtype="float64")
    with pytest.raises(
        nl.GradcheckError,
        match=r"gradient of input 0 \(shape \(3,\)\) disagrees at element \(0,\): "
        r"backward gave 0\.5, central differences gave 1\b.*"
        r"3 of 3 elements disagree",
    ):
        nl.gradcheck(lambda x: WrongSquare.apply(x).sum(), x)


def test_reports_the_first_wrong_element_of_a_matrix():
    x = nl.tensor([[1.0, 2.0], [-3.0, 4.0]], requires_grad=True, dtype="float64")
    with pytest.raises(
        nl.GradcheckError,
        match=r"input 0 \(shape \(2, 2\)\) disagrees at element \(1, 0\): backward "
        r"gave 1, central differences gave -1\b.*1 of 4 elements",
    ):
        nl.gradcheck(lambda x: AbsWithoutSign.apply(x).sum(), x)


def test_reports_the_second_input():
    a = nl.tensor([1.0, 2.0], requires_grad=True)
    b = nl.tensor([3.0, -4.0], requires_grad=True)
    with pytest.raises(nl.GradcheckError, match=r"gradient of input 1 \(shape \(2,\)\)"):
        nl.gradcheck(lambda a, b: MulWrongForB.apply(a, b).sum(), a, b)


def test_raise_exception_false_returns_false():
    x = nl.tensor([0.5, -1.0], requires_grad=True)
    assert nl.gradcheck(lambda x: WrongSquare.apply(x).sum(), x, raise_exception=False) is False
    assert nl.gradcheck(lambda x: (x * x).sum(), x, raise_exception=False) is True


def test_gradcheck_error_is_an_assertion_error():
    assert issubclass(nl.GradcheckError, AssertionError)


def test_refuses_inputs_without_requires_grad():
    with pytest.raises(ValueError, match="no input has requires_grad=True"):
        nl.gradcheck(lambda x: x * 2, nl.tensor([1.0]))


def test_refuses_non_tensor_outputs():
    with pytest.raises(TypeError, match="fn must return a Tensor, got float"):
        nl.gradcheck(lambda x: 1.0, nl.tensor([1.0], requires_grad=True))


def test_numerical_gradients_restore_the_inputs():
    x = nl.tensor([0.5, -1.0, 2.0], requires_grad=True, dtype="float64")
    before = x.data.copy()
    (g,) = nl.numerical_gradients(lambda x: (x * x * x).sum(), [x])
    np.testing.assert_allclose(g, 3 * before**2, rtol=1e-8)
    np.testing.assert_array_equal(x.data, before)


def test_register_adds_an_op_once():
    class Twice(Function):
        name = "test_only_twice"

        def forward(self, x):
            return 2 * x

        def backward(self, dout):
            return (2 * dout,)

    try:
        register(Twice)
        assert REGISTRY["test_only_twice"] is Twice
        with pytest.raises(RuntimeError, match="'test_only_twice' is registered twice"):
            register(Twice)
        x = nl.tensor([1.0, 2.0], requires_grad=True)
        assert nl.gradcheck(lambda x: Twice.apply(x).sum(), x)
    finally:
        REGISTRY.pop("test_only_twice", None)
    assert "test_only_twice" not in REGISTRY
