"""The playground's settings: their limits, one dataclass, and the cross-parameter rules.

Each parameter alone is validated by the tour's schema (``params.py`` declares them); what depends
on several parameters at once (activations per layer, labels against the class count, a custom
data set needing points) is checked here by ``build_config``, with ``ParamError`` messages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from ...schema import ParamError

CLASSIFICATION_SETS = ("circle", "xor", "gaussian", "spiral", "moons")
REGRESSION_SETS = ("plane", "multi_gaussian")
DATASETS = (*CLASSIFICATION_SETS, *REGRESSION_SETS, "custom")
MULTICLASS_SETS = ("gaussian", "spiral")  # the generators that can make more than 2 classes
FEATURES = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1sq": "x₁²",
    "x2sq": "x₂²",
    "x1x2": "x₁x₂",
    "sinx1": "sin(x₁)",
    "sinx2": "sin(x₂)",
}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "leaky_relu")
OPTIMIZERS = ("sgd", "momentum", "adam")
REGULARIZATIONS = ("none", "l1", "l2")
PROBLEMS = ("classification", "regression")

MAX_LAYERS = 8
MAX_NEURONS = 10
MAX_CLASSES = 6
MAX_POINTS = 2000  # user points (clicked or uploaded) in one data set
MAX_SAMPLES = 2000
DOMAIN = 6.0  # the plane shown is [-6, 6] x [-6, 6]


@dataclass
class PlaygroundConfig:
    """Everything that defines one playground experiment; ``seed`` makes it reproducible."""

    seed: int = 1
    problem: str = "classification"
    dataset: str = "circle"
    classes: int = 2
    noise: int = 0  # percent, 0..50 as in the Playground
    train_ratio: int = 50  # percent of the points used for training
    n_samples: int = 400
    batch_size: int = 10
    features: list[str] = field(default_factory=lambda: ["x1", "x2"])
    layers: list[int] = field(default_factory=lambda: [4, 2])
    activations: list[str] = field(default_factory=lambda: ["tanh", "tanh"])
    learning_rate: float = 0.03
    optimizer: str = "sgd"
    regularization: str = "none"
    reg_rate: float = 0.0
    dropout: float = 0.0
    early_stop: bool = False
    stop_after: int = 0  # steps; 0 = no limit of our own
    patience: int = 20  # epochs without a better test loss before stopping
    points: list[list[float]] = field(default_factory=list)  # [x1, x2, label] added by the user

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def n_outputs(self) -> int:
        if self.problem == "regression":
            return 1
        return 1 if self.classes == 2 else self.classes


def build_config(**params) -> PlaygroundConfig:
    """A ``PlaygroundConfig`` from validated parameters, after the cross-parameter checks.

    >>> build_config(dataset="xor", layers=[3], activations=["relu"]).layers
    [3]
    >>> build_config(layers=[3, 3, 3], activations=["relu"]).activations
    ['relu', 'relu', 'relu']
    >>> build_config(problem="regression", dataset="xor")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neuronlab.tour.schema.ParamError: parameter 'dataset': 'xor' is a classification data set; ...
    """
    known = {f.name for f in fields(PlaygroundConfig)}
    cfg = PlaygroundConfig(**{k: v for k, v in params.items() if k in known})
    if cfg.problem == "classification" and cfg.dataset in REGRESSION_SETS:
        raise ParamError(
            f"parameter 'dataset': {cfg.dataset!r} is a regression data set; pick "
            f"one of {', '.join(CLASSIFICATION_SETS)} or set problem to "
            "'regression'",
            "dataset",
        )
    if cfg.problem == "regression" and cfg.dataset in CLASSIFICATION_SETS:
        raise ParamError(
            f"parameter 'dataset': {cfg.dataset!r} is a classification data set; "
            f"pick one of {', '.join(REGRESSION_SETS)} or set problem to "
            "'classification'",
            "dataset",
        )
    if cfg.problem == "regression" or cfg.dataset not in (*MULTICLASS_SETS, "custom"):
        cfg.classes = 2
    # One activation per hidden layer: a shorter list repeats its last name, a longer one is cut.
    acts = cfg.activations or ["tanh"]
    cfg.activations = (acts + [acts[-1]] * len(cfg.layers))[: len(cfg.layers)]
    if len(set(cfg.features)) != len(cfg.features):
        raise ParamError("parameter 'features': each feature at most once", "features")
    cfg.features = [f for f in FEATURES if f in cfg.features]  # canonical order
    for i, (*_, label) in enumerate(cfg.points):
        if cfg.problem == "classification" and (
            label != int(label) or not 0 <= label < cfg.classes
        ):
            raise ParamError(
                f"parameter 'points': item {i} has label {label:g}; expected a class "
                f"from 0 to {cfg.classes - 1}",
                "points",
            )
        if cfg.problem == "regression" and abs(label) > 1:
            raise ParamError(
                f"parameter 'points': item {i} has target {label:g}; expected a "
                "number from -1 to 1",
                "points",
            )
    if cfg.dataset == "custom" and len(cfg.points) < 4:
        raise ParamError(
            f"parameter 'points': a custom data set needs at least 4 points, got "
            f"{len(cfg.points)}; click on the plane or upload a CSV",
            "points",
        )
    if cfg.regularization == "none":
        cfg.reg_rate = 0.0
    return cfg
