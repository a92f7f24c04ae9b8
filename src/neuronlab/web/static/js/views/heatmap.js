// A heat map on a canvas: a decoded grid in the diverging palette, with points and a line on top.

import { color, divergingTable, rgb, seriesColor } from "../palette.js";

let lut = null;

/** Paint a decoded grid into an offscreen canvas of w x h pixels (one pixel per cell). */
export function gridImage(grid, cache) {
  lut = lut || divergingTable();
  const off = cache && cache.width === grid.w && cache.height === grid.h ? cache : document.createElement("canvas");
  off.width = grid.w;
  off.height = grid.h;
  const octx = off.getContext("2d");
  const img = octx.createImageData(grid.w, grid.h);
  const span = grid.hi - grid.lo || 1;
  for (let i = 0; i < grid.data.length; i++) {
    const level = Math.max(0, Math.min(255, Math.round(((grid.data[i] - grid.lo) / span) * 255)));
    img.data[i * 4] = lut[level * 3];
    img.data[i * 4 + 1] = lut[level * 3 + 1];
    img.data[i * 4 + 2] = lut[level * 3 + 2];
    img.data[i * 4 + 3] = 255;
  }
  octx.putImageData(img, 0, 0);
  return off;
}

function pointStyle(label, classes) {
  if (classes) {
    if (classes <= 2) return label >= 1 ? color("pos") : color("neg");
    return seriesColor(label);
  }
  const [n, m, p] = [rgb(color("neg")), rgb(color("mid")), rgb(color("pos"))];
  const t = Math.max(-1, Math.min(1, label));
  const [a, b, s] = t < 0 ? [m, n, -t] : [m, p, t];
  return `rgb(${[0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s)).join(",")})`;
}

export function heatMap(parent, opts = {}) {
  const { size = 320, label = "heat map", showAxes = true } = opts;
  const root = document.createElement("div");
  root.className = "view heatmap";
  root.dataset.updates = "0";
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  root.append(canvas);
  parent.append(root);
  const off = document.createElement("canvas");
  let last = {};
  let extent = opts.extent || [-6, 6, -6, 6];

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const px = Math.min(size, Math.max(120, root.clientWidth || size));
    const pad = showAxes ? 18 : 0;
    canvas.style.width = `${px}px`;
    canvas.style.height = `${px}px`;
    canvas.width = Math.round(px * dpr);
    canvas.height = Math.round(px * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, px, px);
    const S = px - pad;
    const [x0, x1, y0, y1] = extent;
    const sx = (x) => pad + ((x - x0) / (x1 - x0)) * S;
    const sy = (y) => ((y1 - y) / (y1 - y0)) * S;
    if (last.grid) {
      ctx.imageSmoothingEnabled = true;
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(pad, 0, S, S);
      ctx.globalAlpha = opts.opacity ?? 0.72;  // a lighter background keeps the points visible
      ctx.drawImage(gridImage(last.grid, off), pad, 0, S, S);
      ctx.globalAlpha = 1;
    } else {
      ctx.fillStyle = color("mid");
      ctx.fillRect(pad, 0, S, S);
    }
    const pts = last.points;
    if (pts && pts.x) {
      const ys = pts.y || [];
      const isClass = ys.every((v) => Number.isInteger(v));
      const classes = isClass ? Math.max(2, ...ys.map((v) => v + 1)) : 0;
      for (let i = 0; i < pts.x.length; i++) {
        const [a, b] = pts.x[i];
        const test = pts.test && pts.test[i];
        const r = test ? 2.8 : 3.8;
        const fill = pointStyle(ys[i], classes);
        const x = sx(a), y = sy(b);
        ctx.beginPath();
        if (isClass && classes <= 2 && ys[i] < 1) {
          ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);  // class 0: a square
        } else {
          ctx.arc(x, y, r, 0, 2 * Math.PI);  // class 1 (and multiclass, regression): a disc
        }
        ctx.fillStyle = fill;
        ctx.fill();
        ctx.lineWidth = test ? 1.6 : 1;
        ctx.strokeStyle = test ? "#111111" : "#ffffff";
        ctx.stroke();
      }
    }
    if (last.line) {
      const [[a, b], [c, d]] = last.line;
      ctx.save();
      ctx.beginPath(); ctx.rect(pad, 0, S, S); ctx.clip();
      ctx.lineWidth = 2.5; ctx.strokeStyle = "#1d2430";
      ctx.beginPath(); ctx.moveTo(sx(a), sy(b)); ctx.lineTo(sx(c), sy(d)); ctx.stroke();
      ctx.restore();
    }
    ctx.strokeStyle = color("border");
    ctx.lineWidth = 1;
    ctx.strokeRect(pad + 0.5, 0.5, S - 1, S - 1);
    if (showAxes) {
      ctx.fillStyle = color("muted");
      ctx.font = "10px system-ui, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ctx.fillText(String(x0), pad + 8, S + 4); ctx.fillText(String(x1), px - 8, S + 4);
      ctx.fillText("x₁", pad + S / 2, S + 4);
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      ctx.fillText(String(y1), pad - 3, 8); ctx.fillText(String(y0), pad - 3, S - 8);
      ctx.fillText("x₂", pad - 3, S / 2);
    }
  }

  const observer = new ResizeObserver(() => draw());
  observer.observe(root);
  draw();

  return {
    el: root,
    canvas,
    /** grid: decoded grid; points: {x: [[x1, x2]], y: [], test?: []}; line: [[x, y], [x, y]]. */
    update({ grid, points, line, description } = {}) {
      if (grid) extent = grid.extent || extent;
      last = { grid: grid || last.grid, points: points || last.points, line: line === undefined ? last.line : line };
      draw();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
      if (description) canvas.setAttribute("aria-label", `${label}: ${description}`);
    },
    destroy() {
      observer.disconnect();
      root.remove();
    },
  };
}
