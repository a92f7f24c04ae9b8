"""Stop 5, architectures: each kind of network on the data it suits.

An MLP against logistic regression on tables; a CNN on Fashion-MNIST (live training from random
weights, its filters, its feature maps, a drawing pad, the same images shifted); and three
character models (a plain RNN, an LSTM, a tiny Transformer) on a word list, with attention maps
and the accuracy each reaches with more context. Shipped trained weights for every model the stop
opens with live in ``neuronlab/models/weights`` (recipes: ``scripts/recipes/architectures.py``).
"""

from __future__ import annotations

from pathlib import Path

from ...chapter import Chapter, Experiment, TourStep
from . import experiments as ex
from . import live
from . import params as p
from .claims import CLAIMS

EXPERIMENTS = [
    Experiment("tabular", "Tables: an MLP against logistic regression", p.TABULAR_PARAMS,
               run=ex.tabular),
    Experiment("train_cnn", "Train the CNN live", p.TRAIN_CNN_PARAMS, stream=live.train_cnn,
               max_steps=200_000, max_seconds=600),
    Experiment("inspect", "What the CNN sees in a test image", p.INSPECT_PARAMS, run=ex.inspect),
    Experiment("classify_drawing", "Classify a 28x28 drawing", p.DRAWING_PARAMS,
               run=ex.classify_drawing),
    Experiment("mlp_vs_cnn", "MLP vs CNN at the same size", p.COMPARE_PARAMS, run=ex.mlp_vs_cnn),
    Experiment("shift", "Shifted images: CNN vs MLP", p.SHIFT_PARAMS, run=ex.shift_test),
    Experiment("train_words", "Train a character model live", p.TRAIN_WORDS_PARAMS,
               stream=live.train_words, max_steps=200_000, max_seconds=600),
    Experiment("sequence_models", "Three sequence models, trained", p.SEQUENCE_PARAMS,
               run=ex.sequence_models),
    Experiment("attention", "Attention maps for a word", p.ATTENTION_PARAMS, run=ex.attention),
    Experiment("context", "Next-letter accuracy against context", p.CONTEXT_PARAMS,
               run=ex.context),
]  # fmt: skip

CHAPTER = Chapter(
    id="architectures",
    title="Architectures",
    summary="Each kind of network on the data it suits: an MLP on tables, a CNN on images, "
    "recurrent networks and a Transformer on sequences. Train them, poke them, and see what "
    "their shape buys.",
    experiments=EXPERIMENTS,
    claims=CLAIMS,
    tour=[
        TourStep("tabular", {"dataset": "breast_cancer"}, widget="tabular"),
        TourStep(
            "train_cnn", {}, widget="cnn-train", caption="A CNN from random weights", every=50
        ),  # fmt: skip
        TourStep("inspect", {"index": 0}, widget="cnn-inspect"),
        TourStep("mlp_vs_cnn", {}, widget="mlp-vs-cnn"),
        TourStep("shift", {}, widget="shift"),
        TourStep("train_words", {"kind": "lstm"}, widget="words-train", every=50),
        TourStep("sequence_models", {}, widget="words-models"),
        TourStep("attention", {"word": "learning"}, widget="attention"),
        TourStep("context", {}, widget="context"),
    ],
    folder=Path(__file__).parent,
)
