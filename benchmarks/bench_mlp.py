"""MLP 784-256-128-10 (ReLU, cross-entropy, Adam 1e-3, batch 128) on Fashion-MNIST, one epoch.

Target: neuronlab's epoch time <= 0.8 x PyTorch's. Also reports scikit-learn's MLPClassifier on
the same epoch and the test accuracy after 5 epochs.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import common, workloads

BATCH, LR = 128, 1e-3


def neuronlab_trainer(X, y, seed=0):
    import neuronlab as nl

    nl.manual_seed(seed)
    model = workloads.mlp_neuronlab()
    loss_fn = nl.nn.CrossEntropyLoss()
    optimizer = nl.optim.Adam(model.parameters(), lr=LR)
    loader = nl.data.DataLoader((X, y), batch_size=BATCH, shuffle=True, seed=seed)

    def epoch():
        model.train()
        for xb, yb in loader:
            loss = loss_fn(model(nl.Tensor(xb)), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return loss.item()

    def accuracy(Xt, yt):
        model.eval()
        with nl.no_grad():
            return float((model(nl.Tensor(Xt)).argmax(axis=1).numpy() == yt).mean())

    return epoch, accuracy


def torch_trainer(X, y, seed=0):
    torch = common.torch_module()
    torch.manual_seed(seed)
    model = workloads.mlp_torch()
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    TX, Ty = torch.from_numpy(X), torch.from_numpy(y)

    def epoch():
        model.train()
        order = torch.randperm(len(TX))
        for start in range(0, len(TX), BATCH):
            idx = order[start : start + BATCH]
            loss = loss_fn(model(TX[idx]), Ty[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return loss.item()

    def accuracy(Xt, yt):
        model.eval()
        with torch.no_grad():
            return float((model(torch.from_numpy(Xt)).argmax(1).numpy() == yt).mean())

    return epoch, accuracy


def sklearn_epoch(X, y):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    def epoch():
        clf = MLPClassifier(hidden_layer_sizes=(256, 128), solver="adam", batch_size=BATCH,
                            learning_rate_init=LR, max_iter=1, alpha=0.0, random_state=0,
                            shuffle=True, tol=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)

    return epoch


def main(repeats: int = 5, accuracy_epochs: int = 5) -> dict:
    X, y, Xt, yt, source = workloads.fashion_mnist_flat()
    y, yt = y.astype(np.int64), yt.astype(np.int64)
    nl_epoch, nl_acc = neuronlab_trainer(X, y)
    t_epoch, t_acc = torch_trainer(X, y)
    sk_epoch = sklearn_epoch(X, y)
    times = common.alternate(
        {"neuronlab": nl_epoch, "pytorch": t_epoch, "scikit-learn": sk_epoch},
        repeats=repeats,
    )
    # Accuracy after `accuracy_epochs` epochs from fresh models (same seeds for both).
    nl_epoch, nl_acc = neuronlab_trainer(X, y, seed=1)
    t_epoch, t_acc = torch_trainer(X, y, seed=1)
    for _ in range(accuracy_epochs):
        nl_epoch()
        t_epoch()
    result = {
        "workload": "MLP 784-256-128-10, ReLU, cross-entropy, Adam 1e-3, batch 128, one epoch "
        f"of 60,000 images ({source})",
        "times_s": times,
        "ratio_vs_pytorch": times["neuronlab"]["median"] / times["pytorch"]["median"],
        "target_ratio": 0.8,
        "accuracy_after_epochs": accuracy_epochs,
        "test_accuracy": {"neuronlab": nl_acc(Xt, yt), "pytorch": t_acc(Xt, yt)},
    }
    common.save("mlp_epoch", result)
    return result


if __name__ == "__main__":
    r = main()
    for name, s in r["times_s"].items():
        print(f"{name:>13}: {common.fmt_stats(s)}")
    print(f"ratio neuronlab / pytorch: {r['ratio_vs_pytorch']:.2f} (target <= 0.8)")
    print(f"test accuracy: {r['test_accuracy']}")
