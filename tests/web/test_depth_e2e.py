"""End to end in headless Chromium: the depth stop (depth slider, skip and normalization toggles,
the side-by-side race, the fixed budget), with screenshots at 1280x800 and 768x1024."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _readout(page):
    return page.locator('[data-testid="gradient-readout"]').inner_text()


def _ratio(text):
    return float(re.search(r"last hidden layer: ([^ ]+)", text).group(1))


def _changed(page, updates, before_updates):
    return updates(page, '[data-widget="gradients"]', before_updates)


def test_depth_and_skips_change_the_gradient_bars(page, open_chapter, updates, screenshot):
    open_chapter(page, "depth")
    n = updates(page, '[data-widget="gradients"]', 0)
    plain = _readout(page)
    assert _ratio(plain) < 1e-10  # 20 sigmoid layers: the first hidden layer gets nothing
    page.locator("#skip-toggle").check()
    n = _changed(page, updates, n)
    assert _ratio(_readout(page)) > 1e-2
    page.locator("#skip-toggle").uncheck()
    n = _changed(page, updates, n)
    page.locator("#depth-slider").fill("5")
    n = _changed(page, updates, n)
    shallow = _readout(page)
    assert shallow != plain and _ratio(shallow) > _ratio(plain)
    page.locator('[data-widget="gradients"] select').nth(1).select_option("batch")
    n = _changed(page, updates, n)
    bars = page.get_attribute('[data-widget="gradients"] .barchart canvas', "aria-label")
    assert "gradient norm" in bars
    page.locator('[data-widget="gradients"]').screenshot(
        path=str(screenshot(page, "depth-1280").parent / "depth-gradients.png")
    )


def test_the_race_and_the_budget(page, open_chapter, updates, screenshot):
    open_chapter(page, "depth")
    race = page.locator('[data-widget="race"]')
    race.get_by_role("button", name="Train").click()
    updates(page, '[data-widget="race"] .barchart', 2, timeout=30_000)
    page.wait_for_selector('[data-widget="race"][data-state="ended"]', timeout=120_000)
    rows = page.locator('[data-testid="race-table-plain"] tbody tr')
    plain, residual = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    acc = [float(re.search(r"([\d.]+)%", r).group(1)) for r in (plain, residual)]
    assert acc[1] > acc[0] + 20  # the residual net learns, the plain one does not
    race.screenshot(path=str(screenshot(page, "depth-1280").parent / "depth-race.png"))
    budget = page.locator('[data-widget="budget"]')
    budget.get_by_role("button", name="Train at four depths").click()
    page.wait_for_selector('[data-testid="budget-table"]', timeout=120_000)
    assert page.locator('[data-testid="budget-table"] tbody tr').count() == 4
    screenshot(page, "depth-1280")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.wait_for_timeout(300)
    screenshot(page, "depth-768")
