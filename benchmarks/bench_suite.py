"""The table of ``neuronlab bench``, run by the benchmark suite: every workload of
``neuronlab.bench`` (the same code the CLI runs), neuronlab and PyTorch alternating in one
process, then again with each framework in processes of its own (``--isolated``). Saves
``results/bench_suite.json``; ``report_suite.py`` renders it at the top of
``docs/benchmarks.md``.
"""

from __future__ import annotations

from . import common  # sets the BLAS thread count before NumPy loads


def main(repeats: int | None = None) -> dict:
    from neuronlab.bench import format_table, run_workloads

    common.torch_module()  # PyTorch with as many threads as BLAS
    results = run_workloads(repeats=repeats)
    print(format_table(results))
    apart = run_workloads([r.name for r in results if r.name != "cnn-memory"], repeats=repeats,
                          isolated=True)  # fmt: skip
    print(format_table(apart))
    payload = {"results": [r.to_json() for r in results], "table": format_table(results),
               "isolated": [r.to_json() for r in apart]}  # fmt: skip
    common.save("bench_suite", payload)
    return payload


if __name__ == "__main__":
    main()
