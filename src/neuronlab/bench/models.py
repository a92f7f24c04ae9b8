"""The benchmark models, built the same way in neuronlab and in PyTorch (torch imported lazily).

Each ``*_pair(torch)`` returns ``(neuronlab_step, torch_step)``: callables that run one unit of
work on random data of the workload's shape (timings do not depend on the pixel values). Both
models start from the same weights where the architectures allow (``_copy_weights``).
"""

from __future__ import annotations

import numpy as np

import neuronlab as nl
from neuronlab import models

__all__ = ["cnn_pair", "lstm_pair", "mlp_pair", "playground_pair", "resnet_pair",
           "transformer_pair"]  # fmt: skip


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _copy_weights(source: nl.nn.Module, target) -> None:
    """Copy a neuronlab model's state into a PyTorch model with the same parameter names."""
    import torch

    state = {k: torch.from_numpy(np.ascontiguousarray(v.data)) for k, v in
             source.state_dict().items()}  # fmt: skip
    target.load_state_dict(state, strict=True)


def _nl_trainer(model, loss_fn, optimizer, X, y, batch: int):
    """Steps over (X, y) in order, batch by batch, wrapping around: the five lines of training."""
    n, position = len(X), [0]

    def step():
        start = position[0]
        position[0] = (start + batch) % (n - batch + 1)
        loss = loss_fn(model(nl.Tensor(X[start : start + batch])), y[start : start + batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.train()
    return step


def _torch_trainer(torch, model, loss_fn, optimizer, X, y, batch: int):
    TX, Ty = torch.from_numpy(X), torch.from_numpy(y)
    n, position = len(X), [0]

    def step():
        start = position[0]
        position[0] = (start + batch) % (n - batch + 1)
        loss = loss_fn(model(TX[start : start + batch]), Ty[start : start + batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.train()
    return step


def _images(n: int, c: int, hw: int, classes: int = 10):
    rng = _rng()
    return rng.random((n, c, hw, hw), dtype=np.float32), rng.integers(0, classes, n)


# ----- small CNN: conv3x3(1->32)-ReLU-pool2-conv3x3(32->64)-ReLU-pool2-Linear(3136,128)-Linear
def cnn_pair(torch, batch: int = 128):
    X, y = _images(4 * batch, 1, 28)
    nl.manual_seed(0)
    ours = models.SmallCNN()
    nl_step = _nl_trainer(ours, nl.nn.CrossEntropyLoss(), nl.optim.Adam(ours.parameters(),
                          lr=1e-3), X, y, batch)  # fmt: skip
    if torch is None:
        return nl_step, None
    tn = torch.nn
    theirs = tn.Sequential()
    theirs.features = tn.Sequential(
        tn.Conv2d(1, 32, 3, padding=1),
        tn.ReLU(),
        tn.MaxPool2d(2),
        tn.Conv2d(32, 64, 3, padding=1),
        tn.ReLU(),
        tn.MaxPool2d(2),
    )
    theirs.classifier = tn.Sequential(tn.Flatten(), tn.Linear(3136, 128), tn.ReLU(),
                                      tn.Linear(128, 10))  # fmt: skip
    _copy_weights(ours, theirs)
    t_step = _torch_trainer(
        torch,
        theirs,
        tn.CrossEntropyLoss(),
        torch.optim.Adam(theirs.parameters(), lr=1e-3),
        X,
        y,
        batch,
    )
    return nl_step, t_step


# ----- MLP 784-256-128-10, Adam, batch 128: an "epoch" of 60,000 images ------------------------
MLP_SIZES, MLP_EPOCH = (784, 256, 128, 10), 60_000


def _mlp(nn, sizes=MLP_SIZES):
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def mlp_pair(torch, batch: int = 128, steps: int = 120):
    """``steps`` steps of batch 128 (the time per epoch is scaled from them)."""
    rng = _rng()
    X, y = rng.random((2048, 784), dtype=np.float32), rng.integers(0, 10, 2048)
    nl.manual_seed(0)
    ours = _mlp(nl.nn)
    one = _nl_trainer(ours, nl.nn.CrossEntropyLoss(), nl.optim.Adam(ours.parameters(),
                      lr=1e-3), X, y, batch)  # fmt: skip

    def nl_run():
        for _ in range(steps):
            one()

    if torch is None:
        return nl_run, None
    theirs = _mlp(torch.nn)
    _copy_weights(ours, theirs)
    t_one = _torch_trainer(
        torch,
        theirs,
        torch.nn.CrossEntropyLoss(),
        torch.optim.Adam(theirs.parameters(), lr=1e-3),
        X,
        y,
        batch,
    )

    def t_run():
        for _ in range(steps):
            t_one()

    return nl_run, t_run


# ----- the playground's 2-8-8-1 tanh net, batch 10, SGD -----------------------------------------
def playground_pair(torch, steps: int = 2000):
    from neuronlab.data import spiral

    X, y = spiral(n_samples=500, noise=0.1, seed=0)
    X, y = X.astype(np.float32), y.astype(np.float32).reshape(-1, 1)
    nl.manual_seed(0)
    ours = nl.nn.Sequential(nl.nn.Linear(2, 8), nl.nn.Tanh(), nl.nn.Linear(8, 8), nl.nn.Tanh(),
                            nl.nn.Linear(8, 1))  # fmt: skip
    one = _nl_trainer(ours, nl.nn.BCEWithLogitsLoss(), nl.optim.SGD(ours.parameters(), lr=0.03),
                      X, y, 10)  # fmt: skip

    def nl_run():
        for _ in range(steps):
            one()

    if torch is None:
        return nl_run, None
    tn = torch.nn
    theirs = tn.Sequential(tn.Linear(2, 8), tn.Tanh(), tn.Linear(8, 8), tn.Tanh(), tn.Linear(8, 1))
    _copy_weights(ours, theirs)
    t_one = _torch_trainer(
        torch,
        theirs,
        tn.BCEWithLogitsLoss(),
        torch.optim.SGD(theirs.parameters(), lr=0.03),
        X,
        y,
        10,
    )

    def t_run():
        for _ in range(steps):
            t_one()

    return nl_run, t_run


# ----- ResNet-20 on 3x32x32, batch 64 -----------------------------------------------------------
def _torch_resnet20(torch):
    tn = torch.nn

    class Block(tn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = tn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = tn.BatchNorm2d(cout)
            self.conv2 = tn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = tn.BatchNorm2d(cout)
            self.downsample = None
            if stride != 1 or cin != cout:
                self.downsample = tn.Sequential(tn.Conv2d(cin, cout, 1, stride, bias=False),
                                                tn.BatchNorm2d(cout))  # fmt: skip

        def forward(self, x):
            out = torch.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return torch.relu(out + (x if self.downsample is None else self.downsample(x)))

    class Net(tn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = tn.Conv2d(3, 16, 3, 1, 1, bias=False)
            self.bn1 = tn.BatchNorm2d(16)
            stage = lambda a, b, s: tn.Sequential(Block(a, b, s), Block(b, b, 1), Block(b, b, 1))  # noqa: E731
            self.layer1, self.layer2, self.layer3 = (
                stage(16, 16, 1),
                stage(16, 32, 2),
                stage(32, 64, 2),
            )
            self.fc = tn.Linear(64, 10)

        def forward(self, x):
            x = torch.relu(self.bn1(self.conv1(x)))
            x = self.layer3(self.layer2(self.layer1(x)))
            return self.fc(x.mean(dim=(2, 3)))

    return Net()


def resnet_pair(torch, batch: int = 64):
    X, y = _images(4 * batch, 3, 32)
    nl.manual_seed(0)
    ours = models.resnet20()
    nl_step = _nl_trainer(ours, nl.nn.CrossEntropyLoss(), nl.optim.SGD(ours.parameters(), lr=0.1,
                          momentum=0.9), X, y, batch)  # fmt: skip
    if torch is None:
        return nl_step, None
    theirs = _torch_resnet20(torch)
    _copy_weights(ours, theirs)
    t_step = _torch_trainer(torch, theirs, torch.nn.CrossEntropyLoss(),
                            torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9), X, y,
                            batch)  # fmt: skip
    return nl_step, t_step


# ----- LSTM: 2 layers, input 64, hidden 128, batch 64, sequence 50, MSE, Adam ----------------
def lstm_pair(torch):
    from neuronlab.nn.recurrent import LSTM

    rng = _rng()
    x = rng.standard_normal((50, 64, 64)).astype(np.float32)
    target = rng.standard_normal((50, 64, 128)).astype(np.float32)
    nl.manual_seed(0)
    ours = LSTM(64, 128, num_layers=2)
    return _sequence_steps(torch, ours, lambda: torch.nn.LSTM(64, 128, num_layers=2), x, target)


# ----- Transformer encoder: 4 layers, d_model 128, 4 heads, ff 512, batch 32 x 64 tokens -------
def transformer_pair(torch):
    from neuronlab.nn.transformer import TransformerEncoder, TransformerEncoderLayer

    rng = _rng()
    x = rng.standard_normal((32, 64, 128)).astype(np.float32)
    target = rng.standard_normal((32, 64, 128)).astype(np.float32)
    nl.manual_seed(0)
    ours = TransformerEncoder(
        TransformerEncoderLayer(128, 4, 512, dropout=0.0, batch_first=True), 4
    )

    def make_torch():
        layer = torch.nn.TransformerEncoderLayer(128, 4, 512, dropout=0.0, batch_first=True)
        return torch.nn.TransformerEncoder(layer, 4, enable_nested_tensor=False)

    return _sequence_steps(torch, ours, make_torch, x, target)


def _sequence_steps(torch, ours, make_torch, x, target):
    """One training step each (forward, MSE against ``target``, backward, Adam)."""
    X, Y = nl.Tensor(x), nl.Tensor(target)
    optimizer, loss_fn = nl.optim.Adam(ours.parameters(), lr=1e-3), nl.nn.MSELoss()

    def first(out):
        return out[0] if isinstance(out, tuple) else out

    def nl_step():
        loss = loss_fn(first(ours(X)), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    if torch is None:
        return nl_step, None
    theirs = make_torch()
    _copy_weights(ours, theirs)
    theirs.train()
    TX, TY = torch.from_numpy(x), torch.from_numpy(target)
    t_opt, t_loss = torch.optim.Adam(theirs.parameters(), lr=1e-3), torch.nn.MSELoss()

    def t_step():
        loss = t_loss(first(theirs(TX)), TY)
        t_opt.zero_grad()
        loss.backward()
        t_opt.step()

    return nl_step, t_step
