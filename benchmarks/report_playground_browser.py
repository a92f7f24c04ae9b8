"""The ``docs/benchmarks.md`` section for ``benchmarks/results/playground_browser.json``.

The lead merges ``RENDERERS`` into ``benchmarks/report.py``'s table.
"""

from __future__ import annotations


def render_playground_browser(r: dict) -> str:
    from .report import _machine, _verdict  # here, not at the top: report.py imports this file

    fps, steps = r["fps"], r["steps_per_s"]
    ok_fps = fps["min"] >= r["target_fps"]
    ok_steps = steps["min"] >= r["target_steps_per_s"]
    pause = r["pause_ms"]
    return (
        "## Playground, live in the browser\n\n"
        f"{r['workload']}. Frames are counted where they are painted (the decision map's "
        "update counter, timed in the page); steps are the server's training steps shown in the "
        "page.\n\n"
        "| measure | median | min | max | target |\n|---|---|---|---|---|\n"
        f"| boundary frames/s | {fps['median']:.1f} | {fps['min']:.1f} | {fps['max']:.1f} | "
        f">= {r['target_fps']:g}: {_verdict(ok_fps)} |\n"
        f"| training steps/s | {steps['median']:,.0f} | {steps['min']:,.0f} | "
        f"{steps['max']:,.0f} | >= {r['target_steps_per_s']:,.0f}: {_verdict(ok_steps)} |\n"
        f"| pause held after (ms, click to paused state) | {pause['median']:.0f} | "
        f"{pause['min']:.0f} | {pause['max']:.0f} | |\n\n"
        f"Median gap between painted frames {r['frame_gap_ms_median']:.0f} ms (longest "
        f"{r['frame_gap_ms_max']:.0f} ms); at most {r['steps_after_pause']} training steps "
        f"after the pause took hold; one frame with per-neuron maps is {r['frame_bytes']:,} "
        "bytes of JSON.\n\n"
        f"Machine: {_machine(r['machine'])}\n"
    )


RENDERERS = {"playground_browser": render_playground_browser}
