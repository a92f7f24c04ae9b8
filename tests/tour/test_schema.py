"""Parameter schemas: every type, every failure names the parameter and what arrived."""

from __future__ import annotations

import pytest

from neuronlab.tour import (
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    ListParam,
    ParamError,
    TextParam,
    validate_params,
)

SCHEMA = [
    IntParam("n", 10, 1, 100),
    FloatParam("lr", 0.1, 0.001, 10.0, live=True),
    ChoiceParam("act", "tanh", ["tanh", "relu"]),
    BoolParam("flag", False),
    ListParam("layers", [4, 4], IntParam("", 1, 1, 8), min_len=0, max_len=6),
    TextParam("csv", "", max_chars=20),
]


def check(params, **kw):
    return validate_params(SCHEMA, params, who="demo/exp", **kw)


def test_defaults_filled_and_types_normalised():
    out = check({"n": 3.0, "lr": 1})
    assert out == {"n": 3, "lr": 1.0, "act": "tanh", "flag": False, "layers": [4, 4], "csv": ""}
    assert type(out["n"]) is int and type(out["lr"]) is float


@pytest.mark.parametrize(
    "params, name, match",
    [
        (
            {"n": 0},
            "n",
            r"parameter 'n' of experiment 'demo/exp': expected a whole number from 1 to 100, got 0",
        ),
        ({"n": 2.5}, "n", "whole number"),
        ({"n": True}, "n", "got True"),
        ({"n": "5"}, "n", "got '5'"),
        ({"lr": 50}, "lr", "expected a number from 0.001 to 10, got 50"),
        ({"lr": float("nan")}, "lr", "got nan"),
        ({"act": "gelu"}, "act", "one of 'tanh', 'relu'"),
        ({"flag": 1}, "flag", "true or false"),
        ({"layers": [4] * 7}, "layers", "0 to 6 items, got '7 items'"),
        ({"layers": [4, 9]}, "layers", "item 1: expected a whole number from 1 to 8"),
        ({"layers": "4,4"}, "layers", "a list"),
        ({"csv": "x" * 21}, "csv", "at most 20 characters"),
        ({"bogus": 1}, "bogus", "has no parameter 'bogus'; its parameters: n, lr"),
    ],
)
def test_errors_name_the_parameter(params, name, match):
    with pytest.raises(ParamError, match=match) as info:
        check(params)
    assert info.value.param == name


def test_params_must_be_an_object_and_few():
    with pytest.raises(ParamError, match="must be an object"):
        check([1, 2])
    with pytest.raises(ParamError, match="at most 64 parameters"):
        validate_params([], {f"p{i}": 1 for i in range(65)}, who="x")
    assert check(None)["n"] == 10


def test_live_updates_only_live_params_no_defaults():
    assert check({"lr": 0.5}, only={"lr"}) == {"lr": 0.5}
    with pytest.raises(ParamError, match="cannot change during a run"):
        check({"n": 5}, only={"lr"})


def test_to_json_schema():
    js = [p.to_json() for p in SCHEMA]
    assert js[0] == {"name": "n", "type": "int", "default": 10, "label": "n", "min": 1, "max": 100}
    assert js[1]["live"] is True
    assert js[2]["choices"] == ["tanh", "relu"]
    assert js[4]["item"]["type"] == "int" and js[4]["max_len"] == 6
    assert js[5]["max_chars"] == 20


def test_unbounded_params_are_refused_at_definition():
    with pytest.raises(TypeError, match="max_len"):
        ListParam("xs", [], IntParam("", 0, 0, 1))
    with pytest.raises(TypeError, match="max_chars"):
        TextParam("t", "")
