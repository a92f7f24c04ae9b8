// Stop 6, depth: gradient norms per layer (log scale) at the start for any depth and setting; a
// plain and a residual network trained side by side; depth at a fixed budget of steps.

import { latestOnly } from "../../api.js";
import { fmt, fmtShort, h, pct } from "../../dom.js";
import { seriesColor } from "../../palette.js";
import { barChart } from "../../views/bars.js";
import { button, select, slider, toggle } from "../../views/controls.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { liveRunner } from "../../views/runner.js";
import { tableView } from "../../views/table.js";
import { resnetBlock } from "./block.js";

const ACTIVATIONS = ["sigmoid", "tanh", "relu"];
const NORMS = [{ value: "none", label: "none" }, { value: "batch", label: "BatchNorm" }, { value: "layer", label: "LayerNorm" }];

function settings(parent, values, onChange, { skip = false } = {}) {
  const box = h("div", { class: "controls" });
  parent.append(box);
  slider(box, { label: "Layers", min: 3, max: 50, step: 1, value: values.depth, id: skip ? "depth-slider" : undefined,
    onInput: (v) => { values.depth = v; onChange(); } });
  select(box, { label: "Activation", options: ACTIVATIONS, value: values.activation, onChange: (v) => { values.activation = v; onChange(); } });
  select(box, { label: "Normalization", options: NORMS, value: values.norm, onChange: (v) => { values.norm = v; onChange(); } });
  if (skip) toggle(box, { label: "Skip connections", id: "skip-toggle", checked: values.residual, onChange: (v) => { values.residual = v; onChange(); } });
  return box;
}

/** Gradient norms at initialization: a bar per layer, log scale; every control redraws. */
function gradients(slot, api) {
  const values = { depth: 20, activation: "sigmoid", norm: "none", residual: false };
  slot.append(h("h3", {}, "The gradient that reaches each layer"));
  const layout = h("div", { class: "dp-two" });
  const left = h("div", {});
  const right = h("div", {});
  layout.append(left, right);
  slot.append(layout);
  settings(left, values, () => draw(values), { skip: true });
  const readout = h("p", { class: "dp-readout", "data-testid": "gradient-readout", "aria-live": "polite" });
  left.append(readout);
  const bars = barChart(right, { title: "Gradient norm per layer, input side first (log scale)", xLabel: "layer", height: 230 });
  const draw = latestOnly(async (v) => {
    const r = await api.run("gradients", { ...v });
    bars.update(r.bars);
    readout.textContent = `First hidden layer / last hidden layer: ${fmtShort(r.hidden_ratio)} · ` +
      `first layer ${fmtShort(r.first)}, last layer ${fmtShort(r.last)} · ${r.parameters.toLocaleString()} weights`;
    slot.dataset.updates = String(Number(slot.dataset.updates || 0) + 1);
  });
  draw(values);
  return () => bars.destroy();
}

/** The plain and the residual net trained side by side, gradient bars and curves live. */
function race(slot, api, preset = {}) {
  const values = { depth: 20, activation: "sigmoid", norm: "none", epochs: 40, ...preset };
  slot.append(h("h3", {}, preset.norm === "batch" ? "The same race, with BatchNorm" : "Plain against skip connections, same start, same data"));
  if (!preset.norm) {
    const figure = h("figure", { class: "dp-block" });
    resnetBlock(figure);
    figure.append(h("figcaption", {}, "A residual block. The derivation, with a check you can run: ",
      h("code", {}, "docs/math/vanishing-gradients.md"), "."));
    slot.append(figure);
  }
  settings(slot, values, () => {});
  const readout = h("div", { class: "dp-readout", "data-testid": `race-readout-${preset.norm || "plain"}`, "aria-live": "polite" }, "Not trained yet.");
  const runner = liveRunner(slot, api, "race", { host: slot, params: () => ({ ...values }), onFrame: draw,
    describe: (f) => `epoch ${f.epoch} · step ${f.step} of ${f.total_steps}` });
  const layout = h("div", { class: "dp-two" });
  const left = h("div", {});
  const right = h("div", {});
  layout.append(left, right);
  slot.append(readout, layout);
  const bars = barChart(left, { title: "Gradient norm per layer now (log scale)", xLabel: "layer", height: 220 });
  legend(left, [{ label: "plain", color: seriesColor(0), shape: "square" }, { label: "with skip connections", color: seriesColor(1), shape: "square" }]);
  const loss = lineChart(right, { title: "Training loss (log scale)", xLabel: "epoch", yLabel: "loss", height: 150, logY: true });
  const acc = lineChart(right, { title: "Test accuracy", xLabel: "epoch", yLabel: "accuracy", height: 150, yMin: 0, yMax: 1 });

  function draw(f) {
    bars.update(f.gradients);
    const nets = Object.values(f.nets);
    loss.update(nets.map((n) => ({ name: n.label, x: n.curves.epoch, y: n.curves.loss })));
    acc.update(nets.map((n) => ({ name: n.label, x: n.curves.epoch, y: n.curves.test_accuracy })));
    readout.replaceChildren(tableView({
      columns: ["", "test accuracy", "first layer moved", "hidden gradient ratio"],
      rows: nets.map((n) => [n.label, pct(n.test_accuracy), fmtShort(n.moved), fmtShort(n.hidden_ratio)]),
    }, `race-table-${preset.norm || "plain"}`));
  }
  return () => { runner.destroy(); bars.destroy(); loss.destroy(); acc.destroy(); };
}

/** Depths 2..16 at a fixed budget of steps: accuracy and time per step. */
function budget(slot, api) {
  slot.append(h("h3", {}, "Depth at a fixed budget of steps"));
  const out = h("div", { class: "dp-two" });
  const status = h("p", { class: "status", role: "status" });
  const buttons = h("div", { class: "buttons" });
  slot.append(buttons, status, out);
  const run = async () => {
    runBtn.disabled = true;
    status.textContent = "training four networks twice…";
    try {
      const r = await api.run("budget", {});
      const chartBox = h("div", {});
      out.replaceChildren(chartBox, h("div", {}, tableView(r.table, "budget-table")));
      const chart = lineChart(chartBox, { title: "Test accuracy against depth", xLabel: "layers", yLabel: "accuracy", height: 200, yMin: 0, yMax: 1 });
      chart.update(r.accuracy);
      legend(chartBox, Object.keys(r.accuracy.ys).map((name, i) => ({ label: name, color: seriesColor(i) })));
      status.textContent = `Measured on this machine: ${r.ms_per_step.map((ms, i) => `${r.depths[i]} layers ${fmt(ms, 1)} ms`).join(", ")} per step.`;
    } catch (err) {
      status.textContent = err.message;
    } finally {
      runBtn.disabled = false;
    }
  };
  const runBtn = button(buttons, { label: "Train at four depths", kind: "primary", onClick: run });
  return null;
}

const WIDGETS = {
  gradients,
  race: (slot, api) => race(slot, api),
  normalization: (slot, api) => race(slot, api, { norm: "batch" }),
  budget,
};

let cleanups = [];

export function mount(root, api) {
  cleanups = [];
  for (const [name, widget] of Object.entries(WIDGETS)) {
    const slot = root.querySelector(`[data-widget="${name}"]`);
    if (!slot) continue;
    slot.classList.add("dp-widget");
    cleanups.push(widget(slot, api));
    slot.dataset.ready = "1";
  }
}

export function unmount() {
  for (const fn of cleanups) if (fn) fn();
  cleanups = [];
}
