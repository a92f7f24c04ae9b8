// Grouped bars on a canvas (a frames.bars result), with an optional log axis.

import { h, fmtShort } from "../dom.js";
import { color, seriesColor } from "../palette.js";

export function barChart(parent, opts = {}) {
  const { height = 220, yLabel = "" } = opts;
  const root = h("div", { class: "view barchart" });
  root.dataset.updates = "0";
  const title = h("p", { class: "view-title" }, opts.title || "");
  const canvas = h("canvas", { role: "img", "aria-label": opts.title || "bar chart" });
  root.append(title, canvas);
  parent.append(root);
  let spec = null;

  function draw() {
    if (!spec) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(240, root.clientWidth || 320);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const pad = { l: 52, r: 10, t: 8, b: 30 };
    const W = width - pad.l - pad.r;
    const H = height - pad.t - pad.b;
    const groups = Object.entries(spec.values);
    const all = groups.flatMap(([, v]) => v).filter((v) => v !== null && Number.isFinite(v) && (!spec.log || v > 0));
    const tf = (v) => (spec.log ? Math.log10(v) : v);
    // on a log axis, start half a decade or more below the smallest bar so that it shows
    let lo = spec.log ? Math.floor(Math.min(...all.map(tf), 0) - 0.5) : 0;
    let hi = all.length ? Math.max(...all.map(tf)) : 1;
    hi = spec.log ? Math.ceil(hi) : hi * 1.05;
    if (!(hi > lo)) hi = lo + 1;
    const sy = (v) => pad.t + H - ((tf(v) - lo) / (hi - lo)) * H;
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = color("muted");
    ctx.strokeStyle = color("border");
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    const decades = hi - lo;
    const every = spec.log ? Math.max(1, Math.ceil(decades / 6)) : 0;
    const ticks = spec.log
      ? Array.from({ length: Math.floor(decades / every) + 1 }, (_, i) => lo + i * every)
      : [0, hi / 2, hi].map((t) => t);
    for (const t of ticks) {
      const py = pad.t + H - ((t - lo) / (hi - lo)) * H;
      ctx.beginPath(); ctx.moveTo(pad.l, py); ctx.lineTo(pad.l + W, py); ctx.stroke();
      ctx.fillText(spec.log ? `1e${t}` : fmtShort(t), pad.l - 6, py);
    }
    if (yLabel) {
      ctx.save(); ctx.translate(10, pad.t + H / 2); ctx.rotate(-Math.PI / 2);
      ctx.textAlign = "center"; ctx.fillText(yLabel, 0, 0); ctx.restore();
    }
    const n = spec.labels.length;
    const slot = W / Math.max(n, 1);
    const bw = (slot * 0.8) / Math.max(groups.length, 1);
    groups.forEach(([, values], g) => {
      ctx.fillStyle = seriesColor(g);
      values.forEach((v, i) => {
        if (v === null || !Number.isFinite(v) || (spec.log && v <= 0)) return;
        const x = pad.l + i * slot + slot * 0.1 + g * bw;
        const y = Math.max(pad.t, sy(v));
        ctx.fillRect(x, y, Math.max(1, bw - 1), pad.t + H - y);
      });
    });
    ctx.fillStyle = color("muted");
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const step = Math.ceil(n / Math.max(1, Math.floor(W / 26)));
    spec.labels.forEach((label, i) => {
      if (i % step === 0) ctx.fillText(label, pad.l + (i + 0.5) * slot, pad.t + H + 4);
    });
    if (opts.xLabel) ctx.fillText(opts.xLabel, pad.l + W / 2, pad.t + H + 16);
  }

  const observer = new ResizeObserver(() => draw());
  observer.observe(root);
  return {
    el: root,
    update(next) {
      spec = next;
      if (!opts.title) title.textContent = next.title || "";
      draw();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
      const summary = Object.entries(next.values)
        .map(([name, v]) => `${name}: first ${fmtShort(v[0])}, last ${fmtShort(v[v.length - 1])}`).join("; ");
      canvas.setAttribute("aria-label", `${opts.title || next.title || "bars"}: ${summary}`);
    },
    destroy() { observer.disconnect(); root.remove(); },
  };
}
