// A network drawn as layers of nodes joined by weight-coloured links (blue +, orange -, width
// by |w|), with optional per-neuron heat-map thumbnails inside the nodes.

import { color } from "../palette.js";
import { gridImage } from "./heatmap.js";

const SVG = "http://www.w3.org/2000/svg";

export function networkGraph(parent, opts = {}) {
  const { layers = [2, 1], inputLabels = [], thumbnails = false, onNodeClick } = opts;
  const W = opts.width || 560;
  const H = opts.height || Math.max(160, 44 * Math.max(...layers) + 30);
  const node = thumbnails ? 34 : 22;
  const root = document.createElement("div");
  root.className = "view network";
  root.dataset.updates = "0";
  root.style.position = "relative";
  root.style.aspectRatio = `${W} / ${H}`;
  root.style.maxWidth = `${W}px`;
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", opts.label || `network with layers ${layers.join("-")}`);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("preserveAspectRatio", "none");
  Object.assign(svg.style, { position: "absolute", inset: "0", width: "100%", height: "100%" });
  root.append(svg);
  parent.append(root);

  const pos = layers.map((n, l) => {
    const x = 40 + (l * (W - 80)) / Math.max(1, layers.length - 1);
    return Array.from({ length: n }, (_, i) => [x, H / 2 + (i - (n - 1) / 2) * (node + 12)]);
  });

  const links = [];
  for (let l = 1; l < layers.length; l++) {
    links[l - 1] = pos[l].map(([x2, y2]) =>
      pos[l - 1].map(([x1, y1]) => {
        const line = document.createElementNS(SVG, "line");
        line.setAttribute("x1", x1); line.setAttribute("y1", y1);
        line.setAttribute("x2", x2); line.setAttribute("y2", y2);
        line.setAttribute("stroke", color("border"));
        line.setAttribute("stroke-width", "1");
        svg.append(line);
        return line;
      }),
    );
  }

  const cells = pos.map((column, l) =>
    column.map(([x, y], i) => {
      const box = document.createElement(onNodeClick ? "button" : "div");
      box.className = "net-node";
      Object.assign(box.style, {
        position: "absolute", left: `${((x - node / 2) / W) * 100}%`, top: `${((y - node / 2) / H) * 100}%`,
        width: `${(node / W) * 100}%`, height: `${(node / H) * 100}%`, padding: "0",
        border: `1.5px solid ${color("text")}`, borderRadius: thumbnails ? "4px" : "50%",
        background: "#fff", overflow: "hidden",
      });
      const name = l === 0 ? inputLabels[i] || `input ${i + 1}` : `layer ${l} neuron ${i + 1}`;
      box.setAttribute("aria-label", name);
      box.title = name;
      if (onNodeClick) {
        box.type = "button";
        box.addEventListener("click", () => onNodeClick(l, i));
      }
      if (l === 0 && inputLabels[i] && !thumbnails) {
        const t = document.createElement("span");
        t.textContent = inputLabels[i];
        Object.assign(t.style, { position: "absolute", right: "120%", top: "0", fontSize: "0.8rem" });
        box.style.overflow = "visible";
        box.append(t);
      }
      let canvas = null;
      if (thumbnails) {
        canvas = document.createElement("canvas");
        Object.assign(canvas.style, { width: "100%", height: "100%", display: "block" });
        box.append(canvas);
      }
      root.append(box);
      return { box, canvas };
    }),
  );

  return {
    el: root,
    /** weights[l][j][i]: from neuron i of layer l to neuron j of layer l + 1 (out x in);
     * thumbnails[l][i]: a decoded grid for neuron i of layer l. */
    update({ weights, thumbnails: thumbs } = {}) {
      if (weights) {
        let max = 1e-9;
        for (const W of weights) for (const row of W) for (const w of row) max = Math.max(max, Math.abs(w));
        weights.forEach((Wl, l) =>
          Wl.forEach((row, j) =>
            row.forEach((w, i) => {
              const line = links[l] && links[l][j] && links[l][j][i];
              if (!line) return;
              line.setAttribute("stroke", w >= 0 ? color("pos") : color("neg"));
              line.setAttribute("stroke-width", String(0.5 + 5 * Math.abs(w) / max));
              line.setAttribute("stroke-opacity", String(0.35 + 0.65 * Math.abs(w) / max));
            }),
          ),
        );
      }
      if (thumbs) {
        thumbs.forEach((layer, l) =>
          (layer || []).forEach((g, i) => {
            const cell = cells[l] && cells[l][i];
            if (cell && cell.canvas && g) {
              const img = gridImage(g);
              cell.canvas.width = g.w; cell.canvas.height = g.h;
              cell.canvas.getContext("2d").drawImage(img, 0, 0);
            }
          }),
        );
      }
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
    destroy() {
      root.remove();
    },
  };
}
