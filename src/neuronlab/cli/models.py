"""Model specs: the short strings ``--model`` takes, and the networks they build.

* ``mlp:256,128`` — a multilayer perceptron with hidden layers of 256 and 128 units, each
  followed by the activation (``--activation``) and, with ``--dropout P``, a ``Dropout(P)``;
  plain ``mlp`` means ``mlp:256,128``.
* ``linear`` — no hidden layer: one ``Linear`` layer, i.e. multinomial logistic regression with
  the cross-entropy loss, linear regression with the MSE loss.

>>> spec = parse_model_spec("mlp:64,32")
>>> spec.hidden, str(spec)
((64, 32), 'mlp:64,32')
>>> build_model(spec, 4, 3, activation="tanh")
Sequential(
  (0): Linear(in_features=4, out_features=64, bias=True)  # 320 params
  (1): Tanh()
  (2): Linear(in_features=64, out_features=32, bias=True)  # 2,080 params
  (3): Tanh()
  (4): Linear(in_features=32, out_features=3, bias=True)  # 99 params
)  # 2,499 params in total
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from .. import nn

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_HIDDEN",
    "ModelSpec",
    "build_model",
    "describe_model",
    "parse_model_spec",
]

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}
DEFAULT_HIDDEN = (256, 128)
_FORMS = "'mlp:H1,H2,...' (hidden sizes >= 1, e.g. mlp:256,128), 'mlp' or 'linear'"


@dataclass(frozen=True)
class ModelSpec:
    """A parsed ``--model`` value: ``kind`` is ``'mlp'`` or ``'linear'``."""

    kind: str
    hidden: tuple[int, ...] = ()

    def __str__(self) -> str:
        return "linear" if self.kind == "linear" else "mlp:" + ",".join(map(str, self.hidden))


def parse_model_spec(text: str) -> ModelSpec:
    """``'mlp:256,128'`` → ``ModelSpec('mlp', (256, 128))``; an argparse type (bad specs raise
    ``argparse.ArgumentTypeError``, which argparse reports as one line)."""
    raw = text.strip().lower()
    kind, sep, sizes = raw.partition(":")
    if kind == "linear" and not sep:
        return ModelSpec("linear")
    if kind == "mlp" and not sep:
        return ModelSpec("mlp", DEFAULT_HIDDEN)
    if kind != "mlp":
        raise argparse.ArgumentTypeError(f"bad model spec {text!r}: expected {_FORMS}")
    try:
        hidden = tuple(int(s) for s in sizes.split(","))
    except ValueError:
        hidden = ()
    if not hidden or min(hidden) < 1:
        raise argparse.ArgumentTypeError(
            f"bad model spec {text!r}: the hidden sizes must be integers >= 1 separated by "
            f"commas; expected {_FORMS}"
        )
    return ModelSpec("mlp", hidden)


def build_model(
    spec: ModelSpec,
    n_inputs: int,
    n_outputs: int,
    *,
    activation: str = "relu",
    dropout: float = 0.0,
) -> nn.Sequential:
    """The network for ``spec``: ``Linear`` layers, each hidden one followed by ``activation``
    and (when ``dropout > 0``) ``Dropout(dropout)``. Seed first (``nl.manual_seed``) to get the
    same initial weights every time."""
    layers: list[nn.Module] = []
    width = n_inputs
    for size in spec.hidden:
        layers += [nn.Linear(width, size), ACTIVATIONS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        width = size
    layers.append(nn.Linear(width, n_outputs))
    return nn.Sequential(*layers)


def describe_model(model: nn.Module, spec: ModelSpec, activation: str, dropout: float) -> str:
    """One line: the layer widths, the activation, dropout and the parameter count."""
    widths = [m.in_features for m in model if isinstance(m, nn.Linear)]
    widths.append(model[len(model) - 1].out_features)
    n_params = sum(p.data.size for p in model.parameters())
    extra = "" if spec.kind == "linear" else f" · {activation}"
    extra += f" · dropout {dropout:g}" if dropout > 0 and spec.kind != "linear" else ""
    return f"{spec} · {' → '.join(map(str, widths))}{extra} · {n_params:,} parameters"
