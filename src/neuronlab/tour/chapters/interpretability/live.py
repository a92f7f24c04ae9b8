"""The sanity check, live: one randomized layer per step, in front of the learner.

Adebayo et al. (2018): re-draw the weights of the output layer, then the one before, and so on
(``interpret.randomization_check``'s cascade), and after each step compare every method's maps
with the trained model's by the Spearman rank correlation. A method whose maps stay the same
while the model is destroyed was not showing what the model learned.
"""

from __future__ import annotations

import copy

import numpy as np

from neuronlab import interpret

from ...frames import series
from .shared import METHODS, TITLES, dataset, explain_all, image_frame, map_frame, model


def sanity(ctx, images, show, seed):
    """Cascading randomization of the shipped CNN; a frame after every randomized layer."""
    data = dataset()
    X, y = data.X_test[:images], data.y_test[:images]
    show = min(show, len(X) - 1)
    layers = list(reversed(interpret.weight_layers(model())))
    rng = np.random.default_rng(seed)
    scrambled = copy.deepcopy(model())
    reference = {k: np.abs(v) for k, v in explain_all(X, y, samples=10, model_=model()).items()}
    history = {name: [1.0] for name in METHODS}
    stages = ["trained"]

    def frame(final=False):
        out = {"stages": list(stages), "layers": layers, "correlation": history,
               "titles": TITLES, "image": image_frame(X[show, 0])}  # fmt: skip
        if final:
            out["rank_correlation"] = series(
                range(len(stages)), xlabel="layers randomized", ylabel="rank correlation", **history
            )
        return out

    maps = {name: map_frame(reference[name][show]) for name in METHODS}
    yield {**frame(), "maps": maps}
    for layer in layers:
        module = dict(scrambled.named_modules())[layer]
        interpret.sanity.randomize_layer(module, rng)
        current = explain_all(X, y, samples=10, model_=scrambled)
        for name in METHODS:
            a = np.abs(current[name])
            history[name].append(float(np.mean([interpret.spearman(r, c)
                                                for r, c in zip(reference[name], a)])))  # fmt: skip
        stages.append(layer)
        maps = {name: map_frame(np.abs(current[name][show])) for name in METHODS}
        yield {**frame(final=layer == layers[-1]), "maps": maps}
