// The mitigation: group thresholds by sex; the learner picks the constraint and its tolerance
// and sees parity and accuracy side by side, on the whole trade-off curve.

import { fmt, h } from "../../dom.js";
import { latestOnly } from "../../api.js";
import { seriesColor } from "../../palette.js";
import { select, slider } from "../../views/controls.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { dataTable } from "../../views/table.js";
import { frame, readout, showError } from "./shared.js";

export async function mitigationWidget(el, api, state) {
  const { body, status } = frame(el, "Group thresholds: parity against accuracy");
  const controls = h("div", { class: "controls rs-controls" });
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  body.append(controls, row);
  const table = dataTable(left, { caption: "Test file, by sex" });
  const numbers = readout(left, "Thresholds");
  legend(right, [{ label: "accuracy (%)", color: seriesColor(0) }, { label: "gap between the groups (points)", color: seriesColor(1) }]);
  const chart = lineChart(right, { title: "The trade-off as the tolerance grows", xLabel: "tolerance", yLabel: "percent", height: 200 });
  const values = {
    constraint: state.get("constraint", "demographic_parity"),
    tolerance: state.getNumber("tolerance", 0.02),
  };
  select(controls, {
    id: "rs-constraint", label: "Constraint", value: values.constraint,
    options: [{ value: "demographic_parity", label: "demographic parity (selection rates)" },
      { value: "equal_opportunity", label: "equal opportunity (true positive rates)" }],
    onChange: (v) => { values.constraint = v; state.set({ constraint: v }); refresh({ ...values }); },
  });
  slider(controls, {
    id: "rs-tolerance", label: "Tolerance", min: 0, max: 0.3, step: 0.01, value: values.tolerance,
    format: (v) => v.toFixed(2), onInput: (v) => { values.tolerance = v; state.set({ tolerance: v }); refresh({ ...values }); },
  });

  const refresh = latestOnly(async (params) => {
    el.dataset.busy = "1";
    try {
      const r = await api.run("mitigation", params);
      const b = r.before, a = r.after;
      table.update(["", "accuracy", "selection-rate diff.", "TPR diff."], [
        ["one threshold, 0.5", b.accuracy, b.dp_difference, b.eop_difference],
        [`group thresholds, ± ${a.tolerance.toFixed(2)}`, a.accuracy, a.dp_difference, a.eop_difference],
      ], { format: (v) => fmt(v, 3) });
      numbers.set([
        ...Object.entries(a.thresholds).map(([g, t]) => [`threshold for ${g}`, fmt(t, 3)]),
        ["accuracy lost", `${fmt(100 * (b.accuracy - a.accuracy), 2)} points`],
      ]);
      const xs = r.curve.map((c) => Math.min(c.tolerance, 0.35));
      chart.update([
        { name: "accuracy", x: xs, y: r.curve.map((c) => 100 * c.accuracy), color: seriesColor(0) },
        { name: "gap", x: xs, y: r.curve.map((c) => 100 * c[r.key]), color: seriesColor(1) },
      ], { markers: [{ x: a.tolerance, label: "you" }] });
      el.dataset.gap = fmt(a[r.key], 4);
      status.textContent = "";
    } catch (error) {
      showError(status, error);
    }
    el.dataset.busy = "0";
  });
  await refresh({ ...values });
  return { destroy() { chart.destroy(); el.replaceChildren(); } };
}
