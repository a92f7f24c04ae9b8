"""LSTM training step: 2 layers, input 64, hidden 128, batch 64, sequence 50; mean-squared error
on every output against a fixed target; forward, loss, backward, Adam step.

Target: neuronlab's step time <= 2 x PyTorch's. Also times the naive reference (the LSTM cell
composed from primitives, ``neuronlab.nn.recurrent_functional``) on the same step, the figure
that justifies the fused ``lstm_recurrence`` op.
"""

from __future__ import annotations

from . import common  # sets the BLAS thread count; NumPy is imported after it, lazily

L, N, IN, H, LAYERS, LR = 50, 64, 64, 128, 2, 1e-3


def _data(seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((L, N, IN)).astype(np.float32)
    y = rng.standard_normal((L, N, H)).astype(np.float32)
    return x, y


def neuronlab_step(naive: bool = False, seed: int = 0):
    import neuronlab as nl
    from neuronlab.nn.recurrent import LSTM
    from neuronlab.nn.recurrent_functional import recurrent_reference

    nl.manual_seed(seed)
    model = LSTM(IN, H, num_layers=LAYERS)
    optimizer = nl.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nl.nn.MSELoss()
    x, y = _data()
    X, Y = nl.Tensor(x), nl.Tensor(y)

    def step():
        out, _ = recurrent_reference(model, X) if naive else model(X)
        loss = loss_fn(out, Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step, model


def torch_step(seed: int = 0, weights=None):
    torch = common.torch_module()
    torch.manual_seed(seed)
    model = torch.nn.LSTM(IN, H, num_layers=LAYERS)
    if weights is not None:
        with torch.no_grad():
            for name, p in model.named_parameters():
                p.copy_(torch.from_numpy(weights[name]))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.MSELoss()
    x, y = _data()
    X, Y = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        out, _ = model(X)
        loss = loss_fn(out, Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def main(repeats: int = 20) -> dict:
    nl_step, model = neuronlab_step()
    weights = {name: p.data.copy() for name, p in model.named_parameters()}
    t_step = torch_step(weights=weights)
    naive_step, _ = neuronlab_step(naive=True)
    # Same weights, same data: the first losses agree (a sanity check of the comparison).
    first = {"neuronlab": nl_step(), "pytorch": t_step()}
    times = common.alternate(
        {"neuronlab": nl_step, "pytorch": t_step, "neuronlab naive": naive_step},
        repeats=repeats,
        warmup=2,
    )
    result = {
        "workload": f"LSTM training step: {LAYERS} layers, input {IN}, hidden {H}, batch {N}, "
        f"sequence {L}; MSE on all outputs; forward + loss + backward + Adam",
        "times_s": times,
        "first_loss": first,
        "ratio_vs_pytorch": times["neuronlab"]["median"] / times["pytorch"]["median"],
        "fused_speedup": times["neuronlab naive"]["median"] / times["neuronlab"]["median"],
        "target_ratio": 2.0,
    }
    common.save("lstm_step", result)
    return result


if __name__ == "__main__":
    r = main()
    for name, s in r["times_s"].items():
        print(f"{name:>16}: {common.fmt_stats(s, 'ms', 1e3)}")
    print(f"first loss: {r['first_loss']}")
    print(f"ratio neuronlab / pytorch: {r['ratio_vs_pytorch']:.2f} (target <= 2)")
    print(f"fused / naive speed-up: {r['fused_speedup']:.1f}x")
