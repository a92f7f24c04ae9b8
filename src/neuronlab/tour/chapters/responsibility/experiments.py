"""Quick experiments of the responsibility stop: the data audit, the model audit, the mitigation.

Every group metric comes from ``neuronlab.responsible`` (Fairlearn's definitions), every score
from ``neuronlab.metrics``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from neuronlab import data
from neuronlab import metrics as M
from neuronlab import responsible as R

from ...frames import table
from .models import adult, audited, positive_probability, train_mlp

MISSING_COLUMNS = ("workclass", "occupation", "native_country")


def _group_table(values: np.ndarray, y: np.ndarray, missing: np.ndarray) -> list[dict]:
    rows = []
    for group in sorted(set(values.tolist())):
        m = values == group
        rows.append(
            {
                "group": group,
                "n": int(m.sum()),
                "share": float(m.mean()),
                "label_rate": float(y[m].mean()),
                "missing": float(missing[m].mean()),
            }
        )
    return rows


@lru_cache(maxsize=1)
def _missing_rows() -> tuple[np.ndarray, dict]:
    """Rows of the training file with a missing value ('?'), and their protected columns."""
    bundle = data.load_adult(missing="category", encode=False)
    frame = bundle.frame_train
    missing = np.zeros(len(bundle.y_train), dtype=bool)
    for col in MISSING_COLUMNS:
        missing |= np.asarray(frame[col], dtype=object) == "missing"
    groups = {c: np.asarray(frame[c], dtype=object) for c in ("sex", "race")}
    return missing, {**groups, "y": np.asarray(bundle.y_train)}


@lru_cache(maxsize=2)
def data_audit(seed: int = 0) -> dict:
    """Group sizes, label (base) rates and missing values by sex and race; proxies of sex."""
    missing, cols = _missing_rows()
    groups = {c: _group_table(cols[c], cols["y"], missing) for c in ("sex", "race")}
    proxies = _proxies(seed)
    rows = [
        [c, g["group"], g["n"], g["label_rate"], g["missing"]]
        for c in ("sex", "race")
        for g in groups[c]
    ]
    return {
        "groups": groups,
        "missing_total": float(missing.mean()),
        "proxies": proxies,
        "result": table(
            ["feature", "group", "rows", "share above $50K", "share with a '?'"],
            rows,
            title="UCI Adult, official training file (with its '?' rows)",
        ),
        "proxy_table": table(
            ["feature", "AUC for 'female'"],
            [[p["feature"], p["auc"]] for p in proxies["single"]],
            title=f"Proxies of sex: a model without the sex column predicts "
            f"it with accuracy {proxies['accuracy']:.3f}",
        ),
    }


def _proxies(seed: int) -> dict:
    """How well the other features give sex away: a logistic model, and single features."""
    d = adult()
    keep = [i for i, n in enumerate(d["names"]) if not n.startswith("sex_")]
    female_fit = (d["sex_fit"] == "Female").astype(np.int64)
    female_test = (d["sex_test"] == "Female").astype(np.int64)
    model = train_mlp(d["X_fit"][:, keep], female_fit, hidden=(), epochs=2, seed=seed)
    p = positive_probability(model, d["X_test"][:, keep])
    single = []
    for i in keep:
        auc = M.roc_auc_score(female_test, d["X_test"][:, i])
        single.append({"feature": d["names"][i], "auc": float(auc)})
    single.sort(key=lambda s: -abs(s["auc"] - 0.5))
    return {
        "accuracy": M.accuracy_score(female_test, (p >= 0.5).astype(int)),
        "majority": float(max(female_test.mean(), 1 - female_test.mean())),
        "auc": M.roc_auc_score(female_test, p),
        "single": single[:6],
    }


def audit_rows(y, pred, groups) -> dict:
    """Per group: size, base rate, selection rate, TPR, FPR, accuracy (via ``MetricFrame``)."""
    metrics = {
        "base_rate": lambda t, p: float(np.mean(t)),
        "selection_rate": R.selection_rate,
        "tpr": R.true_positive_rate,
        "fpr": R.false_positive_rate,
        "accuracy": M.accuracy_score,
        "n": lambda t, p: len(t),
    }
    frame = R.MetricFrame(metrics=metrics, y_true=y, y_pred=pred, sensitive_features=groups)
    by = frame.by_group
    rows = [{"group": g, **{k: by[k][g] for k in metrics}} for g in by["n"]]
    return {
        "rows": rows,
        "overall": frame.overall,
        "dp_difference": R.demographic_parity_difference(y, pred, sensitive_features=groups),
        "dp_ratio": R.demographic_parity_ratio(y, pred, sensitive_features=groups),
        "eo_difference": R.equalized_odds_difference(y, pred, sensitive_features=groups),
        "eop_difference": R.equal_opportunity_difference(y, pred, sensitive_features=groups),
        "base_difference": frame.difference()["base_rate"],
        "base_ratio": frame.ratio()["base_rate"],
    }


def bias_audit(epochs: int, seed: int) -> dict:
    """The tour's model on the test file, audited by sex and by race."""
    d = adult()
    p = audited(epochs, seed)["p_test"]
    pred = (p >= 0.5).astype(np.int64)
    out = {"accuracy": M.accuracy_score(d["y_test"], pred)}
    for col in ("sex", "race"):
        a = audit_rows(d["y_test"], pred, d[f"{col}_test"])
        a["amplification"] = a["dp_difference"] / a["base_difference"]
        out[col] = a
        out[f"{col}_table"] = table(
            ["group", "rows", "base rate", "selected", "TPR", "FPR", "accuracy"],
            [
                [
                    r["group"],
                    r["n"],
                    r["base_rate"],
                    r["selection_rate"],
                    r["tpr"],
                    r["fpr"],
                    r["accuracy"],
                ]
                for r in a["rows"]
            ],
            title=f"By {col}: selection-rate difference {a['dp_difference']:.3f} against a "
            f"base-rate difference of {a['base_difference']:.3f} in the data",
        )
    return out


