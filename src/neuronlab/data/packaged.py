"""The UCI tabular sets that ship inside the package, verified on every load.

UCI Adult and German credit (CC BY 4.0) travel with neuronlab as gzipped copies of the official
files in ``neuronlab/data/packaged/``, so the lab and the tests work offline and on a fresh
clone. ``packaged/SOURCES.json`` records each file's source, licence, citation, the SHA-256 of
the ``.gz`` as shipped and the SHA-256 of its content, which is the official file's published
checksum (the same value as in :mod:`neuronlab.data.catalog`). ``scripts/build_packaged_data.py``
rebuilds the folder from the official raw files, byte for byte.

:func:`packaged_files` checks both checksums before a loader reads a byte of the data: a copy
that was altered raises :class:`~neuronlab.data.CorruptDatasetError`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from . import catalog
from .errors import CorruptDatasetError

__all__ = ["MANIFEST", "PACKAGED_DIR", "PACKAGED_SETS", "packaged_files", "packaged_manifest"]

PACKAGED_DIR = Path(__file__).resolve().parent / "packaged"
MANIFEST = "SOURCES.json"
#: The data sets shipped inside the package.
PACKAGED_SETS = ("adult", "german_credit")


def packaged_manifest() -> dict[str, dict]:
    """``SOURCES.json``: per data set its title, source, licence, citation and files."""
    path = PACKAGED_DIR / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise CorruptDatasetError(
            f"packaged data · expected a readable {MANIFEST} · {path}: {e} · reinstall "
            f"neuronlab, or load the official files with source='official'",
            path=str(path),
        ) from None


def _check(path: Path, expected: str, actual: str, what: str) -> None:
    if actual != expected:
        raise CorruptDatasetError(
            f"packaged data · expected {what} sha256 {expected} · {path} has {actual} · the "
            f"installed copy was altered: reinstall neuronlab, or load the official files with "
            f"source='official'",
            path=str(path),
        )


def packaged_files(name: str) -> list[Path]:
    """Paths of the shipped ``.gz`` files of data set ``name``, in catalogue order, verified.

    Each file's own SHA-256 must match ``SOURCES.json`` and its decompressed content must match
    the official file's published SHA-256 in the catalogue.
    """
    if name not in PACKAGED_SETS:
        raise ValueError(
            f"packaged_files · expected one of {', '.join(PACKAGED_SETS)} · got {name!r} · the "
            f"other data sets are downloaded, see neuronlab.data.load"
        )
    entry = packaged_manifest().get(name, {})
    listed = {f["official_name"]: f for f in entry.get("files", [])}
    paths = []
    for spec in catalog.DATASETS[name].files:
        path = PACKAGED_DIR / f"{spec.name}.gz"
        if spec.name not in listed or not path.is_file():
            raise CorruptDatasetError(
                f"packaged data · expected {path.name} listed in {MANIFEST} · it is missing · "
                f"reinstall neuronlab, or load the official files with source='official'",
                path=str(path),
            )
        packed = path.read_bytes()
        _check(path, listed[spec.name]["sha256_gz"], hashlib.sha256(packed).hexdigest(), "file")
        content = hashlib.sha256(gzip.decompress(packed)).hexdigest()
        _check(path, str(spec.sha256), content, "official content")
        paths.append(path)
    return paths
