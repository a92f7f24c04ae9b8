// A curve in the unit square (ROC, precision-recall) with one highlighted point that a slider
// moves along it; an optional dashed reference line.
//
//   const roc = unitCurve(parent, {title: "ROC", xLabel: "false positive rate", yLabel: "recall"});
//   roc.update({curves: [{name: "model", x, y}], point: {x: 0.1, y: 0.7, label: "t = 0.50"},
//               reference: [[0, 0], [1, 1]]});

import { color, seriesColor } from "../palette.js";

export function unitCurve(parent, opts = {}) {
  const { title = "", xLabel = "", yLabel = "", size = 260 } = opts;
  const root = document.createElement("div");
  root.className = "view unit-curve";
  root.dataset.updates = "0";
  if (title) root.append(Object.assign(document.createElement("p"), { className: "view-title", textContent: title }));
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", title);
  root.append(canvas);
  parent.append(root);
  let last = { curves: [] };

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.min(size, Math.max(180, root.clientWidth || size));
    const height = width;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const pad = { l: 40, r: 10, t: 8, b: 34 };
    const W = width - pad.l - pad.r, H = height - pad.t - pad.b;
    const sx = (x) => pad.l + x * W, sy = (y) => pad.t + H - y * H;
    ctx.clearRect(0, 0, width, height);
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = color("muted");
    ctx.strokeStyle = color("border");
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      ctx.beginPath(); ctx.moveTo(sx(0), sy(t)); ctx.lineTo(sx(1), sy(t)); ctx.stroke();
      ctx.fillText(String(t), pad.l - 5, sy(t));
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of [0, 0.5, 1]) ctx.fillText(String(t), sx(t), pad.t + H + 3);
    ctx.fillText(xLabel, pad.l + W / 2, pad.t + H + 17);
    ctx.save(); ctx.translate(9, pad.t + H / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(yLabel, 0, -4); ctx.restore();
    if (last.reference) {
      ctx.setLineDash([4, 4]); ctx.strokeStyle = color("muted"); ctx.lineWidth = 1;
      ctx.beginPath();
      last.reference.forEach(([x, y], i) => (i ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
      ctx.stroke(); ctx.setLineDash([]);
    }
    last.curves.forEach((c, k) => {
      ctx.strokeStyle = c.color || seriesColor(k); ctx.lineWidth = 2;
      ctx.beginPath();
      c.x.forEach((x, i) => (i ? ctx.lineTo(sx(x), sy(c.y[i])) : ctx.moveTo(sx(x), sy(c.y[i]))));
      ctx.stroke();
    });
    const p = last.point;
    if (p) {
      ctx.fillStyle = color("s6"); ctx.strokeStyle = "#fff"; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.arc(sx(p.x), sy(p.y), 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      if (p.label) {
        ctx.fillStyle = color("text"); ctx.textAlign = p.x > 0.6 ? "right" : "left"; ctx.textBaseline = "bottom";
        ctx.fillText(p.label, sx(p.x) + (p.x > 0.6 ? -9 : 9), sy(p.y) - 4);
      }
    }
  }

  const observer = new ResizeObserver(() => draw());
  observer.observe(root);
  return {
    el: root,
    update(data) {
      last = { ...last, ...data };
      draw();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
      if (last.point) canvas.setAttribute("aria-label", `${title}: point at ${last.point.x.toFixed(3)}, ${last.point.y.toFixed(3)}`);
    },
    destroy() { observer.disconnect(); root.remove(); },
  };
}
