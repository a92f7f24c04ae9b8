"""The playground's network: 2-8-8-1, tanh, sigmoid output with binary cross-entropy, batch 10,
plain SGD on 2-D spirals. Measures training steps per second. Target: >= 3 x PyTorch's.

Both frameworks fold the sigmoid into the loss (BCE with logits), which is the same model.
"""

from __future__ import annotations

from . import common, workloads

SIZES, BATCH, LR, STEPS = (2, 8, 8, 1), 10, 0.03, 3000


def neuronlab_run(X, y):
    import neuronlab as nl

    nl.manual_seed(0)
    layers = [nl.nn.Linear(2, 8), nl.nn.Tanh(), nl.nn.Linear(8, 8), nl.nn.Tanh(),
              nl.nn.Linear(8, 1)]
    model = nl.nn.Sequential(*layers)
    loss_fn = nl.nn.BCEWithLogitsLoss()
    optimizer = nl.optim.SGD(model.parameters(), lr=LR)
    n = len(X)

    def run():
        for i in range(STEPS):
            start = (i * BATCH) % n
            loss = loss_fn(model(nl.Tensor(X[start : start + BATCH])), y[start : start + BATCH])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    return run


def torch_run(X, y):
    torch = common.torch_module()
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                                torch.nn.Tanh(), torch.nn.Linear(8, 1))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    TX, Ty = torch.from_numpy(X), torch.from_numpy(y)
    n = len(X)

    def run():
        for i in range(STEPS):
            start = (i * BATCH) % n
            loss = loss_fn(model(TX[start : start + BATCH]), Ty[start : start + BATCH])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    return run


def main(repeats: int = 5) -> dict:
    X, y = workloads.spiral()
    times = common.alternate({"neuronlab": neuronlab_run(X, y), "pytorch": torch_run(X, y)},
                             repeats=repeats)
    rates = {k: STEPS / v["median"] for k, v in times.items()}
    result = {
        "workload": f"2-8-8-1 tanh net, BCE with logits, batch {BATCH}, SGD, {STEPS} steps on "
        "2-D spirals",
        "times_s": times,
        "steps_per_s": rates,
        "ratio_vs_pytorch": rates["neuronlab"] / rates["pytorch"],
        "target_ratio": 3.0,
    }
    common.save("playground_steps", result)
    return result


if __name__ == "__main__":
    r = main()
    for name, rate in r["steps_per_s"].items():
        print(f"{name:>10}: {rate:,.0f} steps/s")
    print(f"speed-up over pytorch: {r['ratio_vs_pytorch']:.2f}x (target >= 3)")
