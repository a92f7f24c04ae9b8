// Loss functions against the prediction (interactive), and the "multiply the loss by 1000" table.

import { seriesColor } from "../../palette.js";
import { controlsFromSchema } from "../../views/controls.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { fmtSci, h } from "../../dom.js";
import { dataTable, latestOnly, showError } from "./helpers.js";

const NAMES = { squared_error: "squared error", cross_entropy: "cross-entropy" };

export function lossesWidget(root, api) {
  const schema = api.schema("loss_curves").filter((p) => p.name !== "n_points");
  root.append(h("h3", {}, "Try it: squared error vs cross-entropy"));
  const grid = h("div", { class: "ln-grid" });
  const charts = h("div");
  const side = h("div");
  grid.append(charts, side);
  root.append(grid);
  const lossChart = lineChart(charts, { title: "Loss against the prediction p", xLabel: "prediction p", yLabel: "loss", height: 210, yMin: 0, yMax: 5 });
  const slopeChart = lineChart(charts, { title: "Slope d loss / d p", xLabel: "prediction p", yLabel: "slope", height: 170, yMin: -20, yMax: 20 });
  legend(charts, [
    { label: "squared error", color: seriesColor(0) },
    { label: "cross-entropy", color: seriesColor(1), dashed: true },
    { label: "your prediction", color: "#1d2430", dashed: true },
  ]);
  const readout = h("div", { "aria-live": "polite", "data-testid": "loss-readout" });
  const status = h("p", { class: "status", role: "status" });
  const values = { target: 1, prediction: 0.3 };

  const draw = latestOnly(async (params) => {
    try {
      const r = await api.run("loss_curves", { ...params, n_points: 197 });
      const curves = (s) =>
        Object.entries(s.ys).map(([name, y], k) => ({ name: NAMES[name], x: s.x, y, color: seriesColor(k), dashed: k === 1 }));
      const marker = [{ x: r.prediction, label: `p = ${r.prediction.toFixed(2)}` }];
      lossChart.update(curves(r.loss), { markers: marker });
      slopeChart.update(curves(r.slope), { markers: marker });
      const at = r.at;
      readout.replaceChildren(dataTable(
        ["at p = " + r.prediction.toFixed(2), "loss", "slope"],
        [["squared error", fmtSci(at.squared_error), fmtSci(at.slope_squared_error, 3)],
          ["cross-entropy", fmtSci(at.cross_entropy), fmtSci(at.slope_cross_entropy, 3)]],
        { caption: `Target y = ${r.target}`, testid: "loss-table" }));
      showError(status, null);
    } catch (err) {
      showError(status, err);
    }
  });
  controlsFromSchema(side, schema, values, (name, value, all) => draw(all));
  side.append(readout, status);
  draw(values);
  return () => { lossChart.destroy(); slopeChart.destroy(); };
}

export function adamScaleWidget(root, api) {
  root.append(h("h3", {}, "Try it: multiply the loss by a constant"));
  const schema = api.schema("gradient_scale");
  const values = Object.fromEntries(schema.map((p) => [p.name, p.default]));
  const out = h("div", { "data-testid": "scale-table", "aria-live": "polite" });
  const status = h("p", { class: "status", role: "status" });
  const run = latestOnly(async (params) => {
    try {
      const r = await api.run("gradient_scale", params);
      out.replaceChildren(dataTable(
        ["optimizer", "largest gap between the two paths", "ends (plain)", "ends (scaled)"],
        r.runs.map((x) => [x.label, fmtSci(x.max_distance, 6),
          `(${fmtSci(x.end_plain[0], 3)}, ${fmtSci(x.end_plain[1], 3)})`,
          x.diverged_scaled ? "flew off" : `(${fmtSci(x.end_scaled[0], 3)}, ${fmtSci(x.end_scaled[1], 3)})`]),
        { caption: r.table.title }));
      showError(status, null);
    } catch (err) {
      showError(status, err);
    }
  });
  controlsFromSchema(root, schema, values, (name, value, all) => run(all));
  root.append(out, status);
  run(values);
  return () => {};
}
