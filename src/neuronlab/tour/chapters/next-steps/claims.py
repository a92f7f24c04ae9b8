"""What the next-steps stop asserts, each sentence checked by running the export."""

from __future__ import annotations

from ...chapter import Claim

TOLERANCE = 1e-5


def _agree(result):
    ok = result["max_difference"] < TOLERANCE and result["agree"] == result["examples"]
    return ok, (
        f"{result['engine']}: largest difference {result['max_difference']:.2g} over "
        f"{result['examples']} examples, same class for {result['agree']}"
    )


def _glossary(result):
    return result["count"] >= 60, f"{result['count']} terms"


CLAIMS = [
    Claim(
        "pytorch-agrees",
        "PyTorch computes every output with its own code, yet the two agree to within 0.00001 on "
        "every example, and pick the same class.",
        "graduate",
        _agree,
        params={"engine": "pytorch", "examples_shown": 16},
        tiny={"epochs": 5, "examples_shown": 4},
    ),
    Claim(
        "onnx-agrees",
        "ONNX Runtime, which knows nothing of neuronlab, computes the same outputs from the "
        ".onnx file.",
        "graduate",
        _agree,
        params={"engine": "onnx", "examples_shown": 16},
        tiny={"epochs": 5, "examples_shown": 4},
    ),
    Claim(
        "cnn-agrees",
        "The same holds for the convolutional network shipped with the lab",
        "graduate",
        _agree,
        params={"model": "fashion-cnn", "engine": "onnx", "examples_shown": 16},
        tiny={"examples_shown": 4},
    ),
    Claim("glossary-size", "The glossary explains at least sixty terms", "glossary", _glossary),
]
