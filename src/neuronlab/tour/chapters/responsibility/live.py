"""Differential privacy live: the same MLP trained without privacy and with DP-SGD at several
epsilons, each then attacked by a membership-inference test.

All models train on the same ``n_members`` rows of Adult's training file (the members) with the
``Trainer``; DP runs go through :func:`neuronlab.responsible.make_private`, which chooses the
noise for the target epsilon. Each model is measured on the test file (accuracy) and attacked:
the loss-threshold attack of Yeom et al. (2018) guesses "member" when an example's loss is below
the model's mean training loss, on the members and on as many non-members from the test file.
Its advantage, true positive rate minus false positive rate, is 0 for a model that leaks
nothing about who was in its training set.
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab import metrics as M
from neuronlab import nn, optim
from neuronlab.models import MLP
from neuronlab.responsible import make_private
from neuronlab.train import Trainer, predict

from ...frames import series, table
from .models import adult

EPSILONS = (0.5, 1.0, 3.0, 8.0)


def per_example_loss(model, X, y) -> np.ndarray:
    logits = predict(model, X)
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y]


def attack_advantage(model, members, others) -> dict:
    """Yeom's loss-threshold attack: TPR - FPR of 'loss below the mean training loss'."""
    loss_in = per_example_loss(model, *members)
    loss_out = per_example_loss(model, *others)
    threshold = float(loss_in.mean())
    tpr, fpr = float((loss_in < threshold).mean()), float((loss_out < threshold).mean())
    return {"tpr": tpr, "fpr": fpr, "advantage": tpr - fpr}


def _histogram(values: np.ndarray, hi: float, bins: int = 24) -> list[int]:
    counts, _ = np.histogram(np.clip(values, 0, hi), bins=bins, range=(0, hi))
    return counts.tolist()


def privacy(ctx, n_members: int, epochs: int, max_grad_norm: float, delta_exp: int, seed: int):
    """One frame per epoch of each model; the curves grow as the models finish."""
    d = adult()
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(d["y_fit"]))[:n_members]
    members = (d["X_fit"][idx], d["y_fit"][idx])
    out_idx = rng.permutation(len(d["y_test"]))[:n_members]
    others = (d["X_test"][out_idx], d["y_test"][out_idx])
    delta = 10.0**-delta_exp
    runs, norms = [], {}
    for target in (None, *EPSILONS):
        nl.manual_seed(seed)
        model = MLP(members[0].shape[1], [64], 2)
        opt = optim.Adam(model.parameters(), lr=3e-3 if target is None else 1e-2)
        loader, dp = members, None  # noisy gradients take larger steps
        if target is not None:
            model, dp, loader = make_private(
                model,
                opt,
                members,
                batch_size=64,
                max_grad_norm=max_grad_norm,
                target_epsilon=target,
                target_delta=delta,
                epochs=epochs,
                seed=seed,
            )
        trainer = Trainer(
            model, nn.CrossEntropyLoss(), dp or opt, loader, epochs=epochs, batch_size=64, seed=seed
        )
        for epoch in range(epochs):
            trainer.run_epoch()
            if dp is not None and target == EPSILONS[-1] and dp.batch_size:
                norms = {
                    "before": _histogram(dp.norms_before, 4 * max_grad_norm),
                    "after": _histogram(dp.norms_after, 4 * max_grad_norm),
                    "hi": 4 * max_grad_norm,
                    "clip": max_grad_norm,
                }
            if epoch < epochs - 1:
                yield _frame(runs, norms, target, epoch + 1, epochs) if ctx.frame_wanted else None
        trainer.run()  # the epochs are done: let the loop end here (callbacks, signal handler)
        if dp is not None:
            dp.detach()
        runs.append(_measure(model, target, dp, delta, members, others, d))
        yield _frame(runs, norms, target, epochs, epochs, final=target == EPSILONS[-1])


def _measure(model, target, dp, delta, members, others, d) -> dict:
    pred = predict(model, d["X_test"]).argmax(axis=1)
    return {
        "target_epsilon": target,
        "epsilon": None if dp is None else dp.epsilon(delta),
        "noise_multiplier": None if dp is None else dp.noise_multiplier,
        "accuracy": M.accuracy_score(d["y_test"], pred),
        "train_accuracy": M.accuracy_score(members[1], predict(model, members[0]).argmax(axis=1)),
        "attack": attack_advantage(model, members, others),
    }


def _frame(runs, norms, training, epoch, epochs, final=False) -> dict:
    out = {
        "runs": runs,
        "norms": norms,
        "training": training,
        "epoch": epoch,
        "epochs": epochs,
        "epsilons": list(EPSILONS),
    }
    private = [r for r in runs if r["epsilon"] is not None]
    if final and private:
        baseline = runs[0]
        xs = [r["target_epsilon"] for r in private]
        out["accuracy_curve"] = series(
            xs,
            xlabel="epsilon",
            ylabel="test accuracy",
            dp_sgd=[r["accuracy"] for r in private],
            non_private=[baseline["accuracy"]] * len(xs),
        )
        out["result"] = table(
            ["model", "epsilon", "noise multiplier", "test accuracy", "attack advantage"],
            [["non-private", "∞", 0.0, baseline["accuracy"], baseline["attack"]["advantage"]]]
            + [
                [
                    "DP-SGD",
                    r["epsilon"],
                    r["noise_multiplier"],
                    r["accuracy"],
                    r["attack"]["advantage"],
                ]
                for r in private
            ],
            title="The same MLP, the same rows, with and without differential privacy",
        )
    return out
