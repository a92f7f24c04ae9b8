"""Skip connections: ``Residual`` (y = x + fn(x)) and the CIFAR ResNet's ``BasicBlock``.

A skip connection adds a layer's input to its output. On the way back the gradient then has two
roads: through ``fn`` (where every sigmoid or tanh may shrink it) and along the identity, where it
passes unchanged: dx = dout + (d fn / dx)^T dout. However deep the stack, the identity road keeps
the early layers within reach of the loss (``docs/math/vanishing-gradients.md`` measures it).
"""

from __future__ import annotations

from ..engine.tensor import Tensor
from .container import Sequential
from .conv import Conv2d
from .module import Module
from .normalization import BatchNorm2d


class Residual(Module):
    """y = x + fn(x): a block ``fn`` with its input added back (an identity shortcut).

    Shape: any -> the same; ``fn`` must keep the shape of its input.
    Backward: dx = dout + (the gradient that flows back through fn), so the identity path
    passes dout to the layers below unchanged.

    Args:
        fn: the module on the residual branch (e.g. ``Sequential(Linear(8, 8), Tanh())``).

    >>> import neuronlab as nl
    >>> from neuronlab.nn.residual import Residual
    >>> block = Residual(nl.nn.Sequential(nl.nn.Linear(4, 4), nl.nn.Tanh()))
    >>> block(nl.zeros(2, 4)).shape
    (2, 4)
    >>> [name for name, _ in block.named_parameters()]
    ['fn.0.weight', 'fn.0.bias']
    """

    def __init__(self, fn: Module):
        super().__init__()
        if not isinstance(fn, Module):
            raise TypeError(
                f"Residual(fn) expected a Module for the residual branch, got "
                f"{type(fn).__name__}; for a function such as tanh use its layer (nn.Tanh())"
            )
        self.fn = fn

    def forward(self, input: Tensor) -> Tensor:
        out = self.fn(input)
        if out.shape != input.shape:
            raise ValueError(
                f"Residual(fn={type(self.fn).__name__}) adds fn(x) to x, so fn must keep the "
                f"shape of its input; got x of shape {input.shape} and fn(x) of shape "
                f"{out.shape}. Make the branch end in as many features as it starts with, or "
                "use a projection shortcut (as BasicBlock does when the shape changes)"
            )
        return input + out


def _check_channels(who: str, name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{who}: {name} must be a positive integer, got {value!r}")
    return value


class BasicBlock(Module):
    """y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)): the CIFAR ResNet block.

    Two 3x3 convolutions with batch norm (He et al., 2016). The first one strides (halving H and
    W when ``stride=2``); when the shape changes (``stride != 1`` or ``in_ch != out_ch``) the
    shortcut is a 1x1 convolution with the same stride followed by batch norm (the paper's
    "option B"), else the identity. Names follow torchvision (``conv1, bn1, conv2, bn2,
    downsample``), so a state_dict moves to a PyTorch block unchanged.

    Shape: (N, in_ch, H, W) -> (N, out_ch, H_out, W_out), H_out = (H - 1) // stride + 1
    (likewise W_out).

    Args:
        in_ch: channels of the input.
        out_ch: channels of the output (and of the first convolution).
        stride: of the first convolution and of the projection shortcut (1 or 2, usually).

    Parameters:
        conv1.weight (out_ch, in_ch, 3, 3), conv2.weight (out_ch, out_ch, 3, 3) -- no biases,
        batch norm follows; bn1, bn2: weight and bias (out_ch,); downsample.0.weight
        (out_ch, in_ch, 1, 1) and downsample.1 (a BatchNorm2d) only when the shape changes.

    >>> import neuronlab as nl
    >>> from neuronlab.nn.residual import BasicBlock
    >>> block = BasicBlock(4, 8, stride=2)
    >>> block(nl.zeros(2, 4, 6, 6)).shape
    (2, 8, 3, 3)
    >>> sum(p.numel() for p in block.parameters())  # 288 + 576 + 32 (1x1) + 3 x 16 (norms)
    944
    """

    def __init__(self, in_ch: int, out_ch: int, stride: int = 1):
        super().__init__()
        who = f"BasicBlock(in_ch={in_ch!r}, out_ch={out_ch!r}, stride={stride!r})"
        self.in_ch = _check_channels(who, "in_ch", in_ch)
        self.out_ch = _check_channels(who, "out_ch", out_ch)
        self.stride = _check_channels(who, "stride", stride)
        self.conv1 = Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1 = BatchNorm2d(out_ch)
        self.conv2 = Conv2d(out_ch, out_ch, 3, stride=1, padding=1, bias=False)
        self.bn2 = BatchNorm2d(out_ch)
        if stride != 1 or in_ch != out_ch:
            self.downsample = Sequential(
                Conv2d(in_ch, out_ch, 1, stride=stride, bias=False), BatchNorm2d(out_ch)
            )
        else:
            self.downsample = None

    def forward(self, x: Tensor) -> Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)  # (N, out_ch, H', W')
        out = self.bn1(self.conv1(x)).relu()  # (N, out_ch, H', W')
        out = self.bn2(self.conv2(out))  # (N, out_ch, H', W')
        return (out + shortcut).relu()

    def extra_repr(self) -> str:
        return f"in_ch={self.in_ch}, out_ch={self.out_ch}, stride={self.stride}"
