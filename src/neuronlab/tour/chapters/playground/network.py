"""The playground's network and its training, all from the library.

The network is an ``nn.Module``: ``Sequential(PointFeatures(features), MLP(...))``, the input
features as a layer in front of the multilayer perceptron (per-layer activations, dropout).
Training is ``neuronlab.train.Trainer``, advanced one step at a time by the live run; L2 is the
optimizer's ``weight_decay`` on the weights, L1 an ``nn.L1Penalty`` added to the loss
(``nn.PenalizedLoss``); history and early stopping are the library's ``History`` and
``EarlyStopping`` callbacks, watching the validation loss. The test points are measured after
every epoch and shown, never used to decide anything.

Shapes: ``F`` input features, ``C`` outputs (1 for two classes and for regression, K for K
classes), ``N`` points, ``G`` the side of a heat-map grid.
"""

from __future__ import annotations

import math

import numpy as np

from .... import metrics, nn
from ....engine import Tensor, manual_seed, no_grad
from ....engine.special import sigmoid
from ....models import MLP, PointFeatures
from ....optim import SGD, Adam
from ....train import EarlyStopping, History, LambdaCallback, Trainer
from ...schema import ParamError
from .config import PlaygroundConfig
from .data import grid_points, split

__all__ = ["SETS", "Playground", "build_model", "check_edit"]

SETS = ("train", "val", "test")  # the three point sets, in the order they are measured


def build_model(cfg: PlaygroundConfig) -> nn.Sequential:
    """``Sequential(PointFeatures, MLP)``: points (N, 2) -> outputs (N, C), raw scores."""
    mlp = MLP(len(cfg.features), cfg.layers, cfg.n_outputs, activation=cfg.activations,
              dropout=cfg.dropout)  # fmt: skip
    return nn.Sequential(PointFeatures(cfg.features), mlp)


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    """The network's Linear layers, input side first (a link's weight lives in one of them)."""
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def _loss(cfg: PlaygroundConfig) -> nn.Module:
    if cfg.problem == "regression":
        return nn.MSELoss()
    return nn.BCEWithLogitsLoss() if cfg.n_outputs == 1 else nn.CrossEntropyLoss()


def _optimizer(cfg: PlaygroundConfig, weights: list, biases: list):
    """Two parameter groups: the weights carry L2 (``weight_decay``), the biases never do, as in
    TensorFlow Playground."""
    decay = cfg.reg_rate if cfg.regularization == "l2" else 0.0
    groups = [{"params": weights, "weight_decay": decay}, {"params": biases, "weight_decay": 0.0}]
    if cfg.optimizer == "adam":
        return Adam(groups, lr=cfg.learning_rate)
    momentum = 0.9 if cfg.optimizer == "momentum" else 0.0
    return SGD(groups, lr=cfg.learning_rate, momentum=momentum)


def _targets(cfg: PlaygroundConfig, y: np.ndarray) -> np.ndarray:
    """What the loss wants: a float column (N, 1) for one output, class ids (N,) otherwise."""
    if cfg.n_outputs == 1:
        return y.astype(np.float32).reshape(-1, 1)
    return y.astype(np.int64)


def check_edit(params: dict, edit: object) -> dict:
    """A weight or bias edit ``{"layer": l, "to": i, "from": j, "value": v}`` checked against
    the network ``params`` describes; ``from`` None (or absent) means the bias of neuron ``i``.

    ``layer`` counts the Linear layers from 0 (inputs -> first hidden layer); ``to`` is a
    neuron of the layer's output side, ``from`` one of its input side.
    """
    sizes = [len(params["features"]), *params["layers"], _outputs(params)]
    if not isinstance(edit, dict):
        raise ParamError(
            f"edit: expected an object such as {{'layer': 0, 'to': 1, 'from': 0, 'value': 0.5}}, "
            f"got {type(edit).__name__}"
        )

    def index(key: str, n: int, what: str) -> int:
        value = edit.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < n:
            raise ParamError(f"edit: '{key}' must be {what} from 0 to {n - 1}, got {value!r}", key)
        return value

    layer = index("layer", len(sizes) - 1, "a layer of links")
    to = index("to", sizes[layer + 1], f"a neuron of layer {layer + 1}")
    source = None if edit.get("from") is None else index("from", sizes[layer], "a neuron")
    value = edit.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ParamError(f"edit: 'value' must be a finite number, got {value!r}", "value")
    return {"layer": layer, "to": to, "from": source, "value": float(value)}


def _outputs(params: dict) -> int:
    if params["problem"] == "regression" or params["classes"] == 2:
        return 1
    return params["classes"]


