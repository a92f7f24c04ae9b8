"""Captum is the oracle: the same weights in a PyTorch model, the same attributions."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, Occlusion, Saliency

from neuronlab.interpret import (
    METHODS,
    grad_cam,
    integrated_gradients,
    occlusion,
    saliency,
    upsample_to,
)


def t(a):
    return torch.from_numpy(np.array(a, dtype=np.float64))


@pytest.mark.parametrize("absolute", [True, False])
def test_saliency_matches_captum_on_a_cnn(cnn, images, absolute):
    model, twin = cnn
    targets = [2, 7, 0]
    ours = saliency(model, images, targets, abs=absolute)
    theirs = Saliency(twin).attribute(t(images).requires_grad_(), target=targets, abs=absolute)
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_saliency_matches_captum_on_an_mlp(mlp, rows):
    model, twin = mlp
    ours = saliency(model, rows, 1)
    theirs = Saliency(twin).attribute(t(rows).requires_grad_(), target=1)
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_integrated_gradients_matches_captum_for_every_method(mlp, rows, method):
    model, twin = mlp
    baseline = np.linspace(-0.5, 0.5, 6)[None]  # one baseline for every example
    ours, gap = integrated_gradients(
        model, rows, [0, 1, 2, 1, 0], baseline=baseline, steps=16, method=method,
        return_delta=True,
    )  # fmt: skip
    theirs, delta = IntegratedGradients(twin).attribute(
        t(rows), baselines=t(baseline), target=[0, 1, 2, 1, 0], n_steps=16, method=method,
        return_convergence_delta=True,
    )  # fmt: skip
    # Captum builds its Riemann points with float32 linspace: agreement to ~1e-6 relative
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(gap, delta.numpy(), rtol=1e-5, atol=1e-6)


def test_integrated_gradients_matches_captum_on_a_cnn_with_default_baseline(cnn, images):
    model, twin = cnn
    ours = integrated_gradients(model, images, 4, steps=20)
    theirs = IntegratedGradients(twin).attribute(t(images), target=4, n_steps=20)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-6, atol=1e-9)


def test_integrated_gradients_per_example_baselines_match_captum(mlp, rows):
    model, twin = mlp
    baselines = np.random.default_rng(5).normal(size=rows.shape)
    ours = integrated_gradients(model, rows, 2, baseline=baselines, steps=8)
    theirs = IntegratedGradients(twin).attribute(t(rows), baselines=t(baselines), target=2,
                                                 n_steps=8)  # fmt: skip
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("window,stride", [((1, 4, 4), (1, 4, 4)), ((1, 6, 6), (1, 2, 2))])
def test_occlusion_matches_captum_on_images(cnn, images, window, stride):
    model, twin = cnn
    ours = occlusion(model, images, [1, 3, 5], window=window[1:], stride=stride[1:],
                     baseline=0.25)  # fmt: skip
    theirs = Occlusion(twin).attribute(
        t(images), sliding_window_shapes=window, strides=stride, baselines=0.25, target=[1, 3, 5]
    )
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_occlusion_matches_captum_on_tabular_rows(mlp, rows):
    model, twin = mlp
    ours = occlusion(model, rows, 0, window=(2,), stride=(1,))
    theirs = Occlusion(twin).attribute(t(rows), sliding_window_shapes=(2,), strides=1, target=0)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("layer", ["features.1", "features.3", "features.4"])
def test_grad_cam_matches_captum_layer_grad_cam(cnn, images, layer):
    model, twin = cnn
    module = dict(twin.named_modules())[layer]
    ours = grad_cam(model, images, [9, 0, 6], layer=layer)
    theirs = LayerGradCam(twin, module).attribute(t(images), target=[9, 0, 6],
                                                  relu_attributions=True)  # fmt: skip
    assert ours.shape == theirs.shape[:1] + theirs.shape[2:]
    np.testing.assert_allclose(ours, theirs[:, 0].detach().numpy(), rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_upsample_to_matches_captum_interpolate(mode):
    maps = np.random.default_rng(2).random((2, 7, 7))
    ours = upsample_to(maps, (28, 28), mode=mode)
    theirs = LayerAttribution.interpolate(t(maps)[:, None], (28, 28), interpolate_mode=mode)
    np.testing.assert_allclose(ours, theirs[:, 0].numpy(), rtol=1e-12, atol=1e-12)


def test_upsample_to_non_integer_ratio_matches_torch():
    maps = np.random.default_rng(3).random((1, 5, 7))
    for mode in ("nearest", "bilinear"):
        ours = upsample_to(maps, (12, 9), mode=mode)
        theirs = torch.nn.functional.interpolate(t(maps)[:, None], size=(12, 9), mode=mode)
        np.testing.assert_allclose(ours, theirs[:, 0].numpy(), rtol=1e-12, atol=1e-12)
