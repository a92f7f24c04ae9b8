// Differential privacy, live: the non-private MLP and DP-SGD at four epsilons, trained one
// after the other; accuracy against epsilon, the attack's advantage, gradient norms before and
// after clipping.

import { fmt, h } from "../../dom.js";
import { button, slider } from "../../views/controls.js";
import { histogram } from "../../views/histogram.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { seriesColor } from "../../palette.js";
import { dataTable } from "../../views/table.js";
import { frame } from "./shared.js";

export async function privacyWidget(el, api, state) {
  const { body, status } = frame(el, "DP-SGD at four epsilons, and a membership attack");
  const controls = h("div", { class: "controls rs-controls" });
  const buttons = h("div", { class: "buttons" });
  const progress = h("p", { class: "widget-note", "aria-live": "polite" });
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  body.append(controls, buttons, progress, row);
  legend(left, [{ label: "DP-SGD", color: seriesColor(0) }, { label: "non-private", color: seriesColor(1), dashed: true }]);
  const acc = lineChart(left, { title: "Test accuracy against epsilon", xLabel: "epsilon", yLabel: "accuracy", height: 190 });
  const adv = lineChart(left, { title: "Membership attack advantage", xLabel: "epsilon", yLabel: "TPR − FPR", height: 170, yMin: 0 });
  legend(right, [{ label: "before clipping", color: seriesColor(2) }, { label: "after clipping", color: seriesColor(3) }]);
  const hist = histogram(right, { title: "Per-example gradient norms, last batch (epsilon 8)", xLabel: "norm" });
  const table = dataTable(right, { caption: "Every model" });
  const values = {
    epochs: state.getNumber("dp_epochs", 20),
    max_grad_norm: state.getNumber("clip", 1.0),
  };
  slider(controls, { id: "rs-dp-epochs", label: "Epochs", min: 2, max: 40, step: 1, value: values.epochs,
    onInput: (v) => { values.epochs = v; state.set({ dp_epochs: v === 20 ? null : v }); } });
  slider(controls, { id: "rs-dp-clip", label: "Clipping norm C", min: 0.1, max: 5, value: values.max_grad_norm, log: true,
    format: (v) => String(v), onInput: (v) => { values.max_grad_norm = v; state.set({ clip: v === 1 ? null : v }); } });
  let run = null;
  const start = button(buttons, { id: "rs-dp-start", label: "Train the five models", kind: "primary", onClick: () => go() });
  const stop = button(buttons, { id: "rs-dp-stop", label: "Stop", onClick: () => halt() });
  stop.disabled = true;

  function draw(f) {
    const name = f.training === null ? "the non-private model" : `epsilon ${f.training}`;
    progress.textContent = `${f.runs.length} of ${1 + f.epsilons.length} models done; training ${name}, epoch ${f.epoch} of ${f.epochs}`;
    const base = f.runs[0];
    const priv = f.runs.slice(1);
    if (priv.length) {
      const xs = priv.map((r) => r.target_epsilon);
      acc.update([
        { name: "DP-SGD", x: xs, y: priv.map((r) => r.accuracy), color: seriesColor(0) },
        { name: "non-private", x: xs, y: xs.map(() => base.accuracy), color: seriesColor(1), dashed: true },
      ]);
      adv.update([
        { name: "DP-SGD", x: xs, y: priv.map((r) => r.attack.advantage), color: seriesColor(0) },
        { name: "non-private", x: xs, y: xs.map(() => base.attack.advantage), color: seriesColor(1), dashed: true },
      ]);
    }
    if (f.norms && f.norms.before) {
      hist.update({ lo: 0, hi: f.norms.hi, marker: { x: f.norms.clip, label: "C" }, sets: [
        { name: "before", counts: f.norms.before, color: seriesColor(2) },
        { name: "after", counts: f.norms.after, color: seriesColor(3) },
      ] });
    }
    table.update(["model", "epsilon", "noise σ", "accuracy", "advantage"], f.runs.map((r) => [
      r.epsilon === null ? "non-private" : "DP-SGD", r.epsilon === null ? "∞" : fmt(r.epsilon, 2),
      r.noise_multiplier === null ? "0" : fmt(r.noise_multiplier, 2), fmt(r.accuracy, 3), fmt(r.attack.advantage, 3),
    ]), { format: (v) => String(v) });
  }

  function halt() {
    if (run) run.stop();
    run = null;
    start.disabled = false;
    stop.disabled = true;
    el.dataset.state = "stopped";
  }

  function go() {
    if (run) run.stop();
    start.disabled = true;
    stop.disabled = false;
    el.dataset.state = "running";
    status.textContent = "";
    run = api.live("privacy", { ...values }, {
      onFrame: (f) => draw(f),
      onEnd(info) {
        if (el.dataset.state === "stopped") return;
        start.disabled = false;
        stop.disabled = true;
        el.dataset.state = info.reason;
        if (info.reason === "error") status.textContent = info.error || "the run failed";
      },
      onError(message) { status.textContent = message; },
    });
  }

  return { destroy() { if (run) run.stop(); acc.destroy(); adv.destroy(); hist.destroy(); el.replaceChildren(); } };
}
