// Legends for line charts and heat maps, and a colour bar for the diverging palette.

import { diverging } from "../palette.js";

/** items: [{label, color, shape: "line" | "dot" | "ring" | "square", dashed}] */
export function legend(parent, items) {
  const root = document.createElement("div");
  root.className = "legend";
  for (const item of items) {
    const span = document.createElement("span");
    span.className = "legend-item";
    const sw = document.createElement("span");
    sw.className = "legend-swatch";
    sw.setAttribute("aria-hidden", "true");
    const shape = item.shape || "line";
    if (shape === "line") {
      sw.style.height = "0";
      sw.style.borderTop = `3px ${item.dashed ? "dashed" : "solid"} ${item.color}`;
    } else {
      sw.style.width = "0.8rem";
      if (shape === "ring") sw.style.border = `2px solid ${item.color}`;
      else sw.style.background = item.color;
      if (shape === "dot" || shape === "ring") sw.style.borderRadius = "50%";
    }
    span.append(sw, document.createTextNode(item.label));
    root.append(span);
  }
  parent.append(root);
  return { el: root, destroy: () => root.remove() };
}

/** A horizontal bar of the diverging palette from lo to hi. */
export function colorBar(parent, { lo = -1, hi = 1, label = "" } = {}) {
  const root = document.createElement("div");
  root.className = "colorbar";
  const canvas = document.createElement("canvas");
  canvas.width = 128;
  canvas.height = 8;
  canvas.setAttribute("aria-hidden", "true");
  const ctx = canvas.getContext("2d");
  for (let i = 0; i < 128; i++) {
    const [r, g, b] = diverging((i / 127) * 2 - 1);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(i, 0, 1, 8);
  }
  const a = document.createElement("span");
  a.textContent = String(lo);
  const b = document.createElement("span");
  b.textContent = String(hi);
  root.append(a, canvas, b);
  if (label) {
    const l = document.createElement("span");
    l.textContent = label;
    root.append(l);
  }
  root.setAttribute("aria-label", `${label || "colour scale"} from ${lo} (orange) to ${hi} (blue)`);
  parent.append(root);
  return { el: root, destroy: () => root.remove() };
}
