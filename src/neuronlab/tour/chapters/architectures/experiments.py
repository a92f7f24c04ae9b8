"""The architectures stop's quick experiments: each one runs in a second or two and returns
plain data (tables, series, grids) for the page and the terminal."""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np

import neuronlab as nl

from .... import data, models
from ....interpret.attention_maps import attention_maps
from ....train import evaluate, fit
from ... import frames as fr
from . import images, words

# ----- tabular: an MLP against logistic regression ------------------------------------------------


def _tabular_arrays(dataset: str, n_train: int, seed: int):
    """Standardized float32 (X_train, y_train, X_test, y_test) of a real tabular set."""
    if dataset == "adult":
        bundle = data.load_adult()  # numeric columns scaled, categories one-hot encoded
        X, y, Xt, yt = bundle.X_train, bundle.y_train, bundle.X_test, bundle.y_test
        pick = np.random.default_rng(seed).permutation(len(X))[:n_train]
        return (np.asarray(X[pick], np.float32), np.asarray(y[pick], np.int64),
                np.asarray(Xt, np.float32), np.asarray(yt, np.int64))  # fmt: skip
    bundle = data.load_breast_cancer()
    X, Xt, y, yt = data.train_test_split(np.asarray(bundle.X, np.float64), np.asarray(bundle.y),
                                         test_size=0.3, seed=seed, stratify=bundle.y)  # fmt: skip
    scaler = data.StandardScaler().fit(X)
    return (np.asarray(scaler.transform(X), np.float32), np.asarray(y, np.int64),
            np.asarray(scaler.transform(Xt), np.float32), np.asarray(yt, np.int64))  # fmt: skip


@lru_cache(maxsize=16)  # same settings, same seed: the same result (the page asks on every visit)
def tabular(dataset: str, epochs: int, hidden: int, n_train: int, seed: int) -> dict:
    """Logistic regression (one Linear layer) and an MLP, same data, optimizer and epochs."""
    X, y, Xt, yt = _tabular_arrays(dataset, n_train, seed)
    candidates = {
        "logistic regression": lambda: nl.nn.Linear(X.shape[1], 2),
        f"MLP ({hidden}-{hidden} ReLU)": lambda: models.MLP(X.shape[1], [hidden, hidden], 2),
    }
    rows = []
    for name, build in candidates.items():
        nl.manual_seed(seed)
        model = build()
        loss_fn = nl.nn.CrossEntropyLoss()
        start = time.perf_counter()
        fit(model, loss_fn, nl.optim.Adam(model.parameters(), lr=0.01), (X, y), epochs=epochs,
            batch_size=32, seed=seed, verbose=False)  # fmt: skip
        seconds = time.perf_counter() - start
        test = evaluate(model, loss_fn, (Xt, yt), metrics=["accuracy"])
        rows.append([name, images.n_params(model), round(test["accuracy"], 4),
                     round(test["loss"], 4), round(seconds, 3)])  # fmt: skip
    return {
        "dataset": dataset,
        "n_train": len(X),
        "n_test": len(Xt),
        "features": X.shape[1],
        "models": fr.table(
            ["model", "parameters", "test accuracy", "test loss", "seconds"],
            rows,
            title=f"{dataset}: {len(X)} training rows",
        ),  # fmt: skip
    }


# ----- images: the shipped CNN and MLP ------------------------------------------------------------


@lru_cache(maxsize=64)
def inspect(index: int) -> dict:
    """A test image, what the shipped CNN sees in it (every layer), its filters and its answer."""
    X, y = images.test_images()
    index = index % len(X)
    cnn = images.shipped("cnn")
    return {
        "index": index,
        "label": images.CLASSES[int(y[index])],
        "image": images.picture(X[index, 0], f"test image {index}: {images.CLASSES[y[index]]}"),
        "filters": images.filters(cnn),
        **images.look(cnn, X[index : index + 1]),
    }


def classify_drawing(pixels: list[float]) -> dict:
    """The shipped CNN's answer for a 28x28 drawing (white ink on black, values in [0, 1]).

    Every drawing gets an answer: a blank pad or random noise is still put in one of the ten
    classes, and ``unusual`` says why that answer means little.
    """
    image = images.as_drawing(pixels)
    ink = float(image.mean())
    jumps = float(np.abs(np.diff(image[0, 0], axis=1)).mean())  # noise: many sharp jumps
    unusual = None
    if ink < 0.01:
        unusual = "the pad is (almost) blank"
    elif jumps > 0.2:
        unusual = "the drawing looks like noise, unlike any training image"
    out = images.look(images.shipped("cnn"), image)
    return {
        **out,
        "ink": ink,
        "unusual": unusual,
        "image": images.picture(image[0, 0], "your drawing"),
    }


@lru_cache(maxsize=8)
def mlp_vs_cnn(n_test: int) -> dict:
    """The shipped CNN and MLP (about the same number of weights, same data and training)."""
    X, y = images.test_images()
    X, y = X[:n_test], y[:n_test]
    rows = []
    for kind, label in (("mlp", "MLP 784-64-10"), ("cnn", "CNN (8, 16 filters, 64 hidden)")):
        model = images.shipped(kind)
        card = models.pretrained_card(images.SHIPPED[kind])
        rows.append([label, images.n_params(model), round(images.accuracy(model, X, y), 4),
                     card["epochs"]])  # fmt: skip
    title = "Same budget, same data: Fashion-MNIST test images"
    columns = ["model", "parameters", "test accuracy", "epochs"]
    return {"n_test": len(X), "models": fr.table(columns, rows, title=title)}


