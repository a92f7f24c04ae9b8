// The CNN widgets: train it live, look inside it, draw for it, and compare it with an MLP.

import { latestOnly } from "../../api.js";
import { clear, fmt, h, pct } from "../../dom.js";
import { button, slider, select } from "../../views/controls.js";
import { imageRows, picture } from "../../views/images.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { seriesColor } from "../../palette.js";
import { liveRunner } from "../../views/runner.js";
import { tableView } from "../../views/table.js";
import { drawPad } from "./drawpad.js";
import { probBars } from "./softmax.js";

const mapSize = (row) => (row.grids[0].w >= 28 ? 56 : row.grids[0].w >= 14 ? 42 : 30);

/** Train the small CNN live: curves, progress and the first-layer filters as they form. */
export function cnnTrain(slot, api) {
  const values = { start: "scratch", epochs: 6, learning_rate: 0.003, goal: 0.85 };
  const layout = h("div", { class: "ar-two" });
  const left = h("div", {});
  const right = h("div", {});
  layout.append(left, right);
  slot.append(h("h3", {}, "Train the CNN on 8,000 images"));
  const controls = h("div", { class: "controls" });
  slot.append(controls);
  select(controls, { label: "Start from", value: values.start,
    options: [{ value: "scratch", label: "random weights" }, { value: "shipped", label: "the shipped weights" }],
    onChange: (v) => { values.start = v; } });
  slider(controls, { label: "Epochs", min: 1, max: 20, step: 1, value: values.epochs, onInput: (v) => { values.epochs = v; } });
  slider(controls, { label: "Learning rate", min: 0.0003, max: 0.03, log: true, value: values.learning_rate,
    onInput: (v) => { values.learning_rate = v; runner.update({ learning_rate: v }); } });
  slider(controls, { label: "Stop at test accuracy", min: 0, max: 0.95, step: 0.01, value: values.goal,
    format: (v) => (v > 0 ? pct(v, 0) : "never"), onInput: (v) => { values.goal = v; } });
  const readout = h("p", { class: "ar-readout", "data-testid": "cnn-readout", "aria-live": "polite" }, "Not trained yet: the filters below are the shipped model's.");
  const runner = liveRunner(slot, api, "train_cnn", {
    host: slot,
    params: () => ({ ...values }),
    describe: (f) => `step ${f.step} of ${f.total_steps}`,
    onFrame: draw,
  });
  slot.append(readout, layout);
  const loss = lineChart(left, { title: "Training loss", xLabel: "step", yLabel: "loss", height: 180 });
  const acc = lineChart(left, { title: "Accuracy", xLabel: "step", yLabel: "accuracy", height: 180, yMin: 0, yMax: 1 });
  legend(left, [{ label: "training batches", color: seriesColor(0) }, { label: "test images", color: seriesColor(1) }]);
  const filters = imageRows(right, { title: "First-layer filters (3x3; blue positive, orange negative)", size: 40 });
  api.run("inspect", { index: 0 }).then((r) => filters.update(r.filters)).catch(() => {});

  function draw(f) {
    const c = f.curves;
    loss.update([{ name: "loss", x: c.x, y: c.ys.loss }]);
    acc.update([
      { name: "training", x: c.x, y: c.ys.accuracy },
      { name: "test", x: c.x, y: c.ys.test_accuracy },
    ]);
    filters.update(f.filters);
    readout.textContent = `Step ${f.step} of ${f.total_steps} · test accuracy ${pct(f.test_accuracy)} · ` +
      `${fmt(f.steps_per_second, 0)} steps per second${f.done ? " · done" : ""}`;
  }
  return () => runner.destroy();
}

