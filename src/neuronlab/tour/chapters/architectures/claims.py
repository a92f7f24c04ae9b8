"""The architectures stop's claims: each sentence of the text that a measurement can check."""

from __future__ import annotations

from ...chapter import Claim


def _rows(table: dict) -> dict[str, list]:
    return {row[0]: row for row in table["rows"]}


def _simple_is_enough(result: dict) -> tuple[bool, str]:
    (lr, mlp) = result["models"]["rows"]
    detail = (f"logistic regression {lr[2]:.1%} with {lr[1]} weights, MLP {mlp[2]:.1%} with "
              f"{mlp[1]} weights")  # fmt: skip
    return lr[2] >= mlp[2] - 0.03 and lr[1] * 10 < mlp[1], detail


def _cnn_reaches_goal(frames: list[dict]) -> tuple[bool, str]:
    last = frames[-1]
    goal = last["goal"]
    detail = (f"test accuracy {last['test_accuracy']:.1%} after {last['step']} steps "
              f"(goal {goal:.0%})")  # fmt: skip
    return last["test_accuracy"] >= goal, detail


def _cnn_beats_mlp(result: dict) -> tuple[bool, str]:
    mlp, cnn = result["models"]["rows"]
    similar = abs(cnn[1] - mlp[1]) <= 0.05 * cnn[1]
    detail = (f"CNN {cnn[2]:.1%} with {cnn[1]:,} weights, MLP {mlp[2]:.1%} with {mlp[1]:,} "
              f"weights, on {result['n_test']} test images")  # fmt: skip
    return similar and cnn[2] > mlp[2], detail


def _shift_holds(result: dict) -> tuple[bool, str]:
    cnn, mlp, shifts = result["cnn"], result["mlp"], result["shifts"]
    keep_cnn, keep_mlp = cnn[2] / cnn[0], mlp[2] / mlp[0]
    detail = (f"at 2 pixels the CNN keeps {keep_cnn:.0%} of its accuracy ({cnn[0]:.1%} → "
              f"{cnn[2]:.1%}), the MLP {keep_mlp:.0%} ({mlp[0]:.1%} → {mlp[2]:.1%}); at "
              f"{shifts[-1]} pixels {cnn[-1]:.1%} vs {mlp[-1]:.1%}")  # fmt: skip
    ahead = all(c > m for c, m in zip(cnn[1:], mlp[1:]))
    return ahead and keep_cnn > keep_mlp + 0.05, detail


def _words_beat_counts(frames: list[dict]) -> tuple[bool, str]:
    last = frames[-1]
    detail = (f"{last['model']}: {last['nats']:.3f} nats per character on unseen words; bigram "
              f"counts {last['bigram']:.3f}, unigram counts {last['unigram']:.3f}")  # fmt: skip
    return last["nats"] < last["bigram"] < last["unigram"], detail


def _context_helps(result: dict) -> tuple[bool, str]:
    parts, ok = [], True
    for kind in ("rnn", "lstm", "transformer"):
        acc = result[kind]
        ok &= acc[-1] > acc[0] + 0.1 and acc[-1] > result["bigram"]
        parts.append(f"{kind} {acc[0]:.0%} → {acc[-1]:.0%}")
    detail = (f"1 → {result['contexts'][-1]} characters of context: " + ", ".join(parts)
              + f"; bigram counts {result['bigram']:.0%}")  # fmt: skip
    return ok, detail


CLAIMS = [
    Claim(
        "simple-model-on-tabular",
        "On a small tabular data set, logistic regression is about as accurate as an MLP "
        "(within 3 points) with a tenth of the weights or fewer.",
        "tabular",
        _simple_is_enough,
        params={"dataset": "breast_cancer", "epochs": 30},
        tiny={"epochs": 10},
    ),
    Claim(
        "cnn-trains-live",
        "The small CNN trained live from random weights reaches 85% test accuracy on the "
        "shipped Fashion-MNIST subset.",
        "train_cnn",
        _cnn_reaches_goal,
        params={"start": "scratch", "goal": 0.85},
        tiny={"train_size": 1500, "test_size": 200, "goal": 0.6, "epochs": 3},
        every=1000,
    ),
    Claim(
        "cnn-beats-mlp",
        "With about the same number of weights and the same training, the CNN classifies "
        "Fashion-MNIST test images better than the MLP.",
        "mlp_vs_cnn",
        _cnn_beats_mlp,
        tiny={"n_test": 300},
    ),
    Claim(
        "cnn-translates",
        "Shift the test images by a few pixels: the CNN keeps more of its accuracy than the "
        "MLP, and stays ahead at every shift.",
        "shift",
        _shift_holds,
        tiny={"n_test": 300},
    ),
    Claim(
        "words-beat-counts",
        "A character model trained live on the word list predicts unseen words better (fewer "
        "nats per character) than counting pairs of letters, which beats counting letters.",
        "train_words",
        _words_beat_counts,
        tiny={"kind": "rnn", "n_words": 1500, "epochs": 4, "eval_every": 1000},
        every=1000,
    ),
    Claim(
        "context-helps",
        "Every sequence model predicts the next letter more often the more of the word it may "
        "read, and with the whole word it beats pair counts.",
        "context",
        _context_helps,
        tiny={"n_words": 80},
    ),
]
