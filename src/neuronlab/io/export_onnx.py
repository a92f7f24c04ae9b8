"""``export_onnx(model, path, example_input)``: a neuronlab model as an ONNX file.

ONNX is the exchange format that ONNX Runtime, TensorRT, OpenVINO, browsers (onnxruntime-web)
and phones run. The graph is built node by node with the ``onnx`` package's helper API from the
table ``onnx_layers.ONNX_LAYERS`` (one entry per layer type); the weights are stored in the file.
The first axis of the input and output is named ``batch`` and left free, so the file runs any
batch size (and, for token-id inputs, any sequence length up to the model's limit). The model is
exported as it computes in ``model.eval()``: dropout off, batch norm on its running statistics.

Why an example input: ONNX needs the input's rank, dtype and the non-batch sizes, and a few ops
(adaptive pooling) need the sizes inside the model, which one forward pass on the example
records.

The file is float32 whatever the model's dtype (a float64 model is rounded on the way out):
that is the type every ONNX runtime implements for every operator.
"""

from __future__ import annotations

import pathlib

import numpy as np

from .. import nn
from ..engine.grad_mode import no_grad
from ..engine.tensor import Tensor
from . import architecture
from ._files import atomic_write
from .onnx_graph import Graph
from .torch_code import ExportError, unsupported

OPSET = 21  # ONNX operator set of 2024 (LayerNormalization needs 17 or later)
IR_VERSION = 10  # the file format version that goes with opset 21
_NOT_ALONE = ("ModuleList",)  # exported only as part of the layer that holds them


def _check_exportable(model: nn.Module) -> None:
    """Refuse, before anything is built, the first layer that has no ONNX counterpart."""
    from .onnx_layers import ONNX_LAYERS

    for path, layer in model.named_modules():
        name = type(layer).__name__
        allowed = name in ONNX_LAYERS or (name in _NOT_ALONE and path)
        if not allowed or type(layer) is not architecture._known_class(name):
            raise ExportError(unsupported(layer, path, "ONNX", ONNX_LAYERS))


def _as_array(example_input, who: str) -> np.ndarray:
    if example_input is None:
        raise ValueError(
            f"{who}: an example input is needed -- ONNX records the input's rank, dtype and "
            "sizes, and one forward pass on it fixes the sizes inside the model. Pass one "
            "batch (any batch size), e.g. export_onnx(model, 'model.onnx', X_train[:1])"
        )
    array = example_input.data if isinstance(example_input, Tensor) else example_input
    try:
        array = np.asarray(array)
    except (TypeError, ValueError):
        raise TypeError(
            f"{who}: example_input must be an array or a Tensor, got {type(example_input).__name__}"
        ) from None
    if array.dtype.kind not in "fiu" or array.ndim < 1:
        raise ValueError(
            f"{who}: example_input must be a numeric array with a batch axis, got "
            f"dtype {array.dtype} and shape {array.shape}"
        )
    return array


def _run(model: nn.Module, x: np.ndarray) -> tuple[np.ndarray, dict[int, tuple]]:
    """The model's output on ``x`` (its first output, for layers returning several) and the
    input shape every layer saw."""
    shapes: dict[int, tuple] = {}

    def record(layer, inputs, output):
        if inputs and hasattr(inputs[0], "shape"):
            shapes.setdefault(id(layer), tuple(inputs[0].shape))

    handles = [m.register_forward_hook(record) for m in model.modules()]
    t = Tensor(x, dtype=x.dtype) if x.dtype.kind == "f" else x
    try:
        with no_grad():
            out = model(t, t, t) if isinstance(model, nn.MultiheadAttention) else model(t)
    finally:
        for handle in handles:
            handle.remove()
    out = out[0] if isinstance(out, tuple) else out
    return np.asarray(out.data), shapes


def _batch_axis(model: nn.Module) -> int:
    """1 for sequence layers built with batch_first=False (inputs (L, N, E)), else 0."""
    for layer in model.modules():
        if hasattr(layer, "batch_first"):
            return 0 if layer.batch_first else 1
    return 0


def _float_dtype(model: nn.Module) -> np.dtype:
    for p in model.parameters():
        return np.dtype(p.data.dtype)
    return np.dtype(np.float32)


def onnx_model(model: nn.Module, example_input, *, opset: int = OPSET):
    """The ``onnx.ModelProto`` for ``model`` (what ``export_onnx`` writes), checked."""
    who = "neuronlab.io.export_onnx"
    try:
        import onnx
        from onnx import helper
    except ImportError:
        raise ImportError(
            f"{who} needs the `onnx` package, which is not installed here; install it with "
            "`pip install onnx` (and `pip install onnxruntime` to run the file)"
        ) from None
    from .onnx_layers import emit

    if not isinstance(model, nn.Module):
        raise TypeError(f"{who}: expected a neuronlab nn.Module, got {type(model).__name__}")
    _check_exportable(model)
    x = _as_array(example_input, who)
    if x.dtype.kind == "f":
        x = x.astype(_float_dtype(model), copy=False)
    was_training = model.training
    model.eval()
    try:
        out, shapes = _run(model, x)
        g = Graph(np.dtype(np.float32), shapes)  # what every ONNX runtime implements
        y = emit(g, model, "input")
    finally:
        model.train(was_training)
    g.op("Identity", [y], "output_node")
    g.nodes[-1].output[0] = "output"
    tokens = x.dtype.kind in "iu"
    in_dims, out_dims = list(x.shape), list(out.shape)
    batch = _batch_axis(model) if x.ndim >= 3 else 0
    in_dims[batch] = out_dims[batch] = "batch"
    if tokens and x.ndim >= 2:
        in_dims[1] = out_dims[1] = "sequence"
    in_type = onnx.TensorProto.INT64 if tokens else helper.np_dtype_to_tensor_dtype(g.dtype)
    out_type = helper.np_dtype_to_tensor_dtype(g.dtype)
    graph = helper.make_graph(
        g.nodes,
        type(model).__name__,
        [helper.make_tensor_value_info("input", in_type, in_dims)],
        [helper.make_tensor_value_info("output", out_type, out_dims)],
        initializer=g.initializers,
    )
    proto = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", opset)],
        producer_name="neuronlab",
        ir_version=IR_VERSION,
    )
    proto.doc_string = f"{type(model).__name__} exported from neuronlab"
    onnx.checker.check_model(proto)
    return proto


def export_onnx(model: nn.Module, path, example_input=None, *, opset: int = OPSET) -> pathlib.Path:
    """Write ``model`` as an ONNX file at ``path`` (atomically) and return the path.

    ``example_input`` is one batch of inputs (an array or Tensor; float features or images, or
    int token ids); the exported file takes any batch size. Layers without an ONNX counterpart
    are refused before anything is written (ExportError, a ValueError, naming the layer).

    >>> import tempfile, pathlib
    >>> import numpy as np, neuronlab as nl, onnxruntime
    >>> net = nl.nn.Sequential(nl.nn.Linear(3, 4), nl.nn.ReLU(), nl.nn.Linear(4, 2))
    >>> path = export_onnx(net, pathlib.Path(tempfile.mkdtemp()) / "net.onnx", np.zeros((1, 3)))
    >>> x = np.ones((5, 3), dtype=np.float32)
    >>> out = onnxruntime.InferenceSession(str(path)).run(None, {"input": x})[0]
    >>> bool(np.allclose(out, net(nl.tensor(x)).numpy(), atol=1e-6))
    True
    """
    proto = onnx_model(model, example_input, opset=opset)
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f:
        f.write(proto.SerializeToString())
    return path
