"""End to end in headless Chromium: the responsibility stop, every control operated (1280, 768)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def show(page, widget: str) -> None:
    """Scroll a widget into view: widgets are built (and fetch their numbers) when seen."""
    page.locator(widget).scroll_into_view_if_needed()


def set_range(page, selector: str, value: float) -> None:
    page.wait_for_selector(selector, state="attached", timeout=60_000)
    page.eval_on_selector(
        selector,
        "(el, v) => { el.value = String(v);"
        " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def shot(page, screenshot, selector, name):
    page.locator(selector).screenshot(
        path=str(screenshot(page, "responsibility-1280").parent / f"{name}.png")
    )


def test_audits_and_mitigation(page, open_chapter, screenshot):
    open_chapter(page, "responsibility")
    show(page, '[data-widget="data-audit"]')
    page.wait_for_selector('[data-widget="data-audit"][data-ready="1"]', timeout=60_000)
    show(page, '[data-widget="bias-audit"]')
    page.wait_for_selector('[data-widget="bias-audit"][data-ready="1"]', timeout=60_000)
    groups = page.locator('[data-widget="data-audit"] .data-table').first.inner_text()
    assert "Female" in groups and "Amer-Indian-Eskimo" in groups
    proxies = page.locator('[data-widget="data-audit"] .data-table').nth(1).inner_text()
    assert "relationship_Husband" in proxies
    audit = page.locator('[data-widget="bias-audit"]').inner_text()
    assert "amplifies" in audit and "base rate" in audit
    widget = '[data-widget="mitigation"]'
    show(page, widget)
    page.wait_for_selector(f'{widget}[data-busy="0"]', timeout=60_000)
    strict = float(page.get_attribute(widget, "data-gap"))
    set_range(page, "#rs-tolerance", 0.3)
    page.wait_for_function(
        f"() => Number(document.querySelector('{widget}').dataset.gap) > {strict}"
    )
    page.select_option("#rs-constraint", "equal_opportunity")
    page.wait_for_function(
        f"() => document.querySelector('{widget}').dataset.busy === '0'"
        " && location.hash.includes('constraint=equal_opportunity')"
    )
    assert "threshold for Female" in page.locator(f"{widget} .readout").inner_text()
    shot(page, screenshot, '[data-widget="data-audit"]', "responsibility-data-audit")
    shot(page, screenshot, '[data-widget="bias-audit"]', "responsibility-bias-audit")
    shot(page, screenshot, widget, "responsibility-mitigation")


def test_privacy_run_and_stop(page, open_chapter, updates, screenshot):
    open_chapter(page, "responsibility", "dp_epochs=3")
    widget = '[data-widget="privacy"]'
    show(page, widget)
    set_range(page, "#rs-dp-epochs", 2)
    set_range(page, "#rs-dp-clip", 0)  # log10 slider: C = 1
    page.get_by_role("button", name="Train the five models").click()
    page.wait_for_selector(f'{widget}[data-state="done"]', timeout=180_000)
    assert page.locator(f"{widget} .data-table tbody tr").count() == 5
    assert int(page.get_attribute(f"{widget} .histogram", "data-updates")) >= 1
    shot(page, screenshot, widget, "responsibility-privacy")
    page.get_by_role("button", name="Train the five models").click()
    page.wait_for_selector(f'{widget}[data-state="running"]')
    page.locator(widget).get_by_role("button", name="Stop").click()
    page.wait_for_selector(f'{widget}[data-state="stopped"]', state="attached")
    screenshot(page, "responsibility-1280")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.wait_for_timeout(300)
    screenshot(page, "responsibility-768")
