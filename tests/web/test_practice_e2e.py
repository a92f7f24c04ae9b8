"""End to end in headless Chromium: the practice chapter's side-by-side runs (1280 and 768)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDGETS = ["normalization", "schedules", "overfitting", "early-stopping"]


def test_comparisons_run_side_by_side(page, open_chapter, updates, screenshot):
    open_chapter(page, "practice", "n.epochs=30&s.epochs=30&o.epochs=40&e.epochs=40&e.patience=5")
    for name in WIDGETS:
        page.locator(f'[data-widget="{name}"]').get_by_role("button", name="Start").click()
    for name in WIDGETS:
        updates(page, f'[data-widget="{name}"] .linechart', 3, timeout=40_000)
    for name in WIDGETS:
        page.wait_for_selector(f'[data-widget="{name}"][data-state="ended"]', timeout=60_000)
    # normalization: the normalized run gets below 0.2, the raw one does not
    rows = page.locator("[data-testid='n.readout'] tbody tr")
    assert "not yet" in rows.nth(0).inner_text() and "epoch" in rows.nth(1).inner_text()
    # overfitting: a gap number per run, dropout + L2 smaller than none
    gaps = page.locator("[data-testid='o.readout'] tbody tr")
    gap = [float(gaps.nth(i).locator("td").last.inner_text()) for i in range(3)]
    assert gap[2] < gap[0]
    # early stopping: best and restored agree; the chart carries the markers
    es = page.locator("[data-testid='e.readout'] tbody tr")
    best = float(es.nth(0).locator("td").last.inner_text())
    restored = float(es.nth(2).locator("td").last.inner_text())
    assert best == restored
    label = page.get_attribute('[data-widget="early-stopping"] canvas', "aria-label")
    assert "early stopping" in label
    assert "e.epochs=40" in page.url
    page.locator('[data-widget="early-stopping"]').screenshot(
        path=str(screenshot(page, "practice-1280").parent / "practice-early-stopping.png")
    )
    page.locator('[data-widget="schedules"]').screenshot(
        path=str(screenshot(page, "practice-1280").parent / "practice-schedules.png")
    )
    page.set_viewport_size({"width": 768, "height": 1024})
    page.locator("#map-toggle").wait_for()  # the narrow layout is on
    screenshot(page, "practice-768")
    page.locator('[data-widget="overfitting"]').screenshot(
        path=str(screenshot(page, "practice-768").parent / "practice-overfitting-768.png")
    )


def test_pause_and_stop(page, open_chapter, updates):
    open_chapter(page, "practice", "o.speed=5")
    widget = page.locator('[data-widget="overfitting"]')
    widget.get_by_role("button", name="Start").click()
    updates(page, '[data-widget="overfitting"] .linechart', 1)
    widget.get_by_role("button", name="Pause").click()
    widget.get_by_role("button", name="Resume").wait_for()
    page.wait_for_selector('[data-widget="overfitting"][data-state="paused"]', state="attached")
    widget.get_by_role("button", name="Stop").click()
    page.wait_for_selector('[data-widget="overfitting"][data-state="stopped"]', state="attached")
    assert widget.get_by_role("button", name="Pause").is_disabled()
