// Chapter 4, practice: four side-by-side live comparisons (normalization, learning-rate
// schedules, overfitting vs dropout and L2, early stopping with the best weights restored).

import { seriesColor } from "../../palette.js";
import { fmt } from "../../dom.js";
import { compareWidget, curves } from "./compare.js";


const first = (values, level) => values.findIndex((v) => v !== null && v < level);
const lastOf = (a) => a[a.length - 1];

function lossLegend(labels) {
  return [
    ...labels.map((label, i) => ({ label, color: seriesColor(i) })),
    { label: "solid: training · dashed: validation", color: "#5b6576", dashed: true },
  ];
}

const trainAndVal = (frame) => [...curves(frame, "train"), ...curves(frame, "val", { dashed: true, suffix: " (val)" })];

const CONFIGS = {
  normalization: {
    experiment: "normalization",
    prefix: "n.",
    title: "Raw vs normalized inputs, same network, same learning rate",
    legend: lossLegend(["raw inputs", "normalized inputs"]),
    charts: [{ title: "Loss (cross-entropy, log scale)", yLabel: "loss", series: trainAndVal, logY: true }],
    readout: (f) => ({
      columns: ["run", "< 0.2 at", "train", "val acc"],
      rows: Object.values(f.runs).map((r) => {
        const at = first(r.train, 0.2);
        return [r.label, at < 0 ? "not yet" : `epoch ${at}`, fmt(lastOf(r.train), 3), fmt(lastOf(r.val_acc), 3)];
      }),
    }),
    note: (f) => f.feature_range
      ? `Feature values span ${fmt(f.feature_range.raw[0], 2)} to ${fmt(f.feature_range.raw[1], 0)} raw, ${fmt(f.feature_range.normalized[0], 2)} to ${fmt(f.feature_range.normalized[1], 2)} normalized.`
      : "",
  },
  schedules: {
    experiment: "schedules",
    prefix: "s.",
    title: "Constant learning rate vs reduce-on-plateau vs cosine annealing",
    legend: [
      { label: "constant lr", color: seriesColor(0) },
      { label: "reduce on plateau", color: seriesColor(1) },
      { label: "cosine annealing", color: seriesColor(2) },
    ],
    charts: [
      { title: "Training loss (log scale)", yLabel: "loss", series: (f) => curves(f, "train"), logY: true },
      { title: "Learning rate (log scale)", yLabel: "lr", series: (f) => curves(f, "lr"), logY: true, height: 160 },
    ],
    readout: (f) => ({
      columns: ["run", "train", "val", "lr now"],
      rows: Object.values(f.runs).map((r) => [r.label, fmt(lastOf(r.train), 4), fmt(lastOf(r.val), 4), Number(lastOf(r.lr)).toPrecision(2)]),
    }),
  },
  overfitting: {
    experiment: "overfitting",
    prefix: "o.",
    title: "A big net on 40 examples: no regularization, dropout, dropout + L2",
    legend: lossLegend(["no regularization", "dropout", "dropout + L2"]),
    charts: [{ title: "Loss (both measured with dropout off)", yLabel: "loss", series: trainAndVal, yMin: 0 }],
    readout: (f) => ({
      columns: ["run", "train", "val", "gap"],
      rows: Object.values(f.runs).map((r) => [r.label, fmt(lastOf(r.train), 3), fmt(lastOf(r.val), 3), fmt(r.gap, 3)]),
    }),
    note: () => "gap = validation loss − training loss at the latest epoch.",
  },
  "early-stopping": {
    experiment: "early_stopping",
    prefix: "e.",
    title: "Trained to the end vs early stopping with the best weights restored",
    legend: lossLegend(["trained to the end", "early stopping"]),
    charts: [{
      title: "Loss", yLabel: "loss", series: trainAndVal, yMin: 0,
      markers: (f) => {
        const r = f.runs.early;
        const out = [];
        if (r.best_epoch !== null && r.best_epoch !== undefined) out.push({ x: r.best_epoch, label: `best (${r.best_epoch})` });
        if (r.stopped_epoch) out.push({ x: r.stopped_epoch, label: `stopped (${r.stopped_epoch})` });
        return out;
      },
    }],
    readout: (f) => {
      const early = f.runs.early;
      const full = f.runs.full;
      return {
        columns: ["", "val loss"],
        rows: [
          [`best epoch (${early.best_epoch ?? "–"})`, fmt(early.best_val, 4)],
          [`at the stop (${early.stopped_epoch ?? "–"})`, fmt(f.at_stop_val, 4)],
          ["restored model", fmt(f.restored_val, 4)],
          [`trained to the end (${full.epochs})`, fmt(lastOf(full.val), 4)],
        ],
      };
    },
    note: (f) => (f.restored_val === null || f.restored_val === undefined
      ? "Early stopping has not stopped yet."
      : "The restored model scores the best epoch's validation loss."),
  },
};

let cleanups = [];

export async function mount(root, api, state) {
  cleanups = [];
  for (const [name, config] of Object.entries(CONFIGS)) {
    const slot = root.querySelector(`[data-widget="${name}"]`);
    if (slot) cleanups.push(compareWidget(slot, api, state, config));
  }
}

export function unmount() {
  for (const fn of cleanups) if (fn) fn();
  cleanups = [];
}
