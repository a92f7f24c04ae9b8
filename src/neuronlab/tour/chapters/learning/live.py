"""The learning chapter's live run: SGD, momentum and Adam race down a loss surface."""

from __future__ import annotations

import time

from .descent import OPTIMIZERS, Walker, race_frame


def optimizer_race(ctx, surface, x0, y0, lr, steps, speed):
    """Live: the three optimizers take one step each per yield from the same start."""
    walkers = [Walker(name, surface, (x0, y0), lr) for name in OPTIMIZERS]
    yield race_frame(walkers, 0, surface)
    for step in range(1, steps + 1):
        if "lr" in ctx.updates():
            for w in walkers:
                w.set_lr(ctx.params["lr"])
        for w in walkers:
            w.step(step)
        delay = ctx.params.get("speed", speed)
        if delay:
            time.sleep(1.0 / delay)
        if step == steps:
            yield race_frame(walkers, step, surface, final=True)
        else:
            yield race_frame(walkers, step, surface) if ctx.frame_wanted else None
