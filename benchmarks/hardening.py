"""Hostile-input figures, at larger sizes than the tests use (the generators are the tests').

    python -m benchmarks.hardening fuzz 3000 300 1   # requests, WebSocket sessions, seed
    python -m benchmarks.hardening crafted 1000      # crafted model files, 2 loaders each
    python -m benchmarks.hardening kills 50          # kill -9 during saves

Each prints one summary: statuses, 5xx, escaped exceptions and logged tracebacks; the errors
crafted files give (all must name the file); files lost and temporaries left after kills.
"""

from __future__ import annotations

import collections
import logging
import random
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"


def fuzz(n_http: int, n_sockets: int, seed: int) -> None:
    sys.path.insert(0, str(TESTS / "web"))
    import test_fuzz as F
    from starlette.testclient import TestClient

    from neuronlab.web import create_app
    from neuronlab.web import runs as web_runs

    web_runs.WEB_LIMITS.quick_seconds = 0.3
    logged: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.exc_info or record.levelno >= logging.ERROR:
                logged.append(record.getMessage())

    logging.getLogger().addHandler(Collect())
    rng, app, statuses, socket_errors = random.Random(seed), F.Recorder(create_app()), {}, []
    started = time.monotonic()
    with TestClient(app, base_url=f"http://{F.ORIGIN}", raise_server_exceptions=False) as client:
        for _ in range(n_http):
            status = F.http_request(client, rng).status_code
            statuses[status] = statuses.get(status, 0) + 1
        for _ in range(n_sockets):
            try:
                F.socket_session(client, rng)
            except Exception as error:  # noqa: BLE001 - counted and shown
                socket_errors.append(f"{type(error).__name__}: {str(error)[:80]}")
    seconds = time.monotonic() - started
    print(f"{n_http} requests + {n_sockets} sockets (seed {seed}) in {seconds:.0f} s")
    print("statuses", dict(sorted(statuses.items())))
    print(
        f"5xx {sum(n for s, n in statuses.items() if s >= 500)} · escaped exceptions "
        f"{len(app.errors)} · socket errors {len(socket_errors)} · logged tracebacks {len(logged)}"
    )


def crafted(n: int) -> None:
    sys.path.insert(0, str(TESTS / "io"))
    import test_io_crafted as T

    import neuronlab as nl

    warnings.simplefilter("ignore")
    kinds, named = collections.Counter(), 0
    for path in T.crafted_files(Path(tempfile.mkdtemp()), n):
        for load in (nl.io.load, lambda p: nl.io.load_checkpoint(p, *T.model_and_optimizer())):
            try:
                load(path)
                kinds["loaded"] += 1
            except Exception as error:  # noqa: BLE001 - counted by type
                kinds[type(error).__name__] += 1
                named += path.name in str(error)
    errors = sum(v for k, v in kinds.items() if k != "loaded")
    print(f"{n} crafted files x 2 loaders: {dict(kinds)}; {named} of {errors} errors name the file")


KILLER = """
import sys, neuronlab as nl
model = nl.nn.Sequential(nl.nn.Linear(600, 600), nl.nn.Linear(600, 600))
print("ready", flush=True)
while True:
    nl.io.save(model, sys.argv[1])
"""


def kills(n: int) -> None:
    import neuronlab as nl

    folder = Path(tempfile.mkdtemp())
    path = folder / "model.safetensors"
    nl.io.save(nl.nn.Linear(3, 3), path)
    rng, lost = random.Random(1), 0
    for _ in range(n):
        child = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(path)], stdout=subprocess.PIPE, text=True
        )
        child.stdout.readline()
        time.sleep(rng.uniform(0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        try:
            nl.io.load(path)
        except Exception:  # noqa: BLE001 - a lost file is what is counted
            lost += 1

    def temporaries():
        return [p for p in folder.iterdir() if p.name.endswith(".tmp")]

    before = temporaries()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nl.io.save(nl.nn.Linear(3, 3), path)
    size = sum(p.stat().st_size for p in before)
    print(
        f"{n} kills: files lost {lost}; temporaries before the next save {len(before)} "
        f"({size:,} bytes), after it {len(temporaries())}"
    )


if __name__ == "__main__":
    command, *numbers = sys.argv[1:]
    {"fuzz": fuzz, "crafted": crafted, "kills": kills}[command](*map(int, numbers))
