// Train the playground network again, live, with the Trainer; when it ends, the export above
// switches to this very model.

import { h, clear, fmt, pct } from "../../dom.js";
import { seriesColor } from "../../palette.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";

export function trainWidget(slot, api, state, { onTrained }) {
  let run = null;
  const epochs = h("input", { type: "range", id: "ns-epochs", min: 10, max: 300, step: 10, value: 150 });
  const epochsOut = h("output", { for: "ns-epochs" }, "150");
  epochs.addEventListener("input", () => { epochsOut.textContent = epochs.value; });
  const seed = h("input", { type: "number", id: "ns-seed", min: 0, max: 10000, value: 0, class: "ns-seed" });
  const button = h("button", { type: "button", class: "btn primary" }, "Train it again");
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" },
    "Trained already with 150 epochs and seed 0; train again to watch it learn.");
  const charts = h("div", { class: "ns-train-chart", hidden: true });
  const chart = lineChart(charts, { title: "Loss and accuracy per epoch", xLabel: "epoch", height: 170, yMin: 0 });
  legend(charts, [{ label: "loss (cross-entropy)", color: seriesColor(0) }, { label: "accuracy", color: seriesColor(1) }]);
  clear(slot).append(h("div", {},
    h("h3", {}, "Train the playground network"),
    h("div", { class: "ns-controls" },
      h("div", { class: "control" }, h("label", { for: "ns-epochs" }, "Epochs"), epochs, epochsOut),
      h("div", { class: "control" }, h("label", { for: "ns-seed" }, "Seed"), seed)),
    h("div", { class: "buttons" }, button), status, charts));

  button.addEventListener("click", () => {
    if (run) run.stop();
    const recipe = { epochs: Number(epochs.value), seed: Math.max(0, Math.min(10000, Number(seed.value) || 0)) };
    button.disabled = true;
    slot.dataset.done = "0";
    status.textContent = "Training…";
    run = api.live("train", { ...recipe, speed: 60 }, {
      onFrame(frame) {
        charts.hidden = false;
        chart.update(frame.curves);
        status.textContent = `epoch ${frame.epoch} of ${frame.epochs} · loss ${fmt(frame.loss, 3)} · accuracy ${pct(frame.accuracy)}`;
        if (frame.done) {
          slot.dataset.done = "1";
          onTrained(recipe);
        }
      },
      onError(message) { status.textContent = message; },
      onEnd() { button.disabled = false; run = null; },
    });
  });

  return { destroy() { if (run) run.stop(); run = null; } };
}
