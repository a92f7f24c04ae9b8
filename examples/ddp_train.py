"""Train an exported neuronlab model on several processes with PyTorch's DistributedDataParallel.

neuronlab teaches and prototypes on one machine; when the data outgrows it, export the model
(``neuronlab export RUN --to torch`` or ``neuronlab.io.export_torch``) and let PyTorch spread the
training. This script is the whole recipe (docs/ddp.md explains each step):

    # once: a small network trained in neuronlab, exported as PyTorch code + weights
    python examples/ddp_train.py --prepare exported/

    # two processes on this CPU (the gloo backend); on GPUs use --backend nccl
    torchrun --standalone --nproc_per_node=2 examples/ddp_train.py --model-dir exported/ \
        --out trained/

Every process loads the same exported model, wraps it in DistributedDataParallel and reads its own
share of the data (DistributedSampler); after each backward pass DDP averages the gradients of
all processes, so every copy takes the same step and the copies stay identical. Process 0 then
writes ``trained/weights.pt``, which ``neuronlab.io.from_torch`` loads back into neuronlab.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def spirals(n: int = 512, seed: int = 0):
    """The two-spirals toy set of the lab's playground, as torch tensors."""
    from neuronlab.data.toy import spiral

    X, y = spiral(n, noise=0.1, seed=seed)
    return torch.from_numpy(X), torch.from_numpy(y)


def prepare(folder: Path, seed: int = 0) -> None:
    """Train a small MLP in neuronlab for a few epochs, then export it for PyTorch."""
    import neuronlab as nl
    from neuronlab.models import MLP
    from neuronlab.train import Trainer

    nl.manual_seed(seed)
    X, y = (t.numpy() for t in spirals(seed=seed))
    model = MLP(2, [16, 16], 2, activation="tanh")
    optimizer = nl.optim.Adam(model.parameters(), lr=0.01)
    Trainer(model, nl.nn.CrossEntropyLoss(), optimizer, (X, y), epochs=5, seed=seed).run()
    path = nl.io.export_torch(model, folder, input_hint="(N, 2) points")
    print(f"exported {path} and {folder / 'weights.pt'}")


def load_exported(folder: Path) -> torch.nn.Module:
    """``model.load()`` of an exported folder: plain PyTorch from here on."""
    spec = importlib.util.spec_from_file_location("exported_model", folder / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load(folder).train()


def train(args) -> None:
    dist.init_process_group(backend=args.backend)  # torchrun sets RANK, WORLD_SIZE, MASTER_*
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(args.seed)
    model = DistributedDataParallel(load_exported(args.model_dir))
    X, y = spirals(seed=args.seed)
    sampler = DistributedSampler(TensorDataset(X, y), shuffle=args.shuffle, seed=args.seed)
    loader = DataLoader(TensorDataset(X, y), batch_size=args.batch_size, sampler=sampler)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)  # a new shuffle each epoch, the same on every process
        total = torch.zeros(2)
        for xb, yb in loader:  # this process's share of the data
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()  # DDP averages the gradients across processes here
            optimizer.step()
            total += torch.tensor([loss.item() * len(xb), len(xb)])
        dist.all_reduce(total)  # the mean loss over all processes' examples
        if rank == 0:
            print(f"epoch {epoch + 1}: loss {total[0] / total[1]:.4f} ({world} processes)")
    _finish(model.module, rank, world, Path(args.out))
    dist.destroy_process_group()


def _finish(model: torch.nn.Module, rank: int, world: int, out: Path) -> None:
    """Process 0 saves the weights; every process records a checksum of its copy, which shows
    that the copies stayed identical."""
    out.mkdir(parents=True, exist_ok=True)
    checksum = float(sum(p.detach().double().sum() for p in model.parameters()))
    (out / f"rank{rank}.json").write_text(json.dumps({"rank": rank, "checksum": checksum}))
    if rank == 0:
        torch.save(model.state_dict(), out / "weights.pt")
        print(f"saved {out / 'weights.pt'} (world size {world})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--prepare",
        type=Path,
        metavar="FOLDER",
        help="train a small neuronlab model and export it to FOLDER, then stop",
    )
    parser.add_argument("--model-dir", type=Path, help="an exported folder (model.py, weights.pt)")
    parser.add_argument("--out", type=Path, default=Path("trained"), help="where to save")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32, help="per process")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-shuffle", dest="shuffle", action="store_false")
    parser.add_argument("--backend", default="gloo", help="gloo (CPU) or nccl (GPUs)")
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.seed)
    elif args.model_dir is None or "RANK" not in os.environ:
        parser.error("start the training with torchrun (see the docstring), with --model-dir")
    else:
        train(args)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
