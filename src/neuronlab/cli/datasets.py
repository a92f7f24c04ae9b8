"""``neuronlab datasets``: every data set, whether it is here, and where it was found."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..data import DATASETS, cache_dir, dataset_status, list_datasets
from ..report import Table
from ._common import wrap
from ._output import Output

EPILOG = """\
examples:
  neuronlab datasets                               the table
  NEURONLAB_DATA=/data/neuronlab neuronlab datasets   look in another folder first

Files are looked for in $NEURONLAB_DATA/<folder>, then ~/.cache/neuronlab/<folder>, then
system folders from Debian packages (/usr/share/datasets/fashion-mnist). scikit-learn's sets
ship inside scikit-learn; the toy 2-D sets are generated. See docs/data.md.
"""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "datasets",
        help="list the data sets: available here or not, and where",
        description=wrap(
            "List every data set neuronlab knows: its task, whether it can be loaded "
            "without a download, and where it was found (or how to get it)."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=run)


def _origin(kind: str, location: str | None) -> str:
    """Which lookup place a location belongs to: $NEURONLAB_DATA, the user cache, a system
    package (Debian) or scikit-learn."""
    if kind == "bundled":
        return "scikit-learn"
    if kind == "generated" or location is None:
        return "generated"
    path = Path(location)
    for part in os.environ.get("NEURONLAB_DATA", "").split(os.pathsep):
        if part.strip() and path.is_relative_to(Path(os.path.expanduser(part.strip()))):
            return "$NEURONLAB_DATA"
    return "user cache" if path.is_relative_to(cache_dir()) else "system package"


def datasets_table() -> Table:
    """The table ``neuronlab datasets`` prints."""
    rows = []
    for name in list_datasets():
        s = dataset_status(name)
        if s.available:
            origin = _origin(s.kind, s.location)
            where = s.location or "generated on the fly"
            rows.append((name, DATASETS[name].task, "yes", origin, where))
        else:
            rows.append((name, DATASETS[name].task, "no", "—", "get it: " + s.how_to_get))
    n_here = sum(r[2] == "yes" for r in rows)
    return Table(
        f"Data sets · {n_here} of {len(rows)} available here",
        ("name", "task", "here", "from", "location / how to get it"),
        rows,
        note="`neuronlab train --data NAME` downloads a missing set unless --offline is given",
    )


def run(args: argparse.Namespace) -> int:
    Output().table(datasets_table())
    return 0
