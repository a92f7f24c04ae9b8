"""The sliced fast path of conv2d (``engine/ops/conv_chunked.py``) against the whole-batch im2col
reference and PyTorch: outputs and all three gradients, in slices of one or several examples with
a shorter last slice, for shifted rows (stride 1), windows (other strides), the 1x1 shortcut, the
flipped-filter input gradient and its col2im fallback (padding wider than the kernel reaches)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.engine.ops import conv as conv_module
from neuronlab.engine.ops import conv_chunked, workers
from neuronlab.engine.ops.conv import Conv2d

TIGHT = dict(rtol=1e-10, atol=1e-12)


@pytest.fixture(autouse=True)
def _every_window_size(monkeypatch):
    """conv2d slices the batch only above SMALL_K values per window; here, for every size."""
    monkeypatch.setattr(conv_module, "SMALL_K", 0)


# (x shape, W shape, stride, padding (top, bottom, left, right), dilation)
CASES = [
    ((5, 3, 7, 6), (4, 3, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),  # shifted rows, 'same'
    ((5, 4, 7, 6), (6, 4, 3, 2), (2, 2), (1, 1, 0, 0), (1, 1)),  # windows
    ((5, 2, 8, 8), (3, 2, 3, 3), (1, 1), (2, 2, 2, 2), (2, 2)),  # dilation
    ((5, 4, 5, 6), (3, 4, 2, 2), (1, 1), (0, 1, 0, 1), (1, 1)),  # even kernel, uneven padding
    ((5, 5, 3, 4), (2, 5, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1)),  # 1x1: the columns are x itself
    ((5, 2, 5, 5), (4, 2, 3, 3), (1, 1), (3, 3, 2, 2), (1, 1)),  # padding past the reach: col2im
    ((5, 3, 8, 8), (4, 3, 3, 3), (2, 1), (1, 0, 2, 1), (1, 2)),  # mixed strides and dilations
    ((5, 3, 1, 9), (4, 3, 1, 3), (1, 1), (0, 0, 1, 1), (1, 1)),  # conv1d as a height-1 image
]


def _run(x, W, b, case, reference, dtype="float64"):
    _, _, stride, padding, dilation = case
    xt = nl.tensor(x, dtype=dtype, requires_grad=True)
    Wt = nl.tensor(W, dtype=dtype, requires_grad=True)
    bt = nl.tensor(b, dtype=dtype, requires_grad=True)
    y = Conv2d.apply(
        xt, Wt, bt, stride=stride, padding=padding, dilation=dilation, reference=reference
    )
    assert y._op.chunked is not reference
    y.backward(np.random.default_rng(2).standard_normal(y.shape).astype(dtype))
    return y.data, xt.grad, Wt.grad, bt.grad


def _data(case, seed=0):
    rng = np.random.default_rng(seed)
    x_shape, W_shape = case[:2]
    return (
        rng.standard_normal(x_shape),
        rng.standard_normal(W_shape),
        rng.standard_normal(W_shape[0]),
    )


@pytest.mark.parametrize("chunk_bytes", [1, 600, conv_chunked.CHUNK_BYTES])
@pytest.mark.parametrize("case", CASES)
def test_sliced_path_equals_the_whole_batch_reference(case, chunk_bytes, monkeypatch):
    """Slices of one example, of two or three (the last one shorter), and the whole batch."""
    monkeypatch.setattr(conv_chunked, "CHUNK_BYTES", chunk_bytes)
    x, W, b = _data(case)
    fast, reference = _run(x, W, b, case, False), _run(x, W, b, case, True)
    for name, a, r in zip(("y", "dx", "dW", "db"), fast, reference):
        np.testing.assert_allclose(a, r, **TIGHT, err_msg=name)


@pytest.mark.torch
@pytest.mark.parametrize("case", CASES)
def test_float32_sliced_path_matches_torch(case):
    x, W, b = _data(case, seed=3)
    _, _, stride, padding, dilation = case
    ours = _run(x, W, b, case, False, dtype="float32")
    tx, tW, tb = (torch.tensor(a, dtype=torch.float32, requires_grad=True) for a in (x, W, b))
    top, bottom, left, right = padding
    padded = torch.nn.functional.pad(tx, (left, right, top, bottom))
    ty = torch.nn.functional.conv2d(padded, tW, tb, stride=stride, dilation=dilation)
    ty.backward(
        torch.from_numpy(np.random.default_rng(2).standard_normal(ty.shape).astype(np.float32))
    )
    theirs = (ty.detach().numpy(), tx.grad.numpy(), tW.grad.numpy(), tb.grad.numpy())
    for name, a, t in zip(("y", "dx", "dW", "db"), ours, theirs):
        assert a.dtype == np.float32, name
        np.testing.assert_allclose(a, t, rtol=1e-4, atol=1e-4 * np.abs(t).max(), err_msg=name)


def test_strided_views_and_broadcast_gradients_are_read_correctly():
    """A transposed (non-contiguous) input and the zero-stride dout of y.sum().backward()."""
    rng = np.random.default_rng(4)
    base = rng.standard_normal((3, 6, 6, 4))
    W = rng.standard_normal((2, 3, 3, 3))
    grads = []
    for reference in (False, True):
        x = nl.tensor(base.transpose(0, 3, 1, 2)[:, :3], dtype="float64", requires_grad=True)
        Wt = nl.tensor(W, dtype="float64", requires_grad=True)
        y = Conv2d.apply(x, Wt, padding=(1, 1, 1, 1), reference=reference)
        y.sum().backward()
        grads.append((y.data, x.grad, Wt.grad))
    for a, r in zip(*grads):
        np.testing.assert_allclose(a, r, **TIGHT)


def test_only_the_asked_gradients_are_computed():
    x = nl.tensor(np.ones((2, 1, 5, 5)), dtype="float64")  # images: no input gradient
    W = nl.tensor(np.ones((3, 1, 3, 3)), dtype="float64", requires_grad=True)
    y = Conv2d.apply(x, W, padding=(1, 1, 1, 1))
    y.sum().backward()
    assert x.grad is None and W.grad.shape == (3, 1, 3, 3)
    assert W.grad[0, 0, 1, 1] == 2 * 25  # the centre tap sees every pixel of both images


@pytest.mark.parametrize(
    ("kernel", "padding", "dilation", "expected"),
    [
        ((3, 3), (1, 1, 1, 1), (1, 1), (1, 1, 1, 1)),
        ((3, 3), (0, 0, 0, 0), (2, 1), (4, 4, 2, 2)),
        ((2, 2), (0, 1, 0, 1), (1, 1), (1, 0, 1, 0)),
        ((3, 3), (3, 3, 0, 0), (1, 1), None),
    ],
)
def test_flipped_padding(kernel, padding, dilation, expected):
    """dx = conv(dout, flipped W) padded by dilation * (k - 1) - padding on each side."""
    assert conv_chunked.flipped_padding(kernel, padding, dilation) == expected


@pytest.mark.parametrize("case", CASES[:2] + CASES[4:6])
def test_batch_shared_by_two_workers_equals_one_thread(case, monkeypatch):
    """Two workers (each half of the batch) against one thread, and against the path taken where
    threadpoolctl is missing (the batch is then never shared)."""
    x, W, b = _data(case)
    monkeypatch.setattr(conv_chunked, "THREADS", 2)
    assert len(conv_chunked._halves(len(x))) == 2
    shared = _run(x, W, b, case, False)
    monkeypatch.setattr(conv_chunked, "THREADS", 1)
    alone = _run(x, W, b, case, False)
    monkeypatch.setattr(conv_chunked, "THREADS", 2)
    monkeypatch.setattr(workers, "_blas", [])  # as without threadpoolctl
    no_threadpoolctl = _run(x, W, b, case, False)
    for name, a, r, n in zip(("y", "dx", "dW", "db"), shared, alone, no_threadpoolctl):
        np.testing.assert_allclose(a, r, **TIGHT, err_msg=name)
        np.testing.assert_array_equal(n, a, err_msg=name)  # same parts, run one after the other


def test_convolutions_from_several_threads_take_turns_around_the_blas_limit(monkeypatch):
    """The BLAS limit is process-wide: convolutions called from several threads at once must
    enter and leave it one at a time (else one thread's exit restores the count another set),
    and still compute the right numbers."""
    import contextlib
    import threading
    import time

    inside, most = [0], [0]
    count = threading.Lock()

    @contextlib.contextmanager
    def recording_limit():
        with count:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.005)  # widen the window in which a second caller could enter
        try:
            yield
        finally:
            with count:
                inside[0] -= 1

    monkeypatch.setattr(conv_chunked, "THREADS", 2)
    monkeypatch.setattr(conv_chunked, "_blas_limit", recording_limit)
    rng = np.random.default_rng(0)
    x = nl.tensor(rng.standard_normal((8, 16, 10, 10)).astype(np.float32))
    W = nl.tensor(rng.standard_normal((16, 16, 3, 3)).astype(np.float32))
    expected = nl.nn.functional.conv2d(x, W, padding=1).numpy()
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(nl.nn.functional.conv2d(x, W, padding=1).numpy())
        except Exception as error:  # handed to the test below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 20
    for r in results:
        np.testing.assert_allclose(r, expected, rtol=1e-5, atol=1e-5)
    assert most[0] == 1, f"{most[0]} convolutions were inside the BLAS limit at once"
