// A scatter plot of predicted (x) against true (y) values with the line y = x; some points can
// be dragged up and down (pointer events). The chapter also offers a slider per draggable point,
// so nothing depends on the mouse.
//
//   const plot = dragScatter(parent, {title, xLabel, yLabel, onDrag(index, y) {}, onDrop(index, y) {}});
//   plot.update({x: [...], y: [...], movable: [0, 1], range: [lo, hi]});

import { color } from "../palette.js";

export function dragScatter(parent, opts = {}) {
  const { title = "", xLabel = "", yLabel = "", height = 300 } = opts;
  const root = document.createElement("div");
  root.className = "view drag-scatter";
  root.dataset.updates = "0";
  if (title) root.append(Object.assign(document.createElement("p"), { className: "view-title", textContent: title }));
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", title);
  canvas.style.touchAction = "none";
  root.append(canvas);
  parent.append(root);
  let last = null, geom = null, dragging = -1;

  function draw() {
    if (!last) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(220, root.clientWidth || 360);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const pad = { l: 46, r: 10, t: 8, b: 34 };
    const W = width - pad.l - pad.r, H = height - pad.t - pad.b;
    const [lo, hi] = last.range;
    const sx = (v) => pad.l + ((v - lo) / (hi - lo)) * W;
    const sy = (v) => pad.t + H - ((v - lo) / (hi - lo)) * H;
    geom = { pad, W, H, lo, hi, sx, sy };
    ctx.font = "11px system-ui, sans-serif";
    ctx.strokeStyle = color("border"); ctx.fillStyle = color("muted");
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * i) / 4;
      ctx.beginPath(); ctx.moveTo(pad.l, sy(v)); ctx.lineTo(pad.l + W, sy(v)); ctx.stroke();
      ctx.fillText(String(Math.round(v)), pad.l - 4, sy(v));
    }
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    for (let i = 0; i <= 4; i++) { const v = lo + ((hi - lo) * i) / 4; ctx.fillText(String(Math.round(v)), sx(v), pad.t + H + 3); }
    ctx.fillText(xLabel, pad.l + W / 2, pad.t + H + 17);
    ctx.save(); ctx.translate(10, pad.t + H / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(yLabel, 0, -2); ctx.restore();
    ctx.setLineDash([5, 4]); ctx.strokeStyle = color("muted");
    ctx.beginPath(); ctx.moveTo(sx(lo), sy(lo)); ctx.lineTo(sx(hi), sy(hi)); ctx.stroke(); ctx.setLineDash([]);
    const movable = new Set(last.movable || []);
    last.x.forEach((x, i) => {
      if (movable.has(i)) return;
      ctx.fillStyle = color("pos"); ctx.globalAlpha = 0.55;
      ctx.beginPath(); ctx.arc(sx(x), sy(last.y[i]), 3, 0, 2 * Math.PI); ctx.fill();
    });
    ctx.globalAlpha = 1;
    for (const i of movable) {
      const px = sx(last.x[i]), py = Math.max(pad.t, Math.min(pad.t + H, sy(last.y[i])));
      ctx.strokeStyle = color("s6"); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(px, sy(last.x[i])); ctx.lineTo(px, py); ctx.stroke();
      ctx.fillStyle = color("s6"); ctx.strokeStyle = color("text");
      ctx.fillRect(px - 6, py - 6, 12, 12); ctx.strokeRect(px - 6, py - 6, 12, 12);
    }
  }

  function toValue(event) {
    const r = canvas.getBoundingClientRect();
    const py = event.clientY - r.top;
    const { pad, H, lo, hi } = geom;
    return lo + ((pad.t + H - py) / H) * (hi - lo);
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (!geom || !last) return;
    const r = canvas.getBoundingClientRect();
    const px = event.clientX - r.left, py = event.clientY - r.top;
    let best = -1, bestD = 14;
    for (const i of last.movable || []) {
      const d = Math.hypot(geom.sx(last.x[i]) - px, geom.sy(last.y[i]) - py);
      if (d < bestD) { best = i; bestD = d; }
    }
    if (best >= 0) { dragging = best; canvas.setPointerCapture(event.pointerId); }
  });
  canvas.addEventListener("pointermove", (event) => {
    if (dragging < 0) return;
    const v = Math.max(geom.lo, Math.min(geom.hi, toValue(event)));
    last.y[dragging] = v;
    draw();
    if (opts.onDrag) opts.onDrag(dragging, v);
  });
  const drop = (event) => {
    if (dragging < 0) return;
    const i = dragging;
    dragging = -1;
    if (opts.onDrop) opts.onDrop(i, Math.max(geom.lo, Math.min(geom.hi, toValue(event))));
  };
  canvas.addEventListener("pointerup", drop);
  canvas.addEventListener("pointercancel", drop);

  const observer = new ResizeObserver(() => draw());
  observer.observe(root);
  return {
    el: root,
    canvas,
    /** Where point i is drawn, in CSS pixels relative to the canvas (for tests and focus). */
    position(i) { return geom ? { x: geom.sx(last.x[i]), y: geom.sy(last.y[i]) } : null; },
    update(data) {
      last = { ...data, y: [...data.y] };
      draw();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
    destroy() { observer.disconnect(); root.remove(); },
  };
}
