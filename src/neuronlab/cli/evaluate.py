"""``neuronlab evaluate RUN``: reload a run's network, rebuild its test set, print the report.

Only the run folder is needed, not the training code: ``run.json`` says how to load and split
the data set and holds the preprocessing fitted at training time; ``model.safetensors`` holds
the network. The scores go through the same function as in ``train`` (``runs.score``), so they
equal the ``network`` scores in ``metrics.json`` exactly; the command says whether they do.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .. import nn, report
from . import runs
from ._common import CLIError, resolve_dataset, wrap
from ._output import Output
from .prepare import fingerprint, rebuild_test_data

EPILOG = """\
examples:
  neuronlab evaluate runs/fmnist                 the full report on the test set
  neuronlab evaluate runs/fmnist --json          the same as JSON (for scripts and tests)
  neuronlab evaluate runs/cancer --data breast-cancer --offline

Classification: accuracy, macro and weighted precision/recall/F1, per-class report, ROC AUC
(binary, or one-vs-rest macro), log-loss, confusion matrix. Regression: MAE, RMSE, R² in the
target's units. Exit status 2 when the folder is missing or damaged, or --data names another
data set than the run's.
"""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "evaluate",
        help="score a run folder's network on its test set again",
        description=wrap(
            "Reload the network of a run folder written by `neuronlab train`, rebuild "
            "the same test split and preprocessing from run.json, and print the full metric "
            "report on the test set."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("run", type=Path, metavar="RUN", help="run folder (e.g. runs/fmnist)")
    p.add_argument(
        "--data", metavar="NAME", help="the data set to score on; must be the run's own (a check)"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--offline",
        action="store_true",
        help="never download: fail at once if the data set is not on this machine",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.run
    description, metrics = runs.read_run(folder)
    recipe = description["data"]
    if args.data is not None:
        name = resolve_dataset(args.data)
        if name != recipe["name"]:
            raise CLIError(
                f"{str(folder)!r} was trained on {recipe['name']!r}, not {name!r}; "
                f"evaluate it on its own data set (--data {recipe['name']})"
            )
    model = runs.load_model(folder)
    X_test, y_test = rebuild_test_data(recipe, offline=args.offline)
    _check_fit(model, X_test.shape[1], recipe, folder)
    same_test_set = fingerprint(X_test, y_test) == recipe.get("test_sha256")
    if not same_test_set:
        print(
            f"neuronlab evaluate: warning: the rebuilt test set of {recipe['name']!r} differs "
            "from the one used at training time (have the data files changed?); the scores "
            "will differ from metrics.json",
            file=sys.stderr,
        )
    scores, _ = runs.score(model, X_test, y_test, recipe)
    recorded = None if metrics is None else metrics.get("network")
    matches = None if recorded is None else report.jsonable(scores) == recorded
    if args.json:
        print(
            json.dumps(
                report.jsonable(
                    {
                        "run": str(folder),
                        "dataset": recipe["name"],
                        "task": recipe["task"],
                        "model": description["model"]["spec"],
                        "network": scores,
                        "same_test_set": same_test_set,
                        "matches_metrics_json": matches,
                    }
                ),
                indent=2,
                allow_nan=False,
            )
        )
        return 0
    _say_report(Output(), folder, description, scores, metrics, matches)
    return 0


def _check_fit(model: nn.Module, n_features: int, recipe: dict[str, Any], folder: Path) -> None:
    """The network must take the data set's features (a model file from another run fails)."""
    first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
    if first is not None and first.in_features != n_features:
        raise CLIError(
            f"the network in {str(folder)!r} takes {first.in_features} features but "
            f"{recipe['name']!r} has {n_features}: the model file does not belong to "
            "this run (a run folder from a different data set?)"
        )


def _say_report(out: Output, folder, description, scores, metrics, matches) -> None:
    recipe = description["data"]
    split = recipe["split"]
    test = (
        "official test split"
        if split["official_test_split"]
        else (f"test {split['test_size']:g} of the rows, seed {split['seed']}")
    )
    out.line(f"Run {folder} · {recipe['title']} · {description['model']['spec']} · {test}")
    if recipe["preprocessing"]["target"] is not None:
        out.line("Regression scores are in the target's original units.")
    baseline = (metrics or {}).get("baseline") or {}
    label = baseline.get("model", "baseline").split("(")[0] + " (recorded)"
    tables = report.report_tables(scores, baseline=baseline.get("scores"), baseline_label=label)
    for table in tables:
        out.line()
        out.table(table)
    out.line()
    if matches is None:
        out.line("metrics.json is missing: nothing to compare with.")
    elif matches:
        out.line("These scores equal the ones `neuronlab train` recorded in metrics.json.")
    else:
        out.line("These scores differ from the ones recorded in metrics.json.", style="yellow")
