// Bar charts of counts over equal bins, several side by side on one axis, with an optional
// vertical marker (a clipping norm, a threshold).
//
//   const hist = histogram(parent, {title: "Gradient norms", xLabel: "norm"});
//   hist.update({lo: 0, hi: 4, sets: [{name: "before", counts: [...]}, ...], marker: {x: 1, label: "C"}});

import { color, seriesColor } from "../palette.js";

export function histogram(parent, opts = {}) {
  const { title = "", xLabel = "", height = 180 } = opts;
  const root = document.createElement("div");
  root.className = "view histogram";
  root.dataset.updates = "0";
  if (title) root.append(Object.assign(document.createElement("p"), { className: "view-title", textContent: title }));
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", title);
  root.append(canvas);
  parent.append(root);
  let last = null;

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
    if (!last || !last.sets.length) return;
    const pad = { l: 36, r: 10, t: 8, b: 32 };
    const W = width - pad.l - pad.r, H = height - pad.t - pad.b;
    const bins = last.sets[0].counts.length;
    const top = Math.max(1, ...last.sets.flatMap((s) => s.counts));
    const slot = W / bins, bar = slot / (last.sets.length + 0.5);
    ctx.font = "11px system-ui, sans-serif";
    last.sets.forEach((s, k) => {
      ctx.fillStyle = s.color || seriesColor(k);
      s.counts.forEach((c, i) => {
        const height = (c / top) * H;
        ctx.fillRect(pad.l + i * slot + k * bar + bar * 0.25, pad.t + H - height, bar, height);
      });
    });
    ctx.strokeStyle = color("text"); ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, pad.t + H); ctx.lineTo(pad.l + W, pad.t + H); ctx.stroke();
    ctx.fillStyle = color("muted"); ctx.textAlign = "center"; ctx.textBaseline = "top";
    const sx = (x) => pad.l + ((x - last.lo) / (last.hi - last.lo)) * W;
    for (let i = 0; i <= 4; i++) {
      const x = last.lo + ((last.hi - last.lo) * i) / 4;
      ctx.fillText(String(+x.toFixed(2)), sx(x), pad.t + H + 3);
    }
    ctx.fillText(xLabel, pad.l + W / 2, pad.t + H + 17);
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    ctx.fillText(String(top), pad.l - 4, pad.t + 4);
    if (last.marker) {
      ctx.setLineDash([4, 3]); ctx.strokeStyle = color("text");
      ctx.beginPath(); ctx.moveTo(sx(last.marker.x), pad.t); ctx.lineTo(sx(last.marker.x), pad.t + H); ctx.stroke();
      ctx.setLineDash([]); ctx.textAlign = "left"; ctx.fillStyle = color("text");
      ctx.fillText(last.marker.label || "", sx(last.marker.x) + 4, pad.t + 8);
    }
  }

  const observer = new ResizeObserver(() => draw());
  observer.observe(root);
  return {
    el: root,
    update(data) {
      last = data;
      draw();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
      canvas.setAttribute("aria-label", `${title}: ${data.sets.map((s) => `${s.name} ${s.counts.reduce((a, b) => a + b, 0)} values`).join(", ")}`);
    },
    destroy() { observer.disconnect(); root.remove(); },
  };
}
