"""The playground, live, measured in the browser: while a 2-8-8-1 tanh net trains on the spiral,
how often does the decision boundary repaint (target >= 20 frames/s) and how many training steps
run per second (target >= 1,000)? Also: how long a pause takes to hold, and the frame size.

Runs the lab in this process (uvicorn in a thread), drives headless Chromium (Debian's
``/usr/bin/chromium`` through Playwright) and reads the page's own counters: the decision map's
``data-updates`` (one per painted frame, timed by a MutationObserver in the page) and the
playground's ``data-step``. Each repeat is a fresh run of ``SECONDS`` seconds of training.

    python -m benchmarks.bench_playground_browser
"""

from __future__ import annotations

import json
import statistics
import time

from . import common

QUERY = "seed=1&dataset=spiral&layers=8,8&activations=tanh,tanh&features=x1,x2&batch_size=10"
SECONDS, REPEATS = 5.0, 3
TARGET_FPS, TARGET_STEPS = 20.0, 1000.0

WATCH = """() => {
  const map = document.querySelector('.pg-map .decision-map');
  window.__paints = [];
  new MutationObserver(() => window.__paints.push(performance.now()))
    .observe(map, {attributes: true, attributeFilter: ['data-updates']});
}"""
READ = """() => ({t: performance.now(), step: Number(document.querySelector('.pg').dataset.step),
               paints: window.__paints.slice()})"""


def frame_bytes() -> int:
    """The JSON size of one frame of this workload (with per-neuron maps), as sent."""
    from neuronlab.tour.runner import run_headless

    params = {"dataset": "spiral", "layers": [8, 8], "stop_after": 50}
    frames = run_headless("playground", "train", params, every=25)
    return len(json.dumps(frames[-1], separators=(",", ":")))


def measure_once(page, url: str) -> dict:
    page.goto(f"{url}/#/playground?{QUERY}")
    page.wait_for_selector('main#chapter[data-chapter="playground"][data-mounted="1"]')
    page.wait_for_function("Number(document.querySelector('.pg').dataset.frames || 0) >= 1")
    page.evaluate(WATCH)
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("Number(document.querySelector('.pg').dataset.step || 0) > 200")
    start = page.evaluate(READ)
    time.sleep(SECONDS)
    end = page.evaluate(READ)
    seconds = (end["t"] - start["t"]) / 1000
    paints = [t for t in end["paints"] if start["t"] <= t <= end["t"]]
    gaps = [b - a for a, b in zip(paints, paints[1:])]
    clicked = time.perf_counter()
    page.get_by_role("button", name="Pause").click()
    page.wait_for_function("document.querySelector('.pg').dataset.state === 'paused'")
    pause_ms = (time.perf_counter() - clicked) * 1000
    held = page.evaluate(READ)["step"]
    time.sleep(0.5)
    drift = page.evaluate(READ)["step"] - held
    return {
        "fps": len(paints) / seconds,
        "steps_per_s": (end["step"] - start["step"]) / seconds,
        "frame_gap_ms_median": statistics.median(gaps) if gaps else None,
        "frame_gap_ms_max": max(gaps) if gaps else None,
        "pause_ms": pause_ms,
        "steps_after_pause": drift,
    }


def main(repeats: int = REPEATS) -> dict:
    from playwright.sync_api import sync_playwright

    from neuronlab.web.headless import headless_chromium
    from neuronlab.web.server import serve_in_thread

    lab = serve_in_thread()
    url = lab.url.rstrip("/")
    runs = []
    try:
        with sync_playwright() as pw, headless_chromium(pw, height=900) as ctx:
            for _ in range(repeats):  # a fresh page each time: one run, one observer
                page = ctx.new_page()
                runs.append(measure_once(page, url))
                page.close()
    finally:
        lab.stop()
    fps = common.summarize([r["fps"] for r in runs])
    steps = common.summarize([r["steps_per_s"] for r in runs])
    result = {
        "workload": "2-8-8-1 tanh net on the 2-D spiral, batch 10, SGD, trained live in the lab "
        f"(server and headless Chromium on this machine), {SECONDS:g} s per run",
        "fps": fps,
        "steps_per_s": steps,
        "pause_ms": common.summarize([r["pause_ms"] for r in runs]),
        "steps_after_pause": max(r["steps_after_pause"] for r in runs),
        "frame_gap_ms_median": statistics.median(r["frame_gap_ms_median"] for r in runs),
        "frame_gap_ms_max": max(r["frame_gap_ms_max"] for r in runs),
        "frame_bytes": frame_bytes(),
        "target_fps": TARGET_FPS,
        "target_steps_per_s": TARGET_STEPS,
        "runs": runs,
    }
    common.save("playground_browser", result)
    return result


if __name__ == "__main__":
    r = main()
    print(
        f"boundary frames/s: {r['fps']['median']:.1f} (min {r['fps']['min']:.1f}; target "
        f">= {TARGET_FPS:g})"
    )
    print(
        f"training steps/s:  {r['steps_per_s']['median']:,.0f} (min "
        f"{r['steps_per_s']['min']:,.0f}; target >= {TARGET_STEPS:,.0f})"
    )
    print(
        f"pause held after {r['pause_ms']['median']:.0f} ms; steps after pause: "
        f"{r['steps_after_pause']}; frame {r['frame_bytes']:,} bytes"
    )
