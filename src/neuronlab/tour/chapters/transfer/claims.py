"""What the transfer stop asserts, each sentence checked by the learning-curve run.

All runs are seeded (the labelled images drawn, the heads' start, the batch order), so a
claim's numbers come out the same on every machine up to floating-point rounding; only the
seconds vary, and the time claim compares two runs measured side by side.
"""

from __future__ import annotations

from ...chapter import Claim


def _curve(frames):
    return frames[-1]["label_counts"], frames[-1]["runs"]


def _shown(counts, runs, kinds):
    return "; ".join(
        f"{k} labels: " + ", ".join(f"{kind} {runs[kind]['accuracy'][i]:.3f}" for kind in kinds)
        for i, k in enumerate(counts)
    )


def _probe_at_least_scratch(frames):
    counts, runs = _curve(frames)
    ok = all(p >= s for p, s in zip(runs["probe"]["accuracy"], runs["scratch"]["accuracy"]))
    return ok, "mean test accuracy: " + _shown(counts, runs, ["probe", "scratch"])


def _finetune_beats_scratch(frames):
    counts, runs = _curve(frames)
    ok = all(f > s for f, s in zip(runs["finetune"]["accuracy"], runs["scratch"]["accuracy"]))
    return ok, "mean test accuracy: " + _shown(counts, runs, ["finetune", "scratch"])


def _probe_is_cheap(frames):
    _, runs = _curve(frames)
    probe, scratch = sum(runs["probe"]["seconds"]), sum(runs["scratch"]["seconds"])
    return probe < scratch / 2, (
        f"seconds per run (mean): probe {probe:.2f}, scratch {scratch:.2f} "
        f"({scratch / max(probe, 1e-9):.1f} times longer)"
    )


CLAIMS = [
    Claim(
        "probe-matches-scratch",
        "With 5 to 100 labels per class, the linear probe is on average at least as accurate "
        "as the network trained from scratch.",
        "curve",
        _probe_at_least_scratch,
        params={"label_counts": [5, 20, 100], "seeds": 3},
        tiny={"label_counts": [5, 20], "seeds": 2},
    ),
    Claim(
        "finetune-few-labels",
        "With 20 labels per class or fewer, fine-tuning beats training from scratch on average.",
        "curve",
        _finetune_beats_scratch,
        params={"label_counts": [5, 10, 20], "seeds": 3},
        tiny={"label_counts": [5, 20], "seeds": 2},
    ),
    Claim(
        "probe-is-cheap",
        "The probe needs less than half the time of training from scratch.",
        "curve",
        _probe_is_cheap,
        params={"label_counts": [10], "seeds": 2},
        tiny={"label_counts": [10], "seeds": 1},
    ),
]
