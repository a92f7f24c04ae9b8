"""What every experiment of the interpretability stop shares: the shipped Fashion-MNIST CNN,
the shipped images, the methods side by side, and maps turned into frames.

Maps are sent as ``frames.grid`` cells in ``[-1, 1]``: each map divided by its largest absolute
value, so 0 stays 0 (white in the diverging palette), positive evidence is blue, negative
orange. The picture shows where a method looks, not how large its numbers are; the raw range is
sent beside it (``value_range``).
"""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np

import neuronlab as nl
from neuronlab import interpret, models
from neuronlab.data import load_fashion_mnist_subset
from neuronlab.train import predict

from ...frames import grid
from ...schema import ParamError

MODEL = "fashion-cnn"
CAM_LAYER = "features.4"  # the last ReLU of SmallCNN: 16 maps of 14x14 (then one pooling)
IMAGE_EXTENT = (0.0, 28.0, 0.0, 28.0)
METHODS = ("saliency", "smoothgrad", "integrated_gradients", "grad_cam", "occlusion")
TITLES = {"saliency": "Saliency", "smoothgrad": "SmoothGrad",
          "integrated_gradients": "Integrated gradients", "grad_cam": "Grad-CAM",
          "occlusion": "Occlusion"}  # fmt: skip


@lru_cache(maxsize=1)
def _loaded() -> nl.nn.Module:
    return models.load_pretrained(MODEL)


def model() -> nl.nn.Module:
    """A copy of the architectures stop's CNN (loaded once). Each call gets its own copy: the
    lab runs experiments in parallel threads, and the methods' forward hooks and eval-mode
    switches must not meet on one shared model."""
    return copy.deepcopy(_loaded())


@lru_cache(maxsize=1)
def dataset():
    """The shipped Fashion-MNIST subset, channels first: 8,000 training and 1,000 test images."""
    return load_fashion_mnist_subset(layout="nchw")


def classes() -> list[str]:
    return list(dataset().classes)


def probabilities(X: np.ndarray) -> np.ndarray:
    """Softmax of the model's scores, ``(N, 10)``."""
    scores = predict(model(), X, batch_size=500).astype(np.float64)
    scores -= scores.max(axis=1, keepdims=True)
    p = np.exp(scores)
    return p / p.sum(axis=1, keepdims=True)


def pick_image(index: int, pixels: list) -> tuple[np.ndarray, int | None]:
    """``(1, 1, 28, 28)`` image: the drawn ``pixels`` (784 values in [0, 1]) if any, else test
    image ``index``; and its true label (None for a drawing)."""
    if pixels:
        if len(pixels) != 28 * 28:
            raise ParamError(
                f"parameter 'pixels': a drawing has 784 values (28 x 28), got {len(pixels)}",
                "pixels",
            )
        return np.asarray(pixels, np.float32).reshape(1, 1, 28, 28), None
    data = dataset()
    return data.X_test[index : index + 1], int(data.y_test[index])


def explain_all(
    X: np.ndarray,
    target,
    *,
    samples: int = 25,
    noise: float = 0.15,
    steps: int = 50,
    window: int = 5,
    stride: int = 2,
    seed: int = 0,
    model_=None,
) -> dict[str, np.ndarray]:
    """Every method's maps for ``X`` ``(N, 1, 28, 28)``, each ``(N, 28, 28)``, signed; on the
    shipped model unless ``model_`` is given."""
    m = model() if model_ is None else model_
    cam = interpret.grad_cam(m, X, target, layer=CAM_LAYER)
    return {
        "saliency": interpret.saliency(m, X, target)[:, 0],
        "smoothgrad": interpret.smoothgrad(m, X, target, samples=samples, noise=noise, seed=seed)[
            :, 0
        ],
        "integrated_gradients": interpret.integrated_gradients(m, X, target, steps=steps)[:, 0],
        "grad_cam": interpret.upsample_to(cam, (28, 28)),
        "occlusion": interpret.occlusion(m, X, target, window=window, stride=stride)[:, 0],
    }


def map_frame(values: np.ndarray) -> dict:
    """One map as a grid in [-1, 1], divided by its largest |value| (``value_range`` gives the
    numbers before scaling)."""
    a = np.asarray(values, dtype=np.float64)
    scale = float(np.abs(a).max())
    return grid(a / scale if scale > 0 else a, IMAGE_EXTENT, lo=-1.0, hi=1.0)


def value_range(values: np.ndarray) -> list[float]:
    a = np.asarray(values, dtype=np.float64)
    return [float(a.min()), float(a.max())]


def image_frame(image: np.ndarray) -> dict:
    """A 28x28 image with values in [0, 1] as a grid."""
    return grid(np.asarray(image, np.float64).reshape(28, 28), IMAGE_EXTENT, lo=0.0, hi=1.0)
