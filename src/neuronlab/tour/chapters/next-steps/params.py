"""The parameters of the next-steps experiments (validated by the runner before they run)."""

from __future__ import annotations

from ...schema import ChoiceParam, IntParam, TextParam

MODEL = ChoiceParam(
    "model",
    "playground",
    ["playground", "fashion-cnn"],
    label="Model",
    help="playground: a 2-16-16-2 tanh network trained here on the two spirals; fashion-cnn: the "
    "convolutional network shipped with the lab, trained on Fashion-MNIST",
)
ENGINE = ChoiceParam(
    "engine",
    "auto",
    ["auto", "pytorch", "onnx"],
    label="Run the export with",
    help="auto: PyTorch when it is installed, else ONNX Runtime",
)
EPOCHS = IntParam("epochs", 150, min=1, max=300, label="Epochs (playground)",
                  help="how long the playground network trains before it is exported")  # fmt: skip
SEED = IntParam("seed", 0, min=0, max=10_000, label="Seed")
EXAMPLES = IntParam("examples_shown", 8, min=1, max=32, label="Examples in the table")
WHAT = ChoiceParam("what", "py", ["py", "weights", "onnx"], label="File",
                   help="model.py (PyTorch code), weights.pt or model.onnx")  # fmt: skip
QUERY = TextParam("query", "", max_chars=60, label="Search the glossary")
SPEED = IntParam("speed", 30, min=0, max=1000, label="Epochs per second",
                 help="0 runs as fast as possible", live=True)  # fmt: skip

GRADUATE_PARAMS = [MODEL, ENGINE, EPOCHS, SEED, EXAMPLES]
DOWNLOAD_PARAMS = [MODEL, WHAT, EPOCHS, SEED]
GLOSSARY_PARAMS = [QUERY]
TRAIN_PARAMS = [EPOCHS, SEED, SPEED]