/** One test image through the shipped CNN: its feature maps, layer by layer, and the softmax. */
export function cnnInspect(slot, api) {
  const top = h("div", { class: "ar-inspect" });
  const imageBox = h("figure", { class: "ar-image" });
  const side = h("div", {});
  top.append(imageBox, side);
  const controls = h("div", { class: "controls" });
  slot.append(h("h3", {}, "Inside the trained CNN"), controls, top);
  const answer = h("p", { class: "ar-readout", "data-testid": "inspect-answer", "aria-live": "polite" });
  side.append(answer);
  const bars = probBars(side);
  const maps = imageRows(slot, { title: "Feature maps of every layer (each scaled to its largest value)", size: mapSize });
  const show = latestOnly(async (index) => {
    const r = await api.run("inspect", { index });
    clear(imageBox).append(picture(r.image.rows[0].grids[0], { size: 140, label: r.image.rows[0].label }),
      h("figcaption", {}, `test image ${r.index}: ${r.label}`));
    answer.textContent = `The CNN says ${r.prediction} (${pct(r.confidence)}); the label is ${r.label}.`;
    bars.update(r.classes, r.probs);
    maps.update(r.feature_maps);
  });
  slider(controls, { label: "Test image", min: 0, max: 999, step: 1, value: 0, onInput: (v) => show(v) });
  show(0);
  return null;
}

function noise() {
  const out = [];
  for (let i = 0; i < 784; i++) out.push(Math.random());
  return out;
}

/** Draw on a 28x28 pad; the shipped CNN classifies the drawing as it is drawn. */
export function drawing(slot, api) {
  const layout = h("div", { class: "ar-inspect" });
  const padBox = h("div", { class: "ar-pad" });
  const side = h("div", {});
  layout.append(padBox, side);
  slot.append(h("h3", {}, "Draw a garment"), layout);
  const answer = h("p", { class: "ar-readout", "data-testid": "drawing-answer", "aria-live": "polite" }, "Draw on the black square.");
  const warning = h("p", { class: "widget-note", "data-testid": "drawing-note" });
  const bars = probBars(side);
  side.prepend(answer, warning);
  const maps = imageRows(slot, { title: "Feature maps of your drawing", size: mapSize });
  const classify = latestOnly(async (pixels) => {
    const r = await api.run("classify_drawing", { pixels });
    answer.textContent = `${r.prediction}, ${pct(r.confidence)} sure`;
    warning.textContent = r.unusual ? `Take it with a grain of salt: ${r.unusual}. The network answers anyway.` : "";
    bars.update(r.classes, r.probs);
    maps.update(r.feature_maps);
    slot.dataset.classified = String(Number(slot.dataset.classified || 0) + 1);
  });
  let pending = null;
  const pad = drawPad(padBox, {
    onChange(pixels) {  // at most one request per animation frame while drawing
      if (pending === null) requestAnimationFrame(() => { classify(pending); pending = null; });
      pending = pixels.map((v) => Math.round(v * 1000) / 1000);
    },
  });
  const buttons = h("div", { class: "buttons" });
  padBox.append(buttons);
  button(buttons, { label: "Clear", onClick: () => pad.clear() });
  button(buttons, { label: "Noise", onClick: () => pad.set(noise()) });
  pad.clear();  // the blank pad is classified too: a network always answers
  return null;
}

/** The shipped MLP and CNN, about the same size, side by side. */
export async function mlpVsCnn(slot, api) {
  slot.append(h("h3", {}, "An MLP and a CNN of the same size"));
  const r = await api.run("mlp_vs_cnn", {});
  slot.append(tableView(r.models, "mlp-vs-cnn"));
  return null;
}

/** Accuracy on shifted test images, CNN against MLP. */
export async function shift(slot, api) {
  slot.append(h("h3", {}, "Move the images a few pixels"));
  const layout = h("div", { class: "ar-two" });
  const left = h("div", {});
  const right = h("div", {});
  layout.append(left, right);
  slot.append(layout);
  const chart = lineChart(left, { title: "Test accuracy against shift", xLabel: "shift (pixels)", yLabel: "accuracy", height: 200, yMin: 0, yMax: 1 });
  legend(left, [{ label: "CNN", color: seriesColor(0) }, { label: "MLP", color: seriesColor(1) }]);
  const r = await api.run("shift", {});
  chart.update(r.accuracy);
  right.append(tableView(r.table, "shift-table"),
    h("figure", { class: "ar-image" }, picture(r.example.rows[0].grids[0], { size: 84, label: r.example.rows[0].label }),
      h("figcaption", {}, r.example.rows[0].label)));
  return () => chart.destroy();
}
