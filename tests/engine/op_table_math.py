"""Op-table records for the math surface: the primitives of ``ops/elementwise_math.py``,
``ops/reduce_more.py``, ``ops/gather.py`` and ``ops/einsum.py``, and the tensor methods composed
from primitives (``tensor_math.py``, ``tensor_select.py``), picked up by ``op_table.py``."""

from __future__ import annotations

import math

import numpy as np
import torch
from op_table import AWAY_FROM_ZERO, DISTINCT, POSITIVE, UNARY, Const, Err, In, OpInfo, S, Var

import neuronlab as nl

_SPECIAL = np.array([0.0, np.nan, np.inf, -np.inf])
IDX = np.array([[0, 2, 1, 0], [2, 2, 0, 1]])  # repeated positions: their gradients add up


def _np_gather(x, index, dim):
    dim = dim % x.ndim
    crop = tuple(slice(None) if a == dim else slice(0, n) for a, n in enumerate(index.shape))
    return np.take_along_axis(x[crop], index, axis=dim)


def _np_scatter(x, src, index, dim, add=False):
    out = x.copy()
    for pos in np.ndindex(index.shape):
        target = list(pos)
        target[dim] = index[pos]
        if add:
            out[tuple(target)] += src[pos]
        else:
            out[tuple(target)] = src[pos]
    return out


def _np_norm(x, p=2.0, dim=None, keepdim=False):
    a = np.abs(x)
    if p == math.inf:
        return a.max(axis=dim, keepdims=keepdim)
    return (a**p).sum(axis=dim, keepdims=keepdim) ** (1 / p)


def _np_prod(x, dim=None, keepdim=False):
    return np.prod(x, axis=dim, keepdims=keepdim)


def _np_logsumexp(x, dim, keepdim=False):
    m = x.max(axis=dim, keepdims=True)
    out = m + np.log(np.exp(x - m).sum(axis=dim, keepdims=True))
    return out if keepdim else np.squeeze(out, axis=dim)


def _unary(name, ref, torch_fn, domain=None, samples=UNARY, **options):
    return OpInfo(
        name,
        lambda x: getattr(x, name)(),
        ref,
        torch_fn,
        samples,
        domain=domain or DISTINCT,
        **options,
    )


