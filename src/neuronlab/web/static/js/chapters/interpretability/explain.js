// The explainer: pick a test image or draw one, choose the class, and see five attribution
// maps side by side with the model's prediction. Other widgets open an image here (show()).

import { latestOnly } from "../../api.js";
import { clear, fmtShort, h, pct } from "../../dom.js";
import { button, controlsFromSchema, select, slider } from "../../views/controls.js";
import { drawingPad } from "./pad.js";
import { mapKey, pixelCanvas } from "./pixels.js";

const METHODS = ["saliency", "smoothgrad", "integrated_gradients", "grad_cam", "occlusion"];
const SETTINGS = ["samples", "noise", "steps", "window", "stride"];

export function explainWidget(root, api, state) {
  const schema = api.schema("explain");
  const values = state.fromSchema(schema.map((p) => ({ ...p, name: `x.${p.name}` })));
  const params = Object.fromEntries(schema.map((p) => [p.name, values[`x.${p.name}`]]));
  params.pixels = [];
  let drawing = false;
  let lastImage = null;

  root.classList.add("px-widget");
  const left = h("div", { class: "px-left" });
  const right = h("div", { class: "px-right" });
  root.append(h("div", { class: "px-layout" }, left, right));

  const source = h("div", { class: "px-source" });
  left.append(source);
  const image = pixelCanvas(source, { size: 168, label: "the image explained", testid: "x-image" });
  const pad = drawingPad(source, { size: 168, onChange: () => refresh() });
  pad.el.hidden = true;
  const buttons = h("div", { class: "buttons" });
  left.append(buttons);
  const drawBtn = button(buttons, { label: "Draw", onClick: () => setDrawing(pad.el.hidden) });
  const clearBtn = button(buttons, { label: "Clear", onClick: () => { pad.clear(); refresh(); } });
  clearBtn.hidden = true;
  const index = slider(left, { label: "Test image", min: 0, max: 999, step: 1, value: params.index,
    onInput: (v) => { params.index = v; setDrawing(false); } });
  const classSel = select(left, { label: "Explain class", options: [{ value: "-1", label: "predicted" }],
    value: String(params.target), onChange: (v) => { params.target = Number(v); refresh(); } });
  const prediction = h("div", { class: "px-prediction", "data-testid": "x-prediction", "aria-live": "polite" });
  left.append(prediction);
  const details = h("details", { class: "px-settings" }, h("summary", {}, "Method settings"));
  left.append(details);
  controlsFromSchema(details, schema.filter((p) => SETTINGS.includes(p.name)), params, (name, v) => {
    params[name] = v;
    refresh();
  });

  const grid = h("div", { class: "px-maps" });
  right.append(grid);
  const cells = {};
  for (const name of METHODS) {
    const cell = h("figure", { class: "px-map", "data-method": name });
    const canvas = pixelCanvas(cell, { size: 150, label: `${name} map`, testid: `x-${name}` });
    const caption = h("figcaption", {});
    cell.append(caption);
    grid.append(cell);
    cells[name] = { canvas, caption };
  }
  mapKey(right);
  const status = h("p", { class: "status", role: "status" });
  right.append(status);

  function setDrawing(on) {
    pad.el.hidden = !on;
    image.el.hidden = on;
    clearBtn.hidden = !on;
    drawBtn.textContent = on ? "Back to test images" : "Draw";
    if (on && pad.empty() && lastImage) pad.load(lastImage);  // start from the current image
    drawing = on;
    refresh();
  }

  const run = latestOnly(async (p) => {
    root.dataset.state = "busy";
    try {
      const out = await api.run("explain", p);
      draw(out);
      status.textContent = "";
      status.classList.remove("error");
    } catch (err) {
      status.textContent = err.message;
      status.classList.add("error");
    }
    root.dataset.state = "ready";
  });

  function refresh() {
    const p = { ...params, pixels: drawing ? pad.values() : [] };
    state.set({ "x.index": p.index === 0 ? null : p.index, "x.target": p.target === -1 ? null : p.target });
    run(p);
  }

  function draw(out) {
    lastImage = out.image;
    image.image(out.image);
    if (classSel.el.querySelectorAll("option").length === 1) {
      const sel = classSel.el.querySelector("select");
      out.classes.forEach((c, i) => sel.append(h("option", { value: String(i) }, c)));
      sel.value = String(params.target);
    }
    const probs = out.probabilities.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, 3);
    clear(prediction);
    prediction.append(
      h("p", {}, h("strong", {}, `${out.classes[out.predicted]} `), pct(out.probabilities[out.predicted]),
        out.label === null ? " · your drawing" : ` · truth: ${out.classes[out.label]}`),
      h("ol", { class: "px-probs" }, ...probs.map(([p, i]) => h("li", {},
        h("span", { class: "px-bar", style: `width:${Math.round(p * 100)}%` }), `${out.classes[i]} ${pct(p)}`))),
      h("p", { class: "widget-note" }, `maps explain: ${out.classes[out.explained]}`));
    for (const name of METHODS) {
      const map = out[`map_${name}`];
      cells[name].canvas.map(map, out.image);
      cells[name].caption.textContent = `${out.titles[name]} · ${fmtShort(out.ranges[name][0])} to ${fmtShort(out.ranges[name][1])}`;
    }
  }

  refresh();
  return {
    index: () => params.index,
    show(i, target = -1) {
      params.index = i;
      params.target = target;
      index.set(i);
      classSel.el.querySelector("select").value = String(target);
      setDrawing(false);
      root.scrollIntoView({ behavior: "instant", block: "start" });
    },
    destroy() {},
  };
}
