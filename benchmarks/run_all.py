"""Run every benchmark, then regenerate docs/benchmarks.md."""

from __future__ import annotations

from . import (
    bench_fused,
    bench_mlp,
    bench_overhead,
    bench_playground,
    common,  # noqa: F401 - sets the thread counts before NumPy loads
    report,
)


def main():
    for bench in (bench_overhead, bench_fused, bench_playground, bench_mlp):
        print(f"running {bench.__name__} ...", flush=True)
        bench.main()
    report.main()


if __name__ == "__main__":
    main()
