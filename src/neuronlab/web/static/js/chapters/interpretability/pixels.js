// 28x28 images and attribution maps on canvases. Images are grey (0 black, 1 white); maps use
// the lab's diverging palette (Okabe-Ito orange, white, blue: safe for colour-blind readers),
// drawn over a faint copy of the image so that the reader sees where the evidence lies.

import { divergingTable } from "../../palette.js";
import { h } from "../../dom.js";

let lut = null;

function paint(ctx, grid, colorOf, alpha = 255) {
  const img = ctx.createImageData(grid.w, grid.h);
  for (let i = 0; i < grid.data.length; i++) {
    const [r, g, b] = colorOf(grid.data[i], i);
    img.data.set([r, g, b, alpha], i * 4);
  }
  return img;
}

const grey = (v) => {
  const c = Math.round(255 * Math.max(0, Math.min(1, v)));
  return [c, c, c];
};

function divergingColor(v) {
  lut = lut || divergingTable();
  const level = Math.max(0, Math.min(255, Math.round(((v + 1) / 2) * 255)));
  return [lut[level * 3], lut[level * 3 + 1], lut[level * 3 + 2]];
}

/** A canvas of `size` CSS pixels showing a grey image, or a map over a faint image. */
export function pixelCanvas(parent, { size = 112, label = "image", testid } = {}) {
  const canvas = h("canvas", { role: "img", "aria-label": label, class: "px-canvas",
    "data-testid": testid, width: 28, height: 28 });
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  canvas.dataset.updates = "0";
  parent.append(canvas);
  const ctx = canvas.getContext("2d");
  return {
    el: canvas,
    image(grid) {
      ctx.putImageData(paint(ctx, grid, grey), 0, 0);
      canvas.dataset.updates = String(Number(canvas.dataset.updates) + 1);
    },
    map(grid, under = null) {
      // darken the map where the garment is, so that its outline shows through
      const faint = under ? under.data : null;
      const shade = (v, i) => {
        const k = faint ? 1 - 0.35 * Math.max(0, Math.min(1, faint[i])) : 1;
        return divergingColor(v).map((c) => Math.round(c * k));
      };
      ctx.putImageData(paint(ctx, grid, shade), 0, 0);
      canvas.dataset.updates = String(Number(canvas.dataset.updates) + 1);
    },
  };
}

/** The colour key of the maps. */
export function mapKey(parent) {
  const bar = h("div", { class: "px-key", "aria-label": "colour key: orange against the class, white none, blue for it" },
    h("span", {}, "against"), h("span", { class: "px-key-bar", "aria-hidden": "true" }), h("span", {}, "for the class"));
  parent.append(bar);
  return bar;
}
