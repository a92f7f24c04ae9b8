"""The playground's "Try it" presets, the network's weight and bias editing, and small defects
(regression tests for the bugs seen in the one-screen rework)."""

from __future__ import annotations

import contextlib
import json

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

HANG = 180_000  # ms: only ends a hung test; every wait is for a condition, never for a speed


def open_pg(open_chapter, page, query="seed=3"):
    open_chapter(page, "playground", query)
    page.wait_for_function(
        "Number(document.querySelector('.pg').dataset.frames || 0) >= 1", timeout=HANG
    )
    return page


def presets(page) -> dict:
    """The presets the page offers: the chapter's own, or the module's list."""
    return page.evaluate(
        """async () => {
          const chapter = await (await fetch('/api/chapters/playground')).json();
          const mod = await import('/static/js/chapters/playground/try.js');
          return mod.presetsOf(chapter);
        }"""
    )


def expected_layers(params: dict, schema: dict) -> str:
    features = params.get("features", schema["features"])
    layers = params.get("layers", schema["layers"])
    problem = params.get("problem", schema["problem"])
    classes = params.get("classes", schema["classes"])
    out = classes if problem == "classification" and classes > 2 else 1
    return "-".join(str(n) for n in [len(features), *layers, out])


@contextlib.contextmanager
def seen_on_failure(page, what: str):
    """On a failed wait, say what the page showed (its run state, network and status line)."""
    try:
        yield
    except Exception as error:
        seen = page.evaluate(
            "() => { const pg = document.querySelector('.pg');"
            " return {...pg.dataset, layers: document.querySelector('.pg-network').dataset.layers,"
            " status: document.querySelector('.pg-status').textContent}; }"
        )
        raise AssertionError(f"{what}: the page showed {seen}") from error


def test_every_preset_restarts_the_run_with_its_network_and_data(page, open_chapter):
    """Regression: loading a preset changed the controls and the URL but Play trained the old
    network (an empty change list counted as a live update)."""
    open_pg(open_chapter, page)
    schema = {
        p["name"]: p["default"]
        for e in page.evaluate("fetch('/api/chapters/playground').then(r => r.json())")[
            "experiments"
        ]
        if e["name"] == "train"
        for p in e["params"]
    }
    tries = presets(page)
    assert sum(len(spec["presets"]) for spec in tries.values()) >= 10
    for widget, spec in tries.items():
        for preset in spec["presets"]:
            params = preset["params"]
            want = expected_layers(params, schema)
            page.locator(f'[data-widget="{widget}"]').get_by_role(
                "button", name=f"Load: {preset['label']}", exact=True
            ).click()
            with seen_on_failure(page, preset["label"]):
                page.wait_for_function(
                    "([layers, dataset]) => {"
                    " const pg = document.querySelector('.pg');"
                    " return document.querySelector('.pg-network').dataset.layers === layers"
                    " && pg.dataset.dataset === dataset && Number(pg.dataset.frames) >= 1; }",
                    arg=[want, params.get("dataset", schema["dataset"])],
                    timeout=HANG,
                )
                step = int(page.eval_on_selector(".pg", "e => Number(e.dataset.step || 0)"))
                page.get_by_role("button", name="Train one step").click()
                page.wait_for_function(
                    "n => Number(document.querySelector('.pg').dataset.step) > n",
                    arg=step,
                    timeout=HANG,
                )
            # the run that trains is the preset's: its frames still draw the preset's network
            shown = page.eval_on_selector(".pg-network", "e => e.dataset.layers")
            assert shown == want, f"{preset['label']}: network {shown}, expected {want}"
            n_links = page.locator(".pg-network .net-hit").count()
            sizes = [int(n) for n in want.split("-")]
            assert n_links == sum(a * b for a, b in zip(sizes, sizes[1:]))


def test_hover_shows_weights_and_biases_and_click_edits_them(page, open_chapter):
    sent: list[dict] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framesent",
            lambda payload: sent.append(json.loads(payload)) if "edit" in payload else None,
        ),
    )
    open_pg(open_chapter, page, "seed=3&layers=3")
    tip = page.locator(".pg-network .net-tip")
    link = page.locator('.pg-network .net-hit[data-link="0-1-0"]')
    link.hover()
    assert tip.is_visible() and tip.inner_text().startswith("weight ")
    assert "x₁ → layer 1 neuron 2" in tip.inner_text()
    page.get_by_role("button", name="layer 1 neuron 3", exact=True).hover()
    assert tip.inner_text().startswith("bias ") and "layer 1 neuron 3" in tip.inner_text()
    link.click()
    field = page.get_by_label("New value of the weight")
    field.fill("1.5")
    field.press("Enter")
    page.get_by_role("button", name="Edit the bias of output", exact=True).click()
    field = page.get_by_label("New value of the bias")
    field.fill("-0.25")
    field.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.net-edit').length === 0")
    assert {"type": "edit", "layer": 0, "to": 1, "from": 0, "value": 1.5} in sent
    assert {"type": "edit", "layer": 1, "to": 0, "from": None, "value": -0.25} in sent
    # the running network took both edits: its next frame shows them
    link.hover()
    page.wait_for_function(
        "() => document.querySelector('.pg-network .net-tip').innerText.startsWith('weight 1.500')"
    )
    page.get_by_role("button", name="Edit the bias of output", exact=True).hover()
    page.wait_for_function(
        "() => document.querySelector('.pg-network .net-tip').innerText.startsWith('bias -0.250')"
    )


