"""The transfer stop's two live runs.

* ``race``   the three contenders on the same ``labels`` images per class, stepped in lockstep;
             every ``EVAL_EVERY`` steps each measures its test accuracy (500 images).
* ``curve``  for several label counts and seeds, each contender trained to the end: the mean
             final accuracy and the time each took (a learning curve), one point per frame.
"""

from __future__ import annotations

import time

import numpy as np

from ...frames import series, table
from .task import KINDS, LABELS, contender, few_labels, target_task

EVAL_EVERY = 10


def _run_json(run) -> dict:
    return {"label": LABELS[run.kind], "steps": list(run.steps), "accuracy": list(run.accuracy),
            "seconds": round(run.seconds, 4)}  # fmt: skip


def race(ctx, labels, steps, lr, body_lr, seed, speed):
    """Scratch, linear probe and fine-tuning on the same few labels, side by side."""
    task = target_task()
    X, y = few_labels(task, labels, seed)
    runs = [contender(kind, task, X, y, lr=lr, body_lr_factor=body_lr, seed=seed)
            for kind in KINDS]  # fmt: skip
    for run in runs:
        run.measure()

    def frame(step, final=False):
        out = {"step": step, "steps": steps, "labels": labels, "classes": task.classes,
               "runs": {r.kind: _run_json(r) for r in runs}}  # fmt: skip
        if final:
            out["test_accuracy"] = series(runs[0].steps, xlabel="step", ylabel="test accuracy",
                                          **{r.kind: r.accuracy for r in runs})  # fmt: skip
            out["result"] = table(["run", "test accuracy", "seconds"],
                                  [[LABELS[r.kind], r.accuracy[-1], round(r.seconds, 2)]
                                   for r in runs])  # fmt: skip
        return out

    try:
        yield frame(0)
        for step in range(1, steps + 1):
            for run in runs:
                run.advance(1)
                if step % EVAL_EVERY == 0 or step == steps:
                    run.measure()
            speed = ctx.params.get("speed", speed)
            if speed:
                time.sleep(1.0 / speed)
            if step == steps:
                yield frame(step, final=True)
            else:
                yield frame(step) if ctx.frame_wanted else None
    finally:  # also when the learner stops the race
        for run in runs:
            run.close()


def curve(ctx, label_counts, seeds, steps, lr, body_lr):
    """Final test accuracy and seconds of each contender for each label count, over seeds."""
    task = target_task()
    counts = sorted(set(label_counts))
    acc = {kind: {k: [] for k in counts} for kind in KINDS}
    secs = {kind: {k: [] for k in counts} for kind in KINDS}
    for k in counts:
        for seed in range(seeds):
            X, y = few_labels(task, k, seed)
            for kind in KINDS:
                run = contender(kind, task, X, y, lr=lr, body_lr_factor=body_lr, seed=seed)
                try:
                    run.advance(steps)
                    acc[kind][k].append(run.measure())
                    secs[kind][k].append(run.seconds)
                finally:
                    run.close()
                yield None  # a control point: stop and pause work between runs
            done = counts.index(k) * seeds + seed + 1
            yield _curve_frame(counts, acc, secs, done, len(counts) * seeds)


def _curve_frame(counts, acc, secs, done, total) -> dict:
    def mean(d, kind):
        return [float(np.mean(d[kind][k])) if d[kind][k] else None for k in counts]

    out = {"done": done, "total": total, "label_counts": counts,
           "runs": {kind: {"label": LABELS[kind], "accuracy": mean(acc, kind),
                           "seconds": mean(secs, kind), "per_seed": [acc[kind][k] for k in counts]}
                    for kind in KINDS}}  # fmt: skip
    if done == total:
        means = {kind: out["runs"][kind]["accuracy"] for kind in KINDS}
        out["learning_curve"] = series(
            counts, xlabel="labels per class", ylabel="mean test accuracy", **means
        )
        out["result"] = table(
            ["labels per class", *[LABELS[k] for k in KINDS]],
            [[k, *[means[kind][i] for kind in KINDS]] for i, k in enumerate(counts)],
        )
    return out
