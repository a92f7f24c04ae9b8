"""Fairness metrics against Fairlearn (the oracle) on random and real data, and their errors."""

from __future__ import annotations

import math
import warnings

import fairlearn.metrics as flm
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuronlab import data
from neuronlab import responsible as rl
from neuronlab.metrics import UndefinedMetricWarning, accuracy_score

DISPARITIES = [
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
]
ODDS = ["equalized_odds_difference", "equalized_odds_ratio"]
RATES = [
    "selection_rate",
    "true_positive_rate",
    "false_positive_rate",
    "true_negative_rate",
    "false_negative_rate",
]


def same(a, b, tol=1e-12):
    a, b = float(a), float(b)
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def random_case(seed, n=None, groups=None):
    rng = np.random.default_rng(seed)
    n = n or int(rng.integers(8, 300))
    k = groups or int(rng.integers(2, 5))
    names = np.array(["g0", "g1", "g2", "g3", "g4"][:k], dtype=object)
    s = names[rng.integers(0, k, n)]
    y_true = (rng.random(n) < rng.uniform(0.1, 0.9)).astype(int)
    y_pred = (rng.random(n) < rng.uniform(0.1, 0.9)).astype(int)
    w = rng.uniform(0.1, 3.0, n)
    return y_true, y_pred, s, w


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("method", ["between_groups", "to_overall"])
def test_disparities_match_fairlearn(seed, method):
    y_true, y_pred, s, w = random_case(seed)
    for name in DISPARITIES:
        for weight in (None, w):
            ours = getattr(rl, name)(
                y_true, y_pred, sensitive_features=s, method=method, sample_weight=weight
            )
            theirs = getattr(flm, name)(
                y_true, y_pred, sensitive_features=s, method=method, sample_weight=weight
            )
            assert same(ours, theirs), (name, method, ours, theirs)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("agg", ["worst_case", "mean"])
def test_equalized_odds_match_fairlearn(seed, agg):
    y_true, y_pred, s, w = random_case(1000 + seed)
    for name in ODDS:
        for method in ("between_groups", "to_overall"):
            ours = getattr(rl, name)(
                y_true, y_pred, sensitive_features=s, method=method, sample_weight=w, agg=agg
            )
            theirs = getattr(flm, name)(
                y_true, y_pred, sensitive_features=s, method=method, sample_weight=w, agg=agg
            )
            assert same(ours, theirs), (name, method, agg, ours, theirs)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 1), st.sampled_from("abc")),
        min_size=2,
        max_size=40,
    )
)
def test_rates_and_disparities_match_fairlearn_on_any_small_case(rows):
    y_true = np.array([r[0] for r in rows])
    y_pred = np.array([r[1] for r in rows])
    s = np.array([r[2] for r in rows])
    for name in RATES:
        assert same(getattr(rl, name)(y_true, y_pred), getattr(flm, name)(y_true, y_pred)), name
    for name in DISPARITIES:
        ours = getattr(rl, name)(y_true, y_pred, sensitive_features=s)
        assert same(ours, getattr(flm, name)(y_true, y_pred, sensitive_features=s)), name


@pytest.mark.parametrize("seed", range(10))
def test_metric_frame_matches_fairlearn(seed):
    y_true, y_pred, s, w = random_case(2000 + seed)
    metrics = {"acc": accuracy_score, "sel": flm.selection_rate, "tpr": flm.true_positive_rate}
    ours_metrics = {"acc": accuracy_score, "sel": rl.selection_rate, "tpr": rl.true_positive_rate}
    params = {"sel": {"sample_weight": w}}
    ours = rl.MetricFrame(
        metrics=ours_metrics,
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=s,
        sample_params=params,
    )
    theirs = flm.MetricFrame(
        metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=s, sample_params=params
    )
    for name in metrics:
        assert same(ours.overall[name], theirs.overall[name])
        assert list(ours.by_group[name]) == list(theirs.by_group[name].index)
        for group, value in ours.by_group[name].items():
            assert same(value, theirs.by_group[name][group])
        assert same(ours.group_min()[name], theirs.group_min()[name])
        assert same(ours.group_max()[name], theirs.group_max()[name])
        for method in ("between_groups", "to_overall"):
            assert same(
                ours.difference(method=method)[name], theirs.difference(method=method)[name]
            )
            assert same(ours.ratio(method=method)[name], theirs.ratio(method=method)[name])


def test_metric_frame_with_one_metric_gives_plain_numbers():
    y_true, y_pred, s, _ = random_case(7)
    ours = rl.MetricFrame(
        metrics=rl.selection_rate, y_true=y_true, y_pred=y_pred, sensitive_features=s
    )
    theirs = flm.MetricFrame(
        metrics=flm.selection_rate, y_true=y_true, y_pred=y_pred, sensitive_features=s
    )
    assert isinstance(ours.overall, float) and same(ours.overall, theirs.overall)
    assert ours.by_group == pytest.approx(theirs.by_group.to_dict())
    assert same(ours.difference(), theirs.difference())
    assert same(ours.ratio(method="to_overall"), theirs.ratio(method="to_overall"))


