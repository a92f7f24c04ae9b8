"""Table-driven tests: every record and sample of ``op_table.OPS`` through gradcheck, the NumPy
reference, PyTorch parity, float32 dtype rules and its error cases."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from op_table import (
    BACKWARD_DTYPE,
    FLOAT32,
    FORWARD,
    GRADCHECK,
    OPS,
    OPS_BY_NAME,
    TORCH,
    neuronlab_inputs,
    numpy_inputs,
    samples_for,
    torch_inputs,
)

import neuronlab as nl
from neuronlab.engine.autograd import topological_order
from neuronlab.engine.function import REGISTRY

RTOL, ATOL = 1e-6, 1e-10  # float64 comparisons (NumPy reference, PyTorch parity)


def _upstream(shape, seed=1):
    """A random gradient arriving from above (so backward is checked in a random direction)."""
    return np.random.default_rng(seed).standard_normal(shape)


def _primitives_in_graph(out) -> set[str]:
    if out._op is None:
        return set()
    return {type(node._op).name for node in topological_order(out)}


# ----- the table covers the engine --------------------------------------------------------------
def test_every_registered_primitive_has_a_record():
    missing = sorted(set(REGISTRY) - set(OPS_BY_NAME))
    assert not missing, f"primitives without a record in tests/engine/op_table.py: {missing}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_record_named_after_a_primitive_goes_through_it(name):
    op = OPS_BY_NAME[name]
    sample = next(s for s in op.samples if s.bug_for(FORWARD) is None)
    args, kwargs, _ = neuronlab_inputs(op, sample)
    assert name in _primitives_in_graph(op.op(*args, **kwargs))


def test_records_are_well_formed():
    assert len(OPS_BY_NAME) == len(OPS), "two records share a name"
    for op in OPS:
        ids = [s.id for s in op.samples]
        assert len(set(ids)) == len(ids), f"{op.name}: duplicate sample ids {ids}"
        assert op.samples, f"{op.name} has no samples"
        for sample in op.samples:
            _, _, leaves = neuronlab_inputs(op, sample)
            assert leaves, f"{op.name}[{sample.id}] has no input that requires grad"


def test_the_table_has_scalar_and_broadcasting_samples():
    shapes = {
        tuple(tuple(leaf.shape) for leaf in neuronlab_inputs(op, s)[2])
        for op in OPS
        for s in op.samples
    }
    for wanted in [((),), ((3, 1), (4,)), ((2, 3, 4), (4,)), ((), (2, 2))]:
        assert wanted in shapes


# ----- forward against NumPy --------------------------------------------------------------------
@pytest.mark.parametrize(("op", "sample"), samples_for(FORWARD))
def test_forward_matches_numpy(op, sample):
    args, kwargs, _ = neuronlab_inputs(op, sample)
    out = op.op(*args, **kwargs)
    expected = np.asarray(op.ref(*numpy_inputs(op, sample)[0], **numpy_inputs(op, sample)[1]))
    assert out.shape == expected.shape
    np.testing.assert_allclose(np.asarray(out.data), expected, rtol=RTOL, atol=ATOL)


# ----- gradients: central differences, float64 ---------------------------------------------------
@pytest.mark.parametrize(("op", "sample"), samples_for(GRADCHECK))
def test_gradcheck(op, sample):
    args, kwargs, _ = neuronlab_inputs(op, sample)
    assert nl.gradcheck(lambda *a: op.op(*a, **kwargs), *args, **op.gradcheck_options)


# ----- PyTorch parity: forward and every input gradient -----------------------------------------
@pytest.mark.torch
@pytest.mark.parametrize(("op", "sample"), samples_for(TORCH))
def test_matches_torch(op, sample):
    args, kwargs, leaves = neuronlab_inputs(op, sample)
    t_args, t_kwargs, t_leaves = torch_inputs(op, sample)
    out = op.op(*args, **kwargs)
    t_out = op.torch_ref(*t_args, **t_kwargs)
    assert out.shape == tuple(t_out.shape)
    assert str(out.dtype) == str(t_out.dtype).removeprefix("torch.")
    np.testing.assert_allclose(np.asarray(out.data), t_out.detach().numpy(), rtol=RTOL, atol=ATOL)

    dout = _upstream(out.shape)
    out.backward(dout.copy())
    t_out.backward(torch.from_numpy(dout).to(t_out.dtype))
    for i, (leaf, t_leaf) in enumerate(zip(leaves, t_leaves)):
        expected = np.zeros(leaf.shape) if t_leaf.grad is None else t_leaf.grad.numpy()
        assert leaf.grad is not None, f"input {i} got no gradient"
        assert leaf.grad.shape == leaf.shape
        np.testing.assert_allclose(
            leaf.grad, expected, rtol=RTOL, atol=ATOL, err_msg=f"gradient of input {i}"
        )


# ----- float32 stays float32 --------------------------------------------------------------------
@pytest.mark.parametrize(("op", "sample"), samples_for(FLOAT32))
def test_float32_in_float32_out(op, sample):
    args, kwargs, leaves = neuronlab_inputs(op, sample, np.float32)
    out = op.op(*args, **kwargs)
    assert out.dtype == np.dtype(op.out_dtype or np.float32)
    np_args, np_kwargs = numpy_inputs(op, sample, np.float64)
    np.testing.assert_allclose(
        np.asarray(out.data), op.ref(*np_args, **np_kwargs), rtol=1e-4, atol=1e-5
    )
    out.backward(_upstream(out.shape))
    for leaf in leaves:
        assert leaf.grad.dtype == leaf.dtype == np.float32
        assert leaf.grad.shape == leaf.shape


@pytest.mark.parametrize(("op", "sample"), samples_for(BACKWARD_DTYPE))
def test_backward_keeps_float32_inside_the_graph(op, sample):
    """Each primitive's backward returns gradients in its inputs' dtype (no float64 detour that
    the leaves cast back; it would double the memory and time of every backward)."""
    args, kwargs, leaves = neuronlab_inputs(op, sample, np.float32)
    out = op.op(*args, **kwargs)
    if out._op is None:  # the op returned its input unchanged (e.g. squeeze of a size-3 axis)
        assert any(out is leaf for leaf in leaves)
        return
    for node in topological_order(out):
        grads = node._op.backward(np.ones(node.shape, node.dtype))
        for parent, g in zip(node._op.parents, grads):
            if g is not None and parent.requires_grad:
                assert g.dtype == parent.dtype, (
                    f"{node._op.name}.backward gave a {g.dtype} gradient for a {parent.dtype} input"
                )


# ----- error cases ------------------------------------------------------------------------------
def _error_params():
    params = []
    for op in OPS:
        for k, err in enumerate(op.errors):
            marks = [pytest.mark.xfail(strict=True, reason=err.bug)] if err.bug else []
            params.append(pytest.param(op, err, id=f"{op.name}[{k}:{err.sample.id}]", marks=marks))
    return params


@pytest.mark.parametrize(("op", "err"), _error_params())
def test_error_cases(op, err):
    args, kwargs, _ = neuronlab_inputs(op, err.sample, np.float32)
    with pytest.raises(err.exc, match=err.match):
        op.op(*args, **kwargs)
