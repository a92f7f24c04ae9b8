"""Overhead of recording one op: ``a + b`` on 8-element tensors that require grad.

Target: <= PyTorch's time per op.
"""

from __future__ import annotations

import timeit

from . import common

NUMBER = 100_000


def main(repeats: int = 7) -> dict:
    import neuronlab as nl

    torch = common.torch_module()
    a, b = nl.randn(8, requires_grad=True), nl.randn(8, requires_grad=True)
    ta, tb = torch.randn(8, requires_grad=True), torch.randn(8, requires_grad=True)
    times = {"neuronlab": [], "pytorch": []}
    for _ in range(repeats):
        times["neuronlab"].append(timeit.timeit(lambda: a + b, number=NUMBER) / NUMBER)
        times["pytorch"].append(timeit.timeit(lambda: ta + tb, number=NUMBER) / NUMBER)
    stats = {k: common.summarize(v) for k, v in times.items()}
    result = {
        "workload": "one recorded op: a + b, 8 float32 elements, requires_grad",
        "times_s": stats,
        "ratio_vs_pytorch": stats["neuronlab"]["median"] / stats["pytorch"]["median"],
        "target_ratio": 1.0,
    }
    common.save("op_overhead", result)
    return result


if __name__ == "__main__":
    r = main()
    for name, s in r["times_s"].items():
        print(f"{name:>10}: {common.fmt_stats(s, 'us', 1e6)}")
    print(f"ratio: {r['ratio_vs_pytorch']:.2f} (target <= 1)")
