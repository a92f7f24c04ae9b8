"""End to end in headless Chromium: the architectures stop (train the CNN, draw on the pad, type a
word, train a character model), with screenshots at 1280x800 and 768x1024."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDGETS = ["tabular", "cnn-train", "cnn-inspect", "drawing", "mlp-vs-cnn", "shift",
           "words-train", "words-models", "attention", "context"]  # fmt: skip


def _show(page, name):
    """Widgets start when they come near the screen: scroll there first."""
    page.locator(f'[data-widget="{name}"]').scroll_into_view_if_needed()


def _ready(page):
    for name in WIDGETS:
        _show(page, name)
        page.wait_for_selector(f'[data-widget="{name}"][data-ready="1"]', timeout=180_000)


def _text(page, testid):
    return page.locator(f'[data-testid="{testid}"]').inner_text()


def _draw(page, points):
    pad = page.locator("canvas.drawpad")
    box = pad.bounding_box()
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + points[0][0] * box["width"], y0 + points[0][1] * box["height"])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x0 + x * box["width"], y0 + y * box["height"], steps=4)
    page.mouse.up()


def _classified(page, more_than):
    page.wait_for_function(
        "n => Number(document.querySelector('[data-widget=\"drawing\"]').dataset.classified"
        " || 0) > n",
        arg=more_than,
        timeout=120_000,
    )
    return int(page.get_attribute('[data-widget="drawing"]', "data-classified"))


def test_the_stop_opens_with_trained_models(page, open_chapter, screenshot):
    open_chapter(page, "architectures")
    _ready(page)
    rows = page.locator('[data-testid="mlp-vs-cnn"] tbody tr')
    assert rows.count() == 2 and "%" not in rows.nth(1).inner_text()
    assert page.locator('[data-testid="tabular"] tbody tr').count() == 2
    assert "The CNN says" in _text(page, "inspect-answer")
    before = _text(page, "inspect-answer")
    slider = page.locator('[data-widget="cnn-inspect"] input[type=range]')
    slider.fill("7")
    page.wait_for_function(
        "t => document.querySelector('[data-testid=\"inspect-answer\"]').innerText !== t",
        arg=before,
    )
    assert page.locator('[data-widget="cnn-inspect"] .image-row').count() == 6
    screenshot(page, "architectures-1280")
    page.locator('[data-widget="cnn-inspect"]').screenshot(
        path=str(screenshot(page, "architectures-1280").parent / "architectures-inspect.png")
    )
    page.set_viewport_size({"width": 768, "height": 1024})
    page.wait_for_timeout(300)
    screenshot(page, "architectures-768")


def test_draw_on_the_pad(page, open_chapter, screenshot):
    open_chapter(page, "architectures")
    _show(page, "drawing")
    page.wait_for_selector('[data-widget="drawing"][data-ready="1"]', timeout=120_000)
    page.locator("canvas.drawpad").scroll_into_view_if_needed()
    n = _classified(page, 0)  # the blank pad gets an answer too, flagged as blank
    assert "blank" in _text(page, "drawing-note") and "sure" in _text(page, "drawing-answer")
    _draw(page, [(0.4, 0.15), (0.4, 0.85), (0.6, 0.85), (0.6, 0.15)])  # two legs: trousers?
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"drawing-note\"]').innerText === ''"
    )
    n = _classified(page, n - 1)
    assert "sure" in _text(page, "drawing-answer")
    # a finger: pointer events with pointerType touch
    page.evaluate(
        """() => {
          const pad = document.querySelector('canvas.drawpad');
          const box = pad.getBoundingClientRect();
          const fire = (type, x, y) => pad.dispatchEvent(new PointerEvent(type, {pointerId: 7,
            pointerType: 'touch', bubbles: true, clientX: box.left + x * box.width,
            clientY: box.top + y * box.height}));
          fire('pointerdown', 0.2, 0.3); fire('pointermove', 0.8, 0.3); fire('pointerup', 0.8, 0.3);
        }"""
    )
    n = _classified(page, n)
    page.locator('[data-widget="drawing"]').get_by_role("button", name="Noise").click()
    n = _classified(page, n)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"drawing-note\"]').innerText.includes('noise')"
    )
    assert "sure" in _text(page, "drawing-answer")  # an answer, with its confidence
    page.locator('[data-widget="drawing"]').screenshot(
        path=str(screenshot(page, "architectures-1280").parent / "architectures-drawing.png")
    )
    page.locator('[data-widget="drawing"]').get_by_role("button", name="Clear").click()
    _classified(page, n)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"drawing-note\"]').innerText.includes('blank')"
    )


def test_type_a_word(page, open_chapter, updates, screenshot):
    open_chapter(page, "architectures")
    _show(page, "attention")
    updates(page, '[data-widget="attention"]', 0, timeout=180_000)
    assert page.locator(".att-map").count() == 4
    before = _text(page, "attention-next")
    page.fill("#attention-word", "Café 42")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"attention-note\"]').innerText.includes('é')"
    )
    note = _text(page, "attention-note")
    assert "'4'" in note and "'2'" in note and "a to z" in note
    assert _text(page, "attention-next") != before and "“caf”" in _text(page, "attention-next")
    assert page.locator(".att-map").first.locator(".att-cols span").count() == 4  # ▸ c a f
    page.locator('[data-widget="attention"]').screenshot(
        path=str(screenshot(page, "architectures-1280").parent / "architectures-attention.png")
    )


def test_train_the_cnn_and_a_word_model_live(page, open_chapter, updates, screenshot):
    open_chapter(page, "architectures")
    _show(page, "cnn-train")
    page.wait_for_selector('[data-widget="cnn-train"][data-ready="1"]')
    cnn = page.locator('[data-widget="cnn-train"]')
    cnn.get_by_role("button", name="Train").click()
    updates(page, '[data-widget="cnn-train"] .linechart', 2, timeout=60_000)
    first = _text(page, "cnn-readout")
    assert "Step" in first and "test accuracy" in first
    page.wait_for_function(
        "t => document.querySelector('[data-testid=\"cnn-readout\"]').innerText !== t",
        arg=first,
        timeout=60_000,
    )
    cnn.get_by_role("button", name="Pause").click()
    cnn.get_by_role("button", name="Resume").wait_for()
    cnn.get_by_role("button", name="Stop").click()
    page.wait_for_selector('[data-widget="cnn-train"][data-state="stopped"]', state="attached")
    cnn.screenshot(
        path=str(screenshot(page, "architectures-1280").parent / "architectures-cnn-train.png")
    )
    _show(page, "words-train")
    page.wait_for_selector('[data-widget="words-train"][data-ready="1"]')
    words = page.locator('[data-widget="words-train"]')
    words.locator("select").select_option("transformer")
    words.get_by_role("button", name="Train").click()
    page.wait_for_selector('[data-widget="words-train"][data-state="ended"]', timeout=120_000)
    readout = _text(page, "words-readout")
    assert "Transformer" in readout and "nats per character" in readout
    assert page.locator('[data-testid="samples"] dd').count() >= 2
    words.screenshot(
        path=str(screenshot(page, "architectures-1280").parent / "architectures-words.png")
    )
