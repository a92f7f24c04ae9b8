// Tick labels around a square plot (a decision map, a loss surface): numbers on the left and
// below, placed in percent of the plot, so they follow the plot's size without redrawing.
//
//   const axes = plotAxes(plotElement);  // wraps the plot where it stands
//   axes.set([x0, x1, y0, y1]);   // the plot's extent in data units; y0 at the bottom

import { fmtTick, h } from "../dom.js";

function ticks(lo, hi, count = 4) {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toFixed(10));
  return out;
}

export function plotAxes(plot) {
  const frame = h("div", { class: "axes" });
  const left = h("div", { class: "axes-y", "aria-hidden": "true" });
  const bottom = h("div", { class: "axes-x", "aria-hidden": "true" });
  // as wide as the plot at most, so the ticks line up with it
  if (plot.style.maxWidth) frame.style.maxWidth = `calc(${plot.style.maxWidth} + 1.7rem)`;
  plot.replaceWith(frame);
  frame.append(left, h("div", { class: "axes-plot" }, plot), h("span", { class: "axes-corner" }), bottom);
  let key = "";
  return {
    el: frame,
    set([x0, x1, y0, y1]) {
      const next = JSON.stringify([x0, x1, y0, y1]);
      if (next === key) return;
      key = next;
      left.replaceChildren(...ticks(y0, y1).map((t) => {
        const s = h("span", {}, fmtTick(t));
        s.style.top = `${(100 * (y1 - t)) / (y1 - y0)}%`;
        return s;
      }));
      bottom.replaceChildren(...ticks(x0, x1).map((t) => {
        const s = h("span", {}, fmtTick(t));
        s.style.left = `${(100 * (t - x0)) / (x1 - x0)}%`;
        return s;
      }));
    },
  };
}