class Playground:
    """One configured network, its data and its ``Trainer``.

    >>> from neuronlab.tour.chapters.playground.config import build_config
    >>> pg = Playground(build_config(dataset="gaussian", seed=0))
    >>> _ = pg.train_steps(300)
    >>> pg.measure()["test_accuracy"] > 0.9
    True
    """

    def __init__(self, cfg: PlaygroundConfig, data: dict | None = None):
        self.cfg = cfg
        self.data = data if data is not None else split(cfg)
        self.sets = {name: (self.data[f"X_{name}"], _targets(cfg, self.data[f"y_{name}"]))
                     for name in SETS}  # fmt: skip
        # every point measured in one pass: one forward, one loss per point
        self.all_points = np.concatenate([X for X, _ in self.sets.values()])
        self.all_targets = np.concatenate([y for _, y in self.sets.values()])
        self.all_labels = np.concatenate([self.data[f"y_{name}"] for name in SETS])
        self.counts = np.array([len(self.sets[name][0]) for name in SETS])
        # where each set starts; reduceat needs starts below N, an empty set's sum is unused
        self.starts = np.minimum(np.cumsum([0, *self.counts[:-1]]), len(self.all_points) - 1)
        manual_seed(cfg.seed)  # the same seed, the same first weights
        self.model = build_model(cfg)
        linears = linear_layers(self.model)
        weights, biases = [m.weight for m in linears], [m.bias for m in linears]
        self.loss_fn = _loss(cfg)  # the data loss, measured and shown
        self.point_loss = type(self.loss_fn)(reduction="none")  # the same, point by point
        self.l1 = nn.L1Penalty(weights, cfg.reg_rate if cfg.regularization == "l1" else 0.0)
        self.optimizer = _optimizer(cfg, weights, biases)
        self.history = History()
        self.early_stopping: EarlyStopping | None = None
        measure = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(self._numbers()))
        self.trainer = Trainer(self.model, self._training_loss(),
                               self.optimizer, self.sets["train"], epochs=None,
                               batch_size=cfg.batch_size, callbacks=[measure, self.history],
                               seed=cfg.seed)  # fmt: skip
        self.initial = self.measure()  # epoch 0: the untrained network
        self.set_early_stop(cfg.early_stop)

    # ----- training ---------------------------------------------------------------------------
    @property
    def steps(self) -> int:
        return self.trainer.global_step

    @property
    def epoch(self) -> int:
        """Finished epochs."""
        return len(self.history.epoch)

    @property
    def stopped_early(self) -> bool:
        es = self.early_stopping
        return es is not None and es.stopped_epoch is not None

    def train_steps(self, n: int = 1) -> float:
        """``n`` optimizer steps of the Trainer; the last batch's loss (NaN if it has ended)."""
        loss = math.nan
        for _ in range(n):
            step = self.trainer.step()
            if step is None:
                break
            loss = step.loss
        return loss

    def finish(self) -> None:
        """End training: callbacks get ``on_train_end`` (early stopping restores its best)."""
        self.trainer.stop()

    def set_early_stop(self, on: bool) -> None:
        """Attach or detach ``EarlyStopping(val_loss, restore_best_weights=True)`` between steps;
        without validation points there is nothing to watch, so it stays off."""
        if on and self.early_stopping is None and len(self.sets["val"][0]):
            self.early_stopping = EarlyStopping("val_loss", patience=self.cfg.patience,
                                                restore_best_weights=True)  # fmt: skip
            self.trainer.add_callback(self.early_stopping)
        elif not on and self.early_stopping is not None:
            self.trainer.remove_callback(self.early_stopping)
            self.early_stopping = None

    def apply_updates(self, updates: dict) -> None:
        """Live parameters change the running network in place, as the Playground's controls."""
        cfg = self.cfg
        for name, value in updates.items():
            setattr(cfg, name, value)
        if cfg.regularization == "none":
            cfg.reg_rate = 0.0
        for group in self.optimizer.param_groups:
            group["lr"] = cfg.learning_rate
        self.optimizer.param_groups[0]["weight_decay"] = (
            cfg.reg_rate if cfg.regularization == "l2" else 0.0
        )
        self.l1.rate = cfg.reg_rate if cfg.regularization == "l1" else 0.0
        self.trainer.loss_fn = self._training_loss()
        self.trainer.train_data.batch_size = cfg.batch_size  # from the next epoch
        self.set_early_stop(cfg.early_stop)
        if self.early_stopping is not None:
            self.early_stopping.patience = cfg.patience

    def _training_loss(self) -> nn.Module:
        """What the Trainer minimizes: the data loss, plus the L1 term while its rate is > 0."""
        return nn.PenalizedLoss(self.loss_fn, self.l1) if self.l1.rate > 0 else self.loss_fn

    def apply_edit(self, edit: dict) -> None:
        """Set one weight (``from`` a neuron) or bias (``from`` None) of the network."""
        layer = linear_layers(self.model)[edit["layer"]]
        if edit["from"] is None:
            layer.bias.data[edit["to"]] = edit["value"]
        else:
            layer.weight.data[edit["to"], edit["from"]] = edit["value"]

    # ----- measuring --------------------------------------------------------------------------
    def _outputs(self, X: np.ndarray) -> np.ndarray:
        """The raw outputs (N, C) in evaluation mode, without a graph, in one batch (the lab's
        point sets are small; ``train.predict`` does the same in batches)."""
        self.model.eval()
        try:
            with no_grad():
                return self.model(Tensor(X)).data
        finally:
            self.model.train()

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probabilities (N, C) for classification (C = 1: P(class 1)), values (N, 1) otherwise."""
        out = self._outputs(X)
        return out if self.cfg.problem == "regression" else self._squash(out)

    def _labels(self, probs: np.ndarray) -> np.ndarray:
        return (probs[:, 0] >= 0.5).astype(np.int64) if probs.shape[1] == 1 else probs.argmax(1)

    def measure(self, confusion: bool = True) -> dict:
        """Loss (and accuracy) on the training, validation and test points, in evaluation mode,
        from one forward pass over all of them; with ``confusion``, the test confusion matrix
        (rows: true class, columns: predicted) from ``neuronlab.metrics``. A set without points
        gives NaN."""
        raw = self._outputs(self.all_points)  # (N, C) for every point, train + val + test
        losses = self.point_loss(Tensor(raw), self.all_targets).data.reshape(len(raw))  # (N,)
        means = self._per_set_mean(losses)
        out: dict = {f"{name}_loss": float(v) for name, v in zip(SETS, means)}
        if self.cfg.problem == "classification":
            right = self._labels(self._squash(raw)) == self.all_labels
            acc = self._per_set_mean(right.astype(np.float64))
            out.update({f"{name}_accuracy": float(v) for name, v in zip(SETS, acc)})
            if confusion:
                test = slice(len(raw) - self.counts[2], len(raw))
                out["confusion"] = metrics.confusion_matrix(
                    self.all_labels[test], self._labels(self._squash(raw[test])),
                    labels=list(range(self.cfg.classes)),
                ).tolist()  # fmt: skip
        return out

    def _per_set_mean(self, values: np.ndarray) -> np.ndarray:
        """The mean of ``values`` (one per point) over each set; NaN for a set without points."""
        sums = np.add.reduceat(values, self.starts)
        return np.where(self.counts > 0, sums / np.maximum(self.counts, 1), np.nan)

    def _numbers(self) -> dict[str, float]:
        """``measure()`` without the confusion matrix: the epoch's logs for ``History`` and
        ``EarlyStopping`` (which watches ``val_loss``)."""
        return self.measure(confusion=False)

    def _squash(self, out: np.ndarray) -> np.ndarray:
        """Raw outputs to probabilities: sigmoid for one column, softmax for several."""
        if out.shape[1] == 1:
            return sigmoid(out)
        e = np.exp(out - out.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def boundary(self, size: int = 50) -> np.ndarray:
        """The output over the plane: float32 (G * G * C), row-major from the top-left cell."""
        return self.predict(grid_points(size)).astype(np.float32).ravel()

    def neuron_maps(self, size: int = 24) -> list[np.ndarray]:
        """Each hidden layer's outputs over the plane: float32 (H, G * G) per layer, read by
        forward hooks on the MLP's activation layers."""
        mlp = self.model[1]
        acts = [m for m in mlp if not isinstance(m, (nn.Linear, nn.Dropout))]
        seen: list[np.ndarray] = []
        handles = [a.register_forward_hook(lambda m, i, o: seen.append(o.data)) for a in acts]
        try:
            self._outputs(grid_points(size))
        finally:
            for handle in handles:
                handle.remove()
        return [h.T.astype(np.float32) for h in seen]

    def feature_maps(self, size: int = 24) -> np.ndarray:
        """Each input feature over the plane: float32 (F, G * G)."""
        return self.model[0](Tensor(grid_points(size))).data.T.copy()

    def weight_matrices(self) -> list[list[list[float]]]:
        """Each layer's weights as nested lists (out, in), for drawing the links."""
        return [np.round(m.weight.data, 4).tolist() for m in linear_layers(self.model)]

    def bias_vectors(self) -> list[list[float]]:
        return [np.round(m.bias.data, 4).tolist() for m in linear_layers(self.model)]

    def weight_norm(self) -> float:
        return float(np.sqrt(sum(np.square(m.weight.data).sum()
                                 for m in linear_layers(self.model))))  # fmt: skip
