"""The playground end to end in headless Chromium: train live, edit data, upload CSVs, the URL
round trip, multiclass and regression, the side-by-side comparisons, screenshots at two widths."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PG = ".pg"
MAP = ".pg-map .decision-map"
HANG = 180_000  # ms: only ends a hung test; every wait is for a condition, never for a speed


def attr(page, name: str) -> int:
    return int(page.eval_on_selector(PG, f"e => Number(e.dataset.{name} || 0)"))


def map_pixels(page) -> str:
    return page.eval_on_selector(".pg-map canvas", "c => c.toDataURL()")


def number(page, selector: str) -> float:
    return float(page.locator(selector).inner_text().rstrip("%"))


def wait_step(page, more_than: int, timeout=HANG):
    page.wait_for_function(
        "n => Number(document.querySelector('.pg').dataset.step || 0) > n",
        arg=more_than,
        timeout=timeout,
    )


def open_pg(open_chapter, page, query="seed=3"):
    open_chapter(page, "playground", query)
    page.wait_for_function(
        "Number(document.querySelector('.pg').dataset.frames || 0) >= 1", timeout=HANG
    )
    return page


def ignore_expected_400(page):
    # a refused CSV is a 400 answer by design; Chromium logs every 4xx fetch as a console error
    page.errors[:] = [e for e in page.errors if "status of 400" not in e]


def wait_network(page, layers: str, timeout=HANG):
    """Wait until the run on screen draws a network of these layers (from its data frame)."""
    page.wait_for_function(
        "want => document.querySelector('.pg-network').dataset.layers === want"
        " && Number(document.querySelector('.pg').dataset.frames || 0) >= 1",
        arg=layers,
        timeout=timeout,
    )


def test_change_setup_train_pause_and_step(page, open_chapter, updates, screenshot):
    open_pg(open_chapter, page)
    page.select_option("#pg-dataset", "xor")
    page.get_by_role("button", name="Add a hidden layer").click()
    page.select_option("#pg-activation", "relu")
    page.wait_for_function(
        "decodeURIComponent(location.hash).includes('activations=relu,relu,relu')"
    )
    url = page.evaluate("decodeURIComponent(location.hash)")
    assert "dataset=xor" in url and "layers=4,2,4" in url
    wait_network(page, "2-4-2-4-1")  # the restarted run draws its untrained state
    before = map_pixels(page)
    loss0 = number(page, ".pg-train-loss")
    n = updates(page, MAP, 0)
    page.get_by_role("button", name="Play").click()
    updates(page, MAP, n + 20, timeout=HANG)
    # a condition, not a speed: however slow the machine, the loss halves at some point
    page.wait_for_function(
        "l0 => Number(document.querySelector('.pg-train-loss').textContent) < l0 * 0.5",
        arg=loss0,
        timeout=HANG,
    )
    assert map_pixels(page) != before, "the decision map changed while training"
    assert number(page, ".pg-test-acc") > 80
    assert page.locator(".confusion td").count() == 4
    page.get_by_role("button", name="Pause").click()
    page.wait_for_function("document.querySelector('.pg').dataset.state === 'paused'")
    step = attr(page, "step")
    page.get_by_role("button", name="Train one step").click()
    wait_step(page, step)
    assert attr(page, "step") - step <= 3
    screenshot(page, "playground-trained-1280")


def test_click_adds_a_point_of_the_chosen_class(page, open_chapter):
    open_pg(open_chapter, page)
    page.select_option("#pg-add-class", "0")
    canvas = page.locator(".pg-map canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})  # at (3, 3)
    page.wait_for_function("decodeURIComponent(location.hash).includes('points=')")
    url = page.evaluate("decodeURIComponent(location.hash)")
    x1, x2, label = (float(v) for v in re.search(r"points=([^&]+)", url).group(1).split(","))
    assert abs(x1 - 3) < 0.3 and abs(x2 - 3) < 0.3 and label == 0
    page.wait_for_function("document.querySelector('.pg-point-count').textContent.startsWith('1 ')")
    # keyboard users type the coordinates
    page.get_by_label("new point x₁").fill("-2")
    page.get_by_label("new point x₂").fill("1.5")
    page.get_by_role("button", name="Add point").click()
    page.wait_for_function("document.querySelector('.pg-point-count').textContent.startsWith('2 ')")


def test_csv_upload_good_and_bad(page, open_chapter, screenshot):
    open_pg(open_chapter, page)
    bad = b"x1,x2,label\n0,0,1\n1,1,0\n2,oops,1\n"
    page.set_input_files(
        "#pg-csv", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    msg = page.locator(".pg-your-data .pg-message")
    page.wait_for_function(
        "document.querySelector('.pg-your-data .pg-message').textContent.includes('line 4')"
    )
    assert "oops" in msg.inner_text() and "pg-error" in msg.get_attribute("class")
    ignore_expected_400(page)
    rows = "\n".join(
        f"{x},{y},{'a' if x * y > 0 else 'b'}" for x in range(-5, 6, 2) for y in range(-5, 6, 2)
    )
    page.set_input_files(
        "#pg-csv", files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.wait_for_function("decodeURIComponent(location.hash).includes('dataset=custom')")
    assert "Loaded mine.csv" in msg.inner_text()
    page.wait_for_function(
        "document.querySelector('.pg-point-count').textContent.startsWith('36 ')"
    )
    screenshot(page, "playground-csv-1280")


def test_url_state_round_trips(page, open_chapter):
    query = (
        "seed=42&dataset=spiral&classes=3&layers=6,5,4&activations=relu,tanh,sigmoid"
        "&features=x1,x2,sinx1&learning_rate=0.1&optimizer=adam&regularization=l2"
        "&reg_rate=0.01&batch_size=20&noise=10&show_test=false"
    )
    open_pg(open_chapter, page, query)
    assert page.locator("#pg-dataset").input_value() == "spiral"
    assert page.locator("#pg-act-2").input_value() == "sigmoid"
    assert page.locator("#pg-f-sinx1").get_attribute("aria-pressed") == "true"
    assert page.locator("#pg-f-x1x2").get_attribute("aria-pressed") == "false"
    assert page.locator("#pg-lr").input_value() == "0.1"
    assert not page.locator("#pg-show-test").is_checked()
    assert page.locator(".pg-seed-value").inner_text() == "42"
    page.select_option("#pg-optimizer", "momentum")
    page.click("#pg-f-x2sq")
    page.wait_for_function("decodeURIComponent(location.hash).includes('optimizer=momentum')")
    page.reload()
    page.wait_for_selector('main#chapter[data-chapter="playground"][data-mounted="1"]')
    assert page.locator("#pg-optimizer").input_value() == "momentum"
    assert page.locator("#pg-f-x2sq").get_attribute("aria-pressed") == "true"
    assert page.locator("#pg-act-1").input_value() == "tanh"
    page.wait_for_function("Number(document.querySelector('.pg').dataset.frames || 0) >= 1")
    assert page.locator(".confusion tr").count() == 4  # header + 3 classes


def test_regression_and_early_stop(page, open_chapter, screenshot):
    open_pg(
        open_chapter,
        page,
        "seed=1&problem=regression&dataset=multi_gaussian&layers=8,8"
        "&optimizer=adam&early_stop=true&patience=5",
    )
    assert page.locator(".pg-test-acc").count() == 0 and page.locator(".confusion").is_hidden()
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("document.querySelector('.pg').dataset.state === 'ended'", timeout=HANG)
    assert "Stopped early at epoch" in page.locator(".pg-status").inner_text()
    screenshot(page, "playground-regression-1280")


def test_try_widget_compares_side_by_side(page, open_chapter):
    open_pg(open_chapter, page)
    widget = page.locator('[data-widget="try-xor"]')
    widget.get_by_role("button", name="Compare side by side").click()
    page.wait_for_function(
        "document.querySelectorAll('[data-widget=\"try-xor\"] canvas').length === 3", timeout=HANG
    )
    assert "accuracy" in widget.inner_text()
    # one card per preset: every model the presets name is compared
    labels = page.evaluate(
        """async () => {
          const chapter = await (await fetch('/api/chapters/playground')).json();
          const mod = await import('/static/js/chapters/playground/try.js');
          return mod.presetsOf(chapter)['try-xor'].presets.map((p) => [p.label, p.params]);
        }"""
    )
    assert len(labels) == 3
    label = next(lab for lab, params in labels if "x1x2" in params.get("features", []))
    widget.get_by_role("button", name=f"Load: {label}", exact=True).click()
    page.wait_for_function("decodeURIComponent(location.hash).includes('features=x1,x2,x1x2')")


PARTS = {
    "transport": ".pg-transport",
    "data": ".pg-data",
    "features": ".pg-features",
    "network": ".pg-network",
    "output map": ".pg-map canvas",
    "loss chart": ".pg-chart",
}


def boxes(page) -> dict:
    return {name: page.locator(sel).bounding_box() for name, sel in PARTS.items()}


def test_one_screen_at_1280x800(page, open_chapter, screenshot):
    """The whole experiment fits the window once the playground is scrolled to: data, features,
    network, output map, loss chart and the transport, with nothing cut off."""
    open_pg(open_chapter, page, "seed=5&dataset=spiral&layers=8,8,8,8,8,8,8,8&activations=relu")
    shot = screenshot(page, "playground-1280").with_name("playground-screen-1280.png")
    page.evaluate("document.querySelector('.pg').scrollIntoView({block: 'start'})")
    page.wait_for_function(
        "Math.abs(document.querySelector('.pg').getBoundingClientRect().top"
        " - parseFloat(getComputedStyle(document.querySelector('.pg'))"
        ".scrollMarginTop)) < 2"
    )
    header = page.locator("header.top").bounding_box()["height"]
    for name, box in boxes(page).items():
        assert box["y"] >= header - 1, f"{name} is under the page header: {box}"
        assert box["y"] + box["height"] <= 800, f"{name} is below the window: {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, f"{name} is cut off: {box}"
    # the layer editor does not wrap at 8 layers: one row, each control over its column
    tops = page.eval_on_selector_all(
        ".pg-layer-ctl:not(.pg-layer-end)",
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
    )
    assert len(tops) == 8 and len(set(tops)) == 1, tops
    page.screenshot(path=str(shot))  # the window only, as a person sees it


def test_stacks_at_768(page, open_chapter, screenshot):
    page.set_viewport_size({"width": 768, "height": 1024})
    open_pg(open_chapter, page)
    b = boxes(page)
    assert b["network"]["y"] + b["network"]["height"] <= b["data"]["y"], "network above the data"
    assert b["output map"]["x"] > b["data"]["x"] + b["data"]["width"], "output beside the data"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    # the transport stays in view, below the page header, while the output is looked at
    page.locator(".pg-chart").scroll_into_view_if_needed()
    header = page.locator("header.top").bounding_box()
    bar = page.locator(".pg-transport").bounding_box()
    assert bar["y"] >= header["y"] + header["height"] - 1 and bar["y"] + bar["height"] <= 1024
    screenshot(page, "playground-768")


def test_layout_screenshots_after_training(page, open_chapter, screenshot):
    open_pg(
        open_chapter,
        page,
        "seed=5&dataset=spiral&layers=8,8&features=x1,x2,sinx1,sinx2"
        "&optimizer=adam&learning_rate=0.01",
    )
    page.get_by_role("button", name="Play").click()
    wait_step(page, 1500)
    page.locator(PG).screenshot(
        path=str(screenshot(page, "playground-1280").with_name("playground-widget-1280.png"))
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
