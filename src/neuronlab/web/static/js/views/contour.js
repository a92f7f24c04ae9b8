// A loss surface as a shaded contour map with optimizer paths drawn on top.
//
// const map = contourMap(parent, {size, label, onPick(x, y)});
// map.setSurface(grid)                    decoded grid (row 0 at the top), values = log10 loss
// map.update({paths: [{name, points: [[x, y]], color, dash, marker}], start: [x, y], minimum})
// Tick labels (views/axes.js) frame the map. Click, or focus and use the arrow keys (Enter picks), to choose a start point: onPick(x, y).

import { plotAxes } from "./axes.js";

const LEVELS = 14;

function shade(t) {
  // light (low loss) to dark slate (high loss): one hue, readable under coloured paths
  const a = [250, 251, 253];
  const b = [150, 160, 178];
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** Marching squares: the segments where a (h, w) grid crosses `level`, in grid coordinates. */
function isoSegments(data, w, h, level) {
  const segs = [];
  const at = (i, j) => data[i * w + j];
  const lerp = (a, b) => (level - a) / (b - a);
  for (let i = 0; i < h - 1; i++) {
    for (let j = 0; j < w - 1; j++) {
      const v = [at(i, j), at(i, j + 1), at(i + 1, j + 1), at(i + 1, j)];
      const pts = [];
      const corners = [[i, j], [i, j + 1], [i + 1, j + 1], [i + 1, j]];
      for (let k = 0; k < 4; k++) {
        const a = v[k], b = v[(k + 1) % 4];
        if ((a < level) !== (b < level)) {
          const t = lerp(a, b);
          const [i0, j0] = corners[k], [i1, j1] = corners[(k + 1) % 4];
          pts.push([i0 + (i1 - i0) * t, j0 + (j1 - j0) * t]);
        }
      }
      if (pts.length >= 2) segs.push([pts[0], pts[1]]);
      if (pts.length === 4) segs.push([pts[2], pts[3]]);
    }
  }
  return segs;
}

export function contourMap(parent, opts = {}) {
  const { size = 420, label = "loss surface", onPick } = opts;
  const root = document.createElement("div");
  root.className = "view contour";
  root.dataset.updates = "0";
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("tabindex", "0");
  canvas.setAttribute("aria-label", label);
  canvas.style.cursor = "crosshair";
  canvas.style.width = "100%";
  canvas.style.maxWidth = `${size}px`;
  canvas.style.aspectRatio = "1 / 1";
  root.append(canvas);
  parent.append(root);
  const axes = plotAxes(canvas);
  const base = document.createElement("canvas"); // the shaded surface, drawn once per grid
  let grid = null;
  let last = { paths: [], start: null, minimum: null };
  let cursor = null; // keyboard-chosen start, before Enter

  const px = () => canvas.getBoundingClientRect().width || size;
  function toCanvas([x, y], S) {
    const [x0, x1, y0, y1] = grid.extent;
    return [((x - x0) / (x1 - x0)) * S, ((y1 - y) / (y1 - y0)) * S];
  }
  function toData(cx, cy, S) {
    const [x0, x1, y0, y1] = grid.extent;
    return [x0 + (cx / S) * (x1 - x0), y1 - (cy / S) * (y1 - y0)];
  }

  function renderBase() {
    const { w, h, data, lo, hi } = grid;
    base.width = w;
    base.height = h;
    const bctx = base.getContext("2d");
    const img = bctx.createImageData(w, h);
    for (let k = 0; k < w * h; k++) {
      const [r, g, b] = shade((data[k] - lo) / (hi - lo || 1));
      img.data.set([r, g, b, 255], k * 4);
    }
    bctx.putImageData(img, 0, 0);
  }

  function draw() {
    if (!grid) return;
    const dpr = window.devicePixelRatio || 1;
    const S = Math.round(px());
    canvas.width = S * dpr;
    canvas.height = S * dpr;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(base, 0, 0, S, S);
    const { w, h, data, lo, hi } = grid;
    ctx.strokeStyle = "rgba(29, 36, 48, 0.28)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let l = 1; l < LEVELS; l++) {
      const level = lo + ((hi - lo) * l) / LEVELS;
      for (const [[i0, j0], [i1, j1]] of isoSegments(data, w, h, level)) {
        ctx.moveTo(((j0 + 0.5) / w) * S, ((i0 + 0.5) / h) * S);
        ctx.lineTo(((j1 + 0.5) / w) * S, ((i1 + 0.5) / h) * S);
      }
    }
    ctx.stroke();
    if (last.minimum) {
      const [mx, my] = toCanvas(last.minimum, S);
      ctx.strokeStyle = "#1d2430";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(mx - 7, my); ctx.lineTo(mx + 7, my); ctx.moveTo(mx, my - 7); ctx.lineTo(mx, my + 7);
      ctx.stroke();
    }
    for (const p of last.paths) {
      if (!p.points.length) continue;
      ctx.strokeStyle = p.color;
      ctx.lineWidth = 2.5;
      ctx.setLineDash(p.dash || []);
      ctx.beginPath();
      p.points.forEach((pt, k) => {
        const [cx, cy] = toCanvas(pt, S);
        if (k === 0) ctx.moveTo(cx, cy); else ctx.lineTo(cx, cy);
      });
      ctx.stroke();
      ctx.setLineDash([]);
      const [cx, cy] = toCanvas(p.points[p.points.length - 1], S);
      ctx.fillStyle = p.color;
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      if (p.marker === "square") ctx.rect(cx - 5, cy - 5, 10, 10);
      else if (p.marker === "triangle") { ctx.moveTo(cx, cy - 7); ctx.lineTo(cx + 6, cy + 5); ctx.lineTo(cx - 6, cy + 5); ctx.closePath(); }
      else ctx.arc(cx, cy, 5.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    const start = cursor || last.start;
    if (start) {
      const [sx, sy] = toCanvas(start, S);
      ctx.strokeStyle = "#1d2430";
      ctx.lineWidth = 2;
      ctx.setLineDash(cursor ? [3, 2] : []);
      ctx.beginPath(); ctx.arc(sx, sy, 8, 0, 2 * Math.PI); ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  function pick(point) {
    const [x0, x1, y0, y1] = grid.extent;
    const clamp = (v, a, b) => Math.max(a, Math.min(b, v));
    const p = [clamp(point[0], x0, x1), clamp(point[1], y0, y1)].map((v) => Math.round(v * 100) / 100);
    cursor = null;
    if (onPick) onPick(p[0], p[1]);
  }

  canvas.addEventListener("click", (event) => {
    if (!grid) return;
    const rect = canvas.getBoundingClientRect();
    pick(toData(event.clientX - rect.left, event.clientY - rect.top, rect.width));
  });
  canvas.addEventListener("keydown", (event) => {
    if (!grid) return;
    const [x0, x1, y0, y1] = grid.extent;
    const step = (x1 - x0) / 40;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[event.key]) {
      event.preventDefault();
      const from = cursor || last.start || [(x0 + x1) / 2, (y0 + y1) / 2];
      cursor = [from[0] + moves[event.key][0], from[1] + moves[event.key][1]];
      canvas.setAttribute("aria-label", `${label}: start at (${cursor[0].toFixed(2)}, ${cursor[1].toFixed(2)}), press Enter to race from here`);
      draw();
    } else if (event.key === "Enter" && cursor) {
      event.preventDefault();
      pick(cursor);
    }
  });
  const observer = new ResizeObserver(() => draw());
  observer.observe(root);

  return {
    el: root,
    canvas,
    setSurface(g) {
      grid = g;
      axes.set(g.extent);
      cursor = null;
      renderBase();
      draw();
    },
    update({ paths = [], start = null, minimum = null, summary = "" } = {}) {
      last = { paths, start, minimum };
      draw();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
      if (summary) canvas.setAttribute("aria-label", `${label}: ${summary}`);
    },
    destroy() {
      observer.disconnect();
      root.remove();
    },
  };
}
