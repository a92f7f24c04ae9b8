"""Where data files are looked for, and where downloads go.

Lookup order for a data set stored in folder ``<folder>``:

1. ``$NEURONLAB_DATA/<folder>`` (the variable may hold several folders separated by ``os.pathsep``),
2. ``~/.cache/neuronlab/<folder>`` (the user cache),
3. system folders from Debian packages (e.g. ``/usr/share/datasets/fashion-mnist``).

Downloads go to the first ``$NEURONLAB_DATA`` folder when the variable is set, else to the user
cache. Nothing here touches the network.
"""

from __future__ import annotations

import os
from pathlib import Path

from .catalog import DatasetInfo, RemoteFile

__all__ = ["cache_dir", "data_roots", "download_dir", "find_dataset_dir", "resolve_file"]

ENV_VAR = "NEURONLAB_DATA"


def cache_dir() -> Path:
    """The user cache, ``~/.cache/neuronlab``."""
    return Path(os.path.expanduser("~/.cache/neuronlab"))


def data_roots() -> list[tuple[Path, str]]:
    """Root folders searched, in order, each with a label saying where it comes from."""
    roots: list[tuple[Path, str]] = []
    env = os.environ.get(ENV_VAR, "")
    for part in env.split(os.pathsep):
        if part.strip():
            roots.append((Path(os.path.expanduser(part.strip())), f"${ENV_VAR}"))
    roots.append((cache_dir(), "user cache"))
    return roots


def search_dirs(info: DatasetInfo) -> list[tuple[Path, str]]:
    """Every folder that may hold ``info``'s files, in lookup order, with its label."""
    if info.folder is None:
        return []
    dirs = [(root / info.folder, label) for root, label in data_roots()]
    dirs += [(Path(d), "system package") for d in info.system_dirs]
    return dirs


def download_dir(info: DatasetInfo) -> Path:
    """Folder that receives ``info``'s downloads."""
    assert info.folder is not None, f"{info.name} has no files to download"
    return data_roots()[0][0] / info.folder


def resolve_file(directory: Path, spec: RemoteFile) -> Path | None:
    """The path of ``spec`` inside ``directory`` (or an accepted alternative), if present."""
    for name in (spec.name, *spec.alternatives):
        path = directory / name
        if path.exists():
            return path
    return None


def find_dataset_dir(info: DatasetInfo) -> Path | None:
    """First folder in lookup order that holds *all* of ``info``'s files, else ``None``."""
    for directory, _label in search_dirs(info):
        if directory.is_dir() and all(resolve_file(directory, f) for f in info.files):
            return directory
    return None
