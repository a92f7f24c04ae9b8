// Rows of small pictures (a frames.images result): filters, feature maps, attention maps.
// Grids with lo >= 0 are drawn in grey levels, grids with lo < 0 in the diverging palette.

import { h } from "../dom.js";
import { gridImage } from "./heatmap.js";

/** Paint a decoded grid in grey levels (lo black, hi white) into a canvas of w x h pixels. */
export function greyImage(grid, canvas = document.createElement("canvas")) {
  canvas.width = grid.w;
  canvas.height = grid.h;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(grid.w, grid.h);
  const span = grid.hi - grid.lo || 1;
  for (let i = 0; i < grid.data.length; i++) {
    const v = Math.round(Math.max(0, Math.min(1, (grid.data[i] - grid.lo) / span)) * 255);
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

/** A canvas showing one grid, `size` CSS pixels wide, pixels kept sharp. */
export function picture(grid, { size = 48, label = "" } = {}) {
  const canvas = grid.lo >= 0 ? greyImage(grid) : gridImage(grid);
  canvas.className = "picture";
  canvas.style.width = `${size}px`;
  canvas.style.height = `${Math.round((size * grid.h) / grid.w)}px`;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label || `${grid.w} by ${grid.h} picture`);
  return canvas;
}

/** imageRows(parent, {title, size}) -> {el, update(spec)}; one labelled row per spec row. */
export function imageRows(parent, opts = {}) {
  const { size = 48 } = opts;
  const root = h("div", { class: "view image-rows" });
  root.dataset.updates = "0";
  const title = h("p", { class: "view-title" }, opts.title || "");
  const body = h("div", { class: "image-rows-body" });
  root.append(title, body);
  parent.append(root);
  return {
    el: root,
    update(spec) {
      if (!opts.title) title.textContent = spec.title || "";
      const rows = spec.rows.map((row) => {
        const rowSize = typeof size === "function" ? size(row) : size;
        return h("div", { class: "image-row" },
          h("span", { class: "image-row-label" }, row.label),
          h("div", { class: "image-row-pictures" },
            row.grids.map((g, i) => picture(g, { size: rowSize, label: `${row.label}, picture ${i + 1}` }))));
      });
      body.replaceChildren(...rows);
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
    destroy() { root.remove(); },
  };
}
