"""Op-table records for the wider ``nn.functional`` surface (activations, probability-target
cross entropy, padding, resizing, transposed convolution, patches, distances, group norm),
picked up by ``op_table.py``. The NumPy references are written from the formulas, with loops
where that is the plainest statement of the definition."""

from __future__ import annotations

import numpy as np
import torch.nn.functional as TF
from op_table import DISTINCT, POSITIVE, UNARY, Const, Err, OpInfo, S

import neuronlab.nn.functional as F

SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _softplus(x, beta=1.0, threshold=20.0):
    return np.where(beta * x > threshold, x, np.logaddexp(0, beta * x) / beta)


def _elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _hardsigmoid(x):
    return np.clip(x / 6 + 0.5, 0, 1)


def _log_softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _np_soft_cross_entropy(x, q, weight=None, reduction="mean", label_smoothing=0.0):
    C = x.shape[1]
    q = q * (1 - label_smoothing) + label_smoothing / C
    w = np.ones(C) if weight is None else weight
    shape = (1, -1) + (1,) * (x.ndim - 2)
    per = -(w.reshape(shape) * q * _log_softmax(x, 1)).sum(axis=1)
    return {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]


_NP_PAD = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _np_pad(x, pad, mode="constant", value=0.0):
    for k in range(len(pad) // 2):  # negative amounts crop
        axis, n = x.ndim - 1 - k, x.shape[x.ndim - 1 - k]
        keep = slice(max(-pad[2 * k], 0), n - max(-pad[2 * k + 1], 0))
        x = x[(slice(None),) * axis + (keep,)]
    pad = [max(p, 0) for p in pad]
    widths = [(0, 0)] * (x.ndim - len(pad) // 2)
    widths += [(pad[2 * k], pad[2 * k + 1]) for k in reversed(range(len(pad) // 2))]
    extra = {"constant_values": value} if mode == "constant" else {}
    return np.pad(x, widths, mode=_NP_PAD[mode], **extra)


def _np_resize_axis(x, axis, n_out, scale, mode, align_corners):
    n_in = x.shape[axis]
    out = []
    for d in range(n_out):
        if mode in ("nearest", "nearest-exact"):
            shift = 0.5 if mode == "nearest-exact" else 0.0
            out.append(np.take(x, min(int(np.floor((d + shift) * scale)), n_in - 1), axis=axis))
            continue
        if align_corners:
            src = d * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        else:
            src = max((d + 0.5) * scale - 0.5, 0.0)
        lo = min(int(np.floor(src)), n_in - 1)
        hi, t = min(lo + 1, n_in - 1), src - lo
        out.append((1 - t) * np.take(x, lo, axis=axis) + t * np.take(x, hi, axis=axis))
    return np.stack(out, axis=axis)


def _np_interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None):
    for k in range(x.ndim - 2):
        n_in = x.shape[2 + k]
        if size is not None:
            n_out = size[k] if isinstance(size, tuple) else size
            scale = n_in / n_out
        else:
            n_out, scale = int(np.floor(n_in * scale_factor)), 1 / scale_factor
        x = _np_resize_axis(x, 2 + k, n_out, scale, mode, bool(align_corners))
    return x


def _np_conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Each input pixel stamps the kernel, scaled by its value, onto the output."""
    N, C_in, H, W = x.shape
    _, C_out_g, kh, kw = w.shape
    (sh, sw), (ph, pw), (eh, ew), (dh, dw) = (
        v if isinstance(v, tuple) else (v, v) for v in (stride, padding, output_padding, dilation)
    )
    Ho = (H - 1) * sh - 2 * ph + dh * (kh - 1) + eh + 1
    Wo = (W - 1) * sw - 2 * pw + dw * (kw - 1) + ew + 1
    full = np.zeros((N, C_out_g * groups, Ho + 2 * ph, Wo + 2 * pw))
    per = C_in // groups
    for n, c, i, j in np.ndindex(N, C_in, H, W):
        g = c // per
        for u, v in np.ndindex(kh, kw):
            full[n, g * C_out_g : (g + 1) * C_out_g, i * sh + u * dh, j * sw + v * dw] += (
                x[n, c, i, j] * w[c, :, u, v]
            )
    out = full[:, :, ph : ph + Ho, pw : pw + Wo]
    return out if b is None else out + b.reshape(1, -1, 1, 1)


def _np_unfold(x, kernel_size, padding=0, stride=1):
    N, C, H, W = x.shape
    k = kernel_size
    xp = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)])
    Ho = (H + 2 * padding - k) // stride + 1
    Wo = (W + 2 * padding - k) // stride + 1
    cols = np.zeros((N, C, k, k, Ho * Wo))
    for i, j in np.ndindex(Ho, Wo):
        cols[:, :, :, :, i * Wo + j] = xp[
            :, :, i * stride : i * stride + k, j * stride : j * stride + k
        ]
    return cols.reshape(N, C * k * k, Ho * Wo)


def _np_fold(cols, output_size, kernel_size, padding=0, stride=1):
    N, CK, L = cols.shape
    k, (H, W) = kernel_size, output_size
    C = CK // (k * k)
    Wo = (W + 2 * padding - k) // stride + 1
    out = np.zeros((N, C, H + 2 * padding, W + 2 * padding))
    c = cols.reshape(N, C, k, k, L)
    for pos in range(L):
        i, j = divmod(pos, Wo)
        out[:, :, i * stride : i * stride + k, j * stride : j * stride + k] += c[..., pos]
    return out[:, :, padding : padding + H, padding : padding + W]


def _np_pixel_shuffle(x, r):
    N, C, H, W = x.shape
    out = np.zeros((N, C // (r * r), H * r, W * r))
    for c, i, j in np.ndindex(C, H, W):
        out[:, c // (r * r), i * r + (c % (r * r)) // r, j * r + c % r] = x[:, c, i, j]
    return out


def _np_group_norm(x, groups, weight=None, bias=None, eps=1e-5):
    g = x.reshape(x.shape[0], groups, -1)
    y = ((g - g.mean(2, keepdims=True)) / np.sqrt(g.var(2, keepdims=True) + eps)).reshape(x.shape)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    y = y if weight is None else y * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)


def _np_normalize(x, p=2.0, dim=1, eps=1e-12):
    n = (np.abs(x) ** p).sum(axis=dim, keepdims=True) ** (1 / p)
    return x / np.maximum(n, eps)


def _np_cosine(a, b, dim=1, eps=1e-8):
    na = np.maximum(np.sqrt((a * a).sum(axis=dim, keepdims=True)), eps)
    nb = np.maximum(np.sqrt((b * b).sum(axis=dim, keepdims=True)), eps)
    return ((a / na) * (b / nb)).sum(axis=dim)


def _activation(name, ref, samples=UNARY, domain=DISTINCT, **options):
    fn, t_fn = getattr(F, name), getattr(TF, name)
    return OpInfo(
        name,
        lambda x, **k: fn(x, **k),
        ref,
        lambda x, **k: t_fn(x, **k),
        samples,
        domain=domain,
        **options,
    )


PROBS = np.array([[0.2, 0.5, 0.3], [1.0, 0.0, 0.0], [0.1, 0.1, 0.8], [0.4, 0.4, 0.2]])

RECORDS: list[OpInfo] = [
    # --- activations (composed) ---
    _activation("silu", lambda x: x / (1 + np.exp(-x))),
    _activation(
        "softplus", _softplus, [*UNARY, S((3, 4), beta=2.0, threshold=1.0), S((5,), beta=0.5)]
    ),
    _activation("elu", _elu, [*UNARY, S((3, 4), alpha=0.5)]),
    _activation("selu", lambda x: SELU_SCALE * _elu(x, SELU_ALPHA)),
    _activation(
        "celu",
        lambda x, alpha=1.0: (
            np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(np.minimum(x, 0) / alpha))
        ),
        [*UNARY, S((3, 4), alpha=2.0)],
    ),
    _activation(
        "hardtanh",
        lambda x, min_val=-1.0, max_val=1.0: np.clip(x, min_val, max_val),
        [*UNARY, S((3, 4), min_val=-0.3, max_val=0.4)],
    ),
    _activation("relu6", lambda x: np.clip(x, 0, 6), [*UNARY, S((2, 5)).named("scaled")]),
    _activation("hardsigmoid", _hardsigmoid),
    _activation("hardswish", lambda x: x * _hardsigmoid(x)),
    _activation("mish", lambda x: x * np.tanh(np.logaddexp(0, x))),
    _activation("logsigmoid", lambda x: -np.logaddexp(0, -x)),
    _activation("tanhshrink", lambda x: x - np.tanh(x)),
    _activation("softsign", lambda x: x / (1 + np.abs(x))),
    OpInfo(
        "softmin",
        lambda x, dim: F.softmin(x, dim),
        lambda x, dim: np.exp(_log_softmax(-x, dim)),
        lambda x, dim: TF.softmin(x, dim),
        [S((5,), dim=0), S((3, 4), dim=1)],
    ),
    OpInfo(
        "prelu",
        F.prelu,
        lambda x, w: np.where(
            x > 0, x, (w[0] if w.size == 1 else w.reshape((1, -1) + (1,) * (x.ndim - 2))) * x
        ),
        TF.prelu,
        [S((4, 3), (3,)), S((2, 3, 4, 4), (3,)), S((5,), (1,))],
        domain=DISTINCT,
        errors=[Err(S((4, 3), (5,)), ValueError, r"prelu: 5 slopes need an input with that")],
    ),
    # --- cross entropy with class probabilities (composed) ---
    OpInfo(
        "cross_entropy_probabilities",
        lambda x, q, **k: F.cross_entropy(x, q, **k),
        _np_soft_cross_entropy,
        lambda x, q, **k: TF.cross_entropy(x, q, **k),
        [
            S((4, 3), Const(PROBS)),
            S((4, 3), Const(PROBS), reduction="sum"),
            S((4, 3), Const(PROBS), reduction="none", label_smoothing=0.2),
            S((4, 3), Const(PROBS), weight=Const([0.2, 1.0, 3.0])),
            S((2, 3, 2), Const(PROBS.reshape(2, 2, 3).transpose(0, 2, 1))),
        ],
    ),
    # --- padding and resizing (composed from concatenate and index_select) ---
    OpInfo(
        "pad",
        lambda x, pad, **k: F.pad(x, pad, **k),
        _np_pad,
        lambda x, pad, **k: TF.pad(x, pad, **k),
        [
            S((3, 4), pad=(1, 2)),
            S((2, 3, 4), pad=(1, 0, 2, 1), value=0.5),
            S((2, 3, 4), pad=(2, 1), mode="reflect"),
            S((1, 2, 3, 4), pad=(1, 2, 2, 1), mode="replicate"),
            S((1, 2, 3, 4), pad=(3, 1, 1, 2), mode="circular"),
            S((2, 3, 4), pad=(-1, 2)),
        ],
        errors=[
            Err(
                S((2, 3, 4), pad=(3, 4), mode="reflect"),
                ValueError,
                r"pad: reflect padding of \(3, 4\) needs an axis longer",
            )
        ],
    ),
    OpInfo(
        "interpolate",
        lambda x, **k: F.interpolate(x, **k),
        _np_interpolate,
        lambda x, **k: TF.interpolate(x, **k),
        [
            S((1, 2, 3, 4), scale_factor=2),
            S((2, 1, 4, 3), size=(3, 5)),
            S((1, 2, 3, 4), size=(5, 7), mode="bilinear"),
            S((1, 2, 3, 4), size=(5, 7), mode="bilinear", align_corners=True),
            S((1, 2, 5, 6), scale_factor=0.5, mode="bilinear"),
            S((2, 3, 5), size=8, mode="linear"),
            S((1, 2, 3, 5), size=(4, 3), mode="nearest-exact"),
        ],
        errors=[Err(S((1, 2, 3)), ValueError, r"interpolate: give exactly one of size and")],
    ),
    # --- transposed convolution, patches, pixel shuffle ---
    OpInfo(
        "conv_transpose2d",
        lambda x, w, b=None, **k: F.conv_transpose2d(x, w, b, **k),
        lambda x, w, b=None, **k: (
            _np_conv_transpose2d(x, w, b, **k)
            if x.ndim == 4
            else _np_conv_transpose2d(x[None], w, b, **k)[0]
        ),
        lambda x, w, b=None, **k: TF.conv_transpose2d(x, w, b, **k),
        [
            S((2, 3, 3, 4), (3, 2, 2, 3), (2,)),
            S((1, 2, 3, 3), (2, 3, 3, 3), stride=2),
            S((1, 4, 3, 3), (4, 1, 3, 2), stride=2, padding=1, output_padding=1, groups=2),
            S((1, 2, 4, 3), (2, 2, 2, 2), (2,), dilation=2, padding=1),
            S((2, 3, 3), (2, 3, 2, 2), stride=2).named("unbatched"),
        ],
    ),
    OpInfo(
        "conv_transpose1d",
        lambda x, w, b=None, **k: F.conv_transpose1d(x, w, b, **k),
        lambda x, w, b=None, **k: _np_conv_transpose2d(
            x[:, :, None],
            w[:, :, None],
            b,
            **{n: (1 if n in ("stride", "dilation") else 0, v) for n, v in k.items()},
        )[:, :, 0],
        lambda x, w, b=None, **k: TF.conv_transpose1d(x, w, b, **k),
        [S((2, 3, 5), (3, 2, 3), (2,)), S((1, 2, 4), (2, 3, 2), stride=3, padding=1)],
    ),
    OpInfo(
        "unfold",
        lambda x, **k: F.unfold(x, **k),
        _np_unfold,
        lambda x, **k: TF.unfold(x, **k),
        [S((2, 3, 4, 5), kernel_size=2), S((1, 2, 5, 5), kernel_size=3, padding=1, stride=2)],
    ),
    OpInfo(
        "fold",
        lambda x, **k: F.fold(x, **k),
        _np_fold,
        lambda x, **k: TF.fold(x, **k),
        [
            S((2, 12, 12), output_size=(4, 5), kernel_size=2),
            S((1, 18, 9), output_size=(5, 5), kernel_size=3, padding=1, stride=2),
        ],
    ),
    OpInfo(
        "pixel_shuffle",
        F.pixel_shuffle,
        _np_pixel_shuffle,
        TF.pixel_shuffle,
        [S((2, 8, 3, 2), 2), S((1, 9, 2, 2), 3)],
    ),
    # --- distances and normalization ---
    OpInfo(
        "normalize",
        lambda x, **k: F.normalize(x, **k),
        _np_normalize,
        lambda x, **k: TF.normalize(x, **k),
        [S((3, 4)), S((2, 3, 4), dim=-1, p=1.0), S((3, 4), dim=0, p=3.0)],
    ),
    OpInfo(
        "cosine_similarity",
        lambda a, b, **k: F.cosine_similarity(a, b, **k),
        _np_cosine,
        lambda a, b, **k: TF.cosine_similarity(a, b, **k),
        [S((3, 4), (3, 4)), S((2, 3, 4), (3, 4), dim=-1)],
    ),
    OpInfo(
        "pairwise_distance",
        lambda a, b, **k: F.pairwise_distance(a, b, **k),
        lambda a, b, p=2.0, eps=1e-6, keepdim=False: (
            (np.abs(a - b + eps) ** p).sum(axis=-1, keepdims=keepdim) ** (1 / p)
        ),
        lambda a, b, **k: TF.pairwise_distance(a, b, **k),
        [S((3, 4), (3, 4)), S((3, 4), (4,), p=1.0), S((2, 3), (2, 3), keepdim=True)],
    ),
    OpInfo(
        "group_norm",
        lambda x, w=None, b=None, groups=1: F.group_norm(x, groups, w, b),
        lambda x, w=None, b=None, groups=1: _np_group_norm(x, groups, w, b),
        lambda x, w=None, b=None, groups=1: TF.group_norm(x, groups, w, b),
        [S((2, 4, 3), (4,), (4,), groups=2), S((3, 6, 2, 2), groups=3), S((2, 4), groups=4)],
        domain=POSITIVE,
        errors=[Err(S((2, 4, 3), groups=3), ValueError, r"group_norm: 4 channels cannot be")],
    ),
    OpInfo(
        "instance_norm",
        lambda x, w=None, b=None: F.instance_norm(x, weight=w, bias=b),
        lambda x, w=None, b=None: _np_group_norm(x, x.shape[1], w, b),
        lambda x, w=None, b=None: TF.instance_norm(x, weight=w, bias=b),
        [S((2, 3, 5)), S((2, 3, 2, 3), (3,), (3,))],
    ),
    # --- more activations, losses and rms_norm ---
    OpInfo(
        "glu",
        lambda x, **k: F.glu(x, **k),
        lambda x, dim=-1: np.split(x, 2, axis=dim)[0] / (1 + np.exp(-np.split(x, 2, axis=dim)[1])),
        lambda x, **k: TF.glu(x, **k),
        [S((3, 4)), S((4, 2, 3), dim=0)],
    ),
    _activation(
        "hardshrink",
        lambda x, lambd=0.5: np.where(np.abs(x) > lambd, x, 0.0),
        [*UNARY, S((3, 4), lambd=0.3)],
    ),
    _activation(
        "softshrink",
        lambda x, lambd=0.5: np.sign(x) * np.maximum(np.abs(x) - lambd, 0),
        [*UNARY, S((3, 4), lambd=0.3)],
    ),
    OpInfo(
        "threshold",
        lambda x, t, v: F.threshold(x, t, v),
        lambda x, t, v: np.where(x > t, x, v),
        lambda x, t, v: TF.threshold(x, t, v),
        [S((3, 4), 0.2, -1.0), S((5,), -0.4, 2.0)],
        domain=DISTINCT,
    ),
    OpInfo(
        "smooth_l1_loss",
        lambda x, y, **k: F.smooth_l1_loss(x, y, **k),
        lambda x, y, reduction="mean", beta=1.0: _np_smooth_l1(x, y, reduction, beta),
        lambda x, y, **k: TF.smooth_l1_loss(x, y, **k),
        [
            S((3, 4), (3, 4)),
            S((3, 4), (3, 4), beta=0.5, reduction="sum"),
            S((5,), (5,), beta=0.0, reduction="none"),
        ],
        domain=DISTINCT,
    ),
    OpInfo(
        "kl_div",
        lambda x, q, **k: F.kl_div(x, q, **k),
        lambda x, q, reduction="mean", log_target=False: _np_kl(x, q, reduction, log_target),
        lambda x, q, **k: TF.kl_div(x, q, **k),
        [
            S((4, 3), Const(PROBS)),
            S((4, 3), Const(PROBS), reduction="batchmean"),
            S((4, 3), Const(np.log(PROBS + 0.1)), reduction="sum", log_target=True),
            S((4, 3), (4, 3), reduction="none"),
        ],
        domain=POSITIVE,
    ),
    OpInfo(
        "rms_norm",
        lambda x, w=None, shape=None: F.rms_norm(x, shape, w),
        lambda x, w=None, shape=None: _np_rms(x, w, shape),
        lambda x, w=None, shape=None: TF.rms_norm(x, shape, w),
        [S((3, 4), (4,), shape=(4,)), S((2, 3, 4), shape=(3, 4))],
    ),
]


def _np_smooth_l1(x, y, reduction, beta):
    d = np.abs(x - y)
    per = d if beta == 0 else np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)
    return {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]


def _np_kl(x, q, reduction, log_target):
    if log_target:
        per = np.exp(q) * (q - x)
    else:
        per = np.where(q > 0, q * (np.log(np.where(q > 0, q, 1.0)) - x), 0.0)
    if reduction == "batchmean":
        return per.sum() / x.shape[0]
    return {"none": per, "sum": per.sum(), "mean": per.mean()}[reduction]


def _np_rms(x, w, shape):
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    y = x / np.sqrt((x * x).mean(axis=axes, keepdims=True) + np.finfo(x.dtype).eps)
    return y if w is None else y * w