def test_metric_frame_with_two_sensitive_features_matches_fairlearn():
    rng = np.random.default_rng(3)
    n = 200
    y_true, y_pred = rng.integers(0, 2, n), rng.integers(0, 2, n)
    sex = rng.choice(["F", "M"], n)
    race = rng.choice(["x", "y", "z"], n)
    ours = rl.MetricFrame(
        metrics=rl.selection_rate,
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features={"sex": sex, "race": race},
    )
    theirs = flm.MetricFrame(
        metrics=flm.selection_rate,
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features={"sex": sex, "race": race},
    )
    assert ours.by_group == pytest.approx(theirs.by_group.to_dict())
    assert same(ours.difference(), theirs.difference())


@pytest.fixture(scope="module")
def adult_predictions():
    """A real audit: a logistic rule on UCI Adult's test split, by sex and by race."""
    bundle = data.load_adult()
    rng = np.random.default_rng(0)
    w = rng.normal(size=bundle.X_train.shape[1])
    score = bundle.X_test @ w
    y_pred = (score > np.quantile(score, 0.7)).astype(int)
    return bundle.y_test, y_pred, bundle.frame_test["sex"], bundle.frame_test["race"]


@pytest.mark.slow
@pytest.mark.parametrize("feature", ["sex", "race"])
def test_real_adult_audit_matches_fairlearn(adult_predictions, feature):
    y_true, y_pred, sex, race = adult_predictions
    s = sex if feature == "sex" else race
    for name in DISPARITIES + ODDS:
        ours = getattr(rl, name)(y_true, y_pred, sensitive_features=s)
        theirs = getattr(flm, name)(y_true, y_pred, sensitive_features=s)
        assert same(ours, theirs), name
    mf = rl.MetricFrame(
        metrics={"tpr": rl.true_positive_rate, "fpr": rl.false_positive_rate},
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=s,
    )
    ref = flm.MetricFrame(
        metrics={"tpr": flm.true_positive_rate, "fpr": flm.false_positive_rate},
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=s,
    )
    for name in ("tpr", "fpr"):
        assert mf.by_group[name] == pytest.approx(ref.by_group[name].to_dict(), abs=1e-12)


# ----- errors and undefined values --------------------------------------------------------------
def test_sensitive_features_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError, match=r"one entry per sample \(4, as y_true\), got 3"):
        rl.demographic_parity_difference([0, 1, 1, 0], [1, 1, 0, 0], sensitive_features=list("abc"))
    with pytest.raises(ValueError, match=r"one entry per sample"):
        rl.MetricFrame(
            metrics=rl.selection_rate,
            y_true=[0, 1],
            y_pred=[1, 0],
            sensitive_features={"a": [1, 2], "b": [1]},
        )


def test_a_group_without_positives_gives_zero_tpr_with_a_warning_as_fairlearn():
    y_true, y_pred, s = [0, 0, 1, 1], [1, 0, 1, 0], ["a", "a", "b", "b"]
    with pytest.warns(UndefinedMetricWarning, match="no positive example"):
        ours = rl.equal_opportunity_difference(y_true, y_pred, sensitive_features=s)
    assert ours == flm.equal_opportunity_difference(y_true, y_pred, sensitive_features=s) == 0.5


def test_an_undefined_ratio_is_nan_and_says_so():
    y_true, y_pred, s = [0, 1, 1, 0], [0, 0, 0, 0], ["a", "a", "b", "b"]
    with pytest.warns(UndefinedMetricWarning, match=r"undefined \(0 / 0"):
        ours = rl.demographic_parity_ratio(y_true, y_pred, sensitive_features=s)
    assert math.isnan(ours)
    assert math.isnan(flm.demographic_parity_ratio(y_true, y_pred, sensitive_features=s))


def test_bad_arguments_are_refused():
    args = ([0, 1], [1, 0])
    with pytest.raises(ValueError, match="agg must be one of"):
        rl.equalized_odds_difference(*args, sensitive_features=["a", "b"], agg="max")
    with pytest.raises(ValueError, match="method must be one of"):
        rl.demographic_parity_difference(*args, sensitive_features=["a", "b"], method="pairwise")
    with pytest.raises(ValueError, match="binary labels"):
        rl.true_positive_rate([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="y_pred is empty"):
        rl.selection_rate([], [])
    with pytest.raises(TypeError, match="metrics must be a function"):
        rl.MetricFrame(metrics=[1], y_true=[0], y_pred=[0], sensitive_features=["a"])
