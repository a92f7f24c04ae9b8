"""The depth stop's claims: each sentence of the text that a measurement can check."""

from __future__ import annotations

from ...chapter import Claim


def _ratio(frame: dict, name: str) -> float:
    return frame["nets"][name]["hidden_ratio"] or 0.0


def _gradient_vanishes(frames: list[dict]) -> tuple[bool, str]:
    start = frames[0]
    plain, res = _ratio(start, "plain"), _ratio(start, "residual")
    detail = (
        f"{start['depth']} {start['activation']} layers at initialization: first hidden / "
        f"last hidden layer gradient {plain:.1e} plain, {res:.2f} with skip connections"
    )
    return plain < 1e-6 and res > 0.05, detail


def _skip_learns(frames: list[dict]) -> tuple[bool, str]:
    last = frames[-1]["nets"]
    plain, res = last["plain"], last["residual"]
    detail = (
        f"after {frames[-1]['step']} steps: plain {plain['test_accuracy']:.0%} test "
        f"accuracy, first layer moved {plain['moved']:.1e}; with skip connections "
        f"{res['test_accuracy']:.0%}, first layer moved {res['moved']:.2f}"
    )
    ok = res["test_accuracy"] >= 0.85 and res["test_accuracy"] >= plain["test_accuracy"] + 0.25
    return ok and plain["moved"] < 1e-3 < res["moved"], detail


def _batchnorm_fixes(frames: list[dict]) -> tuple[bool, str]:
    last = frames[-1]["nets"]["plain"]
    ratio = _ratio(frames[0], "plain")
    detail = (
        f"plain net with BatchNorm: hidden gradient ratio {ratio:.2f} at the start, "
        f"{last['test_accuracy']:.0%} test accuracy after {frames[-1]['step']} steps"
    )
    return ratio > 0.05 and last["test_accuracy"] >= 0.75, detail


def _deeper_needs_more(result: dict) -> tuple[bool, str]:
    short, long_, depths = result["short"], result["long"], result["depths"]
    best = max(range(len(depths) - 1), key=lambda i: short[i])
    gap_short, gap_long = short[best] - short[-1], long_[best] - long_[-1]
    detail = (
        f"after {result['steps']} steps: {depths[-1]} layers {short[-1]:.0%} vs "
        f"{depths[best]} layers {short[best]:.0%}; after {result['long_steps']} steps "
        f"{long_[-1]:.0%} vs {long_[best]:.0%}; ms per step "
        + ", ".join(f"{d}: {ms:.1f}" for d, ms in zip(depths, result["ms_per_step"]))
    )
    return gap_short > 0.05 and gap_long < gap_short, detail


TINY_RACE = {"n_samples": 200, "epochs": 60}

CLAIMS = [
    Claim(
        "gradient-vanishes",
        "In a plain 20-layer sigmoid network the first hidden layer gets less than a millionth "
        "of the gradient of the last hidden layer; with skip connections they are of the same "
        "order.",
        "race",
        _gradient_vanishes,
        params={"speed": 0},
        tiny={"epochs": 1, "n_samples": 200},
        every=10_000,
    ),
    Claim(
        "skip-connections-learn",
        "Trained side by side, the plain network's first layer barely moves and it stays near "
        "chance, while the same network with skip connections learns.",
        "race",
        _skip_learns,
        params={"speed": 0},
        tiny=TINY_RACE,
        every=10_000,
    ),
    Claim(
        "batchnorm-also-fixes",
        "Batch normalization is another fix: the plain sigmoid network with BatchNorm after "
        "every layer gets gradient to its first layers and learns.",
        "race",
        _batchnorm_fixes,
        params={"speed": 0, "norm": "batch"},
        tiny=TINY_RACE,
        every=10_000,
    ),
    Claim(
        "deeper-needs-more",
        "With a fixed budget of steps, the deepest network is less accurate than a shallower "
        "one; a longer budget narrows the gap.",
        "budget",
        _deeper_needs_more,
        tiny={"depths": [4, 16]},
    ),
]
