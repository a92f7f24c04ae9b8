"""The stop's live run: the playground network trained again here, one epoch per step, with the
``Trainer``. When it ends, the model it trained is the one ``graduate`` exports and the
downloads hold (kept under the same epochs and seed)."""

from __future__ import annotations

from ...frames import series
from .models import playground_trainer, remember


def train(ctx, epochs, seed, speed):
    """Yield a frame per epoch: loss and accuracy so far; the last one says it is ready."""
    trainer = playground_trainer(epochs, seed, metrics=["accuracy"])
    losses, accuracies = [], []
    for epoch in range(1, epochs + 1):
        logs = trainer.run_epoch()
        losses.append(logs["loss"])
        accuracies.append(logs["accuracy"])
        ctx.pace(ctx.params.get("speed", speed))
        last = epoch == epochs
        if last:
            remember("playground", epochs, seed, trainer.model)
        if not (last or ctx.frame_wanted):
            yield None
            continue
        yield {
            "step": epoch,
            "epoch": epoch,
            "epochs": epochs,
            "loss": losses[-1],
            "accuracy": accuracies[-1],
            "done": last,
            "curves": series(
                range(1, epoch + 1), xlabel="epoch", loss=losses, accuracy=accuracies
            ),  # fmt: skip
        }
