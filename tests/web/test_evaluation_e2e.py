"""End to end in headless Chromium: the evaluation stop, every control operated (1280 and 768)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def show(page, widget: str) -> None:
    """Scroll a widget into view: widgets are built (and fetch their numbers) when seen."""
    page.locator(widget).scroll_into_view_if_needed()


def set_range(page, selector: str, value: float) -> None:
    """Move a range input to ``value`` (in its own units) and fire the input event."""
    page.wait_for_selector(selector, state="attached", timeout=60_000)
    page.eval_on_selector(
        selector,
        "(el, v) => { el.value = String(v);"
        " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def test_trap_and_thresholds(page, open_chapter, updates, screenshot):
    open_chapter(page, "evaluation")
    show(page, '[data-widget="accuracy-trap"]')
    trap = page.locator('[data-widget="accuracy-trap"]')
    trap.locator(".data-table tbody tr").nth(1).wait_for()
    assert trap.locator(".data-table tbody tr").first.locator("td").nth(2).inner_text() == "0.000"
    widget = '[data-widget="thresholds"]'
    show(page, widget)
    page.wait_for_selector(f"{widget}[data-best]", timeout=60_000)
    before = updates(page, f"{widget} .unit-curve", 0)
    set_range(page, "#ev-threshold", 0.2)
    updates(page, f"{widget} .unit-curve", before)
    assert page.get_attribute(widget, "data-threshold") == "0.20"
    label = page.get_attribute(f"{widget} .unit-curve canvas", "aria-label")
    assert "point at" in label
    best_before = float(page.get_attribute(widget, "data-best"))
    set_range(page, "#ev-cost-fn", 1.4)  # log10 slider: a false negative now costs about 25
    page.wait_for_function(
        f"() => Number(document.querySelector('{widget}').dataset.best) < {best_before}"
    )
    set_range(page, "#ev-cost-fp", 0.5)  # 10^0.5: a false positive costs about 3
    page.wait_for_selector(f'{widget}[data-busy="0"]')
    page.get_by_role("button", name="Go to the cheapest threshold").click()
    page.wait_for_function(
        f"() => document.querySelector('{widget}').dataset.threshold === "
        f"document.querySelector('{widget}').dataset.best"
    )
    assert "cost_fn=" in page.url
    page.locator(widget).screenshot(
        path=str(screenshot(page, "evaluation-1280").parent / "evaluation-thresholds.png")
    )


def test_regression_outliers_by_drag_and_slider(page, open_chapter, updates, screenshot):
    open_chapter(page, "evaluation")
    widget = '[data-widget="regression"]'
    show(page, widget)
    page.wait_for_selector(f"{widget}[data-rmse-growth]", timeout=60_000)
    assert float(page.get_attribute(widget, "data-rmse-growth")) == 1.0
    set_range(page, "#ev-outlier-0", 300)
    page.wait_for_function(
        f"() => Number(document.querySelector('{widget}').dataset.rmseGrowth) > 1.0"
    )
    rmse = float(page.get_attribute(widget, "data-rmse-growth"))
    mae = float(page.get_attribute(widget, "data-mae-growth"))
    assert rmse > mae > 1.0
    # drag the second outlier down with the mouse
    canvas = page.locator(f"{widget} canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    point = page.evaluate(
        "() => JSON.parse(document.querySelector('[data-widget=\"regression\"] .ev-plot')"
        ".dataset.squares)[1]"
    )
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"] + 60, steps=5)
    page.mouse.up()
    page.wait_for_function("() => Number(document.querySelector('#ev-outlier-1').value) < 0")
    page.get_by_role("button", name="Put the points back").click()
    page.wait_for_function(
        f"() => Number(document.querySelector('{widget}').dataset.rmseGrowth) === 1"
    )
    page.locator(widget).screenshot(
        path=str(screenshot(page, "evaluation-1280").parent / "evaluation-regression.png")
    )


def test_untouched_test_set_runs_and_stops(page, open_chapter, updates, screenshot):
    open_chapter(page, "evaluation", "repeats=2")
    widget = '[data-widget="untouched-test"]'
    show(page, widget)
    set_range(page, "#ev-repeats", 2)
    page.get_by_role("button", name="Run the experiment").click()
    page.wait_for_selector(f'{widget}[data-state="done"]', timeout=120_000)
    page.locator(widget).screenshot(
        path=str(screenshot(page, "evaluation-1280").parent / "evaluation-untouched-done.png")
    )
    rows = page.locator(f"{widget} .data-table tbody tr")
    assert rows.count() == 16 and page.locator(f"{widget} tr.highlight").count() >= 1
    assert "points" in page.locator(f"{widget} .readout").inner_text()
    page.get_by_role("button", name="Run the experiment").click()
    page.wait_for_selector(f'{widget}[data-state="running"]')
    page.get_by_role("button", name="Stop").click()
    page.wait_for_selector(f'{widget}[data-state="stopped"]', state="attached")
    page.locator(widget).screenshot(
        path=str(screenshot(page, "evaluation-1280").parent / "evaluation-untouched.png")
    )
    page.set_viewport_size({"width": 768, "height": 1024})
    page.wait_for_timeout(300)
    screenshot(page, "evaluation-768")
