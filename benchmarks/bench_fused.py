"""Why the engine has fused ops: each fused path against its composed reference, forward +
backward, on the shapes of the MLP benchmark (batch 128). The composed references live in
``neuronlab.nn.functional`` and tests hold them equal to the fused ops."""

from __future__ import annotations

import numpy as np

from . import common

N, IN, OUT, CLASSES = 128, 784, 256, 10


def _time_pair(fused, composed, repeats):
    return common.alternate({"fused": fused, "composed": composed}, repeats=repeats, warmup=3)


def main(repeats: int = 200) -> dict:
    import neuronlab as nl
    import neuronlab.nn.functional as F

    rng = np.random.default_rng(0)
    x = nl.Tensor(rng.standard_normal((N, IN)), requires_grad=True)
    W = nl.Tensor(rng.standard_normal((OUT, IN)) * 0.05, requires_grad=True)
    b = nl.Tensor(rng.standard_normal(OUT), requires_grad=True)
    logits = nl.Tensor(rng.standard_normal((N, CLASSES)), requires_grad=True)
    labels = rng.integers(0, CLASSES, N)
    z = nl.Tensor(rng.standard_normal((N, 1)), requires_grad=True)
    targets = (rng.random((N, 1)) > 0.5).astype(np.float32)

    def step(fn):
        return lambda: fn().sum().backward()

    cases = {
        "linear": (lambda: F.linear(x, W, b), lambda: F.composed_linear(x, W, b)),
        "cross_entropy": (lambda: F.cross_entropy(logits, labels),
                          lambda: F.composed_cross_entropy(logits, labels)),
        "bce_with_logits": (lambda: F.binary_cross_entropy_with_logits(z, targets),
                            lambda: F.composed_bce_with_logits(z, targets)),
    }
    out = {}
    for name, (fused, composed) in cases.items():
        t = _time_pair(step(fused), step(composed), repeats)
        out[name] = {**t, "speedup": t["composed"]["median"] / t["fused"]["median"]}
    result = {"workload": f"forward + backward, batch {N}", "cases": out}
    common.save("fused_ops", result)
    return result


if __name__ == "__main__":
    r = main()
    for name, t in r["cases"].items():
        print(f"{name:>16}: fused {t['fused']['median'] * 1e6:.0f} us, composed "
              f"{t['composed']['median'] * 1e6:.0f} us, {t['speedup']:.1f}x")