@lru_cache(maxsize=8)
def shift_test(max_shift: int, n_test: int) -> dict:
    """Test accuracy of both shipped models on test images moved 0..max_shift pixels."""
    X, y = images.test_images()
    X, y = X[:n_test], y[:n_test]
    cnn, mlp = images.shipped("cnn"), images.shipped("mlp")
    shifts = list(range(max_shift + 1))
    acc = {
        "cnn": [images.shifted_accuracy(cnn, X, y, s) for s in shifts],
        "mlp": [images.shifted_accuracy(mlp, X, y, s) for s in shifts],
    }
    example = images.shift(X[:1], max_shift, 0)[0, 0]
    rows = [[s, round(acc["cnn"][i], 4), round(acc["mlp"][i], 4)] for i, s in enumerate(shifts)]
    return {
        "n_test": len(X),
        "shifts": shifts,
        "cnn": acc["cnn"],
        "mlp": acc["mlp"],
        "accuracy": fr.series(
            shifts, xlabel="shift (pixels)", ylabel="test accuracy", CNN=acc["cnn"], MLP=acc["mlp"]
        ),  # fmt: skip
        "table": fr.table(["shift", "CNN", "MLP"], rows, title="Accuracy on shifted images"),
        "example": images.picture(example, f"moved {max_shift} pixels right"),
    }


# ----- sequences: the shipped character models ----------------------------------------------------


@lru_cache(maxsize=8)
def sequence_models(n_samples: int) -> dict:
    """The three shipped character models: size, nats per character, invented words."""
    d = words.word_data()
    rows, invented = [], {}
    for kind, label in words.KINDS.items():
        model = models.load_pretrained(words.SHIPPED[kind])
        nats = words.model_nats(model, d["X_val"], d["Y_val"])
        rows.append([label, images.n_params(model), round(nats, 4)])
        invented[kind] = words.samples(model, n_samples, seed=1)
    uni = words.unigram_nats(d["Y"], d["Y_val"])
    bi = words.bigram_nats(d["X"], d["Y"], d["X_val"], d["Y_val"])
    rows += [["unigram counts", len(words.VOCAB), round(uni, 4)],
             ["bigram counts", len(words.VOCAB) ** 2, round(bi, 4)]]  # fmt: skip
    return {"models": fr.table(["model", "parameters", "nats per character"], rows,
                               title="Validation words (not seen in training)"),
            "samples": invented, "unigram": uni, "bigram": bi}  # fmt: skip


def attention(word: str) -> dict:
    """Where each head of the shipped Transformer looks while reading ``word``."""
    kept, dropped = words.clean_word(word)
    model = models.load_pretrained(words.SHIPPED["transformer"])
    tokens = ["<bos>", *kept]
    ids = [[words.VOCAB.bos_id, *(words.VOCAB.index[c] for c in kept)]]
    maps = attention_maps(model, ids, causal=True)
    with nl.no_grad():
        logits = model(nl.tensor(ids)).data[0, -1]
    probs = images.softmax(logits.astype(np.float64))
    top = np.argsort(probs)[::-1][:5]
    note = ""
    if dropped:
        note = (f"left out {', '.join(repr(c) for c in dropped)}: the model only knows the "
                "letters a to z")  # fmt: skip
    return {
        "word": kept,
        "dropped": dropped,
        "note": note,
        "tokens": tokens,
        "maps": fr.images(
            [
                (f"layer {i + 1}", [fr.grid(head, lo=0, hi=1) for head in layer])
                for i, layer in enumerate(maps)
            ],
            title="Attention: row = reading position, column = position looked at",
        ),  # fmt: skip
        "next": [[_token_label(int(i)), float(probs[i])] for i in top],
    }


def _token_label(i: int) -> str:
    return "end of word" if i == words.VOCAB.eos_id else words.VOCAB.tokens[i]


@lru_cache(maxsize=8)
def context(n_words: int, max_context: int) -> dict:
    """Next-character accuracy of each shipped model when it may read only the last k tokens."""
    d = words.word_data()
    X, Y = d["X_val"][:n_words], d["Y_val"][:n_words]
    ks = list(range(1, max_context + 1))
    acc = {}
    for kind in words.KINDS:
        model = models.load_pretrained(words.SHIPPED[kind])
        acc[kind] = [words.context_accuracy(model, X, Y, k) for k in ks]
    bigram = words.bigram_accuracy(d["X"], d["Y"], X, Y)
    return {
        "contexts": ks,
        **acc,
        "bigram": bigram,
        "accuracy": fr.series(
            ks,
            xlabel="characters of context",
            ylabel="next-character accuracy",
            **{words.KINDS[k]: v for k, v in acc.items()},
            bigram=[bigram] * len(ks),
        ),  # fmt: skip
    }
