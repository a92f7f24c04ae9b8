// A line chart on a canvas: several named series, axes with ticks, vertical markers.

import { fmtTick } from "../dom.js";
import { color, seriesColor } from "../palette.js";

function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toFixed(10));
  return ticks;
}

/** Ticks of a log axis, as log10 values: 1, 2, 5 x 10^k inside [lo, hi] (log10 units), only the
 * powers of ten when those are too many, every other power when even those crowd; round linear
 * values when the range is too short to hold two of them. */
export function logTicks(lo, hi, count = 5) {
  const all = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    for (const m of [1, 2, 5]) {
      const t = k + Math.log10(m);
      if (t >= lo - 1e-9 && t <= hi + 1e-9) all.push({ t, m });
    }
  }
  if (all.length < 2) {
    // less than a decade: round values on a linear scale, placed on the log axis
    return niceTicks(10 ** lo, 10 ** hi, count).filter((v) => v > 0).map((v) => Math.log10(v));
  }
  if (all.length <= count + 1) return all.map((x) => x.t);
  let decades = all.filter((x) => x.m === 1).map((x) => x.t);
  while (decades.length > count + 1) decades = decades.filter((_, i) => i % 2 === 0);
  return decades.length >= 2 ? decades : niceTicks(lo, hi, count);
}

/** Normalise a frames.series object or a list of {name, x, y} into a list of series. */
function toList(series) {
  if (!series) return [];
  if (Array.isArray(series)) return series;
  if (series.kind === "series") {
    return Object.entries(series.ys).map(([name, y]) => ({ name, x: series.x, y }));
  }
  return [];
}

export function lineChart(parent, opts = {}) {
  const { title, xLabel = "", yLabel = "", height = 200, logY = false } = opts;
  const root = document.createElement("div");
  root.className = "view linechart";
  root.dataset.updates = "0";
  if (title) {
    const h = document.createElement("p");
    h.className = "view-title";
    h.textContent = title;
    root.append(h);
  }
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", title || "line chart");
  root.append(canvas);
  parent.append(root);
  let last = { series: [], markers: [] };

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(200, root.clientWidth || 320);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const pad = { l: 48, r: 18, t: 8, b: xLabel ? 34 : 22 };
    const W = width - pad.l - pad.r;
    const H = height - pad.t - pad.b;
    const list = last.series;
    const tf = (v) => (logY ? Math.log10(Math.max(v, 1e-12)) : v);
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const s of list) {
      for (let i = 0; i < s.y.length; i++) {
        const y = s.y[i];
        if (y === null || !Number.isFinite(y)) continue;
        x0 = Math.min(x0, s.x[i]); x1 = Math.max(x1, s.x[i]);
        y0 = Math.min(y0, tf(y)); y1 = Math.max(y1, tf(y));
      }
    }
    if (opts.yMin !== undefined) y0 = tf(opts.yMin);
    if (opts.yMax !== undefined) y1 = tf(opts.yMax);
    if (!Number.isFinite(x0)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
    const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * W;
    const sy = (y) => pad.t + H - ((tf(y) - y0) / (y1 - y0)) * H;
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = color("muted");
    ctx.strokeStyle = color("border");
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of logY ? logTicks(y0, y1, 4) : niceTicks(y0, y1, 4)) {
      const py = pad.t + H - ((t - y0) / (y1 - y0)) * H;
      ctx.beginPath(); ctx.moveTo(pad.l, py); ctx.lineTo(pad.l + W, py); ctx.stroke();
      ctx.fillText(fmtTick(logY ? 10 ** t : t), pad.l - 6, py);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of niceTicks(x0, x1, 5)) ctx.fillText(fmtTick(t), sx(t), pad.t + H + 4);
    if (xLabel) ctx.fillText(xLabel, pad.l + W / 2, pad.t + H + 18);
    if (yLabel) {
      ctx.save(); ctx.translate(10, pad.t + H / 2); ctx.rotate(-Math.PI / 2);
      ctx.fillText(yLabel, 0, -6); ctx.restore();
    }
    ctx.strokeStyle = color("text");
    ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, pad.t + H); ctx.lineTo(pad.l + W, pad.t + H); ctx.stroke();
    list.forEach((s, k) => {
      ctx.strokeStyle = s.color || seriesColor(k);
      ctx.lineWidth = 2;
      ctx.setLineDash(s.dashed ? [6, 4] : []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < s.y.length; i++) {
        const y = s.y[i];
        if (y === null || !Number.isFinite(y)) { pen = false; continue; }
        const px = sx(s.x[i]);
        const py = Math.max(pad.t, Math.min(pad.t + H, sy(y)));
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    });
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = color("text");
    ctx.lineWidth = 1;
    for (const m of last.markers || []) {
      const px = sx(m.x);
      ctx.beginPath(); ctx.moveTo(px, pad.t); ctx.lineTo(px, pad.t + H); ctx.stroke();
      if (m.label) { ctx.textAlign = "left"; ctx.fillStyle = color("text"); ctx.fillText(m.label, px + 4, pad.t + 2); }
    }
    ctx.setLineDash([]);
  }

  const observer = new ResizeObserver(() => draw());
  observer.observe(root);

  return {
    el: root,
    update(series, { markers = [] } = {}) {
      last = { series: toList(series), markers };
      draw();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
      const summary = last.series
        .map((s) => `${s.name} ${s.y.length ? fmtTick(s.y[s.y.length - 1] ?? NaN) : "none"}`)
        .join(", ");
      canvas.setAttribute("aria-label", `${title || "line chart"}: ${summary}`);
    },
    destroy() {
      observer.disconnect();
      root.remove();
    },
  };
}
