"""What a chapter is made of: experiments, claims and terminal tour steps.

A chapter folder ``tour/chapters/<id>/`` holds ``text.md`` and an ``__init__.py`` that defines
``CHAPTER = Chapter(...)``. See ``docs/lab-architecture.md`` for the whole contract.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schema import Param, validate_params

__all__ = ["Chapter", "Claim", "Experiment", "TourStep"]

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Experiment:
    """A parameterised computation: quick (``run``) or live (``stream``), never both.

    ``run(**params)`` returns plain JSON-able data; ``stream(ctx, **params)`` is a generator
    whose every ``yield`` (``None`` or a frame dict) is one step and a control point.

    ``normalize(values) -> values`` (optional) applies the rules that tie parameters together
    after the schema checked each one, so :meth:`validate` returns the configuration that really
    runs (the server sends it back in ``started``). ``check_edit(params, edit) -> edit``
    (optional) validates a hand edit of the running model (the playground's weights) against
    the run's parameters. ``extra`` is JSON sent with the experiment's description (the
    playground's presets and choice labels), so the page holds no copy of them.
    """

    name: str
    title: str
    params: list[Param] = field(default_factory=list)
    run: Callable[..., Any] | None = None
    stream: Callable[..., Any] | None = None
    max_steps: int = 100_000
    max_seconds: float = 300.0
    chapter_id: str = ""
    normalize: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    check_edit: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if not _NAME.match(self.name):
            raise ValueError(f"Experiment name {self.name!r}: use [a-z][a-z0-9_]*")
        if (self.run is None) == (self.stream is None):
            raise TypeError(f"Experiment {self.name!r}: give exactly one of run= or stream=")
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ValueError(f"Experiment {self.name!r}: duplicate parameter names in {names}")

    @property
    def kind(self) -> str:
        return "quick" if self.run is not None else "live"

    @property
    def who(self) -> str:
        return f"{self.chapter_id}/{self.name}" if self.chapter_id else self.name

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def validate(self, params: Any) -> dict[str, Any]:
        """Each parameter checked by its schema, then the cross-parameter rules: the normalized
        configuration (``ParamError`` naming the parameter otherwise)."""
        values = validate_params(self.params, params, who=self.who)
        return values if self.normalize is None else self.normalize(values)

    def validate_update(self, params: Any) -> dict[str, Any]:
        live = {p.name for p in self.params if p.live}
        return validate_params(self.params, params, who=self.who, only=live)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "params": [p.to_json() for p in self.params],
            "max_steps": self.max_steps if self.kind == "live" else None,
            "extra": self.extra,
        }


@dataclass
class Claim:
    """One sentence of the text, checked by an experiment.

    ``check(result) -> (passed, detail)``; ``result`` is the quick experiment's data or, for a
    live experiment, the list of frames it yielded. ``params`` are used everywhere; ``tiny``
    overrides them further in tests.
    """

    id: str
    text: str
    experiment: str
    check: Callable[[Any], tuple[bool, str]]
    params: dict[str, Any] = field(default_factory=dict)
    tiny: dict[str, Any] = field(default_factory=dict)
    every: int = 1

    def __post_init__(self):
        if not _ID.match(self.id):
            raise ValueError(f"Claim id {self.id!r}: use [a-z][a-z0-9-]*")

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "experiment": self.experiment}


@dataclass
class TourStep:
    """What the terminal tour runs: an experiment with parameters, at a widget's place."""

    experiment: str
    params: dict[str, Any] = field(default_factory=dict)
    widget: str | None = None
    caption: str = ""
    every: int = 0  # live runs: a progress frame every N steps (0: about 20 frames)


@dataclass
class Chapter:
    """A chapter of the tour: its text, experiments, claims and terminal tour."""

    id: str
    title: str
    summary: str
    experiments: list[Experiment] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    tour: list[TourStep] | None = None
    folder: Path | None = None

    def __post_init__(self):
        if not _ID.match(self.id):
            raise ValueError(f"Chapter id {self.id!r}: use [a-z][a-z0-9-]*")
        seen = set()
        for exp in self.experiments:
            if exp.name in seen:
                raise ValueError(f"chapter {self.id!r}: two experiments named {exp.name!r}")
            seen.add(exp.name)
            exp.chapter_id = self.id
        for claim in self.claims:
            if claim.experiment not in seen:
                raise ValueError(
                    f"chapter {self.id!r}: claim {claim.id!r} names experiment "
                    f"{claim.experiment!r}; the chapter has {sorted(seen)}"
                )
        if len({c.id for c in self.claims}) != len(self.claims):
            raise ValueError(f"chapter {self.id!r}: two claims share an id")

    def experiment(self, name: str) -> Experiment:
        for exp in self.experiments:
            if exp.name == name:
                return exp
        names = ", ".join(e.name for e in self.experiments) or "none"
        raise KeyError(f"chapter '{self.id}' has no experiment {name!r}; it has: {names}")

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        ids = ", ".join(c.id for c in self.claims) or "none"
        raise KeyError(f"chapter '{self.id}' has no claim {claim_id!r}; it has: {ids}")

    def text(self) -> str:
        """The chapter's ``text.md`` (empty when the chapter has no folder)."""
        if self.folder is None or not (self.folder / "text.md").is_file():
            return ""
        return (self.folder / "text.md").read_text(encoding="utf-8")

    def tour_steps(self) -> list[TourStep]:
        if self.tour is not None:
            return self.tour
        return [TourStep(e.name) for e in self.experiments]
