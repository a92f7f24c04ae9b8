"""``neuronlab export RUN --to torch|onnx``: a run's trained network, ready for PyTorch or ONNX.

``--to torch`` writes a folder with ``model.py`` (plain PyTorch code, a class per model, and
``load()``) and ``weights.pt``; ``--to onnx`` writes ``model.onnx``, which ONNX Runtime (and
most deployment tools) run. Either way the command then runs the export on a random batch and
prints how far its outputs are from neuronlab's (PyTorch or ONNX Runtime must be installed for
that check; without them it says so and only writes the files).

The network expects its inputs preprocessed as at training time: ``run.json`` holds the means
and scales (``data.preprocessing``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np

from .. import io
from ..engine.tensor import Tensor
from . import runs
from ._common import CLIError, wrap

EPILOG = """\
examples:
  neuronlab export runs/fmnist --to torch           runs/fmnist/torch/model.py + weights.pt
  neuronlab export runs/fmnist --to onnx            runs/fmnist/model.onnx
  neuronlab export runs/fmnist --to onnx --out net.onnx

Then, in PyTorch:  import model; net = model.load()   (inside the torch folder)
or with ONNX Runtime:  onnxruntime.InferenceSession("model.onnx").run(None, {"input": x})
"""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export",
        help="write a run's network as PyTorch code or an ONNX file",
        description=wrap(
            "Export the trained network of a run folder written by `neuronlab train`: as "
            "readable PyTorch code with its weights (--to torch), or as an ONNX file (--to "
            "onnx). The export is checked against neuronlab on a random batch."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("run", type=Path, metavar="RUN", help="run folder (e.g. runs/fmnist)")
    p.add_argument("--to", required=True, choices=("torch", "onnx"), help="the target format")
    p.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="where to write (default: RUN/torch/ for torch, RUN/model.onnx for onnx)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def _check_torch(model, folder: Path, x: np.ndarray) -> float | None:
    if importlib.util.find_spec("torch") is None:
        return None
    import torch

    spec = importlib.util.spec_from_file_location("neuronlab_exported_model", folder / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with torch.no_grad():
        theirs = module.load(folder)(torch.from_numpy(x)).numpy()
    return float(np.abs(theirs - model(Tensor(x)).numpy()).max())


def _check_onnx(model, path: Path, x: np.ndarray) -> float | None:
    if importlib.util.find_spec("onnxruntime") is None:
        return None
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    theirs = session.run(None, {"input": x})[0]
    return float(np.abs(theirs - model(Tensor(x)).numpy()).max())


def run(args: argparse.Namespace) -> int:
    folder: Path = args.run
    description, _ = runs.read_run(folder)
    model = runs.load_model(folder).eval()
    n_features = int(description["data"].get("n_features", 0)) or model[0].in_features
    x = np.random.default_rng(0).standard_normal((4, n_features)).astype(np.float32)
    try:
        if args.to == "torch":
            target = args.out or folder / "torch"
            written = [io.export_torch(model, target, input_hint=f"(N, {n_features}) floats")]
            written.append(target / "weights.pt")
            difference = _check_torch(model, target, x)
            checker = "PyTorch"
        else:
            target = args.out or folder / "model.onnx"
            written = [io.export_onnx(model, target, x[:1])]
            difference = _check_onnx(model, target, x)
            checker = "ONNX Runtime"
    except ImportError as exc:
        raise CLIError(str(exc)) from None
    except ValueError as exc:  # a layer without counterpart
        raise CLIError(str(exc).splitlines()[0]) from None
    except OSError as exc:
        raise CLIError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    _report(args, folder, written, checker, difference)
    return 0


def _report(args, folder: Path, written: list[Path], checker: str, difference) -> None:
    if args.json:
        result = {
            "run": str(folder),
            "to": args.to,
            "files": [str(p) for p in written],
            "checked_with": checker if difference is not None else None,
            "max_abs_difference": difference,
        }
        print(json.dumps(result, indent=2))
        return
    for path in written:
        print(f"wrote {path}")
    if difference is None:
        print(f"{checker} is not installed here, so the export was not run as a check")
    else:
        print(f"checked with {checker} on a random batch: largest difference {difference:.2g}")
    print("inputs must be preprocessed as at training time (run.json: data.preprocessing)")
