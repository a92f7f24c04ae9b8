// A network drawn as layers of nodes joined by weight-coloured links (blue +, orange -, width
// by |w|), with optional per-neuron heat-map thumbnails inside the nodes. Hovering a link shows
// its weight, hovering a neuron its bias; with `onEdit` a click on a link or on a neuron's bias
// chip opens a number field, and Enter calls onEdit({layer, to, from, value}) (from: null for a
// bias; layer l is the weight matrix from layer l to layer l + 1).

import { fmt, h } from "../dom.js";
import { color } from "../palette.js";
import { gridImage } from "./heatmap.js";

const SVG = "http://www.w3.org/2000/svg";

export function networkGraph(parent, opts = {}) {
  const { layers = [2, 1], inputLabels = [], thumbnails = false, onNodeClick, onEdit } = opts;
  const W = opts.width || 560;
  const H = opts.height || Math.max(160, 44 * Math.max(...layers) + 30);
  const node = opts.node || (thumbnails ? 34 : 22);
  const padLeft = opts.padLeft || 40; // room for the input labels
  const padRight = opts.padRight || 40;
  const root = document.createElement("div");
  root.className = "view network";
  root.dataset.updates = "0";
  root.style.position = "relative";
  root.style.aspectRatio = `${W} / ${H}`;
  root.style.maxWidth = `${W}px`;
  root.classList.toggle("editable", Boolean(onEdit));
  root.setAttribute("role", onNodeClick || onEdit ? "group" : "img");
  root.setAttribute("aria-label", opts.label || `network with layers ${layers.join("-")}`);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("preserveAspectRatio", "none");
  Object.assign(svg.style, { position: "absolute", inset: "0", width: "100%", height: "100%" });
  root.append(svg);
  parent.append(root);

  const pos = layers.map((n, l) => {
    const x = padLeft + (l * (W - padLeft - padRight)) / Math.max(1, layers.length - 1);
    return Array.from({ length: n }, (_, i) => [x, H / 2 + (i - (n - 1) / 2) * (node + 12)]);
  });

  let weightsNow = [];
  let biasesNow = [];
  const tip = h("div", { class: "net-tip", role: "status" });
  tip.hidden = true;
  const nodeName = (l, i) => (l === 0 ? inputLabels[i] || `input ${i + 1}`
    : l === layers.length - 1 ? `output ${layers[l] > 1 ? i + 1 : ""}`.trim() : `layer ${l} neuron ${i + 1}`);
  const at = (x, y) => ({ left: `${(x / W) * 100}%`, top: `${(y / H) * 100}%` });
  let hovered = null; // () => the tip's text, re-read on every update while the pointer stays
  function show(text, x, y) {
    hovered = text;
    tip.textContent = text();
    Object.assign(tip.style, at(x, y));
    tip.hidden = false;
  }
  const hide = () => { hovered = null; tip.hidden = true; };
  const weightText = (l, j, i) => `weight ${fmt((weightsNow[l] || [])[j]?.[i])}: ${nodeName(l, i)} → ${nodeName(l + 1, j)}`;
  const biasText = (l, j) => `bias ${fmt((biasesNow[l - 1] || [])[j])} of ${nodeName(l, j)}`;

  // a number field at (x, y) that sends the new value of one weight or bias
  let editor = null;
  function close() {
    const open = editor;
    editor = null;
    if (open) open.remove();
  }
  function edit(target, current, x, y) {
    close();
    const input = h("input", { type: "number", step: "0.01", value: fmt(current), class: "net-edit-input",
      "aria-label": `New value of the ${target.from === null ? "bias" : "weight"}` });
    editor = h("div", { class: "net-edit" }, input);
    Object.assign(editor.style, at(x, y));
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        const value = Number(input.value);
        if (input.value !== "" && Number.isFinite(value)) onEdit({ ...target, value });
        close();
      } else if (ev.key === "Escape") close();
    });
    input.addEventListener("blur", close);
    root.append(editor);
    input.focus();
    input.select();
  }

  const links = [];
  for (let l = 1; l < layers.length; l++) {
    links[l - 1] = pos[l].map(([x2, y2], j) =>
      pos[l - 1].map(([x1, y1], i) => {
        const line = document.createElementNS(SVG, "line");
        line.setAttribute("x1", x1); line.setAttribute("y1", y1);
        line.setAttribute("x2", x2); line.setAttribute("y2", y2);
        line.setAttribute("stroke", color("border"));
        line.setAttribute("stroke-width", "1");
        svg.append(line);
        // a wide invisible twin that catches the pointer
        const hit = document.createElementNS(SVG, "line");
        for (const k of ["x1", "y1", "x2", "y2"]) hit.setAttribute(k, line.getAttribute(k));
        hit.setAttribute("class", "net-hit");
        hit.dataset.link = `${l - 1}-${j}-${i}`;
        const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
        hit.addEventListener("mouseenter", () => { line.classList.add("hover"); show(() => weightText(l - 1, j, i), mx, my); });
        hit.addEventListener("mouseleave", () => { line.classList.remove("hover"); hide(); });
        if (onEdit) hit.addEventListener("click", () => edit({ layer: l - 1, to: j, from: i }, weightsNow[l - 1]?.[j]?.[i], mx, my));
        svg.append(hit);
        return line;
      }),
    );
  }

  const chips = [];
  const labels = [];
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
      const name = nodeName(l, i);
      box.setAttribute("aria-label", name);
      box.title = name;
      if (onNodeClick) {
        box.type = "button";
        box.addEventListener("click", () => onNodeClick(l, i));
      }
      if (l > 0) {
        box.addEventListener("mouseenter", () => show(() => biasText(l, i), x, y - node / 2 - 4));
        box.addEventListener("mouseleave", hide);
      }
      if (l > 0 && onEdit) {
        const chip = h("button", { type: "button", class: "net-bias", "aria-label": `Edit the bias of ${name}` });
        Object.assign(chip.style, at(x - node / 2 - 3, y + node / 2 - 5));
        chip.addEventListener("mouseenter", () => show(() => biasText(l, i), x, y - node / 2 - 4));
        chip.addEventListener("mouseleave", hide);
        chip.addEventListener("click", () => edit({ layer: l - 1, to: i, from: null }, biasesNow[l - 1]?.[i], x, y));
        chips.push(chip);
      }
      if (l === 0 && inputLabels[i]) {
        // the input's name beside it, left of the column
        const t = h("span", { class: "net-input-label" }, inputLabels[i]);
        Object.assign(t.style, at(x - node / 2 - 4, y));
        labels.push(t);
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

  root.append(...labels, ...chips, tip);

  return {
    el: root,
    /** weights[l][j][i]: from neuron i of layer l to neuron j of layer l + 1 (out x in);
     * thumbnails[l][i]: a decoded grid for neuron i of layer l. */
    update({ weights, biases, thumbnails: thumbs } = {}) {
      if (biases) biasesNow = biases;
      if (weights) {
        weightsNow = weights;
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
      if (hovered) tip.textContent = hovered();
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
    destroy() {
      root.remove();
    },
  };
}
