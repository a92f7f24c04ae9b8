"""The tour: chapters (prose + math + experiments + claims) and the one runner behind the lab.

``neuronlab lab`` (the browser) and ``neuronlab tour`` (the terminal) are thin front ends over
this package. The contract for chapter authors is ``docs/lab-architecture.md``.

>>> from neuronlab.tour import list_chapters
>>> list_chapters()[0].id
'neuron'
"""

from .chapter import Chapter, Claim, Experiment, TourStep
from .frames import decode_grid, grid, points, series, table, to_jsonable
from .registry import get_chapter, list_chapters  # noqa: E402 - after the types chapters import
from .runner import (  # noqa: E402
    LIMITS,
    ClaimResult,
    RunContext,
    check_claim,
    check_claims,
    run_experiment,
    run_headless,
)
from .schema import (
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    ListParam,
    Param,
    ParamError,
    TextParam,
    validate_params,
)

__all__ = [
    "LIMITS",
    "BoolParam",
    "Chapter",
    "ChoiceParam",
    "Claim",
    "ClaimResult",
    "Experiment",
    "FloatParam",
    "IntParam",
    "ListParam",
    "Param",
    "ParamError",
    "RunContext",
    "TextParam",
    "TourStep",
    "check_claim",
    "check_claims",
    "decode_grid",
    "get_chapter",
    "grid",
    "list_chapters",
    "points",
    "run_experiment",
    "run_headless",
    "series",
    "table",
    "to_jsonable",
    "validate_params",
]
