"""Why normalization and embedding have fused ops: layer norm, batch norm and the embedding
lookup, forward + backward, fused against the composed reference (``neuronlab.nn.norm_functional``
``composed_*``, held equal by the tests) and against PyTorch; plus the candidates for the
embedding's scatter-add backward, on their own.

    python -m benchmarks.bench_norm
"""

from __future__ import annotations

import numpy as np

from . import common

LN_SHAPE = (64, 32, 128)  # (N, T, C): a batch of token sequences, as in a small transformer
BN2D_SHAPE = (64, 16, 16, 16)  # (N, C, H, W): a conv block's activations
BN1D_SHAPE = (128, 256)  # (N, C): an MLP's hidden layer
VOCAB, DIM, TOKENS = 1000, 64, (64, 64)  # embedding table and a batch of token ids
SCATTER_CASES = [(65, 64, 4096), (1000, 64, 4096), (10000, 128, 8192), (100, 384, 16384)]


def _scatter_candidates():
    from neuronlab.engine.ops.embedding import scatter_add_rows, scatter_add_rows_naive

    def bincount(index, rows, V):  # one bincount over the flattened (row, column) key
        D = rows.shape[1]
        key = (index[:, None] * D + np.arange(D)).ravel()
        return np.bincount(key, rows.ravel(), minlength=V * D).reshape(V, D).astype(rows.dtype)

    def one_hot(index, rows, V):  # (V, M) @ (M, D)
        hot = np.zeros((V, len(index)), rows.dtype)
        hot[index, np.arange(len(index))] = 1
        return hot @ rows

    return {"add.at (naive)": scatter_add_rows_naive, "sort + reduceat (used)": scatter_add_rows,
            "bincount": bincount, "one-hot matmul": one_hot}


def bench_scatter(repeats: int) -> list:
    rng = np.random.default_rng(0)
    rows_out = []
    for V, D, M in SCATTER_CASES:
        index = rng.integers(0, V, M)
        rows = rng.standard_normal((M, D)).astype(np.float32)
        runs = {name: (lambda f=f, i=index, r=rows, V=V: f(i, r, V))
                for name, f in _scatter_candidates().items()}
        rows_out.append({"V": V, "D": D, "M": M, "times": common.alternate(runs, repeats)})
    return rows_out


def bench_ops(repeats: int) -> dict:
    import neuronlab as nl
    from neuronlab.nn import norm_functional as NF

    torch = common.torch_module()
    rng = np.random.default_rng(0)

    def pair(shape, channels_last):
        x = rng.standard_normal(shape).astype(np.float32)
        C = shape[-1] if channels_last else shape[1]
        w, b = rng.standard_normal(C).astype(np.float32), rng.standard_normal(C).astype(np.float32)
        ours = [nl.tensor(a, requires_grad=True) for a in (x, w, b)]
        theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
        return ours, theirs

    def step(fn, *args):
        return lambda: fn(*args).sum().backward()

    (x, w, b), (tx, tw, tb) = pair(LN_SHAPE, True)
    (y, v, c), (ty, tv, tc) = pair(BN2D_SHAPE, False)
    (z, u, d), (tz, tu, td) = pair(BN1D_SHAPE, False)
    C2, C1 = BN2D_SHAPE[1], BN1D_SHAPE[1]
    stats = [np.zeros(C2, np.float32), np.ones(C2, np.float32)]
    stats1 = [np.zeros(C1, np.float32), np.ones(C1, np.float32)]
    t_stats, t_stats1 = [torch.from_numpy(s.copy()) for s in stats], [
        torch.from_numpy(s.copy()) for s in stats1]
    table = nl.tensor(rng.standard_normal((VOCAB, DIM)).astype(np.float32), requires_grad=True)
    t_table = torch.tensor(table.data, requires_grad=True)
    ids = rng.integers(0, VOCAB, TOKENS)
    t_ids = torch.from_numpy(ids)
    F = torch.nn.functional
    cases = {
        f"layer_norm {LN_SHAPE}": (
            step(NF.layer_norm, x, LN_SHAPE[-1], w, b),
            step(NF.composed_layer_norm, x, LN_SHAPE[-1], w, b),
            step(F.layer_norm, tx, (LN_SHAPE[-1],), tw, tb)),
        f"batch_norm train {BN2D_SHAPE}": (
            step(NF.batch_norm, y, *stats, v, c, True),
            step(NF.composed_batch_norm, y, *stats, v, c, True),
            step(F.batch_norm, ty, *t_stats, tv, tc, True)),
        f"batch_norm train {BN1D_SHAPE}": (
            step(NF.batch_norm, z, *stats1, u, d, True),
            step(NF.composed_batch_norm, z, *stats1, u, d, True),
            step(F.batch_norm, tz, *t_stats1, tu, td, True)),
        f"embedding {VOCAB}x{DIM}, ids {TOKENS}": (
            step(NF.embedding, ids, table), step(NF.composed_embedding, ids, table),
            step(F.embedding, t_ids, t_table)),
    }
    out = {}
    for name, (fused, composed, theirs) in cases.items():
        t = common.alternate({"fused": fused, "composed": composed, "pytorch": theirs},
                             repeats=repeats, warmup=2)
        out[name] = {**t, "speedup": t["composed"]["median"] / t["fused"]["median"],
                     "ratio_vs_pytorch": t["fused"]["median"] / t["pytorch"]["median"]}
    return out


def main(repeats: int = 30) -> dict:
    result = {"workload": "forward + backward (sum of the output), float32",
              "cases": bench_ops(repeats), "scatter": bench_scatter(repeats)}
    common.save("norm_ops", result)
    return result


if __name__ == "__main__":
    r = main()
    for name, t in r["cases"].items():
        print(f"{name:>40}: fused {t['fused']['median'] * 1e3:.2f} ms, composed "
              f"{t['composed']['median'] * 1e3:.2f} ms ({t['speedup']:.1f}x), PyTorch "
              f"{t['pytorch']['median'] * 1e3:.2f} ms (ours / PyTorch {t['ratio_vs_pytorch']:.1f})")
    for row in r["scatter"]:
        times = ", ".join(f"{k} {v['median'] * 1e3:.2f}" for k, v in row["times"].items())
        print(f"scatter V={row['V']} D={row['D']} M={row['M']}: {times} ms")
