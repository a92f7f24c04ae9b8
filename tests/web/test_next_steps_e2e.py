"""Stop 11 in headless Chromium: the side-by-side code, the predictions table from both
libraries, a download that PyTorch loads, the model switch, live retraining, the glossary search
and the glossary links of another chapter (definition on hover and on focus). Screenshots at
1280x800 and 768x1024."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import torch

import neuronlab as nl

pytestmark = [pytest.mark.slow, pytest.mark.browser]
GRADUATE = '[data-widget="graduate"]'


def _graduated(page):
    page.wait_for_selector(f'{GRADUATE}[data-ready="1"] .ns-table tbody tr', timeout=30_000)


def test_graduate_table_code_and_download(page, open_chapter, screenshot, tmp_path):
    open_chapter(page, "next-steps")
    _graduated(page)
    assert page.locator(f"{GRADUATE} .ns-table tbody tr").count() == 8
    verdict = page.inner_text(".ns-verdict")
    assert verdict.startswith("8 of 8 predictions pick the same class")
    codes = page.locator(".ns-code pre")
    assert "MLP(2, [16, 16], 2" in codes.nth(0).inner_text()
    assert "class MLP(nn.Sequential):" in codes.nth(1).inner_text()
    screenshot(page, "next-steps-1280")

    with page.expect_download() as info:
        page.click('button[data-file="py"]')
    path = tmp_path / "model.py"
    info.value.save_as(path)
    with page.expect_download() as info:
        page.click('button[data-file="weights"]')
    info.value.save_as(tmp_path / "weights.pt")
    spec = importlib.util.spec_from_file_location("downloaded_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    x = np.random.default_rng(0).standard_normal((3, 2)).astype(np.float32)
    with torch.no_grad():
        theirs = module.load(tmp_path)(torch.from_numpy(x)).numpy()
    step_models = importlib.import_module("neuronlab.tour.chapters.next-steps.models")
    ours = step_models.build("playground", 150, 0)(nl.tensor(x)).numpy()
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-5)


def test_switch_to_the_cnn_and_onnx_runtime(page, open_chapter):
    open_chapter(page, "next-steps", "model=fashion-cnn&engine=onnx")
    _graduated(page)
    assert page.get_attribute(GRADUATE, "data-engine") == "ONNX Runtime"
    assert page.locator(".ns-thumb").count() == 8
    assert "SmallCNN" in page.locator(".ns-code pre").nth(1).inner_text()
    page.select_option("#ns-model", "playground")
    page.wait_for_function(
        "() => document.querySelectorAll('.ns-thumb').length === 0 &&"
        " document.querySelector('[data-widget=\"graduate\"]').dataset.ready === '1'"
    )
    assert "model=" not in page.url


def test_live_training_feeds_the_export(page, open_chapter):
    open_chapter(page, "next-steps")
    _graduated(page)
    page.fill("#ns-seed", "4")
    page.eval_on_selector(
        "#ns-epochs", "e => { e.value = 20; e.dispatchEvent(new Event('input')); }"
    )
    page.click('[data-widget="train"] button')
    page.wait_for_selector('[data-widget="train"][data-done="1"]', timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('[data-widget=\"graduate\"] pre')"
        ".innerText.includes('epochs=20')",
        timeout=30_000,
    )
    assert "seed=4" in page.locator(".ns-code pre").nth(0).inner_text()


def test_glossary_search_and_link_from_another_chapter(page, open_chapter, screenshot):
    open_chapter(page, "neuron")
    link = page.locator("article a.gloss").first
    assert link.get_attribute("data-tip")
    tip = page.eval_on_selector("article a.gloss", "e => getComputedStyle(e, '::after').display")
    assert tip == "none"
    link.hover()
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('article a.gloss'), '::after').display"
        " === 'block'"
    )
    screenshot(page, "glossary-tooltip-hover")
    page.mouse.move(0, 0)
    page.focus("article a.gloss")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.wait_for_function(
        "() => getComputedStyle(document.activeElement, '::after').display === 'block'"
    )
    slug = page.locator("article a.gloss").first.get_attribute("data-term")
    page.locator("article a.gloss").first.click()
    page.wait_for_selector('main#chapter[data-chapter="next-steps"][data-mounted="1"]')
    page.wait_for_selector(f"#term-{slug}.ns-wanted")
    page.fill("#ns-glossary-search", "dropout")
    page.wait_for_function(
        "() => document.querySelector('[data-widget=\"glossary\"]').dataset.count !== undefined &&"
        " document.querySelector('#term-dropout') !== null &&"
        " document.querySelectorAll('.ns-glossary dt').length < 10"
    )
    assert page.locator(".ns-glossary dt").first.inner_text() == "dropout"


def test_tablet_layout(page, open_chapter, screenshot):
    page.set_viewport_size({"width": 768, "height": 1024})
    open_chapter(page, "next-steps")
    _graduated(page)
    boxes = [page.locator(".ns-code").nth(i).bounding_box() for i in (0, 1)]
    assert boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1  # stacked, not squeezed
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768
    screenshot(page, "next-steps-768")


def _open_start(page, lab_url):
    page.goto(f"{lab_url}/#/")
    page.wait_for_selector('main#chapter[data-chapter="start"][data-mounted="1"]')


def test_start_page_map_times_and_progress(page, lab_url, screenshot):
    from neuronlab.tour import list_chapters
    from neuronlab.tour.start import MINUTES

    chapters = list_chapters()
    _open_start(page, lab_url)
    cards = page.locator(".start-stop")
    assert cards.count() == len(chapters)
    first = chapters[0]
    assert f"about {MINUTES[first.id]} min" in cards.first.inner_text()
    assert page.inner_text(".start-begin") == f"Begin with stop 1: {first.title}"
    assert page.locator(".start-text a.gloss").count() >= 5  # glossary links here too
    screenshot(page, "start-1280")
    page.evaluate(
        "localStorage.setItem('neuronlab.progress', JSON.stringify("
        "{neuron: {visited: true, done: true}, playground: {visited: true}}))"
    )
    page.reload()
    page.wait_for_selector('main#chapter[data-chapter="start"][data-mounted="1"]')
    assert page.inner_text(".start-progress").startswith(f"1 of {len(chapters)} stops done")
    assert "done" in page.locator('.start-stop[data-stop="neuron"]').get_attribute("class")
    assert "started" in page.inner_text('.start-stop[data-stop="playground"]')
    assert page.inner_text(".start-begin").startswith(f"Continue with stop 2: {chapters[1].title}")
    page.click(".start-begin")
    page.wait_for_selector('main#chapter[data-chapter="playground"][data-mounted="1"]')
    page.click("a.brand")
    page.wait_for_selector('main#chapter[data-chapter="start"][data-mounted="1"]')


def test_start_page_on_a_tablet(page, lab_url, screenshot):
    page.set_viewport_size({"width": 768, "height": 1024})
    _open_start(page, lab_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "start-768")
