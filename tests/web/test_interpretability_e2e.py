"""End to end in headless Chromium: the interpretability stop, every control (1280 and 768)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EXPLAIN = '[data-widget="explain"]'


def set_slider(page, scope, label, value):
    """Move a range input to ``value`` the way a keyboard user would, firing 'input'."""
    page.locator(scope).get_by_label(label, exact=True).evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        str(value),
    )


def wait_ready(page, scope, updates, selector, more_than):
    n = updates(page, f"{scope} {selector}", more_than, timeout=30_000)
    page.wait_for_selector(f'{scope}[data-state="ready"]', timeout=30_000)
    return n


def test_explainer_every_control(page, open_chapter, updates, screenshot):
    open_chapter(page, "interpretability")
    n = wait_ready(page, EXPLAIN, updates, "[data-testid=x-saliency]", 0)
    prediction = page.locator("[data-testid=x-prediction]")
    assert "truth:" in prediction.inner_text() and "%" in prediction.inner_text()
    set_slider(page, EXPLAIN, "Test image", 1)
    n = wait_ready(page, EXPLAIN, updates, "[data-testid=x-grad_cam]", n)
    assert "x.index=1" in page.url
    page.locator(EXPLAIN).get_by_label("Explain class").select_option("6")
    n = wait_ready(page, EXPLAIN, updates, "[data-testid=x-occlusion]", n)
    assert "maps explain: Shirt" in prediction.inner_text() and "x.target=6" in page.url
    page.locator(f"{EXPLAIN} summary").click()
    for label, value in [("SmoothGrad samples", 5), ("SmoothGrad noise (share of range)", 0.3),
                         ("IG steps", 20), ("Occlusion window (px)", 7),
                         ("Occlusion stride (px)", 4)]:  # fmt: skip
        set_slider(page, EXPLAIN, label, value)
        n = wait_ready(page, EXPLAIN, updates, "[data-testid=x-smoothgrad]", n)
    screenshot(page, "interpretability-explain-1280")
    # draw a garment of our own
    page.locator(EXPLAIN).get_by_role("button", name="Draw").click()
    n = wait_ready(page, EXPLAIN, updates, "[data-testid=x-saliency]", n)
    page.locator(EXPLAIN).get_by_role("button", name="Clear").click()
    n = wait_ready(page, EXPLAIN, updates, "[data-testid=x-saliency]", n)
    box = page.locator("[data-testid=pad]").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    for step in range(12):
        page.mouse.move(
            box["x"] + box["width"] * 0.4, box["y"] + box["height"] * (0.2 + step * 0.05)
        )
    page.mouse.up()
    n = wait_ready(page, EXPLAIN, updates, "[data-testid=x-saliency]", n)
    assert "your drawing" in prediction.inner_text()
    page.locator(EXPLAIN).locator(".px-layout").screenshot(
        path=str(screenshot(page, "interpretability-1280").parent / "interpretability-drawing.png")
    )
    page.locator(EXPLAIN).get_by_role("button", name="Back to test images").click()
    wait_ready(page, EXPLAIN, updates, "[data-testid=x-saliency]", n)
    assert "truth:" in prediction.inner_text()


def test_features_sanity_and_limits(page, open_chapter, updates, screenshot):
    open_chapter(page, "interpretability")
    feats = '[data-widget="features"]'
    page.locator(feats).get_by_role("button", name="Visualize").click()
    n = wait_ready(page, feats, updates, "[data-testid=f-gallery]", 0)
    assert page.locator(f"{feats} .px-unit").count() == 16
    page.locator(feats).get_by_label("Layer").select_option("classifier.3")
    settings = [("Ascent steps", 20), ("L2 weight", 0.1), ("Jitter (px)", 2),
                ("Blur sigma (px)", 1.0), ("Training images shown per unit", 2)]  # fmt: skip
    for label, value in settings:
        set_slider(page, feats, label, value)
    page.locator(feats).get_by_role("button", name="Visualize").click()
    wait_ready(page, feats, updates, "[data-testid=f-gallery]", n)
    assert page.locator(f"{feats} .px-unit").count() == 10
    assert "Trouser" in page.locator(f"{feats} .px-unit").nth(1).inner_text()
    # the sanity check, live
    sanity = '[data-widget="sanity"]'
    set_slider(page, sanity, "Test images", 3)
    set_slider(page, sanity, "Image whose maps are drawn", 1)
    set_slider(page, sanity, "Seed of the random weights", 2)
    page.locator(sanity).get_by_role("button", name="Start").click()
    page.wait_for_selector(f'{sanity}[data-state="ended"]', timeout=60_000)
    assert "features.0" in page.locator("[data-testid=s-stage]").inner_text()
    page.locator(sanity).get_by_role("button", name="Restart").click()
    page.locator(sanity).get_by_role("button", name="Stop").click()
    page.wait_for_selector(f'{sanity}[data-state="stopped"]', timeout=10_000)
    # baselines, mistakes, focus, completeness
    compare = page.locator('[data-widget="baselines"]').get_by_role(
        "button", name="Compare baselines"
    )
    compare.click()
    page.wait_for_selector('[data-widget="baselines"][data-state="ready"]', timeout=30_000)
    assert page.locator("[data-testid=b-rows] tbody tr").count() == 5
    page.wait_for_selector('[data-widget="mistakes"][data-state="ready"]', timeout=30_000)
    assert "with more than 90% confidence" in page.locator("[data-testid=m-summary]").inner_text()
    page.locator(".px-mistake").first.click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=x-prediction]').innerText.includes('truth')"
    )
    page.locator('[data-widget="baselines"]').get_by_role(
        "button", name="Use the explainer's image"
    ).click()
    page.wait_for_function(
        "() => !document.querySelector('[data-widget=baselines] .px-stage').innerText"
        ".startsWith('test image 0,')"
    )
    for widget, label, value in [("focus", "Test images", 8), ("completeness", "Test images", 4)]:
        scope = f'[data-widget="{widget}"]'
        set_slider(page, scope, label, value)
        page.locator(scope).get_by_role("button", name="Measure").click()
        page.wait_for_selector(f'{scope}[data-state="ready"]', timeout=60_000)
    assert page.locator("[data-testid=c-rows] tbody tr").count() == 5
    table = '[data-widget="tabular"]'
    page.locator(table).get_by_label("Data set").select_option("breast_cancer")
    set_slider(page, table, "Test rows averaged", 40)
    set_slider(page, table, "IG steps", 20)
    page.locator(table).get_by_role("button", name="Explain the table").click()
    page.wait_for_selector(f'{table}[data-state="ready"]', timeout=60_000)
    assert page.locator("[data-testid=t-bars] .px-bar-row").count() == 12
    assert "Not a causal effect" in page.locator(table).inner_text()
    assert page.locator("[data-testid=focus-out] .px-bar-row").count() == 6
    screenshot(page, "interpretability-1280")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.wait_for_function("() => document.documentElement.clientWidth === 768")
    screenshot(page, "interpretability-768")
