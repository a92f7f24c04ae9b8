"""Special functions NumPy lacks, written out so that ``import neuronlab`` needs NumPy only."""

from __future__ import annotations

import math

from .backend import xp

# Coefficients of the rational approximations in W. J. Cody, "Rational Chebyshev approximations
# for the error function", Math. Comp. 23 (1969), as used in many libm implementations.
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)
_SQRT_PI_INV = 1 / math.sqrt(math.pi)


def _erf_small(x):
    """erf for |x| <= 0.5."""
    z = x * x
    num = _A[4] * z
    den = z
    for i in range(3):
        num = (num + _A[i]) * z
        den = (den + _B[i]) * z
    return x * (num + _A[3]) / (den + _B[3])


def _erfc_middle(y):
    """erfc for 0.5 < y <= 4 (y = |x|)."""
    num = _C[8] * y
    den = y
    for i in range(7):
        num = (num + _C[i]) * y
        den = (den + _D[i]) * y
    return xp.exp(-y * y) * (num + _C[7]) / (den + _D[7])


def _erfc_large(y):
    """erfc for y > 4."""
    z = 1 / (y * y)
    num = _P[5] * z
    den = z
    for i in range(4):
        num = (num + _P[i]) * z
        den = (den + _Q[i]) * z
    r = z * (num + _P[4]) / (den + _Q[4])
    return xp.exp(-y * y) / y * (_SQRT_PI_INV - r)


def sigmoid_(a):
    """a <- 1 / (1 + exp(-a)) in place, computed as 0.5 * tanh(a / 2) + 0.5, which never
    overflows exp; returns a. The Sigmoid op, the BCE-with-logits loss and the recurrent gates
    all use it."""
    a *= 0.5
    xp.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a


def sigmoid(x):
    """1 / (1 + exp(-x)) as a new floating array (float32 stays float32)."""
    return sigmoid_(xp.array(x, dtype=xp.result_type(x.dtype, xp.float32)))


# Abramowitz & Stegun, Handbook of Mathematical Functions (1964), formula 7.1.26:
# erf(y) = 1 - (a1 t + a2 t^2 + ... + a5 t^5) exp(-y^2), t = 1 / (1 + p y), |error| <= 1.5e-7.
_AS_P = 0.3275911
_AS_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf_float32(x):
    """erf for float32 arrays, in float32: Cody's rational form for |x| <= 0.5 (accurate relative
    to the small result) and formula 7.1.26 above (absolute error 1.5e-7, about float32's own
    rounding near 1). An order of magnitude faster than the float64 path."""
    y = xp.abs(x)
    t = 1 / (1 + xp.float32(_AS_P) * y)
    poly = xp.float32(_AS_A[4]) * t
    for a in reversed(_AS_A[:4]):
        poly += xp.float32(a)
        poly *= t
    far = 1 - poly * xp.exp(-(y * y))
    near = _erf_small(x)
    return xp.where(y <= 0.5, near, xp.copysign(far, x)).astype(xp.float32, copy=False)


def erf(x):
    """The error function, element-wise; keeps x's float dtype. float64 is accurate to double
    precision (Cody); float32 uses a float32 path accurate to about float32's rounding.

    >>> import numpy as np
    >>> bool(abs(erf(np.array([0.3]))[0] - math.erf(0.3)) < 1e-15)
    True
    """
    x = xp.asarray(x)
    if x.dtype == xp.float32:
        return _erf_float32(x)
    dtype = x.dtype if xp.issubdtype(x.dtype, xp.floating) else xp.float64
    x64 = x.astype(xp.float64)
    y = xp.abs(x64)
    out = xp.empty_like(x64)
    small = y <= 0.5
    middle = (y > 0.5) & (y <= 4.0)
    large = y > 4.0
    out[small] = _erf_small(x64[small])
    out[middle] = 1 - _erfc_middle(y[middle])
    out[large] = 1 - _erfc_large(y[large])
    out[~small] = xp.copysign(out[~small], x64[~small])
    out[xp.isnan(x64)] = xp.nan
    return out.astype(dtype, copy=False)