def test_no_hidden_layer_says_so_in_the_activation_select(page, open_chapter):
    """Regression: with 0 hidden layers the activation select was blank."""
    open_pg(open_chapter, page, "seed=3&layers=&activations=")
    select = page.locator("#pg-activation")
    assert select.is_disabled()
    assert select.locator("option:checked").inner_text() == "no hidden layer"
    page.get_by_role("button", name="Add a hidden layer").click()
    page.wait_for_function("!document.querySelector('#pg-activation').disabled")
    assert page.locator("#pg-activation").input_value() == "tanh"


def test_input_nodes_are_labelled_and_map_has_ticks(page, open_chapter):
    open_pg(open_chapter, page, "seed=3&features=x1,x2,sinx1")
    labels = page.locator(".pg-network .net-input-label").all_inner_texts()
    assert labels == ["x₁", "x₂", "sin(x₁)"]
    ticks = page.locator(".pg-map .axes-x span").all_inner_texts()
    assert ticks == ["-5", "0", "5"]
    assert page.locator(".pg-map .axes-y span").all_inner_texts() == ["-5", "0", "5"]


def test_own_points_say_they_are_split(page, open_chapter):
    """Regression: under "only my points" the hint promised training points, but the points are
    split into training and test points like any data set."""
    pts = ";".join(f"{x},{y},{int(x * y > 0)}" for x in (-3, -1, 1, 3) for y in (-3, 3))
    open_pg(open_chapter, page, f"seed=3&dataset=custom&points={pts}")
    hint = page.locator(".pg-your-data .pg-hint").inner_text()
    assert "split into training and test points" in hint


FRAME_WITH_VALIDATION = """async () => {
  const { playgroundViews } = await import('/static/js/chapters/playground/views.js');
  const grid = { kind: 'grid', w: 2, h: 2, lo: -1, hi: 1, extent: [-6, 6, -6, 6],
                 data: new Float32Array([-1, 1, 1, -1]) };
  const net = document.createElement('div');
  const out = document.createElement('div');
  net.style.width = '400px';
  document.body.append(net, out);
  const views = playgroundViews(net, out, { view: { show_test: true, discretize: false },
    onView() {}, onMapClick() {}, onEdit() {} });
  const history = { kind: 'series', x: [0, 1], ys: { train: [0.7, 0.5], val: [0.72, 0.6],
                    test: [0.71, 0.55] } };
  views.draw({ step: 20, epoch: 1, train_loss: 0.5, val_loss: 0.6, test_loss: 0.55,
    train_accuracy: 0.8, val_accuracy: 0.7, test_accuracy: 0.75, boundary: grid, history,
    weights: [[[0.5, -0.5]]], biases: [[0.1]], confusion: [[1, 0], [0, 1]],
    data: { points: { x: [[1, 1], [-1, -1], [2, 2]], y: [1, 0, 1], test: [false, false, true] },
            val: [false, true, false], n_train: 1, n_val: 1, n_test: 1, classes: 2,
            problem: 'classification', features: ['x1', 'x2'], layers: [] } });
  return { numbers: out.querySelector('.pg-numbers').innerText,
           legend: out.querySelector('.pg-legend').innerText,
           chart: out.querySelector('.pg-chart').innerText,
           label: out.querySelector('.pg-chart canvas').getAttribute('aria-label') };
}"""


def test_frames_with_a_validation_split_draw_it(page, open_chapter):
    """Frames that carry a validation split (history.ys.val, val_loss, val_accuracy, the data
    frame's n_val and per-point val flags) show it: numbers, legend and the loss curve."""
    open_pg(open_chapter, page)
    shown = page.evaluate(FRAME_WITH_VALIDATION)
    assert "Val. loss" in shown["numbers"] and "0.600" in shown["numbers"]
    assert "Val. acc." in shown["numbers"] and "70.0%" in shown["numbers"]
    assert "validation: hollow" in shown["legend"]
    assert "validation" in shown["chart"]
    assert "validation loss 0.6" in shown["label"]


def test_play_right_after_a_change_plays_the_new_setup(page, open_chapter):
    """Regression: Play pressed while a changed setup waited to restart (a fraction of a second)
    resumed the old run, and the new one then started paused."""
    open_pg(open_chapter, page)
    page.get_by_role("button", name="Add a hidden layer").click()
    page.get_by_role("button", name="Play").click()  # at once, before the restart
    with seen_on_failure(page, "Play right after adding a layer"):
        page.wait_for_function(
            "() => document.querySelector('.pg-network').dataset.layers === '2-4-2-4-1'"
            " && document.querySelector('.pg').dataset.state === 'running'"
            " && Number(document.querySelector('.pg').dataset.step) > 0",
            timeout=HANG,
        )


def test_step_after_the_run_ended_starts_a_new_one_and_steps(page, open_chapter):
    """Step on a run that has ended (here: its step limit) trains the same setup anew, one step."""
    open_pg(open_chapter, page, "seed=3&stop_after=5")
    page.get_by_role("button", name="Play").click()
    page.wait_for_selector('.pg[data-state="ended"]', state="attached", timeout=HANG)
    page.get_by_role("button", name="Train one step").click()
    page.wait_for_function(
        "() => { const pg = document.querySelector('.pg');"
        " return pg.dataset.state === 'paused' && pg.dataset.step === '1'; }",
        timeout=HANG,
    )
