"""Typed parameter schemas for tour experiments, validated in one place.

Every experiment declares its parameters as ``Param`` objects; the runner calls
:func:`validate_params` before the experiment runs, so experiments receive typed values with the
defaults filled in. Every failure is a :class:`ParamError` naming the parameter, what was
expected and what arrived.

>>> schema = [FloatParam("lr", 0.1, 0.001, 10), ChoiceParam("act", "tanh", ["tanh", "relu"])]
>>> validate_params(schema, {"lr": 1}, who="demo")
{'lr': 1.0, 'act': 'tanh'}
>>> try:
...     validate_params(schema, {"lr": 50}, who="demo")
... except ParamError as error:
...     print(error.param, "|", error)
lr | parameter 'lr' of experiment 'demo': expected a number from 0.001 to 10, got 50
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BoolParam",
    "ChoiceParam",
    "FloatParam",
    "IntParam",
    "ListParam",
    "Param",
    "ParamError",
    "TextParam",
    "validate_params",
]

MAX_PARAMS_PER_CALL = 64


class ParamError(ValueError):
    """A parameter that does not fit its schema; ``param`` names it (or is ``None``)."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


def _num(x: Any) -> str:
    """A number as people write it: ``10`` not ``10.0``, ``0.001`` not ``1e-03``."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x) if isinstance(x, float) else str(x)


def _show(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer of more than 4,300 digits
        return "a number too long to show"
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Param:
    """Base of the parameter types: a name, a default, a label and help for the UI."""

    name: str
    default: Any = None
    label: str = field(default="", kw_only=True)
    help: str = field(default="", kw_only=True)
    live: bool = field(default=False, kw_only=True)
    type: str = field(default="", init=False)

    def check(self, value: Any) -> Any:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def fail(self, expected: str, value: Any) -> ParamError:
        return ParamError(f"expected {expected}, got {_show(value)}", self.name)

    def to_json(self) -> dict[str, Any]:
        out = {"name": self.name, "type": self.type, "default": self.default}
        out["label"] = self.label or self.name
        for key in ("help", "live"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


@dataclass
class IntParam(Param):
    min: int = 0
    max: int = 100

    def __post_init__(self):
        self.type = "int"

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self.fail(f"a whole number from {self.min} to {self.max}", value)
        # compare before float(): an integer of hundreds of digits overflows a float
        if not self.min <= value <= self.max or not float(value).is_integer():
            raise self.fail(f"a whole number from {self.min} to {self.max}", value)
        return int(value)

    def to_json(self):
        return {**super().to_json(), "min": self.min, "max": self.max}


@dataclass
class FloatParam(Param):
    min: float = 0.0
    max: float = 1.0
    log: bool = False

    def __post_init__(self):
        self.type = "float"

    def check(self, value: Any) -> float:
        expected = f"a number from {_num(self.min)} to {_num(self.max)}"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self.fail(expected, value)
        # bounds first: math.isfinite() of an integer of hundreds of digits overflows
        if not self.min <= value <= self.max or not math.isfinite(value):
            raise self.fail(expected, value)
        return float(value)

    def to_json(self):
        out = {**super().to_json(), "min": self.min, "max": self.max}
        if self.log:
            out["log"] = True
        return out


@dataclass
class ChoiceParam(Param):
    choices: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.type = "choice"

    def check(self, value: Any) -> str:
        if value not in self.choices or not isinstance(value, str):
            raise self.fail("one of " + ", ".join(map(repr, self.choices)), value)
        return value

    def to_json(self):
        return {**super().to_json(), "choices": list(self.choices)}


@dataclass
class BoolParam(Param):
    def __post_init__(self):
        self.type = "bool"

    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail("true or false", value)
        return value


@dataclass
class ListParam(Param):
    item: Param | None = None
    min_len: int = 0
    max_len: int = 0

    def __post_init__(self):
        self.type = "list"
        if self.item is None or self.max_len < 1:
            raise TypeError(f"ListParam({self.name!r}) needs an item Param and max_len >= 1")

    def check(self, value: Any) -> list:
        if not isinstance(value, (list, tuple)):
            raise self.fail(f"a list of {self.min_len} to {self.max_len} items", value)
        if not self.min_len <= len(value) <= self.max_len:
            raise self.fail(
                f"a list of {self.min_len} to {self.max_len} items", f"{len(value)} items"
            )
        out = []
        for i, v in enumerate(value):
            try:
                out.append(self.item.check(v))
            except ParamError as error:
                raise ParamError(f"item {i}: {error}", self.name) from None
        return out

    def to_json(self):
        return {
            **super().to_json(),
            "item": self.item.to_json(),
            "min_len": self.min_len,
            "max_len": self.max_len,
        }


@dataclass
class TextParam(Param):
    default: Any = ""
    max_chars: int = 0

    def __post_init__(self):
        self.type = "text"
        if self.max_chars < 1:
            raise TypeError(f"TextParam({self.name!r}) needs max_chars >= 1")

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail("text", value)
        if len(value) > self.max_chars:
            raise self.fail(f"at most {self.max_chars} characters", f"{len(value)} characters")
        return value

    def to_json(self):
        return {**super().to_json(), "max_chars": self.max_chars}


def validate_params(
    schema: list[Param], params: Any, *, who: str, only: set[str] | None = None
) -> dict[str, Any]:
    """Check ``params`` against ``schema``; return typed values with defaults filled in.

    ``who`` names the experiment in messages. With ``only`` (a live update), just the given
    keys are checked, each must be one of ``only``, and no defaults are added.
    """
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ParamError(f"experiment '{who}': parameters must be an object, got {_show(params)}")
    if len(params) > MAX_PARAMS_PER_CALL:
        raise ParamError(f"experiment '{who}': at most {MAX_PARAMS_PER_CALL} parameters per call")
    by_name = {p.name: p for p in schema}
    for name in params:
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise ParamError(
                f"experiment '{who}' has no parameter {name!r}; its parameters: {known}", name
            )
        if only is not None and name not in only:
            raise ParamError(
                f"parameter {name!r} of experiment '{who}' cannot change during a run; "
                "reset the run to change it",
                name,
            )
    out = {}
    for p in schema:
        if p.name in params:
            try:
                out[p.name] = p.check(params[p.name])
            except ParamError as error:
                raise ParamError(
                    f"parameter '{p.name}' of experiment '{who}': {error}", p.name
                ) from None
        elif only is None:
            out[p.name] = p.default
    return out
