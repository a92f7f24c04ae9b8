"""Feature maps (PyTorch's forward hooks as the oracle), activation maximization, the rank
correlation (SciPy as the oracle) and the randomization sanity check."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
import torch

import neuronlab as nl
from neuronlab.interpret import (
    activation_maximization,
    feature_maps,
    gaussian_blur,
    grad_cam,
    randomization_check,
    saliency,
    spearman,
    top_activating,
)
from neuronlab.interpret.features import feature_maps as fm


def test_feature_maps_match_torch_forward_hooks(cnn, images):
    model, twin = cnn
    ours = feature_maps(model, images, ["features.1", "features.5", "classifier.1"])
    seen = {}
    for name in ours:
        module = dict(twin.named_modules())[name]
        module.register_forward_hook(lambda m, i, o, name=name: seen.__setitem__(name, o))
    with torch.no_grad():
        twin(torch.from_numpy(images))
    assert list(ours) == ["features.1", "features.5", "classifier.1"]
    for name, value in ours.items():
        np.testing.assert_allclose(value, seen[name].numpy(), rtol=1e-10, atol=1e-12)


def test_feature_maps_default_records_every_leaf_and_removes_its_hooks(cnn, images):
    model, _ = cnn
    maps = fm(model, images[:1])
    assert list(maps)[:3] == ["features.0", "features.1", "features.2"]
    assert maps["features.2"].shape == (1, 3, 14, 14)
    assert all(not m._forward_hooks for m in model.modules())


@pytest.fixture(scope="module")
def fashion():
    return nl.models.load_pretrained("fashion-cnn")


def test_activation_maximization_excites_its_filter_far_more_than_the_start(fashion):
    def mean_act(img, unit):
        return feature_maps(fashion, img[None], ["features.3"])["features.3"][0, unit].mean()

    start = activation_maximization(fashion, layer="features.3", unit=5, steps=0)
    best = activation_maximization(fashion, layer="features.3", unit=5, steps=40)
    assert best.shape == (1, 28, 28) and best.min() >= 0 and best.max() <= 1
    assert mean_act(best, 5) > mean_act(start, 5) + 1.0


@pytest.mark.parametrize("unit", [0, 7])
def test_activation_maximization_of_a_class_makes_the_model_predict_it(fashion, unit):
    img = activation_maximization(fashion, layer="classifier.3", unit=unit, steps=60)
    with nl.no_grad():
        scores = fashion(nl.tensor(img[None])).data[0]
    assert int(np.argmax(scores)) == unit


def test_blur_makes_the_picture_smoother(fashion):
    def roughness(img):
        return np.abs(np.diff(img, axis=-1)).mean()

    for layer, unit in [("features.3", 5), ("classifier.3", 3)]:
        sharp = activation_maximization(fashion, layer=layer, unit=unit, steps=30, blur=0)
        smooth = activation_maximization(fashion, layer=layer, unit=unit, steps=30, blur=1.0)
        assert roughness(smooth) < 0.7 * roughness(sharp)


def test_gaussian_blur_keeps_the_mean_of_a_smooth_image_and_matches_a_direct_sum():
    img = np.random.default_rng(0).random((6, 7))
    out = gaussian_blur(img, 0.8)
    r = 3
    taps = np.exp(-0.5 * (np.arange(-r, r + 1) / 0.8) ** 2)
    taps /= taps.sum()
    padded = np.pad(img, r, mode="edge")
    direct = np.array([[sum(taps[a] * taps[b] * padded[i + a, j + b] for a in range(7)
                             for b in range(7)) for j in range(7)] for i in range(6)])  # fmt: skip
    np.testing.assert_allclose(out, direct, rtol=1e-12)


def test_unit_out_of_range_names_the_count(cnn):
    model, _ = cnn
    with pytest.raises(ValueError, match=r"unit 4 is out of range for layer 'features.3', which "
                                         r"has 4 units"):  # fmt: skip
        activation_maximization(model, layer="features.3", unit=4, steps=1)


def test_top_activating_orders_examples_by_the_units_mean(cnn, images):
    model, _ = cnn
    maps = feature_maps(model, images, ["features.1"])["features.1"][:, 1].mean(axis=(1, 2))
    assert top_activating(model, images, layer="features.1", unit=1, k=3).tolist() == list(
        np.argsort(-maps)
    )


@pytest.mark.parametrize("seed", range(4))
def test_spearman_matches_scipy_with_ties(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 5, size=40).astype(float)
    b = a + rng.normal(size=40)
    assert spearman(a, b) == pytest.approx(scipy.stats.spearmanr(a, b).statistic, abs=1e-12)


def test_randomization_check_starts_at_one_and_leaves_the_model(cnn, images):
    model, _ = cnn
    before = {k: np.array(v.data) for k, v in model.state_dict().items()}
    check = randomization_check(saliency, model, images, 1, keep_maps=True)
    assert check.layers == ["", "classifier.3", "classifier.1", "features.3", "features.0"]
    assert check.correlations.shape == (5, 3) and np.allclose(check.correlations[0], 1.0)
    assert len(check.maps) == 5 and check.method == "saliency"
    assert check.mean()[-1] < 0.9
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.data, before[key])


def test_randomization_check_passes_keyword_arguments(cnn, images):
    model, _ = cnn
    check = randomization_check(grad_cam, model, images, 0, layers=["classifier.3"],
                                layer="features.3")  # fmt: skip
    assert check.layers == ["", "classifier.3"] and check.correlations.shape == (2, 3)
