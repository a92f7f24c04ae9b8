"""Registry, lookup order, scikit-learn's bundled sets, import hygiene, doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import subprocess
import sys

import numpy as np
import pytest

import neuronlab.data as nd
from neuronlab.data import DATASETS, dataset_status, list_datasets, load, locate
from neuronlab.data.packaged import PACKAGED_DIR


def test_every_downloadable_file_has_published_checksums_and_urls():
    for info in DATASETS.values():
        if info.kind != "files":
            assert not info.files
            continue
        assert info.folder and info.files and info.licence and info.citation and info.source
        for spec in info.files:
            assert re.fullmatch(r"[0-9a-f]{64}", spec.sha256), spec.name
            assert spec.md5 is None or re.fullmatch(r"[0-9a-f]{32}", spec.md5)
            assert spec.urls and all(u.startswith(("https://", "http://")) for u in spec.urls)
            assert all(u.endswith("/" + spec.name) for u in spec.urls)


def test_list_and_kinds():
    names = list_datasets()
    for n in ["mnist", "fashion_mnist", "cifar10", "adult", "german_credit", "digits", "iris",
              "wine", "breast_cancer", "diabetes", "circle", "xor", "gaussian", "spiral",
              "moons", "plane", "multi_gaussian"]:  # fmt: skip
        assert n in names
    assert set(list_datasets("bundled")) == {"digits", "iris", "wine", "breast_cancer", "diabetes"}


def test_lookup_order_env_then_cache(data_home, isolated_home, factory, monkeypatch):
    cache = isolated_home / ".cache" / "neuronlab" / "uci-german-credit"
    factory.german_file(cache)
    assert locate("german_credit") == cache
    factory.german_file(data_home / "uci-german-credit")
    assert locate("german_credit") == data_home / "uci-german-credit"  # env wins
    other = data_home.parent / "second"
    factory.german_file(other / "uci-german-credit")
    monkeypatch.setenv("NEURONLAB_DATA", f"{data_home.parent / 'empty'}:{other}")
    assert locate("german_credit") == other / "uci-german-credit"  # a path list works


def test_status(data_home, factory):
    s = dataset_status("cifar10")
    assert not s.available and s.location is None
    assert str(data_home / "cifar-10") in s.searched
    assert "not here" in s.summary()
    s = dataset_status("german_credit")  # ships inside the package: always available
    assert s.available and s.location == str(PACKAGED_DIR)
    assert str(data_home / "uci-german-credit") in s.searched
    factory.german_file(data_home / "uci-german-credit")
    s = dataset_status("German-Credit")  # names are forgiving about case and dashes
    assert s.available and s.location == str(data_home / "uci-german-credit")
    assert dataset_status("spiral").summary().split()[:2] == ["spiral", "available"]
    assert "apt-get install dataset-fashion-mnist" in dataset_status("fashion_mnist").how_to_get


def test_unknown_name():
    with pytest.raises(ValueError, match="choose one of: adult"):
        load("imagenet")
    with pytest.raises(ValueError, match="known data set"):
        locate("nope")


def test_toy_through_registry():
    b = load("gaussian", n_samples=60, n_classes=3, seed=1)
    assert b.X.shape == (60, 2) and b.classes == ("0", "1", "2") and b.task == "classification"
    r = load("plane", n_samples=10, seed=0)
    assert r.task == "regression" and r.classes is None and r.y.dtype == np.float32
    assert locate("spiral") is None


@pytest.mark.parametrize(
    ("name", "shape", "n_classes"),
    [("digits", (1797, 64), 10), ("iris", (150, 4), 3), ("wine", (178, 13), 3),
     ("breast_cancer", (569, 30), 2), ("diabetes", (442, 10), None)],
)  # fmt: skip
def test_bundled_sklearn_sets(name, shape, n_classes):
    import sklearn  # noqa: F401 - the loaders import it lazily

    b = load(name)
    assert b.X.shape == shape and b.X.dtype == np.float32
    assert len(b.feature_names) == shape[1]
    if n_classes is None:
        assert b.task == "regression" and b.y.dtype == np.float32
    else:
        assert b.y.dtype == np.int64 and len(b.classes) == n_classes
        assert int(b.y.max()) == n_classes - 1
    assert locate(name) is not None and dataset_status(name).available


def test_sklearn_missing_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"pip install scikit-learn.*neuronlab\[lab\]"):
        nd.load_iris()


def test_import_is_light_and_offline():
    code = (
        "import sys, socket\n"
        "def no_net(*a, **k): raise AssertionError('network used at import')\n"
        "socket.socket.connect = no_net\n"
        "import neuronlab.data\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sklearn', 'rich', 'scipy')]\n"
        "assert not bad, bad\n"
    )
    src = str(importlib.import_module("neuronlab").__path__[0].rsplit("/neuronlab", 1)[0])
    env = {"PYTHONPATH": src, "PATH": ""}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_public_api_is_exported():
    for name in nd.__all__:
        assert hasattr(nd, name), name


def _modules():
    names = ["neuronlab.data"]
    names += [f"neuronlab.data.{m.name}" for m in pkgutil.iter_modules(nd.__path__)]
    return names


@pytest.mark.parametrize("module", _modules())
def test_doctests(module):
    if module.endswith(".bundled"):
        import sklearn  # noqa: F401 - the loaders import it lazily
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
