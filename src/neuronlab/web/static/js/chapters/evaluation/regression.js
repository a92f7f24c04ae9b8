// MAE against RMSE: drag the square points (or move their sliders) to turn them into outliers;
// the server recomputes both errors with neuronlab.metrics.

import { fmt, h } from "../../dom.js";
import { latestOnly } from "../../api.js";
import { button, slider } from "../../views/controls.js";
import { dragScatter } from "../../views/drag-scatter.js";
import { frame, readout, showError } from "./shared.js";

const N = 5;
const RANGE = [-100, 500];

export async function regressionWidget(el, api, state) {
  const { body, status } = frame(el, "MAE and RMSE on the same predictions");
  const row = h("div", { class: "widget-row" });
  const plotBox = h("div", { class: "widget-col ev-plot" });
  const side = h("div", { class: "widget-col" });
  row.append(plotBox, side);
  body.append(row);
  const numbers = readout(side, "Errors");
  const sliders = h("div", { class: "controls" });
  side.append(sliders);
  let shifts = (state.get("shifts", "") || "").split(",").map(Number).filter(Number.isFinite);
  if (shifts.length !== N) shifts = new Array(N).fill(0);
  let base = null;

  const plot = dragScatter(plotBox, {
    title: "Predicted against true progression (square points can be dragged)",
    xLabel: "predicted", yLabel: "true",
    onDrop(i, y) { setShift(i, Math.round(y - base[i])); },
  });
  const controls = shifts.map((v, i) => slider(sliders, {
    id: `ev-outlier-${i}`, label: `Outlier ${i + 1} shift`, min: -400, max: 400, step: 10, value: v,
    format: (x) => String(Math.round(x)), onInput: (x) => setShift(i, x),
  }));
  button(side, { id: "ev-reset-outliers", label: "Put the points back", onClick: () => { shifts.fill(0); controls.forEach((c) => c.set(0)); refresh([...shifts]); } });

  function setShift(i, value) {
    shifts[i] = Math.max(-400, Math.min(400, value));
    controls[i].set(shifts[i]);
    state.set({ shifts: shifts.some((s) => s !== 0) ? shifts.join(",") : null });
    refresh([...shifts]);
  }

  const refresh = latestOnly(async (values) => {
    try {
      const r = await api.run("regression", { shifts: values });
      if (!base) base = r.points.true.map((t, i) => t - (i < N ? values[i] : 0));
      plot.update({ x: r.points.pred, y: r.points.true, movable: r.outliers, range: RANGE });
      // where the draggable squares are drawn (CSS pixels in the canvas), for keyboardless checks
      plotBox.dataset.squares = JSON.stringify(r.outliers.map((i) => plot.position(i)));
      const c = r.clean, d = r.with_outliers;
      numbers.set([
        ["MAE", `${fmt(d.mae, 1)} (clean ${fmt(c.mae, 1)}, ×${fmt(r.growth.mae, 2)})`],
        ["RMSE", `${fmt(d.rmse, 1)} (clean ${fmt(c.rmse, 1)}, ×${fmt(r.growth.rmse, 2)})`],
      ]);
      el.dataset.rmseGrowth = fmt(r.growth.rmse, 4);
      el.dataset.maeGrowth = fmt(r.growth.mae, 4);
      status.textContent = "";
    } catch (error) {
      showError(status, error);
    }
  });
  await refresh([...shifts]);
  return { plot, destroy() { plot.destroy(); el.replaceChildren(); } };
}
