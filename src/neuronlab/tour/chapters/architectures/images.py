"""The image part of the architectures stop: the shipped CNN and MLP, what the CNN sees (filters,
feature maps, class probabilities), drawings, and shifted test images.

>>> cnn = shipped("cnn")
>>> out = look(cnn, test_images()[0][:1])
>>> len(out["probs"]), [len(row["grids"]) for row in out["feature_maps"]["rows"]]
(10, [8, 8, 8, 16, 16, 16])
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .... import models
from ....data import load_fashion_mnist_subset
from ....engine import Tensor, no_grad
from ... import frames as fr

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]  # fmt: skip
SHIPPED = {"cnn": "fashion-cnn", "mlp": "fashion-mlp"}
LAYER_NAMES = ["conv 1", "ReLU 1", "max-pool 1", "conv 2", "ReLU 2", "max-pool 2"]


@lru_cache(maxsize=1)
def _data():
    return load_fashion_mnist_subset(layout="nchw")


def train_images() -> tuple[np.ndarray, np.ndarray]:
    """The shipped training subset: (N, 1, 28, 28) float32 in [0, 1], labels (N,)."""
    d = _data()
    return d.X_train, d.y_train


def test_images() -> tuple[np.ndarray, np.ndarray]:
    """The shipped test subset: (N, 1, 28, 28) float32 in [0, 1], labels (N,)."""
    d = _data()
    return d.X_test, d.y_test


def shipped(kind: str):
    """A fresh copy of the shipped CNN or MLP, in evaluation mode."""
    return models.load_pretrained(SHIPPED[kind])


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def predict_probs(model, X: np.ndarray, batch: int = 500) -> np.ndarray:
    """Class probabilities (N, 10); MLPs get the images flattened."""
    flat = isinstance(model, models.MLP)
    out = []
    with no_grad():
        for i in range(0, len(X), batch):
            x = X[i : i + batch]
            out.append(model(Tensor(x.reshape(len(x), -1) if flat else x)).data)
    return softmax(np.concatenate(out).astype(np.float64))


def accuracy(model, X: np.ndarray, y: np.ndarray) -> float:
    return float((predict_probs(model, X).argmax(axis=1) == y).mean())


def filters(model) -> dict:
    """The first convolution's kernels as pictures, each scaled by its own largest |weight|."""
    W = model.features[0].weight.data[:, 0]  # (c1, 3, 3)
    grids = [fr.grid(w / (np.abs(w).max() or 1.0)) for w in W]
    return fr.images([("conv 1", grids)], title="First-layer filters (3x3)")


def look(model, image: np.ndarray) -> dict:
    """What the CNN computes for one image (1, 1, 28, 28): every layer's feature maps (each map
    scaled to [-1, 1] by the layer's largest |value|), the probabilities and the best class."""
    rows = []
    x = Tensor(np.asarray(image, dtype=np.float32).reshape(1, 1, 28, 28))
    with no_grad():
        for name, layer in zip(LAYER_NAMES, model.features):
            x = layer(x)
            a = x.data[0]  # (C, H, W)
            scale = float(np.abs(a).max()) or 1.0
            label = f"{name} ({a.shape[0]}x{a.shape[1]}x{a.shape[2]})"
            rows.append((label, [fr.grid(m / scale) for m in a]))
        logits = model.classifier(x).data[0]
    probs = softmax(logits.astype(np.float64))
    best = int(probs.argmax())
    return {
        "feature_maps": fr.images(rows, title="Feature maps, layer by layer"),
        "probabilities": fr.bars(CLASSES, title="Softmax output", probability=probs),
        "probs": probs.round(5).tolist(),
        "classes": CLASSES,
        "prediction": CLASSES[best],
        "confidence": float(probs[best]),
    }


def as_drawing(pixels) -> np.ndarray:
    """784 values (or 28x28) clipped to [0, 1] -> (1, 1, 28, 28) float32; NaNs become 0."""
    a = np.nan_to_num(np.asarray(pixels, dtype=np.float64), nan=0.0, posinf=1.0, neginf=0.0)
    if a.size != 784:
        raise ValueError(
            f"classify_drawing · expected 784 pixel values (a 28x28 image) · got {a.size} · "
            "send the pad's 28x28 pixels row by row"
        )
    return np.clip(a, 0.0, 1.0).astype(np.float32).reshape(1, 1, 28, 28)


def shift(X: np.ndarray, dx: int, dy: int = 0) -> np.ndarray:
    """Images moved ``dx`` pixels right and ``dy`` down; what leaves the frame is lost, what
    enters is black (0)."""
    out = np.zeros_like(X)
    H, W = X.shape[-2:]
    src_y, dst_y = slice(max(0, -dy), H - max(0, dy)), slice(max(0, dy), H - max(0, -dy))
    src_x, dst_x = slice(max(0, -dx), W - max(0, dx)), slice(max(0, dx), W - max(0, -dx))
    out[..., dst_y, dst_x] = X[..., src_y, src_x]
    return out


def shifted_accuracy(model, X: np.ndarray, y: np.ndarray, pixels: int) -> float:
    """Mean accuracy over the four directions (right, left, down, up) at this distance."""
    if pixels == 0:
        return accuracy(model, X, y)
    moves = [(pixels, 0), (-pixels, 0), (0, pixels), (0, -pixels)]
    return float(np.mean([accuracy(model, shift(X, dx, dy), y) for dx, dy in moves]))


def picture(image: np.ndarray, label: str) -> dict:
    """One grey-level image (values in [0, 1]) as a one-picture ``frames.images``."""
    return fr.images([(label, [fr.grid(image, lo=0, hi=1)])])


def n_params(model) -> int:
    return int(sum(p.data.size for p in model.parameters()))
