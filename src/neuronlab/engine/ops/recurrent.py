"""Fused recurrences: a whole sequence of RNN, LSTM or GRU steps as one primitive each.

A recurrent layer spends its time in two places: the input projection x_t @ W_ih^T, which does
not depend on the previous step, and the recurrence h_{t-1} @ W_hh^T, which does. The layers in
``neuronlab.nn.recurrent`` do the first for the whole sequence in one BLAS call (the ordinary
``linear`` op on an (L, N, H_in) input) and hand the result ``xg`` to the ops here, which loop
over time. Per step they do one small matmul and a handful of in-place element-wise updates,
saving the gate activations; everything backward needs that does not depend on the incoming
gradient (the activations' derivatives) is computed for all steps at once before the backward
loop, and dW_hh is one matmul over the stacked hidden states after it.

The naive references, cells composed from primitives (``linear``, ``sigmoid``, ``tanh``, ``*``,
``+``) and looped in Python, live in ``neuronlab.nn.recurrent_functional``; tests hold both
equal in float64, and ``benchmarks/bench_lstm.py`` measures the difference.

Names: L steps, N batch, H hidden size, G = 4H (LSTM) or 3H (GRU) or H (RNN) gate width.
``reverse=True`` runs the recurrence from the last step to the first (the backward direction
of a bidirectional layer); outputs stay in time order.
"""

from __future__ import annotations

from ..backend import xp
from ..function import Function, register
from ..special import sigmoid_


class _ShapeError(ValueError):
    """Inputs that do not fit together; ``explain_error`` turns it into the full message."""


class _Recurrence(Function):
    """Shared checks and the explanation of shape errors."""

    gates = 1  # G = gates * H

    def _check(self, xg, h0, W_hh, b_hh, *cs):
        if xg.ndim != 3 or W_hh.ndim != 2:
            raise _ShapeError
        (L, N, G), H = xg.shape, W_hh.shape[1]
        if W_hh.shape[0] != self.gates * H or self.gates * H != G:
            raise _ShapeError
        if any(s.shape != (N, H) for s in (h0, *cs)):
            raise _ShapeError
        if b_hh is not None and b_hh.shape != (G,):
            raise _ShapeError
        return L, N, H

    def explain_error(self, shapes, error):
        if not isinstance(error, _ShapeError):
            return None
        k = self.gates
        return (
            f"{self.name}: expected xg (L, N, {k}*H), initial states (N, H), W_hh ({k}*H, H) and "
            f"b_hh ({k}*H,), got shapes {', '.join(str(tuple(s)) for s in shapes)}; the layers "
            "in neuronlab.nn.recurrent build these for you"
        )


@register
class RNNRecurrence(_Recurrence):
    """h_t = act(xg_t + h_{t-1} @ W_hh^T + b_hh), t = 1..L; act = tanh or relu; y = (h_1..h_L)

    Shape: xg (L, N, H), h0 (N, H), W_hh (H, H), b_hh (H,) -> y (L, N, H).

    Backward: with dh_t = dout_t + da_{t+1} @ W_hh and da_t = dh_t * act'(t), where act' is
    1 - h_t^2 (tanh) or [h_t > 0] (relu): dxg_t = da_t, dh0 = da_1 @ W_hh,
    dW_hh = sum_t da_t^T @ h_{t-1}, db_hh = sum_t da_t.

    >>> import numpy as np
    >>> op = RNNRecurrence()
    >>> op.forward(np.zeros((5, 2, 3)), np.zeros((2, 3)), np.eye(3), None).shape
    (5, 2, 3)
    """

    name = "rnn_recurrence"

    def forward(self, xg, h0, W_hh, b_hh=None, nonlinearity="tanh", reverse=False):
        L, N, H = self._check(xg, h0, W_hh, b_hh)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"rnn_recurrence: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}"
            )
        if reverse:
            xg = xg[::-1]
        hs = xp.empty((L + 1, N, H), dtype=xg.dtype)  # hs[0] = h0, hs[t] = h_t (in step order)
        hs[0] = h0
        W_hhT = xp.ascontiguousarray(W_hh.T)
        for t in range(L):
            a = hs[t + 1]
            xp.matmul(hs[t], W_hhT, out=a)
            a += xg[t]
            if b_hh is not None:
                a += b_hh
            if nonlinearity == "tanh":
                xp.tanh(a, out=a)
            else:
                xp.maximum(a, 0, out=a)
        self.hs, self.W_hh, self.act, self.reverse = hs, W_hh, nonlinearity, reverse
        y = hs[1:]
        return y[::-1].copy() if reverse else y

    def backward(self, dout):
        hs, W_hh = self.hs, self.W_hh
        if self.reverse:
            dout = dout[::-1]
        L = len(dout)
        D = 1 - hs[1:] ** 2 if self.act == "tanh" else (hs[1:] > 0).astype(hs.dtype)
        da = xp.empty_like(D)  # (L, N, H)
        dh = xp.empty_like(hs[0])  # (N, H)
        for t in range(L - 1, -1, -1):
            if t == L - 1:
                dh[...] = dout[t]
            else:
                xp.matmul(da[t + 1], W_hh, out=dh)
                dh += dout[t]
            xp.multiply(dh, D[t], out=da[t])
        return _recurrence_grads(self, da, hs, W_hh)


