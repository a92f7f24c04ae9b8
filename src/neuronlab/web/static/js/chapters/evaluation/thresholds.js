// Thresholds: a slider moves one point along the ROC and the precision-recall curves; the
// confusion matrix, precision, recall and F1 follow; the costs of the two mistakes pick the
// cheapest threshold. Every number comes from the server (neuronlab.metrics); the slider only
// picks a row of the table it sent.

import { fmt, h } from "../../dom.js";
import { button, slider } from "../../views/controls.js";
import { confusionMatrix } from "../../views/confusion.js";
import { unitCurve } from "../../views/curve.js";
import { latestOnly } from "../../api.js";
import { CLASS_NAMES, frame, readout, showError } from "./shared.js";

export async function thresholdWidget(el, api, state) {
  const { body, status } = frame(el, "ROC and precision-recall curves under one threshold");
  const controls = h("div", { class: "controls ev-controls" });
  const curves = h("div", { class: "widget-row ev-curves" });
  const side = h("div", { class: "widget-row" });
  body.append(controls, curves, side);
  const roc = unitCurve(curves, { title: "ROC curve", xLabel: "false positive rate", yLabel: "true positive rate" });
  const pr = unitCurve(curves, { title: "Precision-recall curve", xLabel: "recall", yLabel: "precision" });
  const cm = confusionMatrix(side, { caption: "Test rows at this threshold" });
  const numbers = readout(h("div", { class: "widget-col" }), "Scores at this threshold");
  side.append(numbers.el.parentElement);
  let data = null;
  const values = {
    t: state.getNumber("t", 0.5),
    cost_fp: state.getNumber("cost_fp", 1),
    cost_fn: state.getNumber("cost_fn", 5),
  };

  const tSlider = slider(controls, {
    id: "ev-threshold", label: "Threshold t", min: 0.01, max: 0.99, step: 0.01, value: values.t,
    format: (v) => v.toFixed(2), onInput: (v) => { values.t = v; state.set({ t: v === 0.5 ? null : v }); show(); },
  });
  slider(controls, {
    id: "ev-cost-fp", label: "Cost of a false positive", min: 0.1, max: 50, value: values.cost_fp, log: true,
    format: (v) => String(v), onInput: (v) => { values.cost_fp = v; state.set({ cost_fp: v }); refresh(values); },
  });
  slider(controls, {
    id: "ev-cost-fn", label: "Cost of a false negative", min: 0.1, max: 50, value: values.cost_fn, log: true,
    format: (v) => String(v), onInput: (v) => { values.cost_fn = v; state.set({ cost_fn: v }); refresh(values); },
  });
  button(controls, {
    id: "ev-cheapest", label: "Go to the cheapest threshold",
    onClick: () => { if (data) { tSlider.set(data.best.threshold); values.t = data.best.threshold; show(); } },
  });

  function row() {
    const i = Math.round((values.t - 0.01) / 0.01);
    return data.grid[Math.max(0, Math.min(data.grid.length - 1, i))];
  }

  function show() {
    if (!data) return;
    const r = row();
    const label = `t = ${r.threshold.toFixed(2)}`;
    roc.update({ curves: [{ name: "model", x: data.roc.fpr, y: data.roc.tpr }], point: { x: r.fpr, y: r.recall, label }, reference: [[0, 0], [1, 1]] });
    const prPoint = r.tp + r.fp > 0 ? { x: r.recall, y: r.precision, label } : null;
    pr.update({ curves: [{ name: "model", x: data.pr.recall, y: data.pr.precision }], point: prPoint, reference: [[0, data.base_rate], [1, data.base_rate]] });
    cm.update([[r.tn, r.fp], [r.fn, r.tp]], CLASS_NAMES);
    numbers.set([
      ["precision", fmt(r.precision, 3)], ["recall", fmt(r.recall, 3)], ["F1", fmt(r.f1, 3)],
      ["cost", `${fmt(r.cost, 1)} (${fmt(data.cost_fp, 2)} × ${r.fp} FP + ${fmt(data.cost_fn, 2)} × ${r.fn} FN)`],
      ["cheapest", `t = ${data.best.threshold.toFixed(2)}, cost ${fmt(data.best.cost, 1)}`],
      ["ROC AUC", fmt(data.auc, 3)], ["average precision", fmt(data.ap, 3)],
    ]);
    el.dataset.threshold = r.threshold.toFixed(2);
  }

  const refresh = latestOnly(async (params) => {
    el.dataset.busy = "1";
    try {
      data = await api.run("thresholds", { cost_fp: params.cost_fp, cost_fn: params.cost_fn });
      status.textContent = "";
      el.dataset.best = data.best.threshold.toFixed(2);
      show();
    } catch (error) {
      showError(status, error);
    }
    el.dataset.busy = "0";
  });
  await refresh(values);
  return { destroy() { roc.destroy(); pr.destroy(); el.replaceChildren(); } };
}
