"""The tour in the terminal: prose with rich, experiments with progress bars, results as tables
and text charts, figures as PNG files (matplotlib) whose paths are printed.

Everything here only *shows* what the runner returns; the tour logic stays in the chapters.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from rich.align import Align
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .chapter import Chapter, TourStep
from .frames import decode_grid
from .markdown import split_for_terminal
from .registry import get_chapter
from .runner import check_claims, find_experiment, run_experiment, run_headless

__all__ = ["TerminalTour", "sparkline"]

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values, width: int = 60) -> str:
    """A one-line chart of ``values`` resampled to ``width`` characters."""
    v = np.asarray([x for x in values if x is not None], dtype=float)
    if v.size == 0:
        return ""
    v = v[np.linspace(0, v.size - 1, min(width, v.size)).round().astype(int)]
    lo, hi = float(v.min()), float(v.max())
    if hi - lo < 1e-12:
        return BARS[3] * v.size
    return "".join(BARS[int(round((x - lo) / (hi - lo) * (len(BARS) - 1)))] for x in v)


# Words for the result keys the terminal prints; other keys read with spaces for underscores.
LABELS = {
    "step": "steps", "epoch": "epochs trained", "epochs": "epochs planned", "loss": "loss",
    "accuracy": "accuracy",
    "train_loss": "training loss", "val_loss": "validation loss", "test_loss": "test loss",
    "train_accuracy": "training accuracy", "val_accuracy": "validation accuracy",
    "test_accuracy": "test accuracy", "restored_val": "validation loss of the restored model",
    "at_stop_val": "validation loss where training stopped", "grad_a": "dc/da in this order",
    "engine_grad_a": "dc/da from the engine", "exact": "dc/da = 8a", "correct": "right",
    "max_relative_error": "largest relative error", "eps": "ε", "w1": "w₁", "w2": "w₂",
    "b": "bias b", "z": "z", "y": "output y", "slope": "slope f'(z)", "x1": "x₁", "x2": "x₂",
    "max_slope": "largest slope", "max_slope_at": "largest slope at z",
    "min_value": "smallest value", "slope_at_negative": "largest slope for z < 0",
    "n_train": "training points", "n_val": "validation points", "n_test": "test points",
}  # fmt: skip
# Keys that only place things on the page (layout, colours, ids): never printed.
HIDDEN = {"columns", "kind", "extent", "problem", "classes", "label", "activation", "order",
          "surface", "diverged"}  # fmt: skip


def _label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " "))


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list) and len(value) > 6:
        return f"[{len(value)} values]"
    return str(value)


class TerminalTour:
    """Runs one chapter in the terminal; figures go to ``out_dir/<chapter>/``."""

    def __init__(self, console: Console | None = None, out_dir: Path | str = "neuronlab-tour",
                 pause: bool = False):  # fmt: skip
        self.console = console or Console()
        self.out_dir = Path(out_dir)
        self.pause = pause  # wait for Enter between sections (a person at a terminal)
        self.figures: list[Path] = []
        self._count = 0
        self._title = ""

    # -- the chapter ---------------------------------------------------------------------------
    def run(self, chapter_id: str, claims: bool = True) -> bool:
        """Show the chapter; returns True when every claim checked holds."""
        chapter = get_chapter(chapter_id)
        c = self.console
        c.rule(f"[bold]{chapter.title}[/bold]")
        c.print(chapter.summary, style="italic")
        steps = chapter.tour_steps()
        for kind, body in split_for_terminal(chapter.text()):
            if kind == "text":
                for section in re.split(r"(?m)^(?=## )", body):
                    if section.startswith("## "):
                        self.wait()
                    if section.strip():
                        c.print(Markdown(section))
            elif kind == "math":
                c.print(Align.center(Text(body.strip(), style="bold")))
                c.print()
            else:
                for step in [s for s in steps if s.widget == body]:
                    self.step(chapter, step)
        for step in [s for s in steps if s.widget is None]:
            self.step(chapter, step)
        return self.claims(chapter) if claims else True

    def wait(self) -> None:
        """Between two sections: wait for Enter when a person is reading (``pause``)."""
        if not self.pause:
            return
        try:
            self.console.input("[dim]  Enter to go on (Ctrl-C to stop) [/dim]")
        except EOFError:
            self.pause = False  # the input ended: read on without stopping

    def claims(self, chapter: Chapter) -> bool:
        self.wait()
        table = Table(title=f"What “{chapter.title}” claims, checked now", show_lines=False)
        for col in ("", "claim", "measured", "s"):
            table.add_column(col)
        ok = True
        with self.console.status("checking the claims..."):
            results = check_claims(chapter.id, tiny=False)
        for r in results:
            ok &= r.passed
            mark = "[green]✓[/green]" if r.passed else "[red]✗[/red]"
            table.add_row(mark, r.text, r.detail, f"{r.seconds:.2f}")
        self.console.print(table)
        return ok

    # -- one experiment ------------------------------------------------------------------------
    def step(self, chapter: Chapter, step: TourStep) -> None:
        exp = find_experiment(chapter.id, step.experiment)
        params = exp.validate(step.params)
        shown = ", ".join(f"{k}={v}" for k, v in step.params.items())
        self.console.print(f"\n[bold cyan]▶ {exp.title}[/bold cyan] [dim]{shown}[/dim]")
        if step.caption:
            self.console.print(step.caption)
        self._count += 1
        self._title = step.caption or exp.title
        stem = f"{self._count:02d}-{exp.name}"
        if exp.kind == "quick":
            self.show(run_experiment(chapter.id, exp.name, params), chapter.id, stem)
            return
        total = params.get("steps") or exp.max_steps
        every = step.every or max(1, total // 20)
        with Progress(
            TextColumn("  training"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} steps {task.fields[info]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        ) as bar:
            task = bar.add_task("run", total=total, info="")

            def on_frame(n: int, frame: dict) -> None:
                info = "  ".join(f"{k} {frame[k]:.3g}" for k in ("loss", "accuracy") if k in frame)
                bar.update(task, completed=min(n, total), info=info)

            frames = run_headless(chapter.id, exp.name, params, every=every, on_frame=on_frame)
        self.show_history(frames, chapter.id, stem)
        if frames:
            self.show(frames[-1], chapter.id, stem)

    def show_history(self, frames: list[dict], chapter_id: str, stem: str) -> None:
        """The scalar curves of a live run (loss, accuracy...) over its frames."""
        if not frames or "step" not in frames[0]:
            return
        keys = [k for k in ("loss", "accuracy") if k in frames[0]]
        steps = [f["step"] for f in frames]
        for key in keys:
            values = [f[key] for f in frames]
            self.console.print(
                f"  {key:<9} {sparkline(values)}  {values[0]:.4g} → {values[-1]:.4g}"
            )
        if keys:
            series = {
                "kind": "series",
                "x": steps,
                "xlabel": "step",
                "ylabel": "",
                "ys": {k: [f[k] for f in frames] for k in keys},
            }
            self._figure_series(series, chapter_id, f"{stem}-history", "during training")

    # -- results -------------------------------------------------------------------------------
    def show(self, result: Any, chapter_id: str, stem: str) -> None:
        """Tables for tables and scalars, text charts and PNGs for series, PNGs for grids."""
        if not isinstance(result, dict):
            self.console.print(f"  {_fmt(result)}")
            return
        scalars = Table(show_header=False, box=None, padding=(0, 2))
        overlay = {
            k: v for k, v in result.items() if isinstance(v, dict) and v.get("kind") == "points"
        }
        line = result.get("line")
        for key, value in result.items():
            kind = value.get("kind") if isinstance(value, dict) else None
            if kind == "table":
                self._table(value)
            elif kind == "series":
                width = max((len(_label(name)) for name in value["ys"]), default=0)
                for name, ys in value["ys"].items():
                    self.console.print(f"  {_label(name):<{width}}  {sparkline(ys, 56 - width)}")
                self._figure_series(value, chapter_id, f"{stem}-{key}", _label(key))
            elif kind == "grid":
                self._figure_grid(value, overlay, line, chapter_id, f"{stem}-{key}", _label(key))
            elif (
                kind is None
                and key not in HIDDEN
                and key != "line"
                and not isinstance(value, (dict, list))
            ):
                scalars.add_row(f"  {_label(key)}", _fmt(value))
        if scalars.row_count:
            self.console.print(scalars)

    def _table(self, spec: dict) -> None:
        table = Table(title=spec.get("title") or None)
        for col in spec["columns"]:
            table.add_column(str(col), justify="left")
        for row in spec["rows"]:
            table.add_row(*(_fmt(v) for v in row))
        self.console.print(table)

    def _path(self, chapter_id: str, stem: str) -> Path:
        folder = self.out_dir / chapter_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder / (re.sub(r"[^a-z0-9_-]+", "-", stem.lower()) + ".png")

    def _save(self, fig, path: Path) -> None:
        fig.savefig(path, dpi=110, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        self.figures.append(path)
        self.console.print(f"  [dim]figure:[/dim] {path}", soft_wrap=True)

    def _figure_series(self, spec: dict, chapter_id: str, stem: str, what: str = "") -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5.5, 3.2))
        colours = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]
        for i, (name, ys) in enumerate(spec["ys"].items()):
            y = [np.nan if v is None else v for v in ys]
            ax.plot(spec["x"], y, label=_label(name), color=colours[i % 6],
                    ls="--" if i % 2 else "-")  # fmt: skip
        ax.set_title(self._figure_title(what), fontsize=10)
        ax.set_xlabel(spec.get("xlabel", ""))
        ax.set_ylabel(spec.get("ylabel", ""))
        ax.grid(alpha=0.3)
        ax.legend()
        self._save(fig, self._path(chapter_id, stem))

    def _figure_title(self, what: str) -> str:
        return f"{self._title}: {what}" if what and self._title else (self._title or what)

    def _figure_grid(self, spec, overlay, line, chapter_id: str, stem: str, what: str = "") -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.colors import LinearSegmentedColormap

        cmap = LinearSegmentedColormap.from_list("nl", ["#e69f00", "#f7f7f7", "#0072b2"])
        fig, ax = plt.subplots(figsize=(4.2, 4.2))
        ax.imshow(
            decode_grid(spec),
            extent=spec["extent"],
            cmap=cmap,
            vmin=spec["lo"],
            vmax=spec["hi"],
            alpha=0.75,
            interpolation="bilinear",
        )
        for pts in overlay.values():
            X, y = np.asarray(pts["x"]), np.asarray(pts["y"])
            for label, marker, colour in ((1, "o", "#0072b2"), (0, "s", "#e69f00")):
                sel = y == label
                ax.scatter(
                    X[sel, 0],
                    X[sel, 1],
                    marker=marker,
                    c=colour,
                    s=14,
                    edgecolors="white",
                    linewidths=0.5,
                )
        if line:
            (a, b), (c, d) = line
            ax.plot([a, c], [b, d], color="#1d2430", lw=2)
        ax.set_xlim(spec["extent"][0], spec["extent"][1])
        ax.set_ylim(spec["extent"][2], spec["extent"][3])
        ax.set_title(self._figure_title(what), fontsize=10)
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        self._save(fig, self._path(chapter_id, stem))
