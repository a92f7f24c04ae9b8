"""Rebuild the UCI files that ship inside the package (``src/neuronlab/data/packaged/``).

The package carries UCI Adult and German credit so that the lab and the tests work offline.
This script takes the official raw files (as served by the UCI Machine Learning Repository),
checks them against the SHA-256 values in ``neuronlab.data.catalog``, gzips them
deterministically (no timestamp, no file name in the header, so a rebuild gives the same bytes)
and writes ``SOURCES.json`` with the source, licence, citation and both checksums of every file.

    python scripts/build_packaged_data.py --adult DIR_WITH_adult.data_AND_adult.test \
        --german DIR_WITH_german.data

Fetch the raw files first with ``python -c "import neuronlab.data as d;
d.load_adult(source='official'); d.load_german_credit(source='official')"`` (they land in
``~/.cache/neuronlab``), or from the URLs printed by ``neuronlab datasets``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from neuronlab.data import catalog  # noqa: E402
from neuronlab.data.packaged import MANIFEST, PACKAGED_DIR, PACKAGED_SETS  # noqa: E402


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _pack(name: str, source_dir: Path, out_dir: Path) -> dict[str, object]:
    info = catalog.DATASETS[name]
    files = []
    for spec in info.files:
        raw = (source_dir / spec.name).read_bytes()
        if _sha256(raw) != spec.sha256:
            raise SystemExit(
                f"build_packaged_data · expected the official {spec.name} (sha256 "
                f"{spec.sha256}) · {source_dir / spec.name} has sha256 {_sha256(raw)} · "
                f"download it again from {spec.urls[0]}"
            )
        packed = gzip.compress(raw, compresslevel=9, mtime=0)
        (out_dir / f"{spec.name}.gz").write_bytes(packed)
        files.append(
            {
                "file": f"{spec.name}.gz",
                "official_name": spec.name,
                "official_url": spec.urls[0],
                "sha256_gz": _sha256(packed),
                "sha256_content": spec.sha256,
                "size_content": len(raw),
            }
        )
    return {
        "title": info.title,
        "source": info.source,
        "licence": info.licence,
        "citation": info.citation,
        "files": files,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adult", type=Path, required=True, help="folder with the Adult files")
    parser.add_argument("--german", type=Path, required=True, help="folder with german.data")
    parser.add_argument("--out", type=Path, default=PACKAGED_DIR, help="output folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    folders = {"adult": args.adult, "german_credit": args.german}
    manifest = {name: _pack(name, folders[name], args.out) for name in PACKAGED_SETS}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (args.out / MANIFEST).write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(sorted(p.name for p in args.out.glob('*.gz')))} and {MANIFEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
