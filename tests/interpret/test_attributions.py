"""Properties of the attribution methods, their errors, and that they leave the model alone."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab.interpret import (
    grad_cam,
    integrated_gradients,
    occlusion,
    saliency,
    smoothgrad,
)


def test_completeness_gap_shrinks_as_steps_grow(cnn, images):
    model, _ = cnn
    gaps = [
        np.abs(integrated_gradients(model, images, 3, steps=s, method="riemann_right",
                                    return_delta=True)[1]).max()
        for s in (4, 16, 64)
    ]  # fmt: skip
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[2] < 0.25 * gaps[0]


def test_the_gap_is_the_sum_of_attributions_minus_the_score_change(mlp, rows):
    model, twin = mlp
    attr, gap = integrated_gradients(model, rows, 1, steps=50, return_delta=True)
    with torch.no_grad():
        change = twin(torch.from_numpy(rows))[:, 1] - twin(torch.zeros(1, 6).double())[:, 1]
    np.testing.assert_allclose(gap, attr.sum(axis=1) - change.numpy(), atol=1e-12)
    assert np.abs(gap).max() < 0.1 * np.abs(change.numpy()).max()  # ReLU kinks: not exact


def test_completeness_is_exact_for_a_smooth_model_with_gauss_legendre():
    nl.manual_seed(0)
    model = nl.nn.Sequential(nl.nn.Linear(4, 5), nl.nn.Tanh(), nl.nn.Linear(5, 2)).double()
    x = np.random.default_rng(0).normal(size=(3, 4))
    _, gap = integrated_gradients(model, x, 0, steps=50, return_delta=True)
    assert np.abs(gap).max() < 1e-10


def test_smoothgrad_with_zero_noise_equals_saliency(cnn, images):
    model, _ = cnn
    for absolute in (True, False):
        np.testing.assert_array_equal(
            smoothgrad(model, images, [1, 2, 3], samples=4, noise=0.0, abs=absolute),
            saliency(model, images, [1, 2, 3], abs=absolute),
        )


def test_smoothgrad_is_the_mean_saliency_of_noisy_copies(mlp, rows):
    model, _ = mlp
    ours = smoothgrad(model, rows, 0, samples=5, noise=0.2, seed=7)
    rng = np.random.default_rng(7)
    sigma = 0.2 * (rows.max(axis=1, keepdims=True) - rows.min(axis=1, keepdims=True))
    noise = rng.standard_normal((5, *rows.shape))
    expected = np.mean([saliency(model, rows + sigma * e, 0) for e in noise], axis=0)
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_smoothgrad_is_reproducible_with_a_seed(cnn, images):
    model, _ = cnn
    a = smoothgrad(model, images[:1], 0, samples=3, seed=1)
    b = smoothgrad(model, images[:1], 0, samples=3, seed=1)
    np.testing.assert_array_equal(a, b)


def test_explaining_leaves_the_model_as_it_was(cnn, images):
    model, _ = cnn
    model.train()
    frozen = model.classifier[1].weight
    frozen.requires_grad_(False)
    model.features[0].weight.grad = np.ones_like(model.features[0].weight.data)
    before = {k: np.array(v.data) for k, v in model.state_dict().items()}
    saliency(model, images, 0)
    integrated_gradients(model, images, 0, steps=4)
    grad_cam(model, images, 0, layer="features.3")
    occlusion(model, images, 0, window=14, stride=14)
    assert all(m.training for m in model.modules())
    assert frozen.requires_grad is False and model.features[0].weight.requires_grad is True
    np.testing.assert_array_equal(model.features[0].weight.grad, 1.0)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.data, before[key])


def test_inputs_take_the_models_dtype(cnn, images):
    model, _ = cnn
    out = saliency(model, images.astype(np.float32), 0)
    assert out.dtype == np.float64
    small = nl.models.SmallCNN(channels=(2, 2), hidden=4)  # float32
    assert saliency(small, images, 0).dtype == np.float32
    assert saliency(small, nl.tensor(images), [0, 1, 2]).shape == images.shape


def test_a_layer_not_in_the_model_names_the_layers(cnn, images):
    model, _ = cnn
    with pytest.raises(ValueError, match=r"layer 'conv9' is not in SmallCNN; its layers are: "
                                         r"features, features\.0, features\.1"):  # fmt: skip
        grad_cam(model, images, 0, layer="conv9")
    with pytest.raises(ValueError, match="layer Linear is not in SmallCNN"):
        grad_cam(model, images, 0, layer=nl.nn.Linear(2, 2))


def test_grad_cam_needs_a_convolutional_layer(cnn, images):
    model, _ = cnn
    with pytest.raises(ValueError, match=r"layer 'classifier\.1' \(Linear\) gives outputs of "
                                         r"shape \(3, 12\); Grad-CAM needs"):  # fmt: skip
        grad_cam(model, images, 0, layer="classifier.1")


@pytest.mark.parametrize("fn", [saliency, smoothgrad, integrated_gradients])
def test_a_target_out_of_range_names_the_number_of_classes(cnn, images, fn):
    model, _ = cnn
    with pytest.raises(ValueError, match=r"target 10 is out of range: the model has 10 classes"):
        fn(model, images, [0, 10, 1])
    with pytest.raises(ValueError, match=r"target -1 is out of range"):
        fn(model, images, -1)


def test_target_of_the_wrong_length_or_type(cnn, images):
    model, _ = cnn
    with pytest.raises(ValueError, match=r"one int or 3 ints \(one per example\), got shape"):
        saliency(model, images, [0, 1])
    with pytest.raises(TypeError, match="target must be a class index"):
        saliency(model, images, "shirt")


def test_a_wrong_input_shape_names_the_expected_shape(cnn, images):
    model, _ = cnn
    with pytest.raises(ValueError, match=r"SmallCNN expects inputs of shape \(N, 1, H, W\), "
                                         r"got shape \(1, 28, 28\) \(one example\? add the "
                                         r"batch axis"):  # fmt: skip
        saliency(model, images[0], 0)
    with pytest.raises(ValueError, match=r"expects inputs of shape \(N, 1, H, W\), got shape "
                                         r"\(3, 3, 28, 28\)"):  # fmt: skip
        saliency(model, np.repeat(images, 3, axis=1), 0)
    with pytest.raises(ValueError, match=r"could not run inputs of shape \(3, 1, 20, 20\)"):
        saliency(model, images[:, :, :20, :20], 0)


def test_tabular_shape_error_names_the_features(mlp, rows):
    model, _ = mlp
    with pytest.raises(ValueError, match=r"expects inputs of shape \(N, 6\), got shape \(5, 4\)"):
        integrated_gradients(model, rows[:, :4], 0)


def test_bad_options_are_clear_errors(mlp, rows):
    model, _ = mlp
    with pytest.raises(ValueError, match="method must be one of riemann_left"):
        integrated_gradients(model, rows, 0, method="simpson")
    with pytest.raises(ValueError, match="steps must be an integer >= 2 for riemann_left"):
        integrated_gradients(model, rows, 0, method="riemann_left", steps=1)
    with pytest.raises(ValueError, match=r"baseline of shape \(4,\) cannot be broadcast"):
        integrated_gradients(model, rows, 0, baseline=np.zeros(4))
    with pytest.raises(ValueError, match="noise must be a fraction >= 0"):
        smoothgrad(model, rows, 0, noise=-1)
    with pytest.raises(ValueError, match=r"window \(9,\) is larger than an example"):
        occlusion(model, rows, 0, window=9, stride=1)
    with pytest.raises(TypeError, match="expected a neuronlab nn.Module"):
        saliency(lambda x: x, rows, 0)


def test_occlusion_of_a_linear_model_is_the_hidden_contribution(mlp):
    """For f(x) = w.x, hiding one feature (baseline 0) drops the score by w_i x_i exactly."""
    layer = nl.nn.Linear(5, 2).double()
    x = np.random.default_rng(0).normal(size=(2, 5))
    attr = occlusion(layer, x, 1, window=1, stride=1)
    np.testing.assert_allclose(attr, layer.weight.data[1] * x, rtol=1e-12)


def test_grad_cam_without_relu_can_be_negative_and_relu_clips_it(cnn, images):
    model, _ = cnn
    raw = grad_cam(model, images, 5, layer="features.3", relu=False)
    np.testing.assert_array_equal(grad_cam(model, images, 5, layer="features.3"),
                                  np.maximum(raw, 0))  # fmt: skip
    assert raw.shape == (3, 14, 14)
