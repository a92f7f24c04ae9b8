"""Chapter 2, the playground: a multilayer perceptron trained live on 2-D points.

Everything TensorFlow Playground offers (data sets, noise, split, batch size, layers and neurons,
activation, learning rate, L1/L2, input features, classification and regression, live decision
boundary and per-neuron maps, the whole setup in the URL), plus your own points and CSV files,
more than two classes, dropout, per-layer activations, accuracy and a confusion matrix, a
validation split with early stopping, hand-edited weights and a choice of optimizer.

The network is ``Sequential(PointFeatures, models.MLP)`` trained by ``train.Trainer``; see
``network.py``. Layout: ``params.py`` (schema and limits), ``config.py`` (the rules between
parameters), ``data.py`` (points, split, CSV), ``network.py`` (model and training),
``presets.py`` (ready setups), ``experiments.py`` (quick runs), ``live.py`` (the live run and
its frames), ``claims.py``.
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, TourStep
from .claims import CLAIMS
from .experiments import EXPERIMENTS

CHAPTER = Chapter(
    id="playground",
    title="The playground",
    summary="A small network learns to separate points on a plane, live: change the data, the "
    "layers, the features and the training, and watch the boundary move.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep(
            "train",
            {"dataset": "circle", "layers": [4, 2], "stop_after": 2000},
            widget="playground",
            caption="A 4-2 tanh network on the circle",
            every=100,
        ),
        TourStep("compare", {"scenario": "xor"}, widget="try-xor"),
        TourStep("compare", {"scenario": "spiral"}, widget="try-spiral"),
        TourStep("compare", {"scenario": "l2"}, widget="try-l2"),
        TourStep("compare", {"scenario": "learning_rate"}, widget="try-learning-rate"),
        TourStep("compare", {"scenario": "optimizers"}, widget="try-optimizers"),
        TourStep("compare", {"scenario": "multiclass"}, widget="try-multiclass"),
        TourStep("compare", {"scenario": "regression"}, widget="try-regression"),
    ],
    folder=Path(__file__).parent,
)