def _recurrence_grads(op, dg, hs, W_hh, extra=(), dh0=None):
    """(dxg, dh0, *extra, dW_hh, db_hh) from the gradients dg (L, N, G) of the pre-activations
    xg + h @ W_hh^T + b_hh; dh0 is dg_1 @ W_hh unless given."""
    k_W = 2 + len(extra)
    dxg = dg[::-1] if op.reverse else dg
    if not op.needs_grad(1):
        dh0 = None
    elif dh0 is None:
        dh0 = dg[0] @ W_hh
    G, H = W_hh.shape
    dW = dg.reshape(-1, G).T @ hs[:-1].reshape(-1, H) if op.needs_grad(k_W) else None
    db = None
    if len(op.parents) > k_W + 1 and op.needs_grad(k_W + 1):
        db = dg.sum(axis=(0, 1))
    return (dxg if op.needs_grad(0) else None, dh0, *extra, dW, db)


@register
class LSTMRecurrence(_Recurrence):
    """i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of (xg_t + h_{t-1} @ W_hh^T + b_hh) (4 blocks
    of H); c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t);  y = (h_1, ..., h_L, c_L)

    The output stacks the hidden states and the last cell state: y[:L] is the layer's output,
    y[L - 1] is h_n and y[L] is c_n (in step order; with reverse=True, h_n is y[0]).

    Shape: xg (L, N, 4H), h0 (N, H), c0 (N, H), W_hh (4H, H), b_hh (4H,) -> y (L + 1, N, H).

    Backward (per step, from t = L down to 1): dh_t = dout_t + dz_{t+1} @ W_hh;
    dc_t = dc_{t+1} * f_{t+1} + dh_t * o_t * (1 - tanh(c_t)^2) (plus dout_L+1 at t = L);
    the gate gradients di = dc_t * g, df = dc_t * c_{t-1}, dg = dc_t * i, do = dh_t * tanh(c_t)
    times each activation's derivative (s(1 - s) for sigmoid, 1 - g^2 for tanh) give dz_t;
    then dxg_t = dz_t, dh0 = dz_1 @ W_hh, dc0 = dc_1 * f_1, dW_hh = sum_t dz_t^T @ h_{t-1},
    db_hh = sum_t dz_t.

    >>> import numpy as np
    >>> op = LSTMRecurrence()
    >>> z = np.zeros((2, 3))
    >>> op.forward(np.zeros((5, 2, 12)), z, z, np.zeros((12, 3)), None).shape
    (6, 2, 3)
    """

    name = "lstm_recurrence"
    gates = 4

    def forward(self, xg, h0, c0, W_hh, b_hh=None, reverse=False):
        L, N, H = self._check(xg, h0, W_hh, b_hh, c0)
        if reverse:
            xg = xg[::-1]
        # One tanh over all four gates: sigmoid(a) = 0.5 * tanh(a / 2) + 0.5, so the columns of
        # the sigmoid gates (i, f, o) are halved up front, in xg + b_hh and in W_hh^T, and each
        # step maps tanh's output back with one multiply and one add.
        half = xp.full(4 * H, 0.5, dtype=xg.dtype)
        half[2 * H : 3 * H] = 1.0  # the candidate g is a plain tanh
        shift = 1.0 - half  # 0.5 for the sigmoid gates, 0 for g
        z = xg + b_hh if b_hh is not None else xg.copy()  # (L, N, 4H), becomes i, f, g, o
        z *= half
        W_hhT = xp.ascontiguousarray(W_hh.T * half)  # (H, 4H)
        hs = xp.empty((L + 1, N, H), dtype=xg.dtype)  # hs[0] = h0, hs[t] = h_t
        cs = xp.empty((L + 1, N, H), dtype=xg.dtype)  # cs[0] = c0, cs[t] = c_t
        tc = xp.empty((L, N, H), dtype=xg.dtype)  # tanh(c_t)
        hs[0], cs[0] = h0, c0
        ig = xp.empty((N, H), dtype=xg.dtype)
        hW = xp.empty((N, 4 * H), dtype=xg.dtype)
        for t in range(L):
            zt = z[t]
            xp.matmul(hs[t], W_hhT, out=hW)
            zt += hW
            xp.tanh(zt, out=zt)
            zt *= half
            zt += shift
            i, f, g, o = zt[:, :H], zt[:, H : 2 * H], zt[:, 2 * H : 3 * H], zt[:, 3 * H :]
            xp.multiply(f, cs[t], out=cs[t + 1])
            xp.multiply(i, g, out=ig)
            cs[t + 1] += ig
            xp.tanh(cs[t + 1], out=tc[t])
            xp.multiply(o, tc[t], out=hs[t + 1])
        self.z, self.hs, self.cs, self.tc = z, hs, cs, tc
        self.W_hh, self.reverse = W_hh, reverse
        y = xp.empty((L + 1, N, H), dtype=xg.dtype)
        y[:L] = hs[:0:-1] if reverse else hs[1:]
        y[L] = cs[L]
        return y

    def backward(self, dout):
        z, hs, cs, tc, W_hh = self.z, self.hs, self.cs, self.tc, self.W_hh
        L, N, G = z.shape
        H = G // 4
        dhs = dout[L - 1 :: -1] if self.reverse else dout[:L]  # (L, N, H) in step order
        # Everything that does not depend on the incoming gradient, for all steps at once:
        # each activation's derivative (s - s^2 for sigmoid, 1 - g^2 for tanh) and o * tanh'(c).
        dact = z - z * z
        g = z[:, :, 2 * H : 3 * H]
        dact[:, :, 2 * H : 3 * H] = 1 - g * g
        o = z[:, :, 3 * H :]
        o_dtanh = o * (1 - tc * tc)
        dz = xp.empty_like(z)  # (L, N, 4H) the pre-activation gradients
        dh = xp.empty((N, H), dtype=z.dtype)
        dc = dout[L].copy()  # dc_L starts with the gradient of c_n
        tmp = xp.empty((N, H), dtype=z.dtype)
        for t in range(L - 1, -1, -1):
            zt, dzt = z[t], dz[t]
            if t == L - 1:
                dh[...] = dhs[t]
            else:
                xp.matmul(dz[t + 1], W_hh, out=dh)
                dh += dhs[t]
            xp.multiply(dh, o_dtanh[t], out=tmp)
            dc += tmp
            xp.multiply(dc, zt[:, 2 * H : 3 * H], out=dzt[:, :H])  # di = dc * g
            xp.multiply(dc, cs[t], out=dzt[:, H : 2 * H])  # df = dc * c_{t-1}
            xp.multiply(dc, zt[:, :H], out=dzt[:, 2 * H : 3 * H])  # dg = dc * i
            xp.multiply(dh, tc[t], out=dzt[:, 3 * H :])  # do = dh * tanh(c_t)
            dc *= zt[:, H : 2 * H]  # dc_{t-1} = dc_t * f_t
            dzt *= dact[t]
        dc0 = dc if self.needs_grad(2) else None
        return _recurrence_grads(self, dz, hs, W_hh, extra=(dc0,))


