// Decision map: a network's output painted over the plane, with the data points on top.
//
// Handles two classes and regression (one grid in [-1, 1], diverging colours), 3+ classes
// (one probability grid per class; the winning class's colour, paler where the network
// hesitates), a "discretize" mode, hidden or shown test points, and clicks that report the
// clicked point in data units. Classes differ by marker shape as well as colour; training points
// are filled, validation points hollow, test points smaller with a dark outline. `axes: true`
// puts tick labels (data units) on the left and below.
//
//   const map = decisionMap(parent, {size: 360, label: "Decision boundary", onClick(x1, x2) {}});
//   map.update({grid, probs, points, showTest, discretize, problem, classes});

import { color, diverging, seriesColor } from "../palette.js";
import { plotAxes } from "./axes.js";

const SHAPES = ["square", "disc", "triangle", "diamond", "cross", "hexagon"];

function hexToRgb(hex) {
  const h = hex.trim().replace("#", "");
  const n = parseInt(h.length === 3 ? h.replace(/./g, "$&$&") : h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// Class k's colour: orange, blue (as with two classes), then green, pink, sky blue, vermilion.
const CLASS_ORDER = [1, 0, 2, 3, 4, 5];

export function classColor(k, classes) {
  if (classes <= 2) return color(k === 1 ? "--c-pos" : "--c-neg");
  return seriesColor(CLASS_ORDER[k % CLASS_ORDER.length]);
}

function classRgb(k, classes) {
  return hexToRgb(classColor(k, classes));
}

function mixWhite(rgb, keep) {
  return rgb.map((c) => Math.round(255 - (255 - c) * keep));
}

export function shapeOf(label, classes) {
  if (classes <= 2) return label === 1 ? "disc" : "square";
  return SHAPES[label % SHAPES.length];
}

// One marker; hollow: white inside, `fill` as its outline (validation points).
function drawMarker(ctx, x, y, r, shape, fill, hollow = false) {
  ctx.beginPath();
  if (shape === "square") ctx.rect(x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r);
  else if (shape === "hexagon") {
    for (let k = 0; k < 6; k++) {
      const a = (Math.PI / 3) * k;
      ctx[k ? "lineTo" : "moveTo"](x + r * 1.1 * Math.cos(a), y + r * 1.1 * Math.sin(a));
    }
    ctx.closePath();
  }
  else if (shape === "triangle") {
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r * 1.1, y + r * 0.8);
    ctx.lineTo(x - r * 1.1, y + r * 0.8);
    ctx.closePath();
  } else if (shape === "diamond") {
    ctx.moveTo(x, y - r * 1.3);
    ctx.lineTo(x + r * 1.1, y);
    ctx.lineTo(x, y + r * 1.3);
    ctx.lineTo(x - r * 1.1, y);
    ctx.closePath();
  } else if (shape === "cross") {
    ctx.rect(x - r, y - r / 3, 2 * r, (2 * r) / 3);
    ctx.rect(x - r / 3, y - r, (2 * r) / 3, 2 * r);
  } else ctx.arc(x, y, r, 0, 2 * Math.PI);
  if (hollow) {
    ctx.fillStyle = "#fff";
    ctx.fill();
    ctx.lineWidth = 2.2;
    ctx.strokeStyle = fill;
    ctx.stroke();
    return;
  }
  ctx.fillStyle = fill;
  ctx.fill();
}

export function decisionMap(parent, opts = {}) {
  const size = opts.size || 360;
  const root = document.createElement("div");
  root.className = "decision-map";
  root.dataset.updates = "0";
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", opts.label || "Decision map");
  canvas.style.width = "100%";
  canvas.style.maxWidth = `${size}px`;
  canvas.style.aspectRatio = "1 / 1";
  canvas.style.display = "block";
  root.appendChild(canvas);
  parent.appendChild(root);
  const off = document.createElement("canvas");
  let extent = [-6, 6, -6, 6];
  const axes = opts.axes ? plotAxes(canvas) : null;
  if (axes) axes.set(extent);
  let last = null;

  function toPixel(x1, x2, px) {
    const [x0, xa, y0, ya] = extent;
    return [((x1 - x0) / (xa - x0)) * px, ((ya - x2) / (ya - y0)) * px];
  }

  function paintGrid(d) {
    const g = d.probs ? d.probs[0] : d.grid;
    if (!g) return null;
    off.width = g.w;
    off.height = g.h;
    const octx = off.getContext("2d");
    const img = octx.createImageData(g.w, g.h);
    const n = g.w * g.h;
    const K = d.probs ? d.probs.length : 0;
    for (let i = 0; i < n; i++) {
      let rgb;
      if (K) {
        let best = 0;
        for (let k = 1; k < K; k++) if (d.probs[k].data[i] > d.probs[best].data[i]) best = k;
        const p = d.probs[best].data[i];
        const sure = d.discretize ? 1 : Math.max(0, (p - 1 / K) / (1 - 1 / K));
        rgb = mixWhite(classRgb(best, K), 0.15 + 0.55 * sure);
      } else {
        let t = d.grid.data[i];
        if (d.discretize && d.problem !== "regression") t = t >= 0 ? 1 : -1;
        rgb = mixWhite(diverging(Math.max(-1, Math.min(1, t))), 0.62);
      }
      img.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * i);
    }
    octx.putImageData(img, 0, 0);
    extent = g.extent || extent;
    if (axes) axes.set(extent);
    return off;
  }

  function drawPoints(ctx, d, px) {
    const pts = d.points;
    if (!pts || !pts.x) return;
    const classes = d.classes || 2;
    const val = d.val || pts.val || null;
    const r = Math.max(3, px / 110);
    for (let i = 0; i < pts.x.length; i++) {
      const isTest = pts.test ? pts.test[i] : false;
      const isVal = !isTest && val ? Boolean(val[i]) : false;
      if (isTest && !d.showTest) continue;
      const [x, y] = toPixel(pts.x[i][0], pts.x[i][1], px);
      const label = pts.y[i];
      const regression = d.problem === "regression";
      const rgb = regression ? diverging(Math.max(-1, Math.min(1, label))) : classRgb(Math.round(label), classes);
      const shape = regression ? "disc" : shapeOf(Math.round(label), classes);
      drawMarker(ctx, x, y, isTest ? r * 0.75 : r, shape, `rgb(${rgb.join(",")})`, isVal);
      if (isVal) continue;
      ctx.lineWidth = isTest ? 1.6 : 0.8;
      ctx.strokeStyle = isTest ? "#222" : "rgba(255,255,255,0.9)";
      ctx.stroke();
    }
  }

  function draw(d) {
    const px = Math.round((canvas.clientWidth || size) * (window.devicePixelRatio || 1));
    if (canvas.width !== px) {
      canvas.width = px;
      canvas.height = px;
    }
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, px, px);
    const bg = paintGrid(d);
    if (bg) {
      ctx.imageSmoothingEnabled = !d.discretize;
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(bg, 0, 0, px, px);
    } else {
      ctx.fillStyle = "#f6f6f6";
      ctx.fillRect(0, 0, px, px);
    }
    ctx.strokeStyle = "rgba(0,0,0,0.18)";
    ctx.lineWidth = 1;
    const [cx, cy] = toPixel(0, 0, px);
    ctx.beginPath();
    ctx.moveTo(cx, 0);
    ctx.lineTo(cx, px);
    ctx.moveTo(0, cy);
    ctx.lineTo(px, cy);
    ctx.stroke();
    drawPoints(ctx, d, px);
  }

  function onClick(ev) {
    if (!opts.onClick) return;
    const rect = canvas.getBoundingClientRect();
    const [x0, xa, y0, ya] = extent;
    const x1 = x0 + ((ev.clientX - rect.left) / rect.width) * (xa - x0);
    const x2 = ya - ((ev.clientY - rect.top) / rect.height) * (ya - y0);
    opts.onClick(x1, x2);
  }
  canvas.addEventListener("click", onClick);
  const resize = new ResizeObserver(() => last && draw(last));
  resize.observe(canvas);

  return {
    el: root,
    canvas,
    update(d) {
      last = { ...last, ...d };
      draw(last);
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
    setLabel(text) {
      canvas.setAttribute("aria-label", text);
    },
    destroy() {
      resize.disconnect();
      canvas.removeEventListener("click", onClick);
      root.remove();
    },
  };
}
