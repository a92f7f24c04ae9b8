"""``neuronlab train``: train a network on a data set and write a run folder.

The steps, in order: choose the data set, load and split it and fit the preprocessing on the
training split (``prepare``), build the network from ``--model`` (``models``), train it with
``neuronlab.train.fit`` (progress bars, early stopping, schedule), save it, score it on the test
set exactly as ``evaluate`` will (``runs.score``), fit the scikit-learn baseline on tabular sets,
then write the run folder (``runs``) and print the results table.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import tempfile
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .. import io, nn, optim, report
from ..data import locate
from ..engine import Tensor, manual_seed, no_grad
from ..optim import lr_scheduler
from ..train import EarlyStopping, LambdaCallback, TerminateOnNaN, fit
from ..train.callbacks.base import Callback
from ..train.callbacks.early_stopping import snapshot_weights
from ..train.callbacks.progress import format_logs
from . import runs
from ._common import (
    EXIT_INTERRUPTED,
    CLIError,
    fraction,
    non_negative_float,
    positive_float,
    positive_int,
    resolve_dataset,
    wrap,
)
from ._output import Output, has_rich
from .baseline import fit_baseline
from .models import ACTIVATIONS, ModelSpec, build_model, describe_model, parse_model_spec
from .prepare import PreparedData, describe_data, prepare_training_data

OPTIMIZERS = {
    "sgd": optim.SGD,
    "adam": optim.Adam,
    "adamw": optim.AdamW,
    "rmsprop": optim.RMSprop,
    "adagrad": optim.Adagrad,
}
DEFAULT_LR = {"sgd": 1e-2, "adam": 1e-3, "adamw": 1e-3, "rmsprop": 1e-3, "adagrad": 1e-2}
DEFAULT_TEST_SIZE = 0.2
EXIT_DIVERGED = 3  # training diverged (a NaN or infinite loss); the run folder says so
MAX_SEED = 2**32 - 1

EPILOG = """\
examples:
  neuronlab train
      Fashion-MNIST when it is on this machine, else scikit-learn's 8x8 digits
  neuronlab train --data fashion-mnist --model mlp:256,128 --epochs 10 --optimizer adam \\
      --lr 1e-3 --val 0.1 --early-stopping 3 --out runs/fmnist
  neuronlab train --data breast-cancer --model mlp:32 --epochs 100 --batch-size 32 \\
      --early-stopping 10 --out runs/cancer      (with a logistic-regression baseline)
  neuronlab train --data diabetes --model mlp:64 --epochs 200 --lr 3e-3 --out runs/diabetes
  neuronlab train --data spiral --model mlp:32,32 --activation tanh --epochs 200
  neuronlab train --data mnist --offline      fails at once if MNIST is not on this machine

