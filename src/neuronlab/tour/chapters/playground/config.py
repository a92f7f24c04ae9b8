"""The playground's run configuration: one dataclass, built from the schema's defaults, and the
rules that tie parameters together.

``params.py`` declares every parameter and its default once; ``build_config`` starts from those
defaults, applies the cross-parameter rules (activations per layer, classes per data set,
regularization off means rate 0, labels against the class count, a custom data set needing
points) and returns the normalized configuration. ``normalize`` is what the experiment's
``validate`` returns, so the server sends the page exactly the configuration that runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from ...schema import ParamError
from .params import (
    CLASSIFICATION_SETS,
    FEATURES,
    MULTICLASS_SETS,
    REGRESSION_SETS,
    TRAIN_PARAMS,
)

DEFAULTS = {p.name: p.default for p in TRAIN_PARAMS}


@dataclass
class PlaygroundConfig:
    """Everything that defines one playground experiment; ``seed`` makes it reproducible.

    The fields are the parameters of ``params.TRAIN_PARAMS`` (their defaults live there).
    """

    seed: int
    problem: str
    dataset: str
    classes: int
    noise: int  # percent, 0..50 as in the Playground
    train_ratio: int  # percent of the points used for training (validation included)
    val_fraction: int  # percent of the training share held out for validation
    n_samples: int
    batch_size: int
    features: list[str]
    layers: list[int]
    activations: list[str]
    learning_rate: float
    optimizer: str
    regularization: str
    reg_rate: float
    dropout: float
    early_stop: bool
    stop_after: int  # steps; 0 = no limit of our own
    patience: int  # epochs without a better validation loss before stopping
    points: list[list[float]]  # [x1, x2, label] added by the user

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def n_outputs(self) -> int:
        if self.problem == "regression":
            return 1
        return 1 if self.classes == 2 else self.classes

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer: the input features, each hidden layer, the outputs."""
        return [len(self.features), *self.layers, self.n_outputs]


def _check_dataset(cfg: PlaygroundConfig) -> None:
    if cfg.problem == "classification" and cfg.dataset in REGRESSION_SETS:
        raise ParamError(
            f"parameter 'dataset': {cfg.dataset!r} is a regression data set; pick one of "
            f"{', '.join(CLASSIFICATION_SETS)} or set problem to 'regression'",
            "dataset",
        )
    if cfg.problem == "regression" and cfg.dataset in CLASSIFICATION_SETS:
        raise ParamError(
            f"parameter 'dataset': {cfg.dataset!r} is a classification data set; pick one of "
            f"{', '.join(REGRESSION_SETS)} or set problem to 'classification'",
            "dataset",
        )


def _check_points(cfg: PlaygroundConfig) -> None:
    for i, (*_, label) in enumerate(cfg.points):
        if cfg.problem == "classification" and (
            label != int(label) or not 0 <= label < cfg.classes
        ):
            raise ParamError(
                f"parameter 'points': item {i} has label {label:g}; expected a class from 0 "
                f"to {cfg.classes - 1}",
                "points",
            )
        if cfg.problem == "regression" and abs(label) > 1:
            raise ParamError(
                f"parameter 'points': item {i} has target {label:g}; expected a number from "
                "-1 to 1",
                "points",
            )
    if cfg.dataset == "custom" and len(cfg.points) < 4:
        raise ParamError(
            f"parameter 'points': a custom data set needs at least 4 points, got "
            f"{len(cfg.points)}; click on the plane or upload a CSV",
            "points",
        )


def build_config(**params) -> PlaygroundConfig:
    """A ``PlaygroundConfig`` from (validated) parameters and the schema's defaults, after the
    cross-parameter rules.

    >>> build_config(dataset="xor", layers=[3], activations=["relu"]).layers
    [3]
    >>> build_config(layers=[3, 3, 3], activations=["relu"]).activations
    ['relu', 'relu', 'relu']
    >>> build_config(regularization="none", reg_rate=0.3).reg_rate
    0.0
    >>> build_config(problem="regression", dataset="xor")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neuronlab.tour.schema.ParamError: parameter 'dataset': 'xor' is a classification data set; ...
    """
    known = {f.name for f in fields(PlaygroundConfig)}
    values = {**DEFAULTS, **{k: v for k, v in params.items() if k in known}}
    cfg = PlaygroundConfig(**{k: _copy(v) for k, v in values.items()})
    _check_dataset(cfg)
    if cfg.problem == "regression" or cfg.dataset not in (*MULTICLASS_SETS, "custom"):
        cfg.classes = 2
    # One activation per hidden layer: a shorter list repeats its last name, a longer one is cut.
    acts = cfg.activations or ["tanh"]
    cfg.activations = (acts + [acts[-1]] * len(cfg.layers))[: len(cfg.layers)]
    if len(set(cfg.features)) != len(cfg.features):
        raise ParamError("parameter 'features': each feature at most once", "features")
    cfg.features = [f for f in FEATURES if f in cfg.features]  # canonical order
    _check_points(cfg)
    if cfg.regularization == "none":
        cfg.reg_rate = 0.0
    return cfg


def normalize(values: dict) -> dict:
    """The normalized configuration of validated parameters (what runs, sent back to the page)."""
    return build_config(**values).to_dict()


def _copy(value):
    return [_copy(v) for v in value] if isinstance(value, list) else value
