"""The worker threads that share a batch between the machine's cores.

NumPy runs each call on one core, but it lets go of Python's lock (the GIL) inside copies,
products and element-wise passes, so two threads that each take half of a batch really do run at
once. The sliced convolution (``conv_chunked.py``) and batch norm (``norm_sliced.py``) split
their batch in ``halves`` and hand them to ``run``: the calling thread takes the first half, one
pool thread the other. With ``THREADS = 1`` everything runs on the calling thread.
"""

from __future__ import annotations

import os
import threading

#: Threads that share a batch, the caller included: two on a machine with two cores or more.
THREADS = min(2, os.cpu_count() or 1)

_pool = None
_pool_lock = threading.Lock()


def halves(N: int) -> list[tuple[int, int]]:
    """The batch 0..N split between the workers: (start, stop) pairs, one per worker (just one
    pair when N is smaller than two per worker)."""
    n = THREADS if 2 * THREADS <= N else 1
    step = -(-N // n)
    return [(i, min(i + step, N)) for i in range(0, N, step)]


def pool():
    """The shared pool of THREADS - 1 threads (made on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor

            _pool = ThreadPoolExecutor(max(1, THREADS - 1), thread_name_prefix="neuronlab")
        return _pool


def run(jobs: list) -> list:
    """Run the zero-argument callables, the first on this thread and the rest on the pool, and
    return their results in order."""
    if len(jobs) == 1:
        return [jobs[0]()]
    futures = [pool().submit(job) for job in jobs[1:]]
    first = jobs[0]()
    return [first] + [f.result() for f in futures]


#: Element-wise passes over fewer values than this stay on the calling thread: handing half to
#: the pool costs tens of microseconds, about a pass over this many values on one core.
SPLIT_SIZE = 1 << 19


def splittable(*arrays, min_size: int | None = None) -> bool:
    """Whether an element-wise pass over these arrays is worth sharing: same shape and floating
    dtype, contiguous, and at least ``min_size`` values (SPLIT_SIZE unless given)."""
    first = arrays[0]
    return (
        THREADS > 1
        and first.size >= (SPLIT_SIZE if min_size is None else min_size)
        and first.dtype.kind == "f"
        and all(
            a.shape == first.shape and a.dtype == first.dtype and a.flags.c_contiguous
            for a in arrays
        )
    )


def split(kernel, *arrays) -> None:
    """``kernel(*parts)`` on the halves of the flattened arrays, the halves run at once by the
    workers. Only for same-shape contiguous arrays (see ``splittable``) and kernels where every
    value written depends only on the values at the same place (element-wise); the kernel writes
    its results into some of the parts (views of the arrays)."""
    flat = [a.reshape(-1) for a in arrays]
    run([lambda a=a, z=z: kernel(*(f[a:z] for f in flat)) for a, z in halves(flat[0].size)])
