"""Grad-CAM (Selvaraju et al., 2017): which regions of a conv layer's maps the class relies on.

With A^k the k-th feature map of a convolutional layer (``(H', W')``) and f_c the class score,

    w_k = mean over (i, j) of  d f_c / d A^k_ij           (how much map k matters for c)
    cam = ReLU( sum_k w_k A^k )                            (N, H', W')

The map has the layer's resolution (14x14 for the last ReLU of ``SmallCNN``); ``upsample_to``
stretches it to the image to draw it on top. This is Captum's ``LayerGradCam`` with
``relu_attributions=True`` (its channel axis of size 1 dropped) and ``LayerAttribution.
interpolate`` (nearest or bilinear, as ``torch.nn.functional.interpolate`` with
``align_corners=False``).
"""

from __future__ import annotations

import numpy as np

from ..nn import Module
from ._model import as_input, as_targets, check_model, find_layer, forward, inspecting, one_hot


def grad_cam(model: Module, x, target, *, layer, relu: bool = True) -> np.ndarray:
    """Grad-CAM of each example's ``target`` at ``layer`` (a module or its dotted name).

    Shape: ``x`` (N, C, H, W) -> (N, H', W'), the layer output's spatial size.

    Args:
        model: a classifier returning raw scores ``(N, classes)`` (eval mode, left unchanged).
        x: inputs; target: an int or ``(N,)`` ints.
        layer: a layer whose output is ``(N, K, H', W')``, e.g. ``'features.4'``, the last
            ReLU of ``SmallCNN`` (a name from ``model.named_modules()``).
        relu: keep only the positive evidence (the published method, and the default).

    >>> import neuronlab as nl
    >>> from neuronlab.models import SmallCNN
    >>> cam = grad_cam(SmallCNN(channels=(2, 4), hidden=8), nl.zeros(1, 1, 28, 28), 3,
    ...                layer="features.3")
    >>> cam.shape
    (1, 14, 14)
    """
    check_model("grad_cam", model)
    x = as_input("grad_cam", model, x)
    name, module = find_layer("grad_cam", model, layer)
    kept = []

    def keep(_module, _inputs, output):
        output.retain_grad()
        kept.append(output)

    with inspecting(model), module.register_forward_hook(keep):
        _, out = forward("grad_cam", model, x, requires_grad=True)
        targets = as_targets("grad_cam", target, len(x), out.shape[1])
        out.backward(one_hot(targets, out.shape[1], out.data.dtype))
    acts = kept[-1]
    if acts.ndim != 4:
        raise ValueError(
            f"grad_cam: layer {name!r} ({type(module).__name__}) gives outputs of shape "
            f"{tuple(acts.shape)}; Grad-CAM needs a convolutional layer's (N, K, H', W') maps"
        )
    grads = acts.grad if acts.grad is not None else np.zeros_like(acts.data)
    weights = grads.mean(axis=(2, 3), keepdims=True)  # (N, K, 1, 1)
    cam = (weights * acts.data).sum(axis=1)  # (N, H', W')
    return (np.maximum(cam, 0) if relu else cam).astype(x.dtype)


def upsample_to(attr, shape, mode: str = "bilinear") -> np.ndarray:
    """Resize maps ``(N, h, w)`` (or one ``(h, w)``) to ``shape = (H, W)``.

    ``mode='nearest'`` copies each cell into a block; ``'bilinear'`` interpolates between cell
    centres (``torch.nn.functional.interpolate`` with ``align_corners=False``).

    >>> upsample_to(np.array([[0.0, 1.0]]), (1, 4), mode="nearest").tolist()
    [[0.0, 0.0, 1.0, 1.0]]
    """
    a = np.asarray(attr)
    single = a.ndim == 2
    if a.ndim not in (2, 3):
        raise ValueError(f"upsample_to: expected maps (N, h, w) or (h, w), got shape {a.shape}")
    shape = tuple(int(s) for s in shape)
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"upsample_to: shape must be (H, W) with positive sizes, got {shape}")
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"upsample_to: mode must be 'nearest' or 'bilinear', got {mode!r}")
    a = a[None] if single else a
    if mode == "nearest":
        rows = np.floor(np.arange(shape[0]) * (a.shape[1] / shape[0])).astype(int)
        cols = np.floor(np.arange(shape[1]) * (a.shape[2] / shape[1])).astype(int)
        out = a[:, rows][:, :, cols]
    else:
        r0, r1, fr = _linear_index(a.shape[1], shape[0])
        c0, c1, fc = _linear_index(a.shape[2], shape[1])
        top = a[:, r0] * (1 - fr)[:, None] + a[:, r1] * fr[:, None]  # (N, H, w)
        out = top[:, :, c0] * (1 - fc) + top[:, :, c1] * fc
    out = out.astype(a.dtype if a.dtype.kind == "f" else np.float64)
    return out[0] if single else out


def _linear_index(size_in: int, size_out: int):
    """Source cells and weights of linear interpolation with ``align_corners=False``."""
    src = (np.arange(size_out) + 0.5) * (size_in / size_out) - 0.5
    src = np.maximum(src, 0.0)
    i0 = np.minimum(np.floor(src).astype(int), size_in - 1)
    i1 = np.minimum(i0 + 1, size_in - 1)
    return i0, i1, src - i0
