"""How much privacy DP-SGD has spent: Rényi DP of the sampled Gaussian mechanism, then (ε, δ).

One DP-SGD step looks at a Poisson sample of the data (each example in with probability ``q``,
the sample rate), clips every example's gradient to norm ``C`` and adds Gaussian noise of
standard deviation ``σ C`` (``σ`` is the noise multiplier). Mironov, Talwar and Zhang (2019)
give that step's Rényi divergence of order ``α`` between neighbouring data sets exactly::

    RDP(α) = log(A_α) / (α - 1),   A_α = E_{z ~ μ0} [ (μ(z) / μ0(z))^α ],
    μ0 = N(0, σ²),  μ = (1 - q) μ0 + q N(1, σ²)

For an integer ``α`` the binomial expansion gives
``A_α = Σ_i C(α, i) (1-q)^(α-i) q^i exp((i² - i) / (2σ²))``; for a fractional ``α`` the series
is split at ``z0 = σ² log(1/q - 1) + 1/2`` into two tails with ``erfc`` factors. RDP adds up over
steps (``T`` steps cost ``T · RDP(α)``), and converts to (ε, δ)-DP with the bound of Balle et al.
(2020)::

    ε(δ) = min_α  RDP(α) + log((α - 1) / α) - (log δ + log α) / (α - 1)

over the same orders as Opacus (1.1 ... 10.9 in steps of 0.1, then 12 ... 63), so the numbers
equal Opacus's ``RDPAccountant``. The derivation is written out in ``docs/math/dp-sgd.md``.

In words: ε bounds how much one person's presence can change what anyone can learn from the
trained model (the odds of any conclusion move by at most a factor ``e^ε``), except with a
small probability δ, which should be well below ``1 / n``.

>>> accountant = RDPAccountant()
>>> for _ in range(1000):
...     accountant.step(noise_multiplier=1.1, sample_rate=0.01)
>>> round(accountant.get_epsilon(delta=1e-5), 3)
1.712
"""

from __future__ import annotations

import math
import warnings

import numpy as np

__all__ = [
    "DEFAULT_ALPHAS",
    "RDPAccountant",
    "compute_rdp",
    "get_noise_multiplier",
    "get_privacy_spent",
]

#: The Rényi orders searched for the best conversion (Opacus's defaults).
DEFAULT_ALPHAS = [1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64))


def _log_add(a: float, b: float) -> float:
    """log(e^a + e^b) without overflow."""
    lo, hi = min(a, b), max(a, b)
    return hi if lo == -math.inf else hi + math.log1p(math.exp(lo - hi))


def _log_sub(a: float, b: float) -> float:
    """log(e^a - e^b) for a >= b."""
    if b == -math.inf:
        return a
    if a == b:
        return -math.inf
    try:
        return b + math.log(math.expm1(a - b))
    except OverflowError:
        return a


def _log_erfc(x: float) -> float:
    """log(erfc(x)), accurate far into the tail where erfc itself underflows."""
    if x < 25.0:
        return math.log(math.erfc(x))
    # erfc(x) = e^{-x^2} / (x sqrt(pi)) * (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6) + ...)
    u = 1.0 / (2.0 * x * x)
    series = 1.0 - u + 3.0 * u * u - 15.0 * u**3 + 105.0 * u**4
    return -x * x - math.log(x) - 0.5 * math.log(math.pi) + math.log(series)


def _log_a_int(q: float, sigma: float, alpha: int) -> float:
    log_a = -math.inf
    for i in range(alpha + 1):
        term = (
            math.log(math.comb(alpha, i))
            + i * math.log(q)
            + (alpha - i) * math.log1p(-q)
            + (i * i - i) / (2 * sigma**2)
        )
        log_a = _log_add(log_a, term)
    return log_a


