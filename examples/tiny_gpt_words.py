"""Train a tiny GPT on a word list and let it invent new words.

    python examples/tiny_gpt_words.py                     # /usr/share/dict/words, 8000 words
    python examples/tiny_gpt_words.py --words 3000 --epochs 4 --layers 2 --embd 48

Each word is framed by <bos> and <eos> (``neuronlab.data.text``); at every position the model
predicts the next character, seeing only the characters before it (causal self-attention). Its
validation loss (nats per character) is compared with the unigram baseline, which predicts each
character by its frequency alone; then it samples words, marking those it has never seen, and
shows which earlier letters the last block's heads attended to while reading one word.
"""

from __future__ import annotations

import argparse
import os
import time

# One BLAS thread: the matrices of a tiny model are small, and threaded BLAS on a busy machine
# mostly waits. Set before NumPy loads BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import neuronlab as nl  # noqa: E402
from neuronlab.data.text import (  # noqa: E402
    DEFAULT_WORDS,
    IGNORE_INDEX,
    CharVocab,
    next_char_pairs,
    read_words,
    split_words,
    unigram_loss,
)
from neuronlab.models.gpt import TinyGPT  # noqa: E402
from neuronlab.nn.loss_functional import cross_entropy  # noqa: E402


def sequence_loss(logits, targets) -> nl.Tensor:
    """Mean cross-entropy per (non-padding) character: logits (N, T, V), targets (N, T)."""
    V = logits.shape[-1]
    return cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=IGNORE_INDEX)


def evaluate(model, X, Y, batch_size=512) -> float:
    """Mean loss per (non-padding) character, in evaluation mode."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    with nl.no_grad():
        for start in range(0, len(X), batch_size):
            xb, yb = X[start : start + batch_size], Y[start : start + batch_size]
            n = int((yb != IGNORE_INDEX).sum())
            total += sequence_loss(model(xb), yb).item() * n
            count += n
    model.train(was_training)
    return total / count


def train(
    words,
    *,
    epochs=10,
    batch_size=64,
    n_layer=3,
    n_head=4,
    n_embd=96,
    dropout=0.1,
    lr=3e-3,
    seed=0,
    log=print,
):
    """Train a TinyGPT on ``words``; returns (model, vocab, train words, history dict)."""
    nl.manual_seed(seed)
    train_words, val_words = split_words(words, val_fraction=0.1, seed=seed)
    vocab = CharVocab.build(words)
    X, Y = next_char_pairs(train_words, vocab)  # (n, T): <bos> word -> word <eos>
    Xv, Yv = next_char_pairs(val_words, vocab)
    baseline = unigram_loss(Y, Yv, len(vocab))
    block_size = max(X.shape[1], Xv.shape[1])
    model = TinyGPT(
        len(vocab), block_size, n_layer=n_layer, n_head=n_head, n_embd=n_embd, dropout=dropout
    )
    optimizer = nl.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * -(-len(X) // batch_size)
    schedule = nl.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    rng = np.random.default_rng(seed)
    history = {"baseline": baseline, "val_loss": []}
    log(
        f"{len(train_words)} training words, {len(val_words)} validation words, {len(vocab)} "
        f"tokens; unigram baseline {baseline:.3f} nats/char; "
        f"{sum(p.numel() for p in model.parameters()):,} parameters"
    )
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch_size):
            idx = order[i : i + batch_size]
            xb, yb = X[idx], Y[idx]
            T = int((yb != IGNORE_INDEX).sum(axis=1).max())  # trim padding this batch lacks
            loss = sequence_loss(model(xb[:, :T]), yb[:, :T])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        val = evaluate(model, Xv, Yv)
        history["val_loss"].append(val)
        log(
            f"epoch {epoch + 1:2d}: validation loss {val:.3f} nats/char ({baseline - val:.3f} "
            f"below the baseline), {time.perf_counter() - start:.1f} s"
        )
    return model, vocab, train_words, history


def sample_words(model, vocab, n=20, temperature=0.8, top_k=None, seed=0) -> list[str]:
    """``n`` words sampled from <bos> until <eos> (or the model's context is full)."""
    start = np.full((n, 1), vocab.bos_id, dtype=np.int64)
    ids = model.generate(
        start, model.block_size - 1, temperature=temperature, top_k=top_k, seed=seed
    )
    return [vocab.decode(row[1:]) for row in ids.numpy()]


def attention_picture(model, vocab, word: str) -> list[str]:
    """For each letter of ``word``: the earlier letter each head of the last block attends to
    most (text lines; the tour draws the same weights as heat maps)."""
    ids = vocab.encode(word, frame=True)[None, :-1]  # (1, T): <bos> + word
    block = model.blocks.layers[-1]
    captured = {}

    def keep_input(module, args, out):  # a forward hook; returning None keeps the output
        captured["x"] = args[0]

    handle = block.self_attn.register_forward_hook(keep_input)
    model.eval()
    with nl.no_grad():
        model(ids)
        handle.remove()
        x = captured["x"]
        T = x.shape[1]
        _, weights = block.self_attn(
            x, x, x, average_attn_weights=False, attn_mask=np.triu(np.ones((T, T), bool), 1)
        )
    letters = ["^", *word]
    lines = []
    for t in range(1, T):
        looks = [letters[int(w.argmax())] for w in weights.numpy()[0, :, t]]
        lines.append(f"  reading {letters[t]!r}: heads look at {', '.join(map(repr, looks))}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=DEFAULT_WORDS, help="a word list, one word a line")
    parser.add_argument("--words", type=int, default=8000, help="how many words to use")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--embd", type=int, default=96)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    words = read_words(args.path, limit=args.words, seed=args.seed)
    model, vocab, train_words, _ = train(
        words,
        epochs=args.epochs,
        n_layer=args.layers,
        n_head=args.heads,
        n_embd=args.embd,
        dropout=args.dropout,
        seed=args.seed,
    )
    known = set(words)
    print(f"\nsampled words (temperature {args.temperature}; * = not in the word list):")
    samples = sample_words(model, vocab, 30, args.temperature, seed=args.seed)
    for word in samples:
        print(f"  {word}{'' if word in known else ' *'}")
    print("\nwhat the last block attends to ('^' is the start of the word):")
    print("\n".join(attention_picture(model, vocab, "thinking")))


if __name__ == "__main__":
    main()
