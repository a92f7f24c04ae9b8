"""End to end in headless Chromium: the transfer stop's race and learning curve (1280, 768)."""

from __future__ import annotations

import math

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

RACE = '[data-widget="race"]'
CURVE = '[data-widget="curve"]'


def set_slider(page, scope, label, value, log=False):
    """Move a range input to ``value`` (log sliders hold log10 of the value), firing 'input'."""
    value = math.log10(value) if log else value
    page.locator(scope).get_by_label(label, exact=True).evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        str(value),
    )


def test_race_runs_three_contenders(page, open_chapter, updates, screenshot):
    open_chapter(page, "transfer", "r.steps=40")
    race = page.locator(RACE)
    for label, value in [("Labels per class", 8), ("Body lr (× head lr)", 0.2), ("Seed", 3)]:
        set_slider(page, RACE, label, value)
    set_slider(page, RACE, "Learning rate (Adam)", 0.002, log=True)
    assert "r.labels=8" in page.url and "r.seed=3" in page.url and "r.lr=0.002" in page.url
    race.get_by_role("button", name="Start").click()
    updates(page, f"{RACE} .linechart", 0, timeout=30_000)
    page.wait_for_selector(f'{RACE}[data-state="ended"]', timeout=60_000)
    rows = page.locator("[data-testid='r.readout'] tbody tr")
    assert rows.count() == 3 and "linear probe" in rows.nth(1).inner_text()
    assert (
        "step 40 / 40 · 8 labels per class"
        in race.locator("[data-testid='r.progress']").inner_text()
    )
    # pause and resume a slowed-down run, then stop it
    set_slider(page, RACE, "Steps per second", 5)
    race.get_by_role("button", name="Restart").click()
    race.get_by_role("button", name="Pause").click()
    race.get_by_role("button", name="Resume").wait_for()
    race.get_by_role("button", name="Resume").click()
    race.get_by_role("button", name="Pause").wait_for()
    race.get_by_role("button", name="Stop").click()
    page.wait_for_selector(f'{RACE}[data-state="stopped"]', timeout=10_000)


def test_learning_curve(page, open_chapter, updates, screenshot):
    open_chapter(page, "transfer")
    curve = page.locator(CURVE)
    curve.get_by_label("100").uncheck()
    curve.get_by_label("10", exact=True).check()
    set_slider(page, CURVE, "Seeds per point", 1)
    set_slider(page, CURVE, "Training steps per run", 20)
    set_slider(page, CURVE, "Learning rate (Adam)", 0.004, log=True)
    set_slider(page, CURVE, "Body lr (× head lr)", 0.3)
    assert "c.lr=0.004" in page.url and "c.steps=20" in page.url
    curve.get_by_role("button", name="Start").click()
    page.wait_for_selector(f'{CURVE}[data-state="ended"]', timeout=60_000)
    assert "3 of 3" in curve.locator("[data-testid='c.progress']").inner_text()
    rows = page.locator("[data-testid='c.readout'] tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == ["5", "10", "20"]
    screenshot(page, "transfer-1280")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.wait_for_function("() => document.documentElement.clientWidth === 768")
    screenshot(page, "transfer-768")
