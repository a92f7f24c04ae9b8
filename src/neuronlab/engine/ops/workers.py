"""The worker threads that share a batch between the machine's cores.

NumPy runs each call on one core, but it lets go of Python's lock (the GIL) inside copies,
products and element-wise passes, so two threads that each take half of a batch really do run at
once. The sliced convolution (``conv_chunked.py``) and batch norm (``norm_sliced.py``) split
their batch in ``halves`` and hand them to ``run``: the calling thread takes the first half, one
pool thread the other. With ``THREADS = 1`` everything runs on the calling thread.

BLAS and the workers must not fight over the cores. After a product that OpenBLAS ran on several
threads, its threads keep spinning for about a tenth of a second, waiting for more work, and a
spinning thread holds a core the next worker needs: the small CNN's step took 77-83 ms with
OpenBLAS threading its dense layers' products and 44-50 ms without. So while convolutions or
batch norms keep the workers in use (``busy``), ``product`` holds BLAS to one thread and shares
large products between the workers itself. Elsewhere -- an MLP, a recurrent net, a Transformer,
whose time is in their products and whose workers only split the odd large ReLU -- OpenBLAS
threads its products as usual, which is faster for them (the Transformer step: 124 ms, against
162 ms with its products shared by the workers).
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager

from ..backend import xp

#: Threads that share a batch, the caller included: two on a machine with two cores or more.
THREADS = min(2, os.cpu_count() or 1)

_pool = None
_pool_lock = threading.Lock()
_last_shared = -1e9  # time.monotonic() when the workers last shared a sustained job

#: Seconds after the workers last shared a convolution or a batch norm during which they count
#: as in use (``busy``): longer than a training step's gap between two of its convolutions.
BUSY_WINDOW = 0.5


def halves(N: int, threads: int | None = None) -> list[tuple[int, int]]:
    """The batch 0..N split between the workers (``threads`` of them, THREADS unless given):
    (start, stop) pairs, one per worker (just one pair when N is smaller than two per worker)."""
    threads = THREADS if threads is None else threads
    n = threads if 2 * threads <= N else 1
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


def run(jobs: list, sustained: bool = True) -> list:
    """Run the zero-argument callables, the first on this thread and the rest on the pool, and
    return their results in order. ``sustained`` (convolutions, batch norm: most of a step's
    time) marks the workers ``busy``; a single element-wise pass does not."""
    global _last_shared
    if len(jobs) == 1:
        return [jobs[0]()]
    if sustained:
        _last_shared = time.monotonic()
    futures = [pool().submit(job) for job in jobs[1:]]
    first = jobs[0]()
    return [first] + [f.result() for f in futures]


#: Element-wise passes over fewer values than this stay on the calling thread: handing half to
#: the pool costs tens of microseconds, about a pass over this many values on one core.
SPLIT_SIZE = 1 << 19


def splittable(*arrays) -> bool:
    """Whether an element-wise pass over these arrays is worth sharing: same shape and floating
    dtype, contiguous, and at least SPLIT_SIZE values."""
    first = arrays[0]
    return (
        THREADS > 1
        and first.size >= SPLIT_SIZE
        and first.dtype.kind == "f"
        and all(
            a.shape == first.shape and a.dtype == first.dtype and a.flags.c_contiguous
            for a in arrays
        )
    )


def slices(start: int, stop: int, per: int):
    """(i, j) pairs that cut start..stop into pieces of ``per`` (the last one shorter)."""
    return ((i, min(i + per, stop)) for i in range(start, stop, per))


#: Bytes of the first array that ``by_batch`` hands to its kernel at a time: the kernel's passes
#: then run on data still in the cache (a 1-2 MiB L2), and only its inputs and outputs travel
#: to and from memory.
SLICE_BYTES = 512 * 1024


def by_batch(kernel, *arrays) -> None:
    """``kernel(*arrays)`` a slice of the batch (axis 0 of every array) at a time, about
    SLICE_BYTES of the first array each; with two workers and a large first array (SPLIT_SIZE
    values or more) each worker takes half of the batch. For kernels where each example's
    results depend only on that example."""
    first = arrays[0]
    N = first.shape[0]
    per = max(1, SLICE_BYTES * N // max(1, first.nbytes))

    def part(start, stop):
        for i, j in slices(start, stop, per):
            kernel(*(x[i:j] for x in arrays))

    if THREADS < 2 or N < 2 or first.size < SPLIT_SIZE:
        part(0, N)
        return
    run([lambda a=a, z=z: part(a, z) for a, z in halves(N)], sustained=False)


def split(kernel, *arrays) -> None:
    """``kernel(*parts)`` on the halves of the flattened arrays, the halves run at once by the
    workers. Only for same-shape contiguous arrays (see ``splittable``) and kernels where every
    value written depends only on the values at the same place (element-wise); the kernel writes
    its results into some of the parts (views of the arrays)."""
    flat = [a.reshape(-1) for a in arrays]
    run([lambda a=a, z=z: kernel(*(f[a:z] for f in flat)) for a, z in halves(flat[0].size)],
        sustained=False)


def busy() -> bool:
    """Whether the workers shared a sustained job (``run``) in the last BUSY_WINDOW seconds."""
    return time.monotonic() - _last_shared < BUSY_WINDOW


# ----- BLAS and the workers ----------------------------------------------------------------------

#: One thread at a time changes the BLAS thread count (``conv_chunked`` holds BLAS to one thread
#: while the workers share a convolution, ``product`` while they share a product): the setting
#: is process-wide.
blas_lock = threading.Lock()
_blas = None  # the BLAS libraries' threadpoolctl controllers ([] without threadpoolctl)

#: OpenBLAS starts threads of its own for a product once M*N*K passes 4 * 65536 (its
#: GEMM_MULTITHREAD_THRESHOLD times SMP_THRESHOLD_MIN); smaller products run on the caller's.
BLAS_THREADED_MNK = 4 * 65536


def blas_libraries() -> list:
    """threadpoolctl's controllers of the BLAS libraries NumPy loaded ([] where threadpoolctl is
    not installed: then BLAS threads as it likes)."""
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _blas = []
        else:
            _blas = [c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"]
    return _blas


@contextmanager
def blas_held_to_one_thread():
    """Hold the BLAS libraries to one thread inside the block (the count is put back on leaving).
    The caller holds ``blas_lock``."""
    libraries = blas_libraries()
    before = [lib.get_num_threads() for lib in libraries]
    for lib in libraries:
        lib.set_num_threads(1)
    try:
        yield
    finally:
        for lib, n in zip(libraries, before):
            lib.set_num_threads(n)


@contextmanager
def blas_on_one_thread():
    """``blas_held_to_one_thread``, one caller at a time."""
    with blas_lock, blas_held_to_one_thread():
        yield


def product(a, b):
    """``a.dot(b)`` for 2-D arrays. While the workers are ``busy`` and the product is one that
    OpenBLAS would thread, BLAS is held to one thread and the rows of ``a`` are shared between
    the workers instead; otherwise one call. The two ways agree to float rounding (bit for bit
    on most shapes; where OpenBLAS blocks a one-thread product differently, in the last bits)."""
    M, K = a.shape
    if (
        M * K * b.shape[1] <= BLAS_THREADED_MNK
        or THREADS < 2
        or M < 2 * THREADS
        or not busy()
        or not blas_libraries()
    ):
        return a.dot(b)
    out = xp.empty((M, b.shape[1]), dtype=xp.result_type(a.dtype, b.dtype))
    with blas_on_one_thread():
        run([lambda i=i, j=j: xp.dot(a[i:j], b, out=out[i:j]) for i, j in halves(M)],
            sustained=False)  # only convolutions and batch norms keep the workers busy
    return out
