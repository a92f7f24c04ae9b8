"""What the evaluation stop asserts, each sentence checked by its experiment."""

from __future__ import annotations

from ...chapter import Claim


def _trap(r):
    no = r["always_no"]
    ok = no["accuracy"] > 0.95 and no["recall"] == 0.0
    return ok, (
        f"always 'no': accuracy {no['accuracy']:.3f}, recall {no['recall']:.2f} "
        f"({r['positives']} positives in {r['n_test']} test rows)"
    )


def _low_recall(r):
    m = r["model"]
    return m["recall"] < 0.5, (
        f"trained MLP at 0.5: accuracy {m['accuracy']:.3f}, precision "
        f"{m['precision']:.3f}, recall {m['recall']:.3f}"
    )


def _auc_ap(r):
    ok = r["auc"] > 0.85 and r["ap"] < 0.5
    return (
        ok,
        f"ROC AUC {r['auc']:.3f}, average precision {r['ap']:.3f}, base rate {r['base_rate']:.3f}",
    )


def _cost(r):
    t = r["cheapest_by_fn_cost"]
    values = [t[k] for k in sorted(t, key=float)]
    ok = all(a >= b for a, b in zip(values, values[1:])) and values[-1] < values[0]
    shown = ", ".join(f"cost {float(k):g}: {t[k]:.2f}" for k in sorted(t, key=float))
    return ok, f"cheapest threshold by false-negative cost ({shown})"


def _outliers(r):
    g = r["growth"]
    ok = g["rmse"] > g["mae"] > 1.0
    c, d = r["clean"], r["with_outliers"]
    return ok, (
        f"MAE {c['mae']:.1f} -> {d['mae']:.1f} (x{g['mae']:.2f}), RMSE {c['rmse']:.1f} -> "
        f"{d['rmse']:.1f} (x{g['rmse']:.2f})"
    )


def _optimism(frames):
    last = frames[-1]
    o = last["optimism"]
    ok = o["test_tuned"] > 0 and o["test_tuned"] > o["val_tuned"]
    return ok, (
        f"reported minus fresh accuracy over {last['repeat']} repeats: tuned on test "
        f"{100 * o['test_tuned']:+.1f} points, tuned on validation "
        f"{100 * o['val_tuned']:+.1f} points"
    )


CLAIMS = [
    Claim(
        id="always-no",
        experiment="accuracy_trap",
        check=_trap,
        text="a model that always answers no is right for more than 95% of the test rows and "
        "finds none of the people it is looking for",
    ),
    Claim(
        id="low-recall",
        experiment="accuracy_trap",
        check=_low_recall,
        text="at the usual threshold of 0.5 the trained model finds fewer than half of them",
    ),
    Claim(
        id="auc-flatters",
        experiment="thresholds",
        check=_auc_ap,
        text="the area under the ROC curve is above 0.85 while the average precision stays "
        "below 0.5",
    ),
    Claim(
        id="cost-moves-threshold",
        experiment="thresholds",
        check=_cost,
        text="the dearer a missed positive, the lower the cheapest threshold",
    ),
    Claim(
        id="rmse-punishes",
        experiment="regression",
        check=_outliers,
        params={"shifts": [300.0, -250.0, 0.0, 0.0, 0.0]},
        text="two moved points raise the RMSE by a larger factor than the MAE",
    ),
    Claim(
        id="test-tuning-optimism",
        experiment="untouched_test",
        check=_optimism,
        tiny={"repeats": 4, "epochs": 6},
        every=1_000_000,
        text="the winner picked on the test set reports a higher accuracy than it reaches on "
        "fresh data, and by more than the winner picked on the validation set",
    ),
]