def _log_a_frac(q: float, sigma: float, alpha: float) -> float:
    log_a0, log_a1 = -math.inf, -math.inf
    z0 = sigma**2 * math.log(1 / q - 1) + 0.5
    coef, i = 1.0, 0  # coef = C(alpha, i), built up term by term (its sign alternates)
    while True:
        j = alpha - i
        log_coef = math.log(abs(coef))
        log_t0 = log_coef + i * math.log(q) + j * math.log1p(-q)
        log_t1 = log_coef + j * math.log(q) + i * math.log1p(-q)
        log_e0 = math.log(0.5) + _log_erfc((i - z0) / (math.sqrt(2) * sigma))
        log_e1 = math.log(0.5) + _log_erfc((z0 - j) / (math.sqrt(2) * sigma))
        log_s0 = log_t0 + (i * i - i) / (2 * sigma**2) + log_e0
        log_s1 = log_t1 + (j * j - j) / (2 * sigma**2) + log_e1
        if coef > 0:
            log_a0, log_a1 = _log_add(log_a0, log_s0), _log_add(log_a1, log_s1)
        else:
            log_a0, log_a1 = _log_sub(log_a0, log_s0), _log_sub(log_a1, log_s1)
        if max(log_s0, log_s1) < -30:
            return _log_add(log_a0, log_a1)
        coef *= (alpha - i) / (i + 1)
        i += 1


def _rdp_one_step(q: float, sigma: float, alpha: float) -> float:
    if q == 0:
        return 0.0
    if sigma == 0:
        return math.inf
    if q == 1.0:
        return alpha / (2 * sigma**2)
    if math.isinf(alpha):
        return math.inf
    if float(alpha).is_integer():
        return _log_a_int(q, sigma, int(alpha)) / (alpha - 1)
    return _log_a_frac(q, sigma, alpha) / (alpha - 1)


def compute_rdp(*, q: float, noise_multiplier: float, steps: int, orders) -> np.ndarray:
    """RDP of ``steps`` sampled Gaussian steps at each order (an array, ``inf`` where none)."""
    orders = np.atleast_1d(np.asarray(orders, dtype=float))
    return np.array([_rdp_one_step(q, noise_multiplier, a) for a in orders]) * steps


def get_privacy_spent(*, orders, rdp, delta: float) -> tuple[float, float]:
    """``(epsilon, best_order)`` from RDP values by the conversion in the module docstring."""
    _check_delta("get_privacy_spent", delta)
    orders, rdp = np.atleast_1d(np.asarray(orders, float)), np.atleast_1d(np.asarray(rdp, float))
    if orders.shape != rdp.shape:
        raise ValueError(
            f"get_privacy_spent: orders and rdp must have the same length, got {len(orders)} "
            f"and {len(rdp)}"
        )
    eps = rdp - (math.log(delta) + np.log(orders)) / (orders - 1) + np.log((orders - 1) / orders)
    if np.isnan(eps).all():
        return math.inf, math.nan
    best = int(np.nanargmin(eps))
    if best in (0, len(eps) - 1):
        end = "smallest" if best == 0 else "largest"
        warnings.warn(
            f"get_privacy_spent: the best order is the {end} one tried ({orders[best]}); more "
            "orders beyond it might give a smaller epsilon",
            RuntimeWarning,
            stacklevel=2,
        )
    return float(eps[best]), float(orders[best])


def _check_delta(who: str, delta: float) -> None:
    if not (isinstance(delta, (int, float)) and 0 < delta < 1):
        raise ValueError(
            f"{who}: delta must be a probability strictly between 0 and 1 (usually well below "
            f"1 / number of examples, e.g. 1e-5), got {delta!r}; delta >= 1 would promise "
            "nothing at all"
        )


def _check_step(who: str, noise_multiplier: float, sample_rate: float) -> None:
    if not (isinstance(noise_multiplier, (int, float)) and noise_multiplier > 0):
        raise ValueError(
            f"{who}: noise_multiplier must be a positive number (the noise's standard deviation "
            f"in units of max_grad_norm), got {noise_multiplier!r}; without noise there is no "
            "privacy guarantee: use a value such as 1.0, or get_noise_multiplier(...) for a "
            "target epsilon"
        )
    if not (isinstance(sample_rate, (int, float)) and 0 < sample_rate <= 1):
        raise ValueError(
            f"{who}: sample_rate must be in (0, 1] (the chance that an example is in a batch: "
            f"batch_size / number of examples), got {sample_rate!r}"
        )


