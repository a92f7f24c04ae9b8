"""The tour machinery: registry, chapter rules, runner, live runs, markdown, terminal."""

from __future__ import annotations

import re
import threading
import time

import pytest

from neuronlab.tour import (
    Chapter,
    Claim,
    Experiment,
    FloatParam,
    IntParam,
    ParamError,
    check_claims,
    list_chapters,
    run_experiment,
    run_headless,
)
from neuronlab.tour.live import LiveRun
from neuronlab.tour.markdown import latex_to_text, split_for_terminal, to_html
from neuronlab.tour.registry import ORDER, get_chapter

CHAPTERS = list_chapters()


def test_chapters_in_tour_order():
    ids = [c.id for c in CHAPTERS]
    assert ids[0] == "neuron"
    known = [i for i in ids if i in ORDER]
    assert known == sorted(known, key=ORDER.index)
    with pytest.raises(KeyError, match="no tour chapter 'nope'; chapters: neuron"):
        get_chapter("nope")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`]", "", text))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.id)
def test_every_claim_is_a_sentence_of_the_text(chapter):
    text = _normalise(chapter.text())
    for claim in chapter.claims:
        assert _normalise(claim.text) in text, f"{chapter.id}/{claim.id} is not in text.md"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.id)
def test_every_text_renders(chapter):
    html = to_html(chapter.text())
    assert "math-error" not in html, "a formula latex2mathml cannot render"
    assert "$" not in re.sub(r"<[^>]+>", "", html).replace("\\$", ""), "unrendered math"
    assert split_for_terminal(chapter.text())


def test_chapter_rules():
    quick = Experiment("e", "E", [IntParam("n", 1, 0, 5)], run=lambda n: {"n": n})
    with pytest.raises(ValueError, match="names experiment 'x'"):
        Chapter("c", "C", "s", [quick], [Claim("k", "t", "x", check=lambda r: (True, ""))])
    with pytest.raises(TypeError, match="exactly one of run= or stream="):
        Experiment("e", "E")
    with pytest.raises(ValueError, match="Chapter id"):
        Chapter("Bad Id", "C", "s")
    with pytest.raises(KeyError, match="has no experiment 'zz'; it has: neuron_output"):
        get_chapter("neuron").experiment("zz")


def test_run_experiment_validates_and_refuses_live():
    with pytest.raises(ParamError, match="parameter 'w1'"):
        run_experiment("neuron", "neuron_output", {"w1": 100})
    with pytest.raises(ParamError, match="is a live run"):
        run_experiment("neuron", "train_neuron", {})


def test_check_claims_reports_every_claim():
    results = check_claims("neuron")
    assert [r.id for r in results] == [c.id for c in get_chapter("neuron").claims]
    assert all(r.passed for r in results), [r.detail for r in results if not r.passed]


# -- live runs, on a synthetic experiment ------------------------------------------------------


def counter(ctx, steps, work, lr):
    """Counts; a frame whenever one is wanted (and at the end)."""
    total = 0.0
    yield {"i": 0, "lr": ctx.params["lr"]}
    for i in range(1, steps + 1):
        end = time.perf_counter() + work
        while time.perf_counter() < end:
            pass
        total += ctx.params["lr"]
        yield (
            {"i": i, "lr": ctx.params["lr"], "total": total}
            if ctx.frame_wanted or i == steps
            else None
        )


COUNTER = Experiment(
    "counter",
    "Counter",
    [
        IntParam("steps", 1000, 1, 10**7),
        FloatParam("work", 0.0, 0.0, 0.1),
        FloatParam("lr", 1.0, 0.0, 10.0, live=True),
    ],
    stream=counter,
    max_steps=10**7,
)


def start(**params):
    wake = threading.Event()
    run = LiveRun(COUNTER, COUNTER.validate(params), notify=wake.set)
    return run, wake


def wait_for(cond, timeout=60.0):  # the timeout only ends a hung test
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def test_latest_frame_slot_drops_stale_frames():
    run, _ = start(steps=20000, work=0.00002)
    wait_for(lambda: run.take_frame() is not None or run.done)
    # the client has not acked: no frame is built while training goes on
    wait_for(lambda: run.ctx.step > 10)
    assert run.take_frame() is None
    run.ack()
    wait_for(lambda: run._slot is not None or run.done)
    seq, step, frame = run.take_frame()
    assert seq == 2 and frame["i"] > 10, "the next frame is fresh, not queued"
    run.stop()
    assert run.join(5) and run.end["reason"] == "stopped"


def test_pause_is_immediate_and_the_paused_picture_current():
    run, _ = start(steps=10**6, work=0.0001)
    wait_for(lambda: run.ctx.step > 0)
    run.pause()
    wait_for(lambda: run.state == "paused")
    frozen = run.ctx.step
    time.sleep(0.1)
    assert run.ctx.step == frozen, "no step while paused"
    run.ack()
    frame = run.take_frame()
    assert frame is not None and frame[1] == frozen, "the paused picture shows the last step"
    run.ack()
    run.step()
    wait_for(lambda: run.ctx.step == frozen + 1)
    wait_for(lambda: run._slot is not None)
    assert run.take_frame()[1] == frozen + 1
    run.resume()
    wait_for(lambda: run.ctx.step > frozen + 50)
    run.stop()
    assert run.join(5)


def test_live_update_and_refusal():
    run, _ = start(steps=10**6, work=0.0001)
    run.update({"lr": 2.0})
    wait_for(lambda: run.ctx.params["lr"] == 2.0)
    with pytest.raises(ParamError, match="cannot change during a run"):
        run.update({"steps": 5})
    run.stop()
    assert run.join(5)


def test_limits_end_runs():
    run = LiveRun(COUNTER, COUNTER.validate({"steps": 10**6}), max_steps=100)
    assert run.join(5) and run.end == {"type": "end", "reason": "limit-steps", "step": 100}
    run = LiveRun(COUNTER, COUNTER.validate({"steps": 10**6, "work": 0.001}), max_seconds=0.1)
    assert run.join(5) and run.end["reason"] == "limit-seconds"
    run = LiveRun(COUNTER, COUNTER.validate({"steps": 5}))
    assert run.join(5) and run.end["reason"] == "done"
    assert run.take_frame(force=True)[2]["i"] == 5, "the last frame is kept for the client"


def test_errors_in_a_run_end_it_with_a_message():
    def broken(ctx):
        yield {"ok": 1}
        raise RuntimeError("boom")

    run = LiveRun(Experiment("broken", "B", stream=broken), {})
    assert run.join(5)
    assert run.end["reason"] == "error" and "RuntimeError: boom" in run.end["error"]


def test_headless_runs_every_and_last():
    frames = run_headless("neuron", "train_neuron", {"steps": 10, "n_points": 8}, every=4)
    assert [f["step"] for f in frames] == [0, 4, 8, 10]


def test_latex_to_text():
    assert latex_to_text(r"\sigma(z) = \frac{1}{1 + e^{-z}}") == "σ(z) = 1/(1 + e^(-z))"
    assert latex_to_text(r"w_1 x_1 + x^2") == "w₁ x₁ + x²"


def test_markdown_widgets_math_and_escaping():
    html = to_html("Cost \\$5 and $x$.\n\n{{widget:demo}}\n\n<script>alert(1)</script>\n\n`$a$`")
    assert '<div class="widget" data-widget="demo"></div>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Cost $5" in html and "<math" in html and "<code>$a$</code>" in html
