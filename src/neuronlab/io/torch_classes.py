"""The ready neuronlab models written again in plain PyTorch, one class each.

These are the classes ``neuronlab.io.to_torch`` builds and ``export_torch`` copies into the
``model.py`` it writes, so they use nothing but ``math``, ``torch`` and ``torch.nn``. Each takes
the same constructor arguments as its neuronlab twin and names its layers the same way, so a
neuronlab ``state_dict`` loads into it unchanged (and back, with ``from_torch``). Every layer
that PyTorch already has (``nn.Linear``, ``nn.Conv2d``, ``nn.LSTM``, ``nn.TransformerEncoder``...)
is used as it is; only the compositions are written here.

:data:`REQUIRES` says which other classes of this file a class needs, so ``export_torch`` copies
exactly those. Importing this module needs torch.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class Residual(nn.Module):
    """y = x + fn(x): a block with its input added back (a skip connection)."""

    def __init__(self, fn: nn.Module):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return x + self.fn(x)


class MLP(nn.Sequential):
    """Linear -> [norm] -> activation -> [Dropout] per hidden layer, then a Linear output layer.

    With ``residual=True`` every hidden layer after the first adds its input to its output.
    """

    activations = {
        "relu": nn.ReLU,
        "leaky_relu": nn.LeakyReLU,
        "sigmoid": nn.Sigmoid,
        "tanh": nn.Tanh,
        "gelu": nn.GELU,
    }

    def __init__(
        self,
        in_features,
        hidden_sizes,
        out_features,
        activation="relu",
        dropout=0.0,
        norm=None,
        residual=False,
    ):
        layers, width = [], in_features
        for i, size in enumerate(hidden_sizes):
            block = [nn.Linear(width, size)]
            if norm == "batch":
                block.append(nn.BatchNorm1d(size))
            elif norm == "layer":
                block.append(nn.LayerNorm(size))
            block.append(self.activations[activation]())
            if dropout > 0:
                block.append(nn.Dropout(dropout))
            if residual and i > 0:
                layers.append(Residual(nn.Sequential(*block)))
            else:
                layers.extend(block)
            width = size
        layers.append(nn.Linear(width, out_features))
        super().__init__(*layers)


class DeepMLP(MLP):
    """An MLP of ``depth`` Linear layers, every hidden one ``width`` wide."""

    def __init__(
        self,
        depth=20,
        width=32,
        activation="sigmoid",
        residual=False,
        norm=None,
        in_features=2,
        out_features=2,
    ):
        super().__init__(
            in_features,
            [width] * (depth - 1),
            out_features,
            activation=activation,
            norm=norm,
            residual=residual,
        )


class LeNet(nn.Module):
    """LeNet-5 with ReLU and max pooling, for 28x28 images: (N, C, 28, 28) -> (N, classes)."""

    def __init__(self, in_channels=1, num_classes=10, widths=(6, 16), hidden=(120, 84)):
        super().__init__()
        c1, c2 = widths
        h1, h2 = hidden
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 14x14
            nn.Conv2d(c1, c2, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 5x5
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c2 * 5 * 5, h1),
            nn.ReLU(),
            nn.Linear(h1, h2),
            nn.ReLU(),
            nn.Linear(h2, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


class SmallCNN(nn.Module):
    """Two 3x3 convolutions with pooling, then one or two Linear layers: 28x28 -> classes."""

    def __init__(self, in_channels=1, num_classes=10, channels=(32, 64), hidden=128):
        super().__init__()
        c1, c2 = channels
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 14x14
            nn.Conv2d(c1, c2, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 7x7
        )
        if hidden:
            head = [nn.Linear(c2 * 7 * 7, hidden), nn.ReLU(), nn.Linear(hidden, num_classes)]
        else:
            head = [nn.Linear(c2 * 7 * 7, num_classes)]
        self.classifier = nn.Sequential(nn.Flatten(), *head)

    def forward(self, x):
        return self.classifier(self.features(x))


class BasicBlock(nn.Module):
    """relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), the CIFAR ResNet block."""

    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.downsample = None
        if stride != 1 or in_ch != out_ch:  # a 1x1 projection where the shape changes
            self.downsample = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False), nn.BatchNorm2d(out_ch)
            )

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + shortcut)


class ResNet(nn.Module):
    """The CIFAR ResNet of depth 6n + 2: a convolution, three stages of n BasicBlocks, a head."""

    def __init__(self, depth=20, num_classes=10, in_channels=3, width=16):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(in_channels, width, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = self._stage(width, width, n, stride=1)
        self.layer2 = self._stage(width, 2 * width, n, stride=2)
        self.layer3 = self._stage(2 * width, 4 * width, n, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(4 * width, num_classes)

    @staticmethod
    def _stage(in_ch, out_ch, blocks, stride):
        layers = [BasicBlock(in_ch, out_ch, stride)]
        layers += [BasicBlock(out_ch, out_ch, 1) for _ in range(blocks - 1)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))  # (N, w, H, W)
        x = self.layer3(self.layer2(self.layer1(x)))  # (N, 4w, H/4, W/4)
        x = self.avgpool(x).flatten(1)  # (N, 4w)
        return self.fc(x)


class CharRNN(nn.Module):
    """ids (N, T) -> Embedding -> RNN -> Linear -> next-character logits (N, T, vocab_size)."""

    recurrent_class = nn.RNN

    def __init__(self, vocab_size, embedding_dim, hidden_size, num_layers=1, dropout=0.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.rnn = self.recurrent_class(
            embedding_dim, hidden_size, num_layers, batch_first=True, dropout=dropout
        )
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids):
        out, _ = self.rnn(self.embedding(ids))  # (N, T, H)
        return self.head(out)


class CharLSTM(CharRNN):
    """CharRNN with an LSTM in place of the plain RNN."""

    recurrent_class = nn.LSTM


class LearnedPositionalEncoding(nn.Module):
    """y = dropout(x + W[:L]): one learned vector per position (GPT's position embedding)."""

    def __init__(self, d_model, max_len=512, dropout=0.0, batch_first=False):
        super().__init__()
        self.batch_first = batch_first
        self.weight = nn.Parameter(torch.randn(max_len, d_model) * 0.02)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        length = x.shape[1] if (self.batch_first and x.dim() == 3) else x.shape[0]
        table = self.weight[:length]  # (L, d_model)
        if x.dim() == 3 and not self.batch_first:
            table = table.unsqueeze(1)  # (L, 1, d_model) against (L, N, d_model)
        return self.drop(x + table)


class SinusoidalPositionalEncoding(nn.Module):
    """y = dropout(x + PE[:L]), PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(...)."""

    def __init__(self, d_model, max_len=5000, dropout=0.0, batch_first=False):
        super().__init__()
        self.batch_first = batch_first
        pos = torch.arange(max_len, dtype=torch.float64)[:, None]
        rates = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        table = torch.zeros(max_len, d_model, dtype=torch.float64)
        table[:, 0::2] = torch.sin(pos * rates)
        table[:, 1::2] = torch.cos(pos * rates[: d_model // 2])
        self.register_buffer("pe", table.float(), persistent=False)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        length = x.shape[1] if (self.batch_first and x.dim() == 3) else x.shape[0]
        table = self.pe[:length].to(x.dtype)
        if x.dim() == 3 and not self.batch_first:
            table = table.unsqueeze(1)
        return self.drop(x + table)


class TinyGPT(nn.Module):
    """logits = head(ln_f(blocks(tok_emb(ids) + pos_emb))) with causal self-attention."""

    def __init__(self, vocab_size, block_size, n_layer=2, n_head=4, n_embd=64, dropout=0.0):
        super().__init__()
        self.block_size = block_size
        self.tok_emb = nn.Embedding(vocab_size, n_embd)
        self.pos_emb = LearnedPositionalEncoding(n_embd, block_size, dropout, batch_first=True)
        block = nn.TransformerEncoderLayer(
            n_embd,
            n_head,
            dim_feedforward=4 * n_embd,
            dropout=dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.blocks = nn.TransformerEncoder(
            block, n_layer, norm=nn.LayerNorm(n_embd), enable_nested_tensor=False
        )
        self.head = nn.Linear(n_embd, vocab_size)

    def forward(self, ids):
        T = ids.shape[1]
        x = self.pos_emb(self.tok_emb(ids))  # (N, T, C)
        mask = torch.triu(torch.full((T, T), float("-inf"), dtype=x.dtype), diagonal=1)
        x = self.blocks(x, mask=mask)  # each position sees itself and the past
        return self.head(x)  # (N, T, vocab_size)


# The other classes of this file each class needs, in the order they must be written.
REQUIRES: dict[str, tuple[str, ...]] = {
    "MLP": ("Residual",),
    "DeepMLP": ("Residual", "MLP"),
    "ResNet": ("BasicBlock",),
    "CharLSTM": ("CharRNN",),
    "TinyGPT": ("LearnedPositionalEncoding",),
}
