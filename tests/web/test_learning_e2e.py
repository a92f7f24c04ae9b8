"""End to end in headless Chromium: the learning chapter (screenshots at 1280 and 768)."""

from __future__ import annotations

import pytest

from neuronlab.tour.runner import run_experiment

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def shown(page, testid):
    return float(page.locator(f"[data-testid={testid}]").inner_text())


def node_attr(page, node_id, attr):
    return page.get_attribute(f'.compgraph g[data-id="{node_id}"]', f"data-{attr}")


def test_backprop_stepper_shows_the_engines_numbers(page, open_chapter, updates, screenshot):
    g = run_experiment("learning", "backprop_graph", {})
    nodes = {n["id"]: n for n in g["nodes"]}
    open_chapter(page, "learning")
    widget = page.locator('[data-widget="backprop"]')
    widget.scroll_into_view_if_needed()
    view = '[data-widget="backprop"] .compgraph'
    updates(page, view, 0)
    step = widget.get_by_role("button", name="step", exact=True)
    for k in range(1, 10):  # forward, node by node
        step.click()
        want = g["steps"][k - 1]
        assert page.get_attribute("[data-testid=bp-explain]", "data-node") == want["node"]
        value = nodes[want["node"]]["value"]
        assert shown(page, "bp-value") == pytest.approx(value, abs=5e-5)
        assert float(node_attr(page, want["node"], "value")) == value  # full precision
    widget.get_by_role("button", name="step back").click()
    assert page.get_attribute("[data-testid=bp-explain]", "data-node") == g["steps"][7]["node"]
    assert node_attr(page, g["steps"][8]["node"], "value") == ""  # undone
    widget.get_by_role("button", name="Skip to backward").click()
    n = len(g["forward_order"])
    for k in range(n, n + 12):  # backward: each gradient as the engine computed it
        step.click()
        want = g["steps"][k]
        assert page.get_attribute("[data-testid=bp-explain]", "data-phase") == "backward"
        assert shown(page, "bp-grad") == pytest.approx(nodes[want["node"]]["grad"], abs=5e-5)
        assert float(node_attr(page, want["node"], "grad")) == nodes[want["node"]]["grad"]
    widget.screenshot(
        path=str(screenshot(page, "learning-1280").parent / "learning-backprop-1280.png")
    )
    # the leaves' gradients are the engine's .grad
    for name, ids in g["param_nodes"].items():
        flat = [i for row in ids for i in row] if isinstance(ids[0], list) else ids
        for sid, engine in zip(
            flat, [x for r in g["engine_grads"][name] for x in (r if isinstance(r, list) else [r])]
        ):
            assert nodes[sid]["grad"] == pytest.approx(engine, abs=1e-12)


def test_edited_weight_recomputes_the_graph(page, open_chapter, updates):
    open_chapter(page, "learning", "w11=-1.5")
    widget = page.locator('[data-widget="backprop"]')
    widget.scroll_into_view_if_needed()
    updates(page, '[data-widget="backprop"] .compgraph', 0)  # the graph has been drawn
    widget.get_by_role("button", name="step", exact=True).click()
    page.wait_for_function(  # the step has been shown on the node
        "sel => !!document.querySelector(sel)?.getAttribute('data-value')",
        arg='.compgraph g[data-id="s0"]',
    )
    assert float(node_attr(page, "s0", "value")) == -1.5
    assert "w11=-1.5" in page.url


def test_gradient_check_table(page, open_chapter, screenshot):
    open_chapter(page, "learning")
    widget = page.locator('[data-widget="gradcheck"]')
    widget.get_by_role("button", name="Run the check").click()
    table = page.locator("[data-testid=gradcheck-table]")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 9
    first = [c.inner_text() for c in rows.nth(0).locator("td").all()]
    assert first[0] == "W1[0,0]"
    assert float(first[1]) == pytest.approx(float(first[2]), rel=1e-6)
    assert float(page.locator("[data-testid=gradcheck-worst]").inner_text()) < 1e-6
    widget.screenshot(
        path=str(screenshot(page, "learning-gradcheck-page").parent / "learning-gradcheck.png")
    )


def test_optimizer_race_moves_and_topo_order(page, open_chapter, updates, screenshot):
    open_chapter(page, "learning", "speed=200")
    widget = page.locator('[data-widget="race"]')
    widget.scroll_into_view_if_needed()
    view = '[data-widget="race"] .contour'
    n = updates(page, view, 0)  # the start point drawn
    widget.get_by_role("button", name="Race").click()
    updates(page, view, n + 10)
    page.wait_for_function(
        "document.querySelector('[data-testid=race-step]').textContent !== 'step 0'"
    )
    # click the map: a new start and a new race from there
    canvas = widget.locator("canvas").first
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.2})
    page.wait_for_function("location.hash.includes('x0=')")
    n = updates(page, view, 0)
    updates(page, view, n + 5)
    page.wait_for_function(
        "document.querySelector('[data-testid=race-readout]').textContent.includes('steps')",
        timeout=20_000,
    )
    widget.screenshot(path=str(screenshot(page, "learning-race-page").parent / "learning-race.png"))
    topo = page.locator('[data-widget="topo"]')
    topo.get_by_role("button", name="Show all").click()
    assert "24.00" in page.locator("[data-testid=topo-topological]").inner_text()
    assert "12.00" in page.locator("[data-testid=topo-eager]").inner_text()
    screenshot(page, "learning-1280")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.locator("#map-toggle").wait_for()  # the narrow layout is on
    screenshot(page, "learning-768")
    widget.screenshot(path=str(screenshot(page, "learning-768").parent / "learning-race-768.png"))
