"""Peak memory of training the small CNN, measured in a fresh process per framework (Linux).

``python -m neuronlab.bench.memory neuronlab 20`` imports everything, builds the model and data,
resets the kernel's peak-resident mark (writing 5 to ``/proc/self/clear_refs``), trains 20 steps
and prints, as JSON, how far the peak resident set rose above the size before training: the
memory of training itself, not of the libraries.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

__all__ = ["measure"]


def _status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/self/status has no {field}")


def supported() -> bool:
    return Path("/proc/self/clear_refs").exists()


def measure(framework: str, steps: int = 20) -> int:
    """Bytes of peak resident memory that ``steps`` CNN training steps add, in a subprocess."""
    out = subprocess.run([sys.executable, "-m", "neuronlab.bench.memory", framework, str(steps)],
                         capture_output=True, text=True, check=True, timeout=600)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])["training_bytes"]


def _child(framework: str, steps: int) -> None:
    import gc

    torch = None
    if framework == "pytorch":
        import torch

        torch.set_num_threads(max(1, torch.get_num_threads()))
    from .models import cnn_pair

    nl_step, t_step = cnn_pair(torch)
    step = nl_step if framework == "neuronlab" else t_step
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_bytes("VmRSS")
    for _ in range(steps):
        step()
    print(json.dumps({"training_bytes": _status_bytes("VmHWM") - before}))


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
