"""What the responsibility stop asserts, each sentence checked by its experiment."""

from __future__ import annotations

from ...chapter import Claim


def _base_rates(r):
    g = {row["group"]: row for row in r["groups"]["sex"]}
    f, m = g["Female"]["label_rate"], g["Male"]["label_rate"]
    return m > 2 * f, f"share above $50K: women {f:.3f}, men {m:.3f}"


def _proxy(r):
    p = r["proxies"]
    ok = p["accuracy"] > p["majority"] + 0.1
    top = p["single"][0]
    return ok, (
        f"predicting sex without the sex column: accuracy {p['accuracy']:.3f} against "
        f"{p['majority']:.3f} for always guessing the larger group; strongest single "
        f"proxy {top['feature']} (AUC {top['auc']:.2f})"
    )


def _amplifies(r):
    a = r["sex"]
    rows = {row["group"]: row for row in a["rows"]}
    ok = a["dp_ratio"] < a["base_ratio"]
    return ok, (
        f"selection rate women/men {a['dp_ratio']:.3f} ({rows['Female']['selection_rate']:.3f}"
        f" / {rows['Male']['selection_rate']:.3f}); base rate women/men "
        f"{a['base_ratio']:.3f}"
    )


def _tpr_gap(r):
    rows = {row["group"]: row for row in r["sex"]["rows"]}
    f, m = rows["Female"], rows["Male"]
    ok = f["tpr"] < m["tpr"] and f["fpr"] < m["fpr"]
    return ok, (
        f"TPR women {f['tpr']:.3f}, men {m['tpr']:.3f}; FPR women {f['fpr']:.3f}, men "
        f"{m['fpr']:.3f}"
    )


def _mitigation(r):
    b, a = r["before"], r["after"]
    cost = 100 * (b["accuracy"] - a["accuracy"])
    ok = a["dp_difference"] <= 0.5 * b["dp_difference"] and cost <= 3.0
    return ok, (
        f"selection-rate difference {b['dp_difference']:.3f} -> {a['dp_difference']:.3f}"
        f", accuracy {b['accuracy']:.4f} -> {a['accuracy']:.4f} ({cost:+.2f} points lost)"
    )


def _conflict(r):
    b, a = r["before"], r["after"]
    return a["eop_difference"] > b["eop_difference"], (
        f"TPR difference {b['eop_difference']:.3f} -> {a['eop_difference']:.3f}"
    )


def _privacy_price(frames):
    runs = frames[-1]["runs"]
    base, private = runs[0], runs[1:]
    accs = [r["accuracy"] for r in private]
    rises = all(x <= y + 0.005 for x, y in zip(accs, accs[1:])) and accs[-1] - accs[0] > 0.02
    leak = base["attack"]["advantage"]
    worst = max(r["attack"]["advantage"] for r in private)
    ok = rises and leak > 0.05 and worst < 0.5 * leak
    shown = ", ".join(
        f"eps {r['target_epsilon']:g}: accuracy {r['accuracy']:.3f}, advantage "
        f"{r['attack']['advantage']:+.3f}"
        for r in private
    )
    return ok, (f"non-private: accuracy {base['accuracy']:.3f}, advantage {leak:+.3f}; " + shown)


def _clipped(frames):
    norms = frames[-1]["norms"]
    before_above = sum(c for c, hi in zip(norms["before"], _edges(norms)) if hi > norms["clip"])
    after_above = sum(
        c for c, hi in zip(norms["after"], _edges(norms)) if hi > norms["clip"] + 1e-9
    )
    return before_above > 0 and after_above == 0, (
        f"last DP batch: {before_above} gradient norms above C={norms['clip']:g} before "
        f"clipping, {after_above} after"
    )


def _edges(norms):
    n = len(norms["before"])
    return [norms["hi"] * (i + 1) / n for i in range(n)]


CLAIMS = [
    Claim(
        id="base-rates-differ",
        experiment="data_audit",
        check=_base_rates,
        text="men in the data carry the high-income label almost three times as often as women",
    ),
    Claim(
        id="proxy-for-sex",
        experiment="data_audit",
        check=_proxy,
        text="dropping the sex column does not hide it",
    ),
    Claim(
        id="model-amplifies",
        experiment="bias_audit",
        check=_amplifies,
        text="the model selects women at a lower rate relative to men than the data's base "
        "rates do",
    ),
    Claim(
        id="error-rates-differ",
        experiment="bias_audit",
        check=_tpr_gap,
        text="both its true positive rate and its false positive rate are lower for women",
    ),
    Claim(
        id="mitigation-halves-gap",
        experiment="mitigation",
        check=_mitigation,
        text="cut the selection-rate difference between women and men by more than half, "
        "for less than 3 points of accuracy",
    ),
    Claim(
        id="fairness-conflict",
        experiment="mitigation",
        check=_conflict,
        text="the gap between their true positive rates grows",
    ),
    Claim(
        id="privacy-price-and-gain",
        experiment="privacy",
        check=_privacy_price,
        every=1_000_000,
        text="test accuracy rises with epsilon, and every private model leaks less than half "
        "the attack advantage of the non-private one",
    ),
    Claim(
        id="clipping-bounds-norms",
        experiment="privacy",
        check=_clipped,
        tiny={"n_members": 200, "epochs": 2},
        every=1_000_000,
        text="no gradient norm is above C after clipping",
    ),
]