#: Tolerances of the trade-off curve (the constraint from strict to none).
TOLERANCES = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 1.0)


def _mitigated(constraint: str, tolerance: float, p_val, p_test, d) -> dict:
    post = R.GroupThresholds(constraint, tolerance=tolerance)
    post.fit(p_val, d["y_val"], d["sex_val"])
    pred = post.predict(p_test, d["sex_test"])
    y, s = d["y_test"], d["sex_test"]
    return {
        "tolerance": tolerance,
        "thresholds": post.thresholds_,
        "accuracy": M.accuracy_score(y, pred),
        "dp_difference": R.demographic_parity_difference(y, pred, sensitive_features=s),
        "eop_difference": R.equal_opportunity_difference(y, pred, sensitive_features=s),
    }


def mitigation(constraint: str, tolerance: float, epochs: int, seed: int) -> dict:
    """Group thresholds by sex, chosen on validation rows, measured on the test file; the whole
    trade-off curve, and the learner's tolerance."""
    d = adult()
    scores = audited(epochs, seed)
    y, s = d["y_test"], d["sex_test"]
    pred = (scores["p_test"] >= 0.5).astype(np.int64)
    before = {
        "accuracy": M.accuracy_score(y, pred),
        "dp_difference": R.demographic_parity_difference(y, pred, sensitive_features=s),
        "eop_difference": R.equal_opportunity_difference(y, pred, sensitive_features=s),
    }
    after = _mitigated(constraint, tolerance, scores["p_val"], scores["p_test"], d)
    curve = [_mitigated(constraint, t, scores["p_val"], scores["p_test"], d) for t in TOLERANCES]
    key = "dp_difference" if constraint == "demographic_parity" else "eop_difference"
    return {
        "constraint": constraint,
        "before": before,
        "after": after,
        "curve": curve,
        "key": key,
        "result": table(
            ["", "accuracy", "selection-rate difference", "TPR difference"],
            [
                [
                    "one threshold (0.5)",
                    before["accuracy"],
                    before["dp_difference"],
                    before["eop_difference"],
                ],
                [
                    f"group thresholds, tolerance {tolerance:g}",
                    after["accuracy"],
                    after["dp_difference"],
                    after["eop_difference"],
                ],
            ],
            title=f"Mitigation by sex for {constraint.replace('_', ' ')}",
        ),
    }
