"""neuronlab: learn how neural networks work, hands on, on a glass-box deep-learning engine.

>>> import neuronlab as nl
>>> x = nl.tensor([[1.0, 2.0]])
>>> layer = nl.nn.Linear(2, 1)
>>> layer(x).shape
(1, 1)
"""

from . import engine
from .engine import *  # noqa: F403 - the engine's public names are the package's
from .engine import __all__ as _engine_all

__version__ = "0.1.0"


def __getattr__(name):
    # Subpackages load on first use, so `import neuronlab` stays quick and needs NumPy only.
    import importlib

    if name in {"nn", "optim", "data", "metrics", "train", "io", "models", "interpret", "report",
                "tour", "web", "demo", "cli"}:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name == "graph":
        from .engine.graph import graph

        return graph
    if name in {"save", "load"}:
        from . import io

        return getattr(io, name)
    raise AttributeError(f"module 'neuronlab' has no attribute {name!r}")


__all__ = ["engine", *_engine_all]
