"""Train a character-level LSTM on a word list and let it invent new words.

    python examples/char_lstm_words.py                  # /usr/share/dict/words, 6000 words
    python examples/char_lstm_words.py --words 2000 --epochs 5 --path my_words.txt

Each word is framed by <bos> and <eos>; the model learns to predict every next character. Its
validation loss (nats per character) is compared with the unigram baseline, which predicts each
character by its frequency alone; then it samples words, marking those it has never seen.
"""

from __future__ import annotations

import argparse
import os
import time

# One BLAS thread: each step multiplies small matrices, where threads cost more than they give
# (and on a busy machine threaded BLAS can be 20x slower). Set before NumPy loads BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import neuronlab as nl  # noqa: E402
from neuronlab.data.text import (  # noqa: E402
    DEFAULT_WORDS,
    CharVocab,
    next_char_pairs,
    read_words,
    split_words,
    unigram_loss,
)
from neuronlab.models.char_rnn import CharLSTM, sequence_cross_entropy  # noqa: E402


def evaluate(model, X, Y, batch_size=512) -> float:
    """Mean loss per (non-padding) character."""
    model.eval()
    total, count = 0.0, 0
    with nl.no_grad():
        for start in range(0, len(X), batch_size):
            xb, yb = X[start : start + batch_size], Y[start : start + batch_size]
            n = int((yb != -100).sum())
            total += sequence_cross_entropy(model(nl.tensor(xb)), yb).item() * n
            count += n
    model.train()
    return total / count


def train(
    words,
    *,
    epochs=10,
    batch_size=64,
    embedding_dim=32,
    hidden_size=128,
    num_layers=1,
    lr=3e-3,
    seed=0,
    log=print,
):
    """Train a CharLSTM on ``words``; returns (model, vocab, train words, history dict)."""
    nl.manual_seed(seed)
    train_words, val_words = split_words(words, val_fraction=0.1, seed=seed)
    vocab = CharVocab.build(words)
    X, Y = next_char_pairs(train_words, vocab)
    Xv, Yv = next_char_pairs(val_words, vocab)
    baseline = unigram_loss(Y, Yv, len(vocab))
    model = CharLSTM(len(vocab), embedding_dim, hidden_size, num_layers)
    optimizer = nl.optim.Adam(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    history = {"baseline": baseline, "val_loss": []}
    log(
        f"{len(train_words)} training words, {len(val_words)} validation words, "
        f"{len(vocab)} tokens; unigram baseline {baseline:.3f} nats/char"
    )
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch_size):
            idx = order[i : i + batch_size]
            xb, yb = X[idx], Y[idx]
            T = int((yb != -100).sum(axis=1).max())  # trim the padding this batch does not need
            loss = sequence_cross_entropy(model(nl.tensor(xb[:, :T])), yb[:, :T])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        val = evaluate(model, Xv, Yv)
        history["val_loss"].append(val)
        log(
            f"epoch {epoch + 1:2d}: validation loss {val:.3f} nats/char "
            f"({baseline - val:+.3f} below the baseline), {time.perf_counter() - start:.1f} s"
        )
    return model, vocab, train_words, history


def sample_words(model, vocab, n=20, temperature=0.8, seed=0, max_len=20) -> list[str]:
    ids = model.generate_batch(
        [vocab.bos_id], n, max_len=max_len, temperature=temperature, seed=seed, end=vocab.eos_id
    )
    return [vocab.decode(s) for s in ids]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=DEFAULT_WORDS, help="a word list, one word a line")
    parser.add_argument("--words", type=int, default=6000, help="how many words to use")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    words = read_words(args.path, limit=args.words, seed=args.seed)
    model, vocab, train_words, _ = train(
        words, epochs=args.epochs, hidden_size=args.hidden, num_layers=args.layers, seed=args.seed
    )
    known = set(words)
    print(f"\nsampled words (temperature {args.temperature}; * = not in the word list):")
    for word in sample_words(model, vocab, 30, args.temperature, args.seed):
        print(f"  {word}{'' if word in known else ' *'}")


if __name__ == "__main__":
    main()
