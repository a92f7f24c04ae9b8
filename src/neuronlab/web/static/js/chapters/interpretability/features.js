// Feature visualization: for every unit of a layer, the input that excites it most (found by
// gradient ascent) beside the training images that excite it most.

import { clear, h } from "../../dom.js";
import { button, controlsFromSchema } from "../../views/controls.js";
import { pixelCanvas } from "./pixels.js";

export function featuresWidget(root, api) {
  const schema = api.schema("features");
  const params = Object.fromEntries(schema.map((p) => [p.name, p.default]));
  root.classList.add("px-widget");
  const side = h("div", { class: "px-left" });
  const gallery = h("div", { class: "px-gallery", "data-testid": "f-gallery" });
  gallery.dataset.updates = "0";
  root.append(h("div", { class: "px-layout" }, side, gallery));
  controlsFromSchema(side, schema, params, (name, v) => { params[name] = v; });
  const buttons = h("div", { class: "buttons" });
  side.append(buttons);
  const status = h("p", { class: "status", role: "status" });
  side.append(status, h("p", { class: "widget-note" },
    "Left in each card: the picture found by gradient ascent. Right: the training images whose mean activation of the unit is largest."));
  const go = button(buttons, { label: "Visualize", kind: "primary", onClick: () => compute() });

  async function compute() {
    go.disabled = true;
    root.dataset.state = "busy";
    status.textContent = "climbing the gradient for every unit…";
    status.classList.remove("error");
    try {
      const out = await api.run("features", { ...params });
      draw(out);
      status.textContent = `${out.units.length} units of ${out.layer}`;
    } catch (err) {
      status.textContent = err.message;
      status.classList.add("error");
    }
    go.disabled = false;
    root.dataset.state = "ready";
  }

  function draw(out) {
    clear(gallery);
    for (const unit of out.units) {
      const card = h("figure", { class: "px-unit" });
      const row = h("div", { class: "px-unit-row" });
      pixelCanvas(row, { size: 84, label: `${unit.name}: the picture that excites it` }).image(unit.picture);
      const tops = h("div", { class: "px-tops" });
      unit.top.forEach((g, i) => pixelCanvas(tops, { size: 40, label: `training image: ${unit.top_labels[i]}` }).image(g));
      row.append(tops);
      card.append(row, h("figcaption", {}, `${unit.name} · ${[...new Set(unit.top_labels)].join(", ")}`));
      gallery.append(card);
    }
    gallery.dataset.updates = String(Number(gallery.dataset.updates) + 1);
  }

  gallery.append(h("p", { class: "px-placeholder" }, "Press Visualize: one picture per unit, found by gradient ascent (a few seconds)."));
  return { destroy() {} };
}