The run folder (--out, default runs/<data>-<model>-<date>) gets model.safetensors, run.json,
metrics.json, history.csv and PNG plots; `neuronlab evaluate FOLDER` scores it again.
Ctrl-C stops training after the current step; the run folder is still written.
"""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "train",
        help="train a network on a data set, write a run folder",
        description=wrap(
            "Train a network on a data set, score it on the test set and write a run "
            "folder with the model, the scores, the training history and plots."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    g = p.add_argument_group("data")
    g.add_argument(
        "--data",
        metavar="NAME",
        help="data set (see `neuronlab datasets`); default: fashion-mnist when it is "
        "here, else digits",
    )
    g.add_argument(
        "--test-size",
        type=fraction,
        metavar="F",
        help=f"test fraction for sets without an official test split, stratified for "
        f"classification ({DEFAULT_TEST_SIZE})",
    )
    g.add_argument(
        "--val",
        type=fraction,
        default=0.1,
        metavar="F",
        help="validation fraction of the training split; 0: none (0.1)",
    )
    g.add_argument(
        "--offline",
        action="store_true",
        help="never download: fail at once if the data set is not on this machine",
    )
    g = p.add_argument_group("model")
    g.add_argument(
        "--model",
        type=parse_model_spec,
        default=parse_model_spec("mlp"),
        metavar="SPEC",
        help="mlp:H1,H2,... (hidden sizes) or linear (no hidden "
        "layer: logistic / linear regression) (mlp:256,128)",
    )
    g.add_argument(
        "--activation",
        choices=sorted(ACTIVATIONS),
        default="relu",
        help="activation after each hidden layer (relu)",
    )
    g.add_argument(
        "--dropout",
        type=fraction,
        default=0.0,
        metavar="P",
        help="dropout after each hidden layer (0: none)",
    )
    g = p.add_argument_group("training")
    g.add_argument("--epochs", type=positive_int, default=10, help="passes over the data (10)")
    g.add_argument(
        "--batch-size", type=positive_int, default=128, metavar="N", help="samples per step (128)"
    )
    g.add_argument(
        "--optimizer",
        choices=list(OPTIMIZERS),
        default="adam",
        help="adam (default), adamw, sgd (momentum 0.9), rmsprop, adagrad",
    )
    g.add_argument(
        "--lr",
        type=positive_float,
        metavar="LR",
        help="learning rate (1e-3; 1e-2 for sgd and adagrad)",
    )
    g.add_argument(
        "--weight-decay",
        type=non_negative_float,
        metavar="WD",
        help="L2 penalty / decoupled decay for adamw (0; 1e-2 for adamw)",
    )
    g.add_argument(
        "--schedule",
        choices=("none", "plateau", "cosine"),
        default="none",
        help="learning-rate schedule: halve on a validation-loss plateau (patience "
        "2), or cosine annealing to 0 over the epochs (none)",
    )
    g.add_argument(
        "--early-stopping",
        type=positive_int,
        metavar="PATIENCE",
        help="stop when the validation loss has not improved for PATIENCE epochs "
        "and keep the best epoch's weights (needs --val > 0)",
    )
    g.add_argument(
        "--seed",
        type=seed_value,
        default=0,
        help="seed of the split, the initial weights, shuffling and dropout (0)",
    )
    g = p.add_argument_group("output")
    g.add_argument(
        "--out", type=Path, metavar="DIR", help="run folder (default: runs/<data>-<model>-<date>)"
    )
    g.add_argument("--overwrite", action="store_true", help="replace a run already in --out")
    g.add_argument(
        "--no-baseline", action="store_true", help="skip the scikit-learn baseline of tabular sets"
    )
    g.add_argument("--no-progress", action="store_true", help="no progress bars or epoch lines")
    p.set_defaults(func=run)


def seed_value(text: str) -> int:
    """argparse type: a seed NumPy accepts, an integer from 0 to 2**32 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"expected a seed from 0 to {MAX_SEED} (2**32 - 1), got {text}"
        )
    return value


# ----- the command -------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    out = Output()
    name = _choose_dataset(args.data, out)
    folder = _run_folder(args.out, name, args.model, overwrite=args.overwrite)
    if args.early_stopping and args.val == 0:
        raise CLIError("--early-stopping watches the validation loss: give --val > 0 "
                       "(e.g. --val 0.1)")  # fmt: skip
    test_size = DEFAULT_TEST_SIZE if args.test_size is None else args.test_size
    prepared = prepare_training_data(name, test_size=test_size, val=args.val, seed=args.seed,
                                     offline=args.offline)  # fmt: skip
    _say_data(prepared, args, out)
    model, optimizer, description = _setup(prepared, args, out)

    history, stopper, seconds, diverged = _train(model, optimizer, prepared, args, out)
    best_epoch = _restored_epoch(stopper)
    if history.interrupted:
        kept = (f"the best epoch's weights (epoch {best_epoch + 1})" if best_epoch is not None
                else "the weights after the last finished step")  # fmt: skip
        out.line(
            f"Training was interrupted (Ctrl-C) after {len(history.epoch)} finished "
            f"epoch(s); saving {kept} and scoring them on the test set.",
            style="yellow",
        )
    description["training"]["interrupted"] = bool(history.interrupted)
    description["training"]["diverged"] = diverged
    training = _training_summary(history, stopper, best_epoch, args.epochs, seconds)
    training["diverged"] = diverged

    scores, baseline, plots = _write_run(folder, model, prepared, history, training, description,
                                         args, out)  # fmt: skip
    _say_results(out, folder, scores, baseline, args.model, training, plots)
    if diverged is not None:
        out.line(_diverged_line(diverged, args), style="red")
        return EXIT_DIVERGED
    return EXIT_INTERRUPTED if history.interrupted else 0