@register
class GRURecurrence(_Recurrence):
    """r, u = sigmoid(xg_r,u + h @ W_hr,u^T + b_hr,u);  n = tanh(xg_n + r * (h @ W_hn^T + b_hn));
    h_t = (1 - u) * n + u * h_{t-1};  y = (h_1, ..., h_L)   (u is PyTorch's z, the update gate)

    Shape: xg (L, N, 3H), h0 (N, H), W_hh (3H, H), b_hh (3H,) -> y (L, N, H).

    Backward (per step, from t = L down to 1): dh_t = dout_t + dq_{t+1} @ W_hh + dh_{t+1} * u;
    dn = dh_t * (1 - u) * (1 - n^2), du = dh_t * (h_{t-1} - n) * u(1 - u),
    dr = dn * hn * r(1 - r) with hn = h_{t-1} @ W_hn^T + b_hn;  dxg_t = (dr, du, dn),
    dq_t = (dr, du, dn * r) is the gradient of q = h_{t-1} @ W_hh^T + b_hh;
    dW_hh = sum_t dq_t^T @ h_{t-1}, db_hh = sum_t dq_t.

    >>> import numpy as np
    >>> op = GRURecurrence()
    >>> op.forward(np.zeros((5, 2, 9)), np.zeros((2, 3)), np.zeros((9, 3)), None).shape
    (5, 2, 3)
    """

    name = "gru_recurrence"
    gates = 3

    def forward(self, xg, h0, W_hh, b_hh=None, reverse=False):
        L, N, H = self._check(xg, h0, W_hh, b_hh)
        if reverse:
            xg = xg[::-1]
        q = xp.empty_like(xg)  # (L, N, 3H): h_{t-1} @ W_hh^T + b_hh, then r, u in the first 2H
        n = xp.empty((L, N, H), dtype=xg.dtype)
        hs = xp.empty((L + 1, N, H), dtype=xg.dtype)
        hs[0] = h0
        W_hhT = xp.ascontiguousarray(W_hh.T)
        for t in range(L):
            qt, xt = q[t], xg[t]
            xp.matmul(hs[t], W_hhT, out=qt)
            if b_hh is not None:
                qt += b_hh
            ru = qt[:, : 2 * H]
            ru += xt[:, : 2 * H]
            sigmoid_(ru)
            r, u, hn = qt[:, :H], qt[:, H : 2 * H], qt[:, 2 * H :]
            xp.multiply(r, hn, out=n[t])
            n[t] += xt[:, 2 * H :]
            xp.tanh(n[t], out=n[t])
            h = hs[t + 1]  # h = n + u * (h_{t-1} - n)
            xp.subtract(hs[t], n[t], out=h)
            h *= u
            h += n[t]
        self.q, self.n, self.hs, self.W_hh, self.reverse = q, n, hs, W_hh, reverse
        y = hs[1:]
        return y[::-1].copy() if reverse else y

    def backward(self, dout):
        q, n, hs, W_hh = self.q, self.n, self.hs, self.W_hh
        L, N, G = q.shape
        H = G // 3
        dhs = dout[::-1] if self.reverse else dout
        r, u, hn = q[:, :, :H], q[:, :, H : 2 * H], q[:, :, 2 * H :]
        # For all steps at once: the factors that do not depend on the incoming gradient.
        dn_dh = (1 - u) * (1 - n * n)  # dn_pre / dh
        du_dh = (hs[:-1] - n) * (u - u * u)  # du_pre / dh
        dr_dn = hn * (r - r * r)  # dr_pre / dn_pre
        dxg = xp.empty_like(q)  # (L, N, 3H)
        dq = xp.empty_like(q)  # (L, N, 3H)
        dh_next = xp.zeros((N, H), dtype=q.dtype)  # what reaches h_t from step t + 1
        for t in range(L - 1, -1, -1):
            dh = dhs[t] + dh_next
            dxt = dxg[t]
            xp.multiply(dh, dn_dh[t], out=dxt[:, 2 * H :])  # dn_pre
            xp.multiply(dh, du_dh[t], out=dxt[:, H : 2 * H])  # du_pre
            xp.multiply(dxt[:, 2 * H :], dr_dn[t], out=dxt[:, :H])  # dr_pre
            dq[t, :, : 2 * H] = dxt[:, : 2 * H]
            xp.multiply(dxt[:, 2 * H :], r[t], out=dq[t, :, 2 * H :])  # d(hn)
            dh_next = dq[t] @ W_hh  # through q = h @ W_hh^T + b_hh
            dh *= u[t]
            dh_next += dh  # through h_t = ... + u * h_{t-1}
        grads = list(_recurrence_grads(self, dq, hs, W_hh, dh0=dh_next))
        grads[0] = (dxg[::-1] if self.reverse else dxg) if self.needs_grad(0) else None
        return tuple(grads)