RECORDS: list[OpInfo] = [
    # --- element-wise primitives ---
    _unary("sin", np.sin, torch.sin),
    _unary("cos", np.cos, torch.cos),
    _unary("log1p", np.log1p, torch.log1p, POSITIVE, (*UNARY, S(Var([1e-10, 1e-5, 0.5, 3.0])))),
    _unary("expm1", np.expm1, torch.expm1, None, (*UNARY, S(Var([-1e-10, 1e-7, -2.0, 3.0])))),
    _unary("sign", np.sign, torch.sign),
    _unary("floor", np.floor, torch.floor),
    _unary("ceil", np.ceil, torch.ceil),
    _unary("trunc", np.trunc, torch.trunc),
    OpInfo(
        "round",
        lambda x, **k: x.round(**k),
        lambda x, decimals=0: np.round(x, decimals),
        lambda x, **k: torch.round(x, **k),
        [*UNARY, S((3, 4), decimals=2)],
        domain=DISTINCT,
    ),
    # --- composed element-wise ---
    _unary("log2", np.log2, torch.log2, POSITIVE),
    _unary("log10", np.log10, torch.log10, POSITIVE),
    _unary("rsqrt", lambda x: 1 / np.sqrt(x), torch.rsqrt, POSITIVE),
    _unary("reciprocal", lambda x: 1 / x, torch.reciprocal, AWAY_FROM_ZERO),
    _unary("square", np.square, torch.square),
    OpInfo(
        "add_alpha",
        lambda a, b, alpha: a.add(b, alpha=alpha),
        lambda a, b, alpha: a + alpha * b,
        lambda a, b, alpha: torch.add(a, b, alpha=alpha),
        [S((3, 4), (4,), alpha=2.5), S((), (2, 2), alpha=-1)],
    ),
    OpInfo(
        "sub_alpha",
        lambda a, b, alpha: a.sub(b, alpha=alpha),
        lambda a, b, alpha: a - alpha * b,
        lambda a, b, alpha: torch.sub(a, b, alpha=alpha),
        [S((3, 4), (3, 4), alpha=0.5), S((2, 1), (3,), alpha=3)],
    ),
    OpInfo(
        "div_rounding",
        lambda a, b, mode: a.div(b, rounding_mode=mode),
        lambda a, b, mode: np.floor(a / b) if mode == "floor" else np.trunc(a / b),
        lambda a, b, mode: torch.div(a, b, rounding_mode=mode),
        [
            S((3, 4), Const(np.full(4, 0.3)), mode="floor"),
            S((3, 4), Const(np.full(4, -0.3)), mode="trunc"),
        ],
        domain=DISTINCT,
        errors=[
            Err(
                S((2,), Const([1.0, 2.0]), mode="round"),
                ValueError,
                r"div: rounding_mode must be None, 'trunc' or 'floor', got 'round'",
            )
        ],
    ),
    OpInfo(
        "remainder",
        lambda a, b: a % b,
        lambda a, b: np.mod(a, b),
        lambda a, b: a % b,
        [S((3, 4), Const(np.array([0.7, -0.7, 1.3, 2.1]))), S((5,), Const(0.45))],
        domain=DISTINCT,
    ),
    OpInfo(
        "clamp_tensor",
        lambda x, lo, hi: x.clamp(lo, hi),
        lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
        lambda x, lo, hi: torch.clamp(x, lo, hi),
        [S((3, 4), (4,), Const(np.full(4, 0.3))), S((3, 4), (3, 4), (3, 1))],
        domain=DISTINCT,
    ),
    OpInfo(
        "nan_to_num",
        lambda x, c, **k: (x + c).nan_to_num(**k),
        lambda x, c, **k: np.nan_to_num(x + c, **k),
        lambda x, c, **k: torch.nan_to_num(x + c, **k),
        [
            S((4,), Const(_SPECIAL), nan=0.5, posinf=2.0, neginf=-3.0),
            S((2, 4), Const(_SPECIAL), posinf=1e3, neginf=-1e3),
        ],
    ),
    # --- reductions: primitives cumsum, prod, norm; composed logsumexp, std ---
    OpInfo(
        "cumsum",
        lambda x, dim: x.cumsum(dim),
        lambda x, dim: np.cumsum(x, axis=dim) if x.ndim else x,
        lambda x, dim: torch.cumsum(x, dim),
        [S((5,), dim=0), S((3, 4), dim=1), S((2, 3, 4), dim=-3), S((), dim=0)],
    ),
    OpInfo(
        "prod",
        lambda x, **k: x.prod(**k),
        _np_prod,
        lambda x, **k: torch.prod(x, **k),
        [
            S((5,)),
            S((3, 4), dim=1),
            S((3, 4), dim=0, keepdim=True),
            S((2, 3, 4), dim=-1),
            S(Var([[2.0, 0.0, 3.0], [0.0, 0.0, 1.5]]), dim=1).named("zeros"),
            S(Var([1.5, 0.0, -2.0])).named("one-zero"),
        ],
    ),
    OpInfo(
        "norm",
        lambda x, **k: x.norm(**k),
        _np_norm,
        lambda x, **k: torch.norm(x, **k),
        [
            S((5,)),
            S((3, 4), dim=1),
            S((3, 4), p=1, dim=0),
            S((2, 3, 4), p=3, dim=(1, 2)),
            S((3, 4), p=math.inf, dim=1, keepdim=True),
            S((3, 4), p=2.5),
        ],
        domain=DISTINCT,
        errors=[Err(S((3,), p="nuc"), ValueError, r"norm: p must be a number.*'nuc'")],
    ),
    OpInfo(
        "norm_at_zero",  # the kink: PyTorch's gradient there is 0, not nan
        lambda x: (x * 0.0).norm(),
        lambda x: np.zeros(()),
        lambda x: torch.norm(x * 0.0),
        [S((3,))],
    ),
    OpInfo(
        "logsumexp",
        lambda x, dim, **k: x.logsumexp(dim, **k),
        _np_logsumexp,
        lambda x, dim, **k: torch.logsumexp(x, dim, **k),
        [
            S((5,), dim=0),
            S((3, 4), dim=1, keepdim=True),
            S((2, 3, 4), dim=(0, 2)),
            S(Var([[1000.0, 1000.5], [-3.0, 2.0]]), dim=1).named("large"),
        ],
    ),
    OpInfo(
        "std",
        lambda x, **k: x.std(**k),
        lambda x, dim=None, keepdim=False, unbiased=True: np.std(
            x, axis=dim, keepdims=keepdim, ddof=int(unbiased)
        ),
        lambda x, **k: torch.std(x, **k),
        [S((5,)), S((3, 4), dim=1), S((3, 4), dim=0, keepdim=True, unbiased=False)],
    ),
    # --- picking by index: primitives gather, scatter ---
    OpInfo(
        "gather",
        lambda x, dim, index: x.gather(dim, nl.tensor(index)),
        _np_gather,
        lambda x, dim, index: torch.gather(x, dim, torch.from_numpy(index)),
        [
            S((2, 5), dim=1, index=IDX),
            S((3, 4), dim=0, index=IDX),
            S((3, 4), dim=-1, index=IDX[:1, :2]),
        ],
        errors=[
            Err(
                S((3, 4), dim=0, index=IDX + 3),
                ValueError,
                r"gather: index values must lie in \[0, 3\).*got values from 3 to 5",
            )
        ],
    ),
    OpInfo(
        "scatter",
        lambda x, src, dim, index: x.scatter(dim, nl.tensor(index), src),
        lambda x, src, dim, index: _np_scatter(x, src, index, dim),
        lambda x, src, dim, index: torch.scatter(x, dim, torch.from_numpy(index), src),
        [
            S((3, 5), (2, 4), dim=0, index=np.array([[0, 2, 1, 0], [1, 0, 2, 2]])),
            S((2, 5), (2, 3), dim=1, index=np.array([[4, 0, 2], [1, 3, 0]])),
        ],
    ),
    OpInfo(
        "scatter_add",
        lambda x, src, dim, index: x.scatter_add(dim, nl.tensor(index), src),
        lambda x, src, dim, index: _np_scatter(x, src, index, dim, add=True),
        lambda x, src, dim, index: torch.scatter_add(x, dim, torch.from_numpy(index), src),
        [S((3, 5), (2, 4), dim=0, index=IDX), S((2, 5), (2, 4), dim=1, index=IDX)],
    ),
    OpInfo(
        "index_select",
        lambda x, dim, index: x.index_select(dim, nl.tensor(index)),
        lambda x, dim, index: np.take(x, index, axis=dim),
        lambda x, dim, index: torch.index_select(x, dim, torch.from_numpy(index)),
        [S((4, 3), dim=0, index=np.array([3, 0, 3])), S((2, 3, 4), dim=2, index=np.array([1]))],
    ),
    OpInfo(
        "masked_fill",
        lambda x, mask, value: x.masked_fill(mask, value),
        lambda x, mask, value: np.where(mask, value, x),
        lambda x, mask, value: x.masked_fill(mask, value),
        [
            S((3, 4), Const(np.eye(3, 4, dtype=bool)), value=-1.5),
            S((3, 4), Const(np.array([True, False, False, True])), value=0.0),
            S(
                (3, 4),
                Const(np.eye(3, 4, dtype=bool)),
                (),
            ).named("tensor-value"),
        ],
    ),
    # --- rearranging (composed from getitem, expand, reshape, where) ---
    OpInfo(
        "flip",
        lambda x, dims: x.flip(dims),
        lambda x, dims: np.flip(x, dims),
        lambda x, dims: torch.flip(x, dims),
        [S((5,), dims=(0,)), S((3, 4), dims=(0, 1)), S((2, 3, 4), dims=[-1])],
    ),
    OpInfo(
        "roll",
        lambda x, shifts, dims=None: x.roll(shifts, dims),
        lambda x, shifts, dims=None: np.roll(x, shifts, dims),
        lambda x, shifts, dims=None: torch.roll(x, shifts, dims),
        [S((5,), shifts=2, dims=0), S((3, 4), shifts=(1, -3), dims=(0, 1)), S((3, 4), shifts=5)],
    ),
    OpInfo(
        "repeat",
        lambda x, sizes: x.repeat(*sizes),
        lambda x, sizes: np.tile(x, sizes),
        lambda x, sizes: x.repeat(*sizes),
        [
            S((3,), sizes=(2,)),
            S((2, 3), sizes=(2, 1)),
            S((2, 3), sizes=(2, 1, 3)),
            S((), sizes=(3, 2)),
        ],
        errors=[
            Err(
                S((2, 3), sizes=(2,)),
                ValueError,
                r"repeat: give at least one count per dimension \(2\), got \(2,\)",
            )
        ],
    ),
    OpInfo(
        "split",
        lambda x, size, dim=0, k=0: x.split(size, dim)[k],
        lambda x, size, dim=0, k=0: np.split(
            x,
            np.cumsum(size)[:-1] if isinstance(size, list) else range(size, x.shape[dim], size),
            axis=dim,
        )[k],
        lambda x, size, dim=0, k=0: torch.split(x, size, dim)[k],
        [S((5, 3), size=2, k=2), S((2, 7), size=[3, 4], dim=1, k=1), S((4,), size=4)],
    ),
    OpInfo(
        "chunk",
        lambda x, n, dim=0, k=0: x.chunk(n, dim)[k],
        lambda x, n, dim=0, k=0: np.array_split(
            x, range(-(-x.shape[dim] // n), x.shape[dim], -(-x.shape[dim] // n)), axis=dim
        )[k],
        lambda x, n, dim=0, k=0: torch.chunk(x, n, dim)[k],
        [S((5, 3), n=2, k=1), S((2, 6), n=3, dim=1, k=2)],
    ),
    OpInfo(
        "tril",
        lambda x, d=0: x.tril(d),
        lambda x, d=0: np.tril(x, d),
        lambda x, d=0: torch.tril(x, d),
        [S((3, 4)), S((4, 3), d=-1), S((2, 3, 3), d=1)],
    ),
    OpInfo(
        "triu",
        lambda x, d=0: x.triu(d),
        lambda x, d=0: np.triu(x, d),
        lambda x, d=0: torch.triu(x, d),
        [S((3, 4)), S((4, 3), d=-1), S((2, 3, 3), d=1)],
    ),
    # --- ordering (gather with the sorting positions) ---
    OpInfo(
        "sort",
        lambda x, **k: x.sort(**k)[0],
        lambda x, dim=-1, descending=False: (
            x if x.ndim == 0 else (-np.sort(-x, axis=dim) if descending else np.sort(x, axis=dim))
        ),
        lambda x, **k: torch.sort(x, **k)[0],
        [S((5,)), S((3, 4), dim=0), S((3, 4), descending=True), S(())],
        domain=DISTINCT,
    ),
    OpInfo(
        "topk",
        lambda x, k, **o: x.topk(k, **o)[0],
        lambda x, k, dim=-1, largest=True: np.take(
            -np.sort(-x, axis=dim) if largest else np.sort(x, axis=dim), range(k), axis=dim
        ),
        lambda x, k, **o: torch.topk(x, k, **o)[0],
        [S((5,), k=2), S((3, 4), k=3, dim=0), S((3, 4), k=1, largest=False)],
        domain=DISTINCT,
    ),
    # --- products ---
    OpInfo("outer", lambda a, b: a.outer(b), np.outer, torch.outer, [S((3,), (4,))]),
    OpInfo(
        "bmm",
        lambda a, b: a.bmm(b),
        np.matmul,
        torch.bmm,
        [S((2, 3, 4), (2, 4, 5))],
        errors=[Err(S((3, 4), (4, 5)), ValueError, r"bmm: needs two 3-D tensors")],
    ),
    OpInfo(
        "einsum",
        lambda *xs, eq: nl.einsum(eq, *xs),
        lambda *xs, eq: np.einsum(eq, *xs),
        lambda *xs, eq: torch.einsum(eq, *xs),
        [
            S((3, 4), (4, 5), eq="ij,jk->ik"),
            S((2, 3, 4), (2, 4, 5), eq="bij,bjk->bik"),
            S((3, 4), eq="ij->ji"),
            S((3, 4), eq="ij->i"),
            S((3,), (3,), eq="i,i->"),
            S((3,), (4,), eq="i,j->ij"),
            S((2, 3), (3, 4), (4,), eq="ij,jk,k->i"),
            S((3, 4), (3, 4), eq="ij,ij"),
        ],
        errors=[
            Err(S((3, 3), eq="ii->i"), ValueError, r"einsum: a repeated index inside one"),
            Err(S((3, 4), eq="ijk->i"), ValueError, r"einsum: subscript 'ijk' has 3 indices"),
        ],
    ),
    # --- small composed helpers that PyTorch code calls ---
    _unary("tan", np.tan, torch.tan),
    _unary("sinh", np.sinh, torch.sinh),
    _unary("cosh", np.cosh, torch.cosh),
    _unary("frac", lambda x: x - np.trunc(x), torch.frac),
    _unary("clone", lambda x: x.copy(), torch.clone),
    OpInfo(
        "fmod",
        lambda a, b: a.fmod(b),
        np.fmod,
        torch.fmod,
        [S((3, 4), Const(np.array([0.7, -0.7, 1.3, 2.1])))],
        domain=DISTINCT,
    ),
    OpInfo(
        "lerp",
        lambda a, b, w: a.lerp(b, w),
        lambda a, b, w: a + w * (b - a),
        torch.lerp,
        [S((3, 4), (3, 4), (4,)), S((2, 3), (3,), 0.25)],
    ),
    OpInfo(
        "logaddexp",
        lambda a, b: a.logaddexp(b),
        np.logaddexp,
        torch.logaddexp,
        [S((3, 4), (3, 4)), S((2, 3), (3,))],
        domain=DISTINCT,
    ),
    OpInfo(
        "addmm",
        lambda c, a, b, **k: c.addmm(a, b, **k),
        lambda c, a, b, beta=1, alpha=1: beta * c + alpha * (a @ b),
        lambda c, a, b, **k: torch.addmm(c, a, b, **k),
        [S((3, 5), (3, 4), (4, 5)), S((5,), (3, 4), (4, 5), beta=0.5, alpha=2.0)],
    ),
    OpInfo(
        "addcmul",
        lambda x, a, b, **k: x.addcmul(a, b, **k),
        lambda x, a, b, value=1: x + value * a * b,
        lambda x, a, b, **k: torch.addcmul(x, a, b, **k),
        [S((3, 4), (3, 4), (4,), value=0.5)],
    ),
    OpInfo(
        "addcdiv",
        lambda x, a, b, **k: x.addcdiv(a, b, **k),
        lambda x, a, b, value=1: x + value * a / b,
        lambda x, a, b, **k: torch.addcdiv(x, a, b, **k),
        [S((3, 4), (3, 4), (4,), value=2.0)],
        domain=POSITIVE,
    ),
    OpInfo(
        "nansum",
        lambda x, c, **k: (x + c).nansum(**k),
        lambda x, c, dim=None, keepdim=False: np.nansum(x + c, axis=dim, keepdims=keepdim),
        lambda x, c, **k: torch.nansum(x + c, **k),
        [
            S((2, 4), Const(np.array([0.0, np.nan, 1.0, np.nan]))),
            S((2, 4), Const(np.array([0.0, np.nan, 1.0, 2.0])), dim=1, keepdim=True),
        ],
    ),
    OpInfo(
        "movedim",
        lambda x, s, d: x.movedim(s, d),
        lambda x, s, d: np.moveaxis(x, s, d),
        lambda x, s, d: torch.movedim(x, s, d),
        [S((2, 3, 4), s=0, d=2), S((2, 3, 4), s=(0, 1), d=(2, 0))],
    ),
    OpInfo(
        "narrow",
        lambda x, d, s, n: x.narrow(d, s, n),
        lambda x, d, s, n: np.take(x, range(s, s + n), axis=d),
        torch.narrow,
        [S((4, 5), 1, 1, 3), S((4, 5), 0, -2, 2)],
    ),
    OpInfo(
        "select",
        lambda x, d, i: x.select(d, i),
        lambda x, d, i: np.take(x, i, axis=d),
        torch.select,
        [S((4, 5), 1, 2), S((2, 3, 4), -1, -1)],
    ),
    OpInfo(
        "tile",
        lambda x, d: x.tile(d),
        lambda x, d: np.tile(x, d),
        lambda x, d: torch.tile(x, d),
        [S((2, 3), d=(2,)), S((3,), d=(2, 2))],
    ),
    OpInfo(
        "repeat_interleave",
        lambda x, r, **k: x.repeat_interleave(r, **k),
        lambda x, r, dim=None: np.repeat(x, r, axis=dim),
        lambda x, r, **k: torch.repeat_interleave(x, r, **k),
        [S((2, 3), 2), S((2, 3), 3, dim=1), S((3, 2), Const([1, 0, 2]), dim=0)],
    ),
    OpInfo(
        "take_along_dim",
        lambda x, i, **k: x.take_along_dim(nl.tensor(i), **k),
        lambda x, i, dim=None: (
            np.take_along_axis(x, i, axis=dim) if dim is not None else x.reshape(-1)[i.reshape(-1)]
        ),
        lambda x, i, **k: torch.take_along_dim(x, torch.from_numpy(i), **k),
        [
            S((3, 4), IDX[:1, :3].T.copy(), dim=1),
            S((3, 4), np.array([[0, 2, 1, 0]]), dim=0),
            S((3, 4), np.array([5, 0, 11])),
        ],
    ),
    OpInfo(
        "diff",
        lambda x, **k: x.diff(**k),
        lambda x, n=1, dim=-1, **k: np.diff(x, n, axis=dim, **k),
        lambda x, **k: torch.diff(x, **k),
        [
            S((5,)),
            S((3, 4), n=2, dim=0),
            S((3, 4), dim=1),
            S((3, 4), dim=1, prepend=In((3, 2)), append=In((3, 1), grad=False)),
        ],
    ),
]
