"""Transformer encoder training step, and the fused attention op against its composed reference.

Workload: a 4-layer TransformerEncoder (d_model 128, 4 heads, dim_feedforward 512, ReLU,
post-norm, dropout 0, batch_first), batch 32 of sequences of 64 tokens; one step = forward,
MSE loss against a fixed random target, backward, Adam step. Same weights in both frameworks,
PyTorch in train mode (its inference fast path never runs in training).
Target: neuronlab's step time <= 2 x PyTorch's.

The second part times scaled dot-product attention alone (forward + backward) at the shapes of
one encoder layer, fused (one engine op) against the composed reference (matmul, scale, softmax,
matmul): the figure that justifies the fused op.
"""

from __future__ import annotations

import numpy as np

from . import common

N, L, D_MODEL, HEADS, FF, LAYERS, LR = 32, 64, 128, 4, 512, 4, 1e-3


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, L, D_MODEL)).astype(np.float32)
    target = rng.standard_normal((N, L, D_MODEL)).astype(np.float32)
    return x, target


def neuronlab_step(seed=0):
    import neuronlab as nl
    from neuronlab.nn.transformer import TransformerEncoder, TransformerEncoderLayer

    nl.manual_seed(seed)
    layer = TransformerEncoderLayer(D_MODEL, HEADS, FF, dropout=0.0, batch_first=True)
    model = TransformerEncoder(layer, LAYERS)
    optimizer = nl.optim.Adam(model.parameters(), lr=LR)
    x, target = (nl.tensor(a) for a in _data(seed))
    loss_fn = nl.nn.MSELoss()

    def step():
        loss = loss_fn(model(x), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return model, step


def torch_step(state_dict, seed=0):
    torch = common.torch_module()
    torch.manual_seed(seed)
    layer = torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, FF, dropout=0.0, batch_first=True)
    model = torch.nn.TransformerEncoder(layer, LAYERS, enable_nested_tensor=False)
    model.load_state_dict({k: torch.from_numpy(v.data.copy()) for k, v in state_dict.items()})
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    x, target = (torch.from_numpy(a) for a in _data(seed))
    loss_fn = torch.nn.MSELoss()

    def step():
        loss = loss_fn(model(x), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def attention_pair():
    """Forward + backward of attention alone, fused and composed, at (N, heads, L, d)."""
    import neuronlab as nl
    from neuronlab.nn.attention import (
        naive_scaled_dot_product_attention,
        scaled_dot_product_attention,
    )

    rng = np.random.default_rng(1)
    shape = (N, HEADS, L, D_MODEL // HEADS)
    q, k, v = (nl.tensor(rng.standard_normal(shape), requires_grad=True) for _ in range(3))

    def run(fn):
        return lambda: fn(q, k, v, is_causal=True).sum().backward()

    return run(scaled_dot_product_attention), run(naive_scaled_dot_product_attention)


def main(repeats: int = 10, attention_repeats: int = 50) -> dict:
    model, nl_step = neuronlab_step()
    t_step = torch_step(model.state_dict())
    first = {"neuronlab": nl_step(), "pytorch": t_step()}  # same weights: the same first loss
    times = common.alternate({"neuronlab": nl_step, "pytorch": t_step}, repeats=repeats)
    fused, composed = attention_pair()
    attention = common.alternate(
        {"fused": fused, "composed": composed}, repeats=attention_repeats, warmup=3
    )
    result = {
        "workload": f"TransformerEncoder, {LAYERS} layers, d_model {D_MODEL}, {HEADS} heads, "
        f"dim_feedforward {FF}, ReLU, dropout 0, batch {N} x sequence {L}: one training step "
        "(forward, MSE loss, backward, Adam)",
        "times_s": times,
        "first_loss": first,
        "ratio_vs_pytorch": times["neuronlab"]["median"] / times["pytorch"]["median"],
        "target_ratio": 2.0,
        "attention": {
            "workload": f"causal scaled dot-product attention, q, k, v of shape "
            f"({N}, {HEADS}, {L}, {D_MODEL // HEADS}), forward + backward",
            "times_s": attention,
            "speedup": attention["composed"]["median"] / attention["fused"]["median"],
        },
    }
    common.save("transformer_step", result)
    return result


if __name__ == "__main__":
    r = main()
    for name, s in r["times_s"].items():
        print(f"{name:>10}: {common.fmt_stats(s)} per step")
    print(f"first loss: {r['first_loss']}")
    print(f"ratio neuronlab / pytorch: {r['ratio_vs_pytorch']:.2f} (target <= 2)")
    a = r["attention"]
    print(
        f"attention fused {a['times_s']['fused']['median'] * 1e3:.2f} ms, composed "
        f"{a['times_s']['composed']['median'] * 1e3:.2f} ms: {a['speedup']:.1f}x"
    )
