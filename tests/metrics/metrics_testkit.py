"""Shared helpers for the metrics tests: hypothesis strategies and a parity harness.

``assert_parity`` runs scikit-learn (the oracle) and neuronlab on the same inputs and
checks that both give the same values, that both raise (ValueError) or neither does,
and that both emit an ``UndefinedMetricWarning`` in the same situations.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from sklearn.exceptions import UndefinedMetricWarning as SkUndefinedMetricWarning

from neuronlab.metrics import UndefinedMetricWarning

PARITY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RTOL, ATOL = 1e-10, 1e-12

POOLS = {
    "int": [0, 1, 2, 3, 4],
    "signed": [-3, -1, 2, 7, 11],
    "str": ["ant", "bee", "cat", "dog", "eel"],
    "bool": [False, True],
}


# ---------------------------------------------------------------------------------------
# running both libraries
# ---------------------------------------------------------------------------------------


def run(fn, *args, **kwargs) -> tuple[Any, set[str], BaseException | None]:
    """Call ``fn``; return (result, warning kinds, exception).

    Warning kinds: 'undefined' for an UndefinedMetricWarning (either library's),
    'user' for other UserWarnings, 'runtime' for NumPy RuntimeWarnings.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = fn(*args, **kwargs), None
        except (ValueError, TypeError, ZeroDivisionError) as exc:
            result, error = None, exc
    kinds = set()
    for w in caught:
        if issubclass(w.category, (UndefinedMetricWarning, SkUndefinedMetricWarning)):
            kinds.add("undefined")
        elif issubclass(w.category, RuntimeWarning):
            kinds.add("runtime")
        elif issubclass(w.category, UserWarning):
            kinds.add("user")
    return result, kinds, error


def assert_same(ours: Any, theirs: Any, exact: bool = False) -> None:
    """Recursive equality of results: floats/arrays to RTOL (or exactly), dicts, tuples."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), type(ours)
        assert list(ours) == list(theirs)
        for key in theirs:
            assert_same(ours[key], theirs[key], exact)
    elif isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a, b, exact)
    elif theirs is None or isinstance(theirs, str):
        assert ours == theirs, (ours, theirs)
    else:
        assert np.shape(ours) == np.shape(theirs), (np.shape(ours), np.shape(theirs))
        if np.ndim(theirs) == 0:
            # scalars come back as Python floats, like scikit-learn's
            assert isinstance(ours, float) == isinstance(theirs, float), (ours, theirs)
        if exact:
            np.testing.assert_array_equal(ours, theirs)
        else:
            np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL, equal_nan=True)


def assert_parity(
    ours_fn,
    theirs_fn,
    *args,
    exact: bool = False,
    their_user_warning_is_undefined: bool = False,
    **kwargs,
) -> Any:
    """Same value, same failure (ValueError), same kinds of warnings; no RuntimeWarning."""
    ours, our_kinds, our_err = run(ours_fn, *args, **kwargs)
    theirs, their_kinds, their_err = run(theirs_fn, *args, **kwargs)
    event("oracle raised" if their_err is not None else "oracle returned")
    if their_err is not None:
        assert isinstance(their_err, ValueError), f"oracle raised {their_err!r}"
        assert isinstance(our_err, ValueError), (
            f"scikit-learn raised {their_err!r} but neuronlab returned {ours!r} / {our_err!r}"
        )
        return None
    assert our_err is None, f"neuronlab raised {our_err!r}; scikit-learn gave {theirs!r}"
    assert_same(ours, theirs, exact)
    if their_user_warning_is_undefined and "user" in their_kinds:
        their_kinds = (their_kinds - {"user"}) | {"undefined"}
    assert "runtime" not in our_kinds, "neuronlab leaked a NumPy RuntimeWarning"
    their_kinds.discard("runtime")
    assert our_kinds == their_kinds, f"warnings differ: ours {our_kinds}, sklearn {their_kinds}"
    return ours


# ---------------------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------------------


@st.composite
def label_data(draw, min_size=1, max_size=40, pools=tuple(POOLS), min_classes=1):
    """(pool, y_true, y_pred, sample_weight) with labels from one homogeneous pool."""
    pool_name = draw(st.sampled_from(pools))
    pool = POOLS[pool_name]
    k = draw(st.integers(min(min_classes, len(pool)), len(pool)))
    classes = pool[:k]
    n = draw(st.integers(min_size, max_size))
    y_true = draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n))
    # predictions may use one label that never occurs in y_true
    pred_classes = pool[: min(k + 1, len(pool))]
    y_pred = draw(st.lists(st.sampled_from(pred_classes), min_size=n, max_size=n))
    return pool, np.array(y_true), np.array(y_pred), draw(weights(n))


def _first_positive(w: list[int]) -> np.ndarray:
    w = np.array(w)
    w[0] = max(w[0], 1)  # the weights never sum to zero (a deliberate ValueError here)
    return w


def weights(n: int):
    """None, positive float weights, or integer weights (some zero, never all)."""
    return st.one_of(
        st.none(),
        st.lists(st.floats(0.01, 5.0), min_size=n, max_size=n).map(np.array),
        st.lists(st.integers(0, 4), min_size=n, max_size=n).map(_first_positive),
    )


ZERO_DIVISION = st.sampled_from(["warn", 0, 1, 0.0, 1.0, np.nan])
AVERAGE = st.sampled_from([None, "binary", "micro", "macro", "weighted"])


def scores(n: int, *, ties: bool):
    """Finite scores in [0, 1]; ``ties=True`` draws from a coarse grid (many ties)."""
    if ties:
        return st.lists(st.integers(0, 4), min_size=n, max_size=n).map(
            lambda v: np.array(v, dtype=np.float64) / 4
        )
    return st.lists(st.floats(0, 1), min_size=n, max_size=n).map(np.array)


@st.composite
def probabilities(draw, n: int, k: int):
    """An (n, k) array of rows summing to one, sometimes with exact 0 and 1 entries."""
    raw = np.array(
        draw(
            st.lists(
                st.lists(
                    st.one_of(st.sampled_from([0.0, 1.0, 3.0]), st.floats(0.0, 10.0)),
                    min_size=k,
                    max_size=k,
                ),
                min_size=n,
                max_size=n,
            )
        )
    )
    raw[raw.sum(axis=1) == 0, 0] = 1.0
    return raw / raw.sum(axis=1, keepdims=True)
