"""What the playground chapter asserts, each sentence checked by an experiment.

Every ``text`` below occurs word for word in ``text.md``. Comparisons run both sides inside one
``compare`` call with one seed and one step budget; ``tiny`` shrinks them for the tests.
"""

from __future__ import annotations

import numpy as np

from ...chapter import Claim
from ...frames import decode_grid

TINY = {"steps": 600, "n_samples": 200}


def _v(result: dict, label: str) -> dict:
    return result["variants"][label]


def _acc(r: dict) -> str:
    return f"{r['test_accuracy']:.0%}"


def check_xor_linear(result):
    plain = _v(result, "no hidden layer, x1 and x2")
    return plain["test_accuracy"] < 0.7, f"test accuracy without hidden layers: {_acc(plain)}"


def check_xor_feature(result):
    plain, product = (
        _v(result, "no hidden layer, x1 and x2"),
        _v(result, "no hidden layer, plus x1x2"),
    )
    ok = product["test_accuracy"] >= 0.9 and plain["test_accuracy"] < 0.7
    return ok, f"test accuracy {_acc(plain)} with x1, x2; {_acc(product)} with x1x2 added"


def check_xor_hidden(result):
    hidden = _v(result, "one hidden layer of 4")
    return hidden["test_accuracy"] >= 0.9, f"one hidden layer of 4: test accuracy {_acc(hidden)}"


def check_spiral(result):
    flat, deep = _v(result, "no hidden layer"), _v(result, "8-8-8 hidden, x1 x2 and sines")
    ok = flat["test_accuracy"] < 0.75 and deep["test_accuracy"] >= 0.9
    return ok, f"test accuracy {_acc(flat)} without hidden layers, {_acc(deep)} with 8-8-8 + sin"


def check_l2(result):
    free, l2 = _v(result, "no regularization"), _v(result, "L2, rate 0.03")
    ok = l2["weight_norm"] < free["weight_norm"] and l2["roughness"] < free["roughness"]
    return ok, (
        f"weight norm {free['weight_norm']:.2f} -> {l2['weight_norm']:.2f}, boundary "
        f"roughness {free['roughness']:.4f} -> {l2['roughness']:.4f}"
    )


def check_learning_rate(result):
    good, bad = _v(result, "learning rate 0.03"), _v(result, "learning rate 10")
    bad_end = bad["train_loss"] if bad["finite"] else float("inf")
    ok = good["train_loss"] < good["initial_train_loss"] and bad_end > bad["initial_train_loss"]
    return ok, (
        f"loss {good['initial_train_loss']:.3f} -> {good['train_loss']:.3f} at 0.03; "
        f"{bad['initial_train_loss']:.3f} -> {bad_end:.3f} at 10"
    )


def check_multiclass(result):
    r = _v(result, "3 classes, softmax output")
    probs = np.stack([decode_grid(g) for g in r["probs"]])  # (K, G, G), 256 levels each
    worst = float(np.abs(probs.sum(axis=0) - 1).max())
    ok = len(r["probs"]) == 3 and worst < 0.02 and r["test_accuracy"] >= 0.9
    return ok, (
        f"{len(r['probs'])} outputs, probabilities sum to 1 within {worst:.3f}, test "
        f"accuracy {_acc(r)}"
    )


def check_regression(result):
    r = _v(result, "no hidden layer")
    return r["test_loss"] < 0.01, f"test mean squared error {r['test_loss']:.5f}"


def check_optimizers(result):
    sgd, mom, adam = (_v(result, k)["train_loss"] for k in ("SGD", "momentum", "Adam"))
    ok = mom < sgd / 2 and adam < sgd / 2
    return ok, f"final training loss: SGD {sgd:.3f}, momentum {mom:.3f}, Adam {adam:.3f}"


def check_training(frames):
    first, last = frames[0]["history"]["ys"], frames[-1]["history"]["ys"]
    ok = last["train"][-1] < first["train"][0] and last["test"][-1] < first["test"][0]
    return ok, (
        f"train loss {first['train'][0]:.3f} -> {last['train'][-1]:.3f}, test loss "
        f"{first['test'][0]:.3f} -> {last['test'][-1]:.3f} after {frames[-1]['step']} "
        "steps"
    )


def check_early_stop(frames):
    last = frames[-1]
    stop = last.get("stopped")
    if not stop:
        return False, f"no early stop within {last['step']} steps"
    ok = (
        stop["best_epoch"] >= 2
        and stop["epoch"] - stop["best_epoch"] >= 10
        and abs(last["val_loss"] - stop["best_val_loss"]) < 1e-4
    )
    return ok, (
        f"stopped at epoch {stop['epoch']}; best validation loss {stop['best_val_loss']:.4f} "
        f"at epoch {stop['best_epoch']}, and the weights shown are those"
    )


def _compare(scenario: str) -> dict:
    return {"scenario": scenario}


OVERFIT = {
    "dataset": "xor",
    "noise": 35,
    "n_samples": 200,
    "train_ratio": 30,
    "layers": [8, 8],
    "activations": ["tanh"],
    "optimizer": "adam",
    "learning_rate": 0.03,
    "early_stop": True,
    "patience": 10,
    "stop_after": 20_000,
}

CLAIMS = [
    Claim(
        "xor-linear",
        "Without a hidden layer, a network that sees only x₁ and x₂ cannot learn xor",
        "compare",
        check_xor_linear,
        _compare("xor"),
        TINY,
    ),
    Claim(
        "xor-feature",
        "Give the same network the product x₁x₂ as a feature and it separates xor almost perfectly",
        "compare",
        check_xor_feature,
        _compare("xor"),
        TINY,
    ),
    Claim(
        "xor-hidden",
        "One hidden layer of four neurons learns xor from x₁ and x₂ alone",
        "compare",
        check_xor_hidden,
        _compare("xor"),
        TINY,
    ),
    Claim(
        "spiral-depth",
        "No straight line separates the spirals, but three hidden layers fed "
        "sin(x₁) and sin(x₂) as well untangle them",
        "compare",
        check_spiral,
        _compare("spiral"),
        {"steps": 1500, "n_samples": 400},
    ),
    Claim(
        "l2-smooth",
        "L2 regularization keeps the weights small and the boundary smoother",
        "compare",
        check_l2,
        _compare("l2"),
        TINY,
    ),
    Claim(
        "lr-diverges",
        "Too high a learning rate makes the loss end higher than it started",
        "compare",
        check_learning_rate,
        _compare("learning_rate"),
        TINY,
    ),
    Claim(
        "softmax",
        "With three classes the network has three outputs, and softmax turns them "
        "into probabilities that sum to one",
        "compare",
        check_multiclass,
        _compare("multiclass"),
        TINY,
    ),
    Claim(
        "plane-linear",
        "A network with no hidden layer fits the plane almost exactly",
        "compare",
        check_regression,
        _compare("regression"),
        TINY,
    ),
    Claim(
        "momentum-adam",
        "Momentum and Adam reach a far lower loss than plain SGD in the same number of steps",
        "compare",
        check_optimizers,
        _compare("optimizers"),
        TINY,
    ),
    Claim(
        "training-lowers-loss",
        "Training lowers the loss on the training points and on the test points",
        "train",
        check_training,
        {"dataset": "gaussian", "layers": [4], "activations": ["tanh"], "stop_after": 3000},
        {"stop_after": 400},
        every=200,
    ),
    Claim(
        "early-stop",
        "With early stopping on, training stops by itself once the validation loss has "
        "not improved for a while, and the best weights come back",
        "train",
        check_early_stop,
        OVERFIT,
        {},
        every=1000,
    ),
]
