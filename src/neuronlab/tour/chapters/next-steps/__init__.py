"""Stop 11, ``next-steps``: the way out of the lab. The model trained here (or the shipped CNN)
exported to PyTorch and ONNX and run there with the same predictions; the glossary; the learning
path, questions and further reading; distributed training with PyTorch."""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from .claims import CLAIMS
from .experiments import download, glossary, graduate
from .live import train
from .params import DOWNLOAD_PARAMS, GLOSSARY_PARAMS, GRADUATE_PARAMS, TRAIN_PARAMS

EXPERIMENTS = [
    Experiment(
        "graduate", "The same model in neuronlab and in PyTorch", GRADUATE_PARAMS, run=graduate
    ),  # fmt: skip
    Experiment("download", "One exported file", DOWNLOAD_PARAMS, run=download),
    Experiment("glossary", "Search the glossary", GLOSSARY_PARAMS, run=glossary),
    Experiment(
        "train",
        "Train the playground network again",
        TRAIN_PARAMS,
        stream=train,
        max_steps=300,
        max_seconds=120,
    ),  # fmt: skip
]

CHAPTER = Chapter(
    id="next-steps",
    title="Next steps",
    summary="Take what you built to PyTorch and ONNX, look up any term, and find where to go "
    "from here.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep(
            "train",
            {"speed": 0},
            widget="train",
            caption="The playground's network, trained again with the Trainer",
        ),  # fmt: skip
        TourStep(
            "graduate",
            {"engine": "auto"},
            widget="graduate",
            caption="The same inputs through neuronlab and through the export",
        ),  # fmt: skip
        TourStep(
            "graduate",
            {"model": "fashion-cnn", "engine": "onnx", "examples_shown": 6},
            widget="graduate",
            caption="The shipped CNN, run by ONNX Runtime",
        ),  # fmt: skip
        TourStep(
            "glossary",
            {"query": "gradient"},
            widget="glossary",
            caption="The glossary, searched for 'gradient'",
        ),  # fmt: skip
    ],
    folder=Path(__file__).parent,
)