class RDPAccountant:
    """Keeps the steps taken, ``[(noise_multiplier, sample_rate, steps), ...]``, and turns them
    into ε for a δ. The same API as Opacus's ``RDPAccountant``."""

    DEFAULT_ALPHAS = DEFAULT_ALPHAS

    def __init__(self) -> None:
        self.history: list[tuple[float, float, int]] = []

    def step(self, *, noise_multiplier: float, sample_rate: float) -> None:
        """Record one DP-SGD step (runs of identical steps are stored as one entry)."""
        _check_step("RDPAccountant.step", noise_multiplier, sample_rate)
        if self.history and self.history[-1][:2] == (noise_multiplier, sample_rate):
            sigma, q, steps = self.history[-1]
            self.history[-1] = (sigma, q, steps + 1)
        else:
            self.history.append((noise_multiplier, sample_rate, 1))

    def get_privacy_spent(self, *, delta: float, alphas=None) -> tuple[float, float]:
        """``(epsilon, best_alpha)`` for everything recorded; ``(0, 0)`` before any step."""
        _check_delta("RDPAccountant.get_privacy_spent", delta)
        if not self.history:
            return 0.0, 0.0
        alphas = self.DEFAULT_ALPHAS if alphas is None else alphas
        rdp = sum(
            compute_rdp(q=q, noise_multiplier=s, steps=t, orders=alphas) for s, q, t in self.history
        )
        return get_privacy_spent(orders=alphas, rdp=rdp, delta=delta)

    def get_epsilon(self, delta: float, alphas=None) -> float:
        """The ε spent so far, for this δ."""
        return self.get_privacy_spent(delta=delta, alphas=alphas)[0]

    def __len__(self) -> int:
        return len(self.history)


def get_noise_multiplier(
    *,
    target_epsilon: float,
    target_delta: float,
    sample_rate: float,
    epochs: int | None = None,
    steps: int | None = None,
    epsilon_tolerance: float = 0.01,
) -> float:
    """The noise multiplier that spends at most ``target_epsilon`` in ``steps`` steps (or
    ``epochs`` epochs of ``1 / sample_rate`` steps), found by bisection as Opacus does: the
    returned σ gives an ε within ``epsilon_tolerance`` below the target."""
    who = "get_noise_multiplier"
    if (steps is None) == (epochs is None):
        raise ValueError(f"{who}: give either steps= or epochs=, not both or neither")
    if not (isinstance(target_epsilon, (int, float)) and target_epsilon > 0):
        raise ValueError(f"{who}: target_epsilon must be positive, got {target_epsilon!r}")
    _check_delta(who, target_delta)
    _check_step(who, 1.0, sample_rate)
    steps = int(epochs / sample_rate) if steps is None else int(steps)
    accountant = RDPAccountant()

    def epsilon(sigma: float) -> float:
        accountant.history = [(sigma, sample_rate, steps)]
        with warnings.catch_warnings():  # a huge trial sigma may sit at the last order: fine
            warnings.simplefilter("ignore", RuntimeWarning)
            return accountant.get_epsilon(delta=target_delta)

    sigma_low, sigma_high, eps_high = 0.0, 10.0, math.inf
    while eps_high > target_epsilon:
        sigma_high *= 2
        eps_high = epsilon(sigma_high)
        if sigma_high > 1e6:
            raise ValueError(
                f"{who}: no noise multiplier up to 1e6 reaches epsilon {target_epsilon} with "
                f"delta {target_delta} in {steps} steps; allow a larger epsilon or fewer steps"
            )
    while target_epsilon - eps_high > epsilon_tolerance:
        sigma = (sigma_low + sigma_high) / 2
        eps = epsilon(sigma)
        if eps < target_epsilon:
            sigma_high, eps_high = sigma, eps
        else:
            sigma_low = sigma
    return sigma_high
