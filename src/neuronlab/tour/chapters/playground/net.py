"""``PlaygroundNet``: the playground's multilayer perceptron and its training step.

It is built from the library's own pieces (``nn.functional.linear``, the activations, the losses
and the optimizers), so the playground trains exactly the engine the other chapters open up. Its
random numbers come from one ``numpy.random.Generator`` seeded by the config, never from the
global generator, so two runs with one seed agree even when several run at once.

Shapes: ``F`` input features, ``H`` hidden units of a layer, ``C`` outputs (1 for two classes and
for regression, K for K classes), ``N`` points, ``G`` the side of a heat-map grid.
"""

from __future__ import annotations

import math

import numpy as np

from ....engine import Tensor, no_grad
from ....engine.special import sigmoid
from ....nn import functional as F
from ....nn.loss import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from ....nn.parameter import Parameter
from ....optim import SGD, Adam
from .config import PlaygroundConfig
from .data import features, grid_points, split

ACTIVATION_FUNCS = {
    "tanh": F.tanh,
    "relu": F.relu,
    "sigmoid": F.sigmoid,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "linear": lambda x: x,
}


class PlaygroundNet:
    """An MLP on 2-D points, trained one mini-batch per ``train_steps`` step.

    >>> from neuronlab.tour.chapters.playground.config import build_config
    >>> net = PlaygroundNet(build_config(dataset="gaussian", seed=0))
    >>> _ = net.train_steps(300)
    >>> net.evaluate()["test_accuracy"] > 0.9
    True
    """

    def __init__(self, cfg: PlaygroundConfig, data: dict | None = None):
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed)
        self.data = data if data is not None else split(cfg)
        self.X_train = features(self.data["X_train"], cfg.features)  # (N, F)
        self.X_test = features(self.data["X_test"], cfg.features)
        self.y_train, self.y_test = (
            self._targets(self.data["y_train"]),
            self._targets(self.data["y_test"]),
        )
        sizes = [len(cfg.features), *cfg.layers, cfg.n_outputs]
        self.weights: list[Parameter] = []
        self.biases: list[Parameter] = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            bound = 1 / math.sqrt(fan_in)  # PyTorch's default Linear init, from our generator
            self.weights.append(
                Parameter(self.rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
            )
            self.biases.append(
                Parameter(self.rng.uniform(-bound, bound, fan_out).astype(np.float32))
            )
        params = [p for pair in zip(self.weights, self.biases) for p in pair]
        if cfg.optimizer == "adam":
            self.optimizer = Adam(params, lr=cfg.learning_rate)
        else:
            momentum = 0.9 if cfg.optimizer == "momentum" else 0.0
            self.optimizer = SGD(params, lr=cfg.learning_rate, momentum=momentum)
        if cfg.problem == "regression":
            self.loss_fn = MSELoss()
        elif cfg.n_outputs == 1:
            self.loss_fn = BCEWithLogitsLoss()
        else:
            self.loss_fn = CrossEntropyLoss()
        self.steps = 0
        self.epoch = 0
        self._order = self.rng.permutation(len(self.X_train))
        self._cursor = 0

    def _targets(self, y: np.ndarray) -> np.ndarray:
        if self.cfg.problem == "regression" or self.cfg.n_outputs == 1:
            return y.astype(np.float32).reshape(-1, 1)  # (N, 1)
        return y.astype(np.int64)  # (N,) class ids

    # ----- forward ---------------------------------------------------------------------------

    def forward(self, x: Tensor, training: bool = False, hidden: list | None = None) -> Tensor:
        """Raw outputs (logits or values) for inputs ``x`` (N, F); appends layer outputs to
        ``hidden`` when given."""
        last = len(self.weights) - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            x = F.linear(x, W, b)  # (N, H)
            if i == last:
                break
            x = ACTIVATION_FUNCS[self.cfg.activations[i]](x)
            if hidden is not None:
                hidden.append(x.data)
            if training and self.cfg.dropout > 0:
                keep = self.rng.random(x.data.shape, dtype=np.float32) >= self.cfg.dropout
                x = x * Tensor(keep * np.float32(1 / (1 - self.cfg.dropout)))
        return x

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probabilities (N, C) for classification (C = 1: P(class 1)), values (N, 1) otherwise."""
        with no_grad():
            out = self.forward(Tensor(X)).data
        return self._squash(out)

    def _squash(self, out: np.ndarray) -> np.ndarray:
        if self.cfg.problem == "regression":
            return out
        if out.shape[1] == 1:
            return sigmoid(out)
        e = np.exp(out - out.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    # ----- training --------------------------------------------------------------------------

    def _batch(self) -> np.ndarray:
        n = len(self._order)
        idx = self._order[self._cursor : self._cursor + self.cfg.batch_size]
        self._cursor += len(idx)
        if self._cursor >= n:
            self._order = self.rng.permutation(n)
            self._cursor = 0
            self.epoch += 1
        return idx

    def train_steps(self, n: int = 1) -> float:
        """Take ``n`` optimizer steps on mini-batches; returns the last batch's loss."""
        cfg, loss_value = self.cfg, float("nan")
        for _ in range(n):
            idx = self._batch()
            loss = self.loss_fn(
                self.forward(Tensor(self.X_train[idx]), training=True), self.y_train[idx]
            )
            self.optimizer.zero_grad()
            loss.backward()
            if cfg.regularization != "none" and cfg.reg_rate > 0:
                for W in self.weights:  # penalty on weights only, as in the Playground
                    penalty = W.data if cfg.regularization == "l2" else np.sign(W.data)
                    W.grad += cfg.reg_rate * penalty
            self.optimizer.step()
            self.steps += 1
            loss_value = loss.data
        return float(loss_value)

    # ----- measuring -------------------------------------------------------------------------

    def _loss(self, X: np.ndarray, y: np.ndarray) -> float:
        if len(X) == 0:
            return float("nan")
        with no_grad():
            return float(self.loss_fn(self.forward(Tensor(X)), y).data)

    def _labels(self, probs: np.ndarray) -> np.ndarray:
        return (probs[:, 0] >= 0.5).astype(np.int64) if probs.shape[1] == 1 else probs.argmax(1)

    def evaluate(self) -> dict:
        """Train and test loss; for classification also accuracy and the test confusion matrix
        (rows: true class, columns: predicted), on the training set when there is no test set."""
        out = {
            "train_loss": self._loss(self.X_train, self.y_train),
            "test_loss": self._loss(self.X_test, self.y_test),
        }
        if self.cfg.problem == "classification":
            k = self.cfg.classes
            for name, X, y in (
                ("train", self.X_train, self.data["y_train"]),
                ("test", self.X_test, self.data["y_test"]),
            ):
                pred = self._labels(self.predict(X)) if len(X) else np.zeros(0, np.int64)
                out[f"{name}_accuracy"] = float((pred == y).mean()) if len(y) else float("nan")
                if name == "test" or not len(self.X_test):
                    cm = np.zeros((k, k), dtype=np.int64)
                    np.add.at(cm, (y.astype(np.int64), pred), 1)
                    out["confusion"] = cm.tolist()
        return out

    def boundary(self, size: int = 50) -> np.ndarray:
        """The output over the plane: float32 (G * G * C), row-major from the top-left cell."""
        return (
            self.predict(features(grid_points(size), self.cfg.features)).astype(np.float32).ravel()
        )

    def neuron_maps(self, size: int = 24) -> list[np.ndarray]:
        """Each hidden layer's outputs over the plane: float32 (H, G * G) per layer."""
        hidden: list = []
        with no_grad():
            self.forward(Tensor(features(grid_points(size), self.cfg.features)), hidden=hidden)
        return [h.T.astype(np.float32) for h in hidden]

    def feature_maps(self, size: int = 24) -> np.ndarray:
        """Each input feature over the plane: float32 (F, G * G)."""
        return features(grid_points(size), self.cfg.features).T.copy()

    def weight_matrices(self) -> list[list[list[float]]]:
        """Each layer's weights as nested lists (out, in), for drawing the links."""
        return [np.round(W.data, 4).tolist() for W in self.weights]

    def snapshot(self) -> list[np.ndarray]:
        return [p.data.copy() for p in (*self.weights, *self.biases)]

    def restore(self, snap: list[np.ndarray]) -> None:
        for p, value in zip((*self.weights, *self.biases), snap):
            p.data[...] = value
