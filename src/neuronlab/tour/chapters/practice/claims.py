"""What the practice chapter asserts, each sentence checked by a run at a small size."""

from __future__ import annotations

import math

from ...chapter import Claim

TARGET_LOSS = 0.2


def first_epoch_below(values, level):
    """The first epoch whose loss is below ``level`` (None: never)."""
    return next((i for i, v in enumerate(values) if v is not None and v < level), None)


def _normalization(frames):
    runs = frames[-1]["runs"]
    norm = first_epoch_below(runs["normalized"]["train"], TARGET_LOSS)
    raw = first_epoch_below(runs["raw"]["train"], TARGET_LOSS)
    ok = norm is not None and (raw is None or norm < raw)
    return ok, (
        f"training loss below {TARGET_LOSS}: normalized after {norm} epochs, raw "
        + ("never" if raw is None else f"after {raw} epochs")
        + f" (of {frames[-1]['epoch']})"
    )


def _schedules(frames):
    runs = frames[-1]["runs"]
    last = {name: run["train"][-1] for name, run in runs.items()}
    ok = all(v is not None for v in last.values()) and (
        last["plateau"] < last["constant"] and last["cosine"] < last["constant"]
    )
    shown = ", ".join(f"{k} {v:.4f}" for k, v in last.items() if v is not None)
    return ok, f"final training loss: {shown}"


def _overfits(frames):
    run = frames[-1]["runs"]["none"]
    best = min(run["val"])
    ok = run["train"][-1] < 0.01 and run["val"][-1] > 1.5 * best
    return ok, (
        f"no regularization: training loss {run['train'][-1]:.4f}, validation loss "
        f"{run['val'][-1]:.3f} (lowest {best:.3f})"
    )


def _regularized_gap(frames):
    runs = frames[-1]["runs"]
    none, both = runs["none"]["gap"], runs["dropout_l2"]["gap"]
    return (
        both < none,
        f"final validation − training loss: none {none:.3f}, dropout + L2 {both:.3f}",
    )


def _restores_best(frames):
    last = frames[-1]
    run = last["runs"]["early"]
    best_epoch, restored = run["best_epoch"], last["restored_val"]
    at_best = run["val"][best_epoch]
    ok = restored is not None and math.isclose(restored, at_best, rel_tol=1e-4, abs_tol=1e-6)
    ok = ok and math.isclose(run["best_val"], min(v for v in run["val"] if v is not None),
                             rel_tol=1e-4)  # fmt: skip
    return ok, (
        f"best validation loss {at_best:.4f} at epoch {best_epoch}; stopped at epoch "
        f"{run['stopped_epoch']} with {last['at_stop_val']:.4f}; restored model {restored:.4f}"
    )


def _beats_full(frames):
    last = frames[-1]
    full = last["runs"]["full"]["val"][-1]
    restored = last["restored_val"]
    ok = restored is not None and restored < full
    return ok, f"validation loss: restored {restored:.4f}, trained to the end {full:.4f}"


CLAIMS = [
    Claim(
        id="normalized-faster",
        text="normalized inputs reach a training loss of 0.2 in fewer epochs than raw inputs",
        experiment="normalization",
        params={"speed": 0},
        tiny={"epochs": 20},
        check=_normalization,
        every=1_000_000,
    ),
    Claim(
        id="schedules-end-lower",
        text="both schedules end with a lower training loss than the constant learning rate",
        experiment="schedules",
        params={"speed": 0},
        tiny={"epochs": 30},
        check=_schedules,
        every=1_000_000,
    ),
    Claim(
        id="big-net-overfits",
        text="the training loss falls towards zero while the validation loss climbs well above "
        "its lowest point",
        experiment="overfitting",
        params={"speed": 0},
        tiny={"epochs": 40, "width": 96},
        check=_overfits,
        every=1_000_000,
    ),
    Claim(
        id="regularization-narrows-gap",
        text="Dropout and L2 together narrow the final train/validation gap compared with no "
        "regularization",
        experiment="overfitting",
        params={"speed": 0},
        tiny={"epochs": 40, "width": 96},
        check=_regularized_gap,
        every=1_000_000,
    ),
    Claim(
        id="restores-best",
        text="Early stopping restores the weights of the best validation epoch",
        experiment="early_stopping",
        params={"speed": 0},
        tiny={"epochs": 40},
        check=_restores_best,
        every=1_000_000,
    ),
    Claim(
        id="restored-beats-full",
        text="the restored model has a lower validation loss than the model trained to the end",
        experiment="early_stopping",
        params={"speed": 0},
        tiny={"epochs": 40},
        check=_beats_full,
        every=1_000_000,
    ),
]
