"""Small convolutional networks for 28x28 images (MNIST, Fashion-MNIST): ``LeNet`` and
``SmallCNN``.

Both are a ``features`` stack (convolutions, ReLU, 2x2 max pooling: the image shrinks while the
channels grow) followed by a ``classifier`` stack (flatten, fully connected layers), named as in
torchvision, so ``model.features[0].weight`` are the first filters and ``model.features[:3]``
gives the first feature maps.
"""

from __future__ import annotations

from ..engine.tensor import Tensor
from ..nn.activation import ReLU
from ..nn.container import Sequential
from ..nn.conv import Conv2d
from ..nn.flatten import Flatten
from ..nn.linear import Linear
from ..nn.module import Module
from ..nn.pooling import MaxPool2d


def _check(who: str, name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{who}: {name} must be a positive integer, got {value!r}")
    return value


class _ImageClassifier(Module):
    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))  # (N, num_classes)


class LeNet(_ImageClassifier):
    """y = classifier(features(x)), LeNet-5 (LeCun et al., 1998) with ReLU and max pooling:

        conv 5x5 (in -> 6, padding 2) - ReLU - maxpool 2    28x28 -> 14x14
        conv 5x5 (6 -> 16)            - ReLU - maxpool 2    14x14 -> 10x10 -> 5x5
        flatten (400) - Linear 120 - ReLU - Linear 84 - ReLU - Linear num_classes

    Shape: (N, in_channels, 28, 28) -> (N, num_classes) raw scores (use CrossEntropyLoss).

    Args:
        in_channels: image channels (1 for grayscale).
        num_classes: outputs.
        widths: channels of the two convolutions (default (6, 16)).
        hidden: sizes of the two hidden fully connected layers (default (120, 84)).

    >>> import neuronlab as nl
    >>> model = LeNet()
    >>> model(nl.zeros(2, 1, 28, 28)).shape, sum(p.numel() for p in model.parameters())
    ((2, 10), 61706)
    """

    def __init__(
        self, in_channels: int = 1, num_classes: int = 10, widths=(6, 16), hidden=(120, 84)
    ):
        super().__init__()
        self.in_channels = _check("LeNet", "in_channels", in_channels)
        self.num_classes = _check("LeNet", "num_classes", num_classes)
        c1, c2 = (_check("LeNet", "widths", w) for w in widths)
        h1, h2 = (_check("LeNet", "hidden", h) for h in hidden)
        self.widths, self.hidden = (c1, c2), (h1, h2)
        self.features = Sequential(
            Conv2d(in_channels, c1, 5, padding=2),
            ReLU(),
            MaxPool2d(2),  # (N, c1, 14, 14)
            Conv2d(c1, c2, 5),
            ReLU(),
            MaxPool2d(2),  # (N, c2, 5, 5)
        )
        self.classifier = Sequential(
            Flatten(),
            Linear(c2 * 5 * 5, h1),
            ReLU(),
            Linear(h1, h2),
            ReLU(),
            Linear(h2, num_classes),
        )


class SmallCNN(_ImageClassifier):
    """y = classifier(features(x)), the CNN of the Fashion-MNIST benchmark:

        conv 3x3 (in -> c1, padding 1) - ReLU - maxpool 2    28x28 -> 14x14
        conv 3x3 (c1 -> c2, padding 1) - ReLU - maxpool 2    14x14 -> 7x7
        flatten (c2 * 49) - Linear hidden - ReLU - Linear num_classes   (or, hidden=0: one
                                                                         Linear num_classes)

    Shape: (N, in_channels, 28, 28) -> (N, num_classes) raw scores.

    Args:
        in_channels: image channels.
        num_classes: outputs.
        channels: (c1, c2), default (32, 64).
        hidden: width of the hidden fully connected layer (default 128; 0: none, the flattened
            features go straight to a Linear layer with num_classes outputs).

    >>> import neuronlab as nl
    >>> SmallCNN(channels=(4, 8), hidden=16)(nl.zeros(3, 1, 28, 28)).shape
    (3, 10)
    """

    def __init__(
        self, in_channels: int = 1, num_classes: int = 10, channels=(32, 64), hidden: int = 128
    ):
        super().__init__()
        self.in_channels = _check("SmallCNN", "in_channels", in_channels)
        self.num_classes = _check("SmallCNN", "num_classes", num_classes)
        c1, c2 = (_check("SmallCNN", "channels", c) for c in channels)
        self.channels = (c1, c2)
        self.hidden = 0 if hidden == 0 else _check("SmallCNN", "hidden", hidden)
        self.features = Sequential(
            Conv2d(in_channels, c1, 3, padding=1),
            ReLU(),
            MaxPool2d(2),  # (N, c1, 14, 14)
            Conv2d(c1, c2, 3, padding=1),
            ReLU(),
            MaxPool2d(2),  # (N, c2, 7, 7)
        )
        if self.hidden:
            head = [Linear(c2 * 7 * 7, hidden), ReLU(), Linear(hidden, num_classes)]
        else:  # the features go straight to the class scores
            head = [Linear(c2 * 7 * 7, num_classes)]
        self.classifier = Sequential(Flatten(), *head)
