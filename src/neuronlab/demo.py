"""A one-minute demonstration in the terminal: a small network learns to separate two spirals.

It shows the whole training loop (forward, loss, zero_grad, backward, step) and draws the decision
boundary as text, so it runs anywhere without a browser.
"""

from __future__ import annotations

import numpy as np

SHADES = " .:-=+*#%@"


def boundary_text(predict, width: int = 56, height: int = 22, extent: float = 6.0,
                  points=None) -> str:
    """Draw P(class 1) on a grid as characters; training points as 'o' (class 0) and 'x'."""
    xs = np.linspace(-extent, extent, width)
    ys = np.linspace(extent, -extent, height)
    grid = np.array([[x, y] for y in ys for x in xs], dtype=np.float32)
    p = predict(grid).reshape(height, width)
    rows = [[SHADES[min(int(v * len(SHADES)), len(SHADES) - 1)] for v in row] for row in p]
    if points is not None:
        X, y = points
        for (px, py), label in zip(X, y):
            col = int(round((px + extent) / (2 * extent) * (width - 1)))
            row = int(round((extent - py) / (2 * extent) * (height - 1)))
            if 0 <= row < height and 0 <= col < width:
                rows[row][col] = "x" if label else "o"
    return "\n".join("".join(r) for r in rows)


def run(epochs: int = 300, seed: int = 0, show_every: int = 50, out=print) -> float:
    """Train a 2-16-16-1 tanh network on two spirals; return the final training accuracy."""
    import neuronlab as nl
    from neuronlab.data import spiral

    nl.manual_seed(seed)
    X, y = spiral(n_samples=400, noise=0.1, seed=seed)
    X, y = X.astype(np.float32), y.astype(np.float32).reshape(-1, 1)
    model = nl.nn.Sequential(
        nl.nn.Linear(2, 16), nl.nn.Tanh(), nl.nn.Linear(16, 16), nl.nn.Tanh(), nl.nn.Linear(16, 1)
    )
    loss_fn = nl.nn.BCEWithLogitsLoss()
    optimizer = nl.optim.Adam(model.parameters(), lr=0.01)
    loader = nl.data.DataLoader((X, y), batch_size=32, shuffle=True, seed=seed)
    out(f"Training {model.__class__.__name__} with {sum(p.numel() for p in model.parameters())} "
        "parameters on two spirals (400 points)\n")

    def predict(points):
        with nl.no_grad():
            return model(nl.Tensor(points)).sigmoid().numpy()

    accuracy = 0.0
    for epoch in range(1, epochs + 1):
        for xb, yb in loader:
            loss = loss_fn(model(nl.Tensor(xb)), yb)  # forward
            optimizer.zero_grad()                     # forget last step's gradients
            loss.backward()                           # backpropagation
            optimizer.step()                          # move the weights downhill
        if epoch % show_every == 0 or epoch == epochs:
            accuracy = float(((predict(X) > 0.5) == (y > 0.5)).mean())
            out(f"epoch {epoch:4d}   loss {loss.item():.4f}   training accuracy {accuracy:.1%}")
    out("\nWhat the network learned (dark = class x, light = class o):\n")
    out(boundary_text(predict, points=(X[::4], y[::4, 0] > 0.5)))
    return accuracy