def _write_run(folder, model, prepared, history, training, description, args, out):
    """Save the model, score the saved file, fit the baseline, write every file of the run
    folder (``run.json`` last: a folder is a run once it has one; an old run's files are
    removed first); returns what was scored."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in runs.ALL_FILES:  # --overwrite: no file of the old run may stay behind
        (folder / name).unlink(missing_ok=True)
    io.save(model, folder / runs.MODEL_FILE)
    saved = io.load(folder / runs.MODEL_FILE)  # score the file, exactly as evaluate will
    scores, predictions = runs.score(saved, prepared.X_test, prepared.y_test, prepared.recipe)
    baseline = None if args.no_baseline else fit_baseline(prepared, out)
    history.to_csv(folder / runs.HISTORY_FILE)
    report.write_json(folder / runs.METRICS_FILE, {
        "format": "neuronlab.metrics/1", "dataset": prepared.recipe["name"],
        "task": prepared.task, "split": "test", "network": scores, "baseline": baseline,
        "training": training,
    })  # fmt: skip
    best_epoch = None if training["best_epoch"] is None else training["best_epoch"] - 1
    plots = _plots(folder, history, scores, predictions, prepared, args, best_epoch, out)
    report.write_json(folder / runs.RUN_FILE, description)
    return scores, baseline, plots


# ----- steps -------------------------------------------------------------------------------------
def _choose_dataset(data: str | None, out: Output) -> str:
    if data is not None:
        return resolve_dataset(data)
    where = locate("fashion_mnist")
    if where is not None:
        out.line(f"No --data given: using Fashion-MNIST, found in {where}.")
        return "fashion_mnist"
    out.line(
        "No --data given: Fashion-MNIST is not on this machine (sudo apt-get install "
        "dataset-fashion-mnist), so using scikit-learn's 8x8 digits."
    )
    return "digits"


def _run_folder(out_dir: Path | None, name: str, spec: ModelSpec, *, overwrite: bool) -> Path:
    if out_dir is None:
        tag = str(spec).replace(":", "").replace(",", "x")
        base = Path("runs") / f"{name}-{tag}-{datetime.now():%Y%m%d-%H%M%S}"
        out_dir, n = base, 1
        while out_dir.exists():
            n += 1
            out_dir = base.with_name(f"{base.name}-{n}")
        return out_dir
    if out_dir.exists() and not out_dir.is_dir():
        raise CLIError(f"--out {str(out_dir)!r} is a file, not a folder")
    if (out_dir / runs.RUN_FILE).exists() and not overwrite:
        raise CLIError(
            f"{str(out_dir)!r} already holds a run; choose another --out or pass --overwrite"
        )
    _check_writable(out_dir)
    return out_dir


def _check_writable(folder: Path) -> None:
    """Fail before training, not after, when the run folder cannot be written: create it (and
    its parents) and a file inside, then remove whatever this check created."""
    created = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise CLIError(
            f"--out {str(folder)!r} cannot be written ({e.strerror or e}); choose a folder "
            "you can write to"
        ) from None
    finally:
        for path in created:  # deepest first
            with contextlib.suppress(OSError):
                path.rmdir()


def _say_data(prepared: PreparedData, args: argparse.Namespace, out: Output) -> None:
    out.line("Data " + describe_data(prepared))
    out.line("Preprocessing: " + prepared.recipe["preprocessing"]["inputs"] + ".")
    if args.test_size is not None and prepared.recipe["split"]["official_test_split"]:
        out.line(f"{prepared.recipe['title']} has an official test split: --test-size ignored.")
    target = prepared.recipe["preprocessing"]["target"]
    if target is not None:
        out.line(
            f"Targets are standardized for training (mean {target['mean']:.4g}, std "
            f"{target['scale']:.4g}); MAE, RMSE and R² are reported in the original "
            "units."
        )


def _setup(prepared: PreparedData, args: argparse.Namespace, out: Output):
    """The network (seeded), its optimizer, and the run description for ``run.json``."""
    manual_seed(args.seed)
    n_out = len(prepared.classes) if prepared.task == "classification" else 1
    model = build_model(args.model, prepared.recipe["n_features"], n_out,
                        activation=args.activation, dropout=args.dropout)  # fmt: skip
    out.line("Model " + describe_model(model, args.model, args.activation, args.dropout))
    lr = DEFAULT_LR[args.optimizer] if args.lr is None else args.lr
    kwargs: dict[str, Any] = {"lr": lr}
    if args.weight_decay is not None:
        kwargs["weight_decay"] = args.weight_decay
    if args.optimizer == "sgd":
        kwargs["momentum"] = 0.9
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), **kwargs)
    weight_decay = float(optimizer.param_groups[0].get("weight_decay", 0.0))
    decay = f" · weight decay {weight_decay:g}" if weight_decay else ""
    stop = f" · early stopping (patience {args.early_stopping})" if args.early_stopping else ""
    out.line(f"Training {args.epochs} epochs · {args.optimizer} lr {lr:g}{decay} · batch "
             f"{args.batch_size} · schedule {args.schedule}{stop} · seed {args.seed}")  # fmt: skip
    return model, optimizer, _run_description(prepared, model, args, lr, weight_decay)


def _scheduler(name: str, optimizer: Any, epochs: int) -> Any:
    if name == "plateau":
        return lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=2)
    if name == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    return None


def _train(model, optimizer, prepared: PreparedData, args: argparse.Namespace, out: Output):
    classification = prepared.task == "classification"
    loss_fn = nn.CrossEntropyLoss() if classification else nn.MSELoss()
    val = None
    if prepared.X_val is not None:
        val = (prepared.X_val, prepared.training_targets(prepared.y_val))
    nan_stop, keeper = TerminateOnNaN(), LastFiniteWeights()
    callbacks: list[Any] = [nan_stop, keeper]
    stopper = None
    if args.early_stopping:
        stopper = EarlyStopping("val_loss", patience=args.early_stopping, restore_best_weights=True)
        callbacks.append(stopper)
    verbose = not args.no_progress
    if verbose and not has_rich():  # fit's ProgressBar draws with rich: print plain lines
        callbacks.append(
            LambdaCallback(
                on_epoch_end=lambda epoch, logs: out.line(
                    f"Epoch {epoch + 1}/{args.epochs} - {format_logs(logs)}"
                )
            )
        )
        verbose = False
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:  # shown below unless training diverged
        warnings.simplefilter("always")
        history = _fit(model, loss_fn, optimizer, prepared, val, callbacks, args, verbose)
    diverged = _diverged(model, nan_stop, keeper, prepared.X_train[:1024])
    if diverged is None:
        for w in caught:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return history, stopper, time.perf_counter() - start, diverged


def _fit(model, loss_fn, optimizer, prepared, val, callbacks, args, verbose):
    classification = prepared.task == "classification"
    return fit(
        model,
        loss_fn,
        optimizer,
        (prepared.X_train, prepared.training_targets(prepared.y_train)),
        val,
        epochs=args.epochs,
        batch_size=args.batch_size,
        metrics=["accuracy" if classification else "mae"],
        callbacks=callbacks,
        scheduler=_scheduler(args.schedule, optimizer, args.epochs),
        seed=args.seed,
        verbose=verbose,
    )


# ----- a diverging run ---------------------------------------------------------------------------
class LastFiniteWeights(Callback):
    """Keeps a copy of the weights at the start and after every epoch that ends with a finite
    loss and finite weights, so that a run that diverges can go back to them."""

    def on_train_begin(self, logs=None) -> None:
        self.initial = self.weights = snapshot_weights(self.model)
        self.epoch = None

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        loss = (logs or {}).get("loss")
        weights = snapshot_weights(self.model)
        if (
            loss is not None
            and np.isfinite(loss)
            and all(np.isfinite(w).all() for w in weights.values() if w.dtype.kind == "f")
        ):
            self.weights, self.epoch = weights, epoch


def _finite(model) -> bool:
    return all(np.isfinite(p.data).all() for p in model.parameters())


def _outputs_finite(model, X) -> bool:
    model.eval()
    with no_grad(), np.errstate(all="ignore"):
        finite = bool(np.isfinite(model(Tensor(X)).data).all())
    model.train()
    return finite


def _diverged(model, nan_stop: TerminateOnNaN, keeper: LastFiniteWeights, X) -> dict | None:
    """``None`` when training stayed finite; else where it diverged and which weights were
    kept: the last finite ones, or the initial ones when those still overflow on ``X``."""
    if nan_stop.stopped_epoch is None and _finite(model):
        return None
    model.load_state_dict(keeper.weights)
    if not _outputs_finite(model, X):
        model.load_state_dict(keeper.initial)
        keeper.epoch = None
    return {
        "epoch": None if nan_stop.stopped_epoch is None else nan_stop.stopped_epoch + 1,
        "step": None if nan_stop.stopped_step is None else nan_stop.stopped_step + 1,
        "kept_weights_of_epoch": None if keeper.epoch is None else keeper.epoch + 1,
    }


def _diverged_line(diverged: dict, args) -> str:
    where = f" at epoch {diverged['epoch']}, step {diverged['step']}" if diverged["epoch"] else ""
    kept = diverged["kept_weights_of_epoch"]
    weights = f"the weights after epoch {kept}" if kept else "the initial weights"
    lr = DEFAULT_LR[args.optimizer] if args.lr is None else args.lr
    smaller = min(lr / 10, DEFAULT_LR[args.optimizer])
    return (
        f"Training diverged{where} (the loss became NaN or infinite); the run folder holds "
        f"{weights}, marked as diverged. Try a smaller learning rate, e.g. --lr {smaller:g}."
    )


def _restored_epoch(stopper: EarlyStopping | None) -> int | None:
    """The epoch (from 0) whose weights early stopping put back, if it did."""
    if stopper is None or stopper.best_weights is None:
        return None
    return stopper.best_epoch


def _training_summary(history, stopper, best_epoch, epochs, seconds) -> dict[str, Any]:
    last = {k: v[-1] for k, v in history.history.items()} if history.epoch else {}
    return {
        "epochs_requested": epochs,
        "epochs_run": len(history.epoch),
        "stopped_early": stopper is not None and stopper.stopped_epoch is not None,
        "best_epoch": None if best_epoch is None else best_epoch + 1,
        "restored_best_weights": best_epoch is not None,
        "interrupted": bool(history.interrupted),
        "seconds": round(seconds, 2),
        "last_epoch": last,
    }


def _plots(folder, history, scores, predictions, prepared, args, best_epoch, out) -> list[Path]:
    title = f"{prepared.recipe['title']} · {args.model}"
    try:
        return runs.write_plots(
            folder,
            history.history,
            scores,
            predictions,
            prepared.y_test,
            title=title,
            best_epoch=best_epoch,
        )
    except ImportError:
        out.line("matplotlib is not installed: no plots (pip install matplotlib).")
        return []


def _run_description(prepared, model, args, lr, weight_decay) -> dict[str, Any]:
    n_out = len(prepared.classes) if prepared.task == "classification" else 1
    return {
        "format": runs.FORMAT,
        "data": prepared.recipe,
        "model": {
            "spec": str(args.model),
            "activation": args.activation,
            "dropout": args.dropout,
            "n_inputs": prepared.recipe["n_features"],
            "n_outputs": n_out,
            "n_parameters": int(sum(p.data.size for p in model.parameters())),
            "file": runs.MODEL_FILE,
        },
        "training": {
            "loss": "cross-entropy" if prepared.task == "classification" else "mse",
            "optimizer": args.optimizer,
            "lr": lr,
            "weight_decay": weight_decay,
            "momentum": 0.9 if args.optimizer == "sgd" else None,
            "batch_size": args.batch_size,
            "epochs": args.epochs,
            "early_stopping": args.early_stopping,
            "monitor": "val_loss" if args.early_stopping else None,
            "schedule": args.schedule,
            "seed": args.seed,
            "interrupted": False,
        },
        "evaluation": {"batch_size": runs.EVAL_BATCH_SIZE},
        "command": shlex.join(["neuronlab", *args.argv]),
        "versions": runs.versions(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _say_results(out, folder, scores, baseline, spec, training, plots) -> None:
    base = baseline.get("scores") if baseline else None
    base_label = baseline["model"].split("(")[0] if base else "baseline"
    out.line()
    out.table(
        report.summary_table(
            scores, baseline=base, network_label=str(spec), baseline_label=base_label
        )
    )
    stopped = ""
    if training["restored_best_weights"]:
        stopped = f" · best epoch {training['best_epoch']} (its weights were kept)"
    if training["stopped_early"]:
        stopped = " · stopped early" + stopped
    out.line(
        f"{training['epochs_run']} epoch(s) in {training['seconds']:.1f}s{stopped}"
        f"{' · interrupted (Ctrl-C)' if training['interrupted'] else ''}"
    )
    files = [
        runs.MODEL_FILE,
        runs.RUN_FILE,
        runs.METRICS_FILE,
        runs.HISTORY_FILE,
        *(p.name for p in plots),
    ]
    out.line(f"Run folder {folder}: {', '.join(files)}")
    out.line(f"Full report: neuronlab evaluate {shlex.quote(str(folder))}")
