"""The interpretability stop's quick experiments (each a call that returns plain data).

* ``explain``       five methods side by side on one image (or a drawing), for one class
* ``features``      activation maximization for every unit of a layer, beside the training
                    images that excite each unit most
* ``baselines``     integrated gradients of one image from five different baselines
* ``mistakes``      the test images the model gets wrong with the highest confidence
* ``focus``         how much of each method's mass falls on the garment's pixels
* ``completeness``  integrated gradients' completeness gap for each integration rule
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from neuronlab import interpret
from neuronlab.train import predict

from ...frames import table
from .shared import (
    METHODS,
    TITLES,
    classes,
    dataset,
    explain_all,
    image_frame,
    map_frame,
    model,
    pick_image,
    probabilities,
    value_range,
)


def _target(target: int, probs: np.ndarray) -> int:
    return int(np.argmax(probs)) if target < 0 else target


def explain(index, pixels, target, samples, noise, steps, window, stride):
    """Saliency, SmoothGrad, IG, Grad-CAM and occlusion of one image for one class."""
    X, label = pick_image(index, pixels)
    probs = probabilities(X)[0]
    cls = _target(target, probs)
    maps = explain_all(X, cls, samples=samples, noise=noise, steps=steps, window=window,
                       stride=stride)  # fmt: skip
    return {
        "image": image_frame(X[0, 0]),
        "label": label,
        "classes": classes(),
        "probabilities": probs.tolist(),
        "predicted": int(np.argmax(probs)),
        "explained": cls,
        "ranges": {name: value_range(maps[name][0]) for name in METHODS},
        "titles": TITLES,
        **{f"map_{name}": map_frame(maps[name][0]) for name in METHODS},  # one grid (figure) each
    }


@lru_cache(maxsize=4)
def unit_means(layer: str) -> np.ndarray:
    """``(8000, units)``: each training image's mean activation of every unit of ``layer``."""
    X = dataset().X_train
    rows = []
    for i in range(0, len(X), 500):
        acts = interpret.feature_maps(model(), X[i : i + 500], [layer])[layer]
        rows.append(acts.reshape(len(acts), acts.shape[1], -1).mean(axis=2))
    return np.concatenate(rows)


def features(layer, steps, l2, jitter, blur, top):
    """What each unit of ``layer`` wants to see, and the training images that excite it most."""
    means = unit_means(layer)
    data = dataset()
    units = []
    for unit in range(means.shape[1]):
        picture = interpret.activation_maximization(
            model(), layer=layer, unit=unit, steps=steps, l2=l2, jitter=jitter, blur=blur, seed=unit
        )
        best = np.argsort(-means[:, unit], kind="stable")[:top]
        units.append({
            "unit": unit,
            "name": data.classes[unit] if layer == "classifier.3" else f"filter {unit}",
            "picture": image_frame(picture[0]),
            "top": [image_frame(data.X_train[i, 0]) for i in best],
            "top_labels": [data.classes[int(data.y_train[i])] for i in best],
        })  # fmt: skip
    return {"layer": layer, "units": units}


def _baseline_images(X: np.ndarray) -> dict[str, np.ndarray]:
    mean = dataset().X_train.mean(axis=0, keepdims=True)
    noise = np.random.default_rng(0).random(X.shape).astype(np.float32)
    blurred = interpret.gaussian_blur(X, 3.0)
    return {"black": np.zeros_like(X), "white": np.ones_like(X), "mean image": mean,
            "blurred": blurred, "uniform noise": noise}  # fmt: skip


def baselines(index, pixels, target, steps):
    """Integrated gradients of one image from five baselines, and how their maps agree."""
    X, label = pick_image(index, pixels)
    probs = probabilities(X)[0]
    cls = _target(target, probs)
    rows, maps = [], {}
    for name, base in _baseline_images(X).items():
        attr, gap = interpret.integrated_gradients(model(), X, cls, baseline=base, steps=steps,
                                                   return_delta=True)  # fmt: skip
        maps[name] = attr[0, 0]
        start = probabilities(base)[0, cls]
        rows.append({"baseline": name, "picture": image_frame(base[0, 0]),
                     "map": map_frame(attr[0, 0]), "sum": float(attr.sum()),
                     "gap": float(gap[0]), "baseline_probability": float(start)})  # fmt: skip
    black = np.abs(maps["black"])
    for row in rows:
        row["rank_correlation"] = interpret.spearman(black, np.abs(maps[row["baseline"]]))
    return {"image": image_frame(X[0, 0]), "label": label, "classes": classes(),
            "explained": cls, "baselines": rows}  # fmt: skip


def mistakes(count):
    """The test images the model gets wrong, most confident first."""
    data = dataset()
    probs = probabilities(data.X_test)
    pred, conf = probs.argmax(axis=1), probs.max(axis=1)
    wrong = np.flatnonzero(pred != data.y_test)
    order = wrong[np.argsort(-conf[wrong], kind="stable")]
    names = data.classes
    return {
        "wrong": int(len(wrong)),
        "total": int(len(data.y_test)),
        "over_90": int((conf[wrong] > 0.9).sum()),
        "items": [
            {
                "index": int(i),
                "label": names[int(data.y_test[i])],
                "predicted": names[int(pred[i])],
                "confidence": float(conf[i]),
                "image": image_frame(data.X_test[i, 0]),
            }
            for i in order[:count]
        ],  # fmt: skip
    }


def focus(images, ink):
    """The share of each method's positive mass on the garment's pixels, vs the garment's area."""
    data = dataset()
    X, y = data.X_test[:images], data.y_test[:images]
    garment = X[:, 0] > ink
    maps = explain_all(X, y, samples=10)
    shares = {}
    for name in METHODS:
        positive = np.maximum(maps[name], 0)
        total = positive.reshape(len(X), -1).sum(axis=1)
        keep = total > 0
        on = (positive * garment).reshape(len(X), -1).sum(axis=1)
        shares[name] = float((on[keep] / total[keep]).mean())
    area = float(garment.mean())
    rows = [[TITLES[n], round(shares[n], 3)] for n in METHODS] + [["garment area", round(area, 3)]]
    return {"shares": shares, "area": area, "images": int(len(X)),
            "result": table(["method", "share of positive mass on the garment"], rows)}  # fmt: skip


def completeness(images, steps):
    """The largest completeness gap, relative to the score change, for each integration rule."""
    data = dataset()
    X, y = data.X_test[:images], data.y_test[:images]
    scores = predict(model(), X).astype(np.float64)[np.arange(len(X)), y]
    start = predict(model(), np.zeros_like(X[:1])).astype(np.float64)[0, y]
    change = np.abs(scores - start)
    rows = {}
    for method in interpret.METHODS:
        _, gap = interpret.integrated_gradients(model(), X, y, steps=steps, method=method,
                                                return_delta=True)  # fmt: skip
        rows[method] = {"max_gap": float(np.abs(gap).max()),
                        "max_relative_gap": float((np.abs(gap) / change).max())}  # fmt: skip
    return {"steps": steps, "images": int(len(X)), "methods": rows,
            "result": table(["rule", "largest |gap|", "largest |gap| / |score change|"],
                            [[k, round(v["max_gap"], 4), round(v["max_relative_gap"], 4)]
                             for k, v in rows.items()])}  # fmt: skip
