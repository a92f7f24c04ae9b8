"""``ResNet``: the CIFAR residual networks of He et al. (2016), "Deep Residual Learning for
Image Recognition", section 4.2.

depth = 6n + 2 weight layers: one 3x3 convolution, three stages of n ``BasicBlock`` s (two 3x3
convolutions each) with 16, 32 and 64 channels on 32x32, 16x16 and 8x8 maps (the first block of
stages 2 and 3 strides by 2), global average pooling and a linear classifier. The paper's
models: ResNet-20 (0.27M parameters), 32 (0.46M), 44 (0.66M), 56 (0.85M), 110 (1.7M).

The paper's CIFAR models pad the shortcut with zeros where the shape changes ("option A"); here
it is a 1x1 convolution and batch norm ("option B", as torchvision's blocks do), which adds 2.7k
parameters to each model -- ResNet-20 has 272,474.
"""

from __future__ import annotations

from ..engine.tensor import Tensor
from ..nn import init
from ..nn.container import Sequential
from ..nn.conv import Conv2d
from ..nn.linear import Linear
from ..nn.module import Module
from ..nn.normalization import BatchNorm2d
from ..nn.pooling import AdaptiveAvgPool2d
from ..nn.residual import BasicBlock


def _stage(in_ch: int, out_ch: int, blocks: int, stride: int) -> Sequential:
    """``blocks`` BasicBlocks; the first changes the channels and strides, the rest keep both."""
    layers = [BasicBlock(in_ch, out_ch, stride)]
    layers += [BasicBlock(out_ch, out_ch, 1) for _ in range(blocks - 1)]
    return Sequential(*layers)


class ResNet(Module):
    """y = fc(avgpool(layer3(layer2(layer1(relu(bn1(conv1(x))))))))

    Shape: (N, in_channels, H, W) -> (N, num_classes) scores (any H, W >= 1; 32x32 in the
    paper: 32x32 -> 32x32 -> 16x16 -> 8x8 -> 1x1).

    Args:
        depth: 6n + 2 weight layers (20, 32, 44, 56, 110...).
        num_classes: outputs (10 for CIFAR-10).
        in_channels: 3 for colour images, 1 for grey ones.
        width: channels of the first stage (16 in the paper); the stages use width, 2 x width,
            4 x width.

    Parameters: ``conv1``, ``bn1``, ``layer1``..``layer3`` (Sequentials of BasicBlocks), ``fc``,
    named as in torchvision. Convolutions start from He normal (fan_out, ReLU gain), batch
    norms from weight 1 and bias 0, ``fc`` from Linear's default.

    >>> import neuronlab as nl
    >>> from neuronlab.models import ResNet
    >>> model = ResNet(depth=8, num_classes=4, width=4)
    >>> model(nl.zeros(2, 3, 8, 8)).shape
    (2, 4)
    """

    def __init__(
        self, depth: int = 20, num_classes: int = 10, in_channels: int = 3, width: int = 16
    ):
        super().__init__()
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 8 or (depth - 2) % 6:
            raise ValueError(
                f"ResNet(depth={depth!r}): the CIFAR ResNets have depth = 6n + 2 with n >= 1 "
                "blocks per stage (8, 14, 20, 32, 44, 56, 110...); pick one of those"
            )
        for name, value in (
            ("num_classes", num_classes),
            ("in_channels", in_channels),
            ("width", width),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"ResNet: {name} must be a positive integer, got {value!r}")
        self.depth, self.num_classes = depth, num_classes
        self.in_channels, self.width = in_channels, width
        n = (depth - 2) // 6
        self.conv1 = Conv2d(in_channels, width, 3, stride=1, padding=1, bias=False)
        self.bn1 = BatchNorm2d(width)
        self.layer1 = _stage(width, width, n, stride=1)
        self.layer2 = _stage(width, 2 * width, n, stride=2)
        self.layer3 = _stage(2 * width, 4 * width, n, stride=2)
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.fc = Linear(4 * width, num_classes)
        for module in self.modules():
            if isinstance(module, Conv2d):
                init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: Tensor) -> Tensor:
        shape = getattr(x, "shape", None)
        if shape is None or len(shape) != 4 or shape[1] != self.in_channels:
            hint = (
                "it looks like (N, H, W, C); move the channels first with x.permute(0, 3, 1, 2)"
                if shape is not None and len(shape) == 4 and shape[-1] == self.in_channels
                else "images must be batched as (N, C, H, W)"
            )
            raise ValueError(
                f"ResNet(depth={self.depth}, in_channels={self.in_channels}) expected input of "
                f"shape (N, {self.in_channels}, H, W), got {shape}; {hint}"
            )
        x = self.bn1(self.conv1(x)).relu()  # (N, w, H, W)
        x = self.layer1(x)  # (N, w, H, W)
        x = self.layer2(x)  # (N, 2w, H/2, W/2)
        x = self.layer3(x)  # (N, 4w, H/4, W/4)
        x = self.avgpool(x).flatten(1)  # (N, 4w)
        return self.fc(x)  # (N, num_classes)

    def extra_repr(self) -> str:
        return (
            f"depth={self.depth}, num_classes={self.num_classes}, "
            f"in_channels={self.in_channels}, width={self.width}"
        )


def resnet20(num_classes: int = 10, in_channels: int = 3) -> ResNet:
    """ResNet-20 (n = 3 blocks per stage; 0.27M parameters)."""
    return ResNet(20, num_classes, in_channels)


def resnet32(num_classes: int = 10, in_channels: int = 3) -> ResNet:
    """ResNet-32 (n = 5; 0.46M parameters)."""
    return ResNet(32, num_classes, in_channels)


def resnet44(num_classes: int = 10, in_channels: int = 3) -> ResNet:
    """ResNet-44 (n = 7; 0.66M parameters)."""
    return ResNet(44, num_classes, in_channels)


def resnet56(num_classes: int = 10, in_channels: int = 3) -> ResNet:
    """ResNet-56 (n = 9; 0.85M parameters)."""
    return ResNet(56, num_classes, in_channels)


def resnet110(num_classes: int = 10, in_channels: int = 3) -> ResNet:
    """ResNet-110 (n = 18; 1.7M parameters)."""
    return ResNet(110, num_classes, in_channels)
