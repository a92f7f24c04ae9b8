"""The stop's quick experiments: the model side by side in neuronlab and PyTorch (or ONNX
Runtime), its files to download, and the glossary search.

``graduate`` runs the same inputs through the neuronlab model and through its export and puts
the two predictions side by side; ``download`` returns one exported file as base64 JSON (the
page saves it; no path of the user's machine is involved); ``glossary`` lists the terms that
match a search.
"""

from __future__ import annotations

import base64
import importlib.util
import io as _io

import numpy as np

from neuronlab.engine.tensor import Tensor
from neuronlab.io.export_onnx import onnx_model
from neuronlab.io.export_torch import to_torch, torch_source, torch_state_dict

from ...frames import table
from ...glossary import search
from ...registry import ORDER
from ...schema import ParamError
from .models import build, describe_input, examples, neuronlab_code

HINTS = {"playground": "(N, 2) points", "fashion-cnn": "(N, 1, 28, 28) images in [0, 1]"}


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _engine(choice: str) -> str:
    """The engine that runs the export: PyTorch when asked for or available, else ONNX Runtime."""
    has_torch, has_ort = _installed("torch"), _installed("onnxruntime")
    if choice == "pytorch" and not has_torch:
        raise ParamError("PyTorch is not installed here; choose engine 'onnx' (ONNX Runtime) or "
                         "'auto', or install it with `pip install torch`", "engine")  # fmt: skip
    if choice == "onnx" and not has_ort:
        raise ParamError("ONNX Runtime is not installed here; choose engine 'pytorch' or 'auto', "
                         "or install it with `pip install onnxruntime`", "engine")  # fmt: skip
    if choice == "auto":
        if not (has_torch or has_ort):
            raise ParamError("neither PyTorch nor ONNX Runtime is installed here, so the export "
                             "cannot be run; `pip install onnxruntime` is the smaller",
                             "engine")  # fmt: skip
        return "PyTorch" if has_torch else "ONNX Runtime"
    return "PyTorch" if choice == "pytorch" else "ONNX Runtime"


def run_export(model, X: np.ndarray, engine: str) -> np.ndarray:
    """The exported model's outputs on ``X``, computed by PyTorch or by ONNX Runtime."""
    if engine == "PyTorch":
        import torch

        with torch.no_grad():
            return to_torch(model)(torch.from_numpy(X)).numpy()
    import onnxruntime

    proto = onnx_model(model, X[:1])
    session = onnxruntime.InferenceSession(proto.SerializeToString(),
                                           providers=["CPUExecutionProvider"])  # fmt: skip
    return session.run(None, {"input": X})[0]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _thumbnails(name: str, X: np.ndarray) -> list[str]:
    """The input images as base64 grey levels (28x28 bytes each), for the page to draw."""
    if name != "fashion-cnn":
        return []
    pixels = np.clip(X[:, 0] * 255, 0, 255).astype(np.uint8)
    return [base64.b64encode(p.tobytes()).decode("ascii") for p in pixels]


def _code(text: str) -> dict:
    """Source code for the page to show (the terminal tour leaves it out: it is long)."""
    return {"kind": "code", "language": "python", "text": text}


def graduate(model, engine, epochs, seed, examples_shown):
    """The model's predictions from neuronlab and from its export, side by side."""
    net = build(model, epochs, seed)
    X, y, classes = examples(model, seed)
    X, y = X[:examples_shown], y[:examples_shown]
    used = _engine(engine)
    ours = net(Tensor(X)).numpy()
    theirs = np.asarray(run_export(net, X, used), dtype=np.float32)
    p_ours, p_theirs = _softmax(ours), _softmax(theirs)
    diffs = np.abs(ours - theirs).max(axis=1)
    rows = [
        [i + 1, describe_input(model, X[i]), classes[y[i]], classes[p_ours[i].argmax()],
         float(p_ours[i].max()), classes[p_theirs[i].argmax()], float(p_theirs[i].max()),
         float(diffs[i])]
        for i in range(len(X))
    ]  # fmt: skip
    columns = ["#", "input", "true", "neuronlab", "p", used, "p ", "largest |difference|"]
    return {
        "model": model,
        "engine": used,
        "parameters": sum(p.numel() for p in net.parameters()),
        "neuronlab_code": _code(neuronlab_code(model, epochs, seed)),
        "torch_code": _code(torch_source(net, HINTS[model])),
        "max_difference": float(diffs.max()),
        "agree": int((p_ours.argmax(1) == p_theirs.argmax(1)).sum()),
        "examples": len(X),
        "correct": int((p_ours.argmax(1) == y).sum()),
        "predictions": table(columns, rows, title=f"neuronlab and {used}, the same inputs"),
        "thumbnails": _thumbnails(model, X),
    }


def download(model, what, epochs, seed):
    """One exported file: ``{"filename", "mime", "bytes", "base64"}``."""
    net = build(model, epochs, seed)
    if what == "py":
        content = torch_source(net, HINTS[model]).encode("utf-8")
        filename, mime = "model.py", "text/x-python"
    elif what == "weights":
        if not _installed("torch"):
            raise ParamError("weights.pt is written with PyTorch, which is not installed here; "
                             "download model.onnx instead, or `pip install torch`",
                             "what")  # fmt: skip
        import torch

        buffer = _io.BytesIO()
        torch.save(torch_state_dict(net), buffer)
        content, filename, mime = buffer.getvalue(), "weights.pt", "application/octet-stream"
    else:
        X, _, _ = examples(model, seed)
        content = onnx_model(net, X[:1]).SerializeToString()
        filename, mime = "model.onnx", "application/octet-stream"
    return {"filename": filename, "mime": mime, "bytes": len(content),
            "base64": base64.b64encode(content).decode("ascii")}  # fmt: skip


def glossary(query):
    """The glossary terms that match ``query`` (all of them for an empty one)."""
    terms = search(query)
    rows = [[t.term, t.definition, f"{ORDER.index(t.chapter) + 1}. {t.chapter}"] for t in terms]
    return {
        "query": query,
        "count": len(terms),
        "terms": [t.to_json() for t in terms],
        "glossary": table(["term", "definition", "shown in"], rows),
    }
