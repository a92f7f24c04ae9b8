// The limits, shown live: the randomization sanity check (a live run), IG's baselines, the
// confidently wrong images, where each map's mass lies, and IG's completeness gap.

import { clear, fmt, fmtShort, h, pct } from "../../dom.js";
import { seriesColor } from "../../palette.js";
import { button, controlsFromSchema } from "../../views/controls.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { mapKey, pixelCanvas } from "./pixels.js";

const METHODS = ["saliency", "smoothgrad", "integrated_gradients", "grad_cam", "occlusion"];
const TITLES = { saliency: "Saliency", smoothgrad: "SmoothGrad", integrated_gradients: "Integrated gradients",
  grad_cam: "Grad-CAM", occlusion: "Occlusion" };

function statusLine(parent) {
  const status = h("p", { class: "status", role: "status" });
  parent.append(status);
  return {
    say(text, error = false) { status.textContent = text; status.classList.toggle("error", error); },
  };
}

function tableOf(columns, rows, testid) {
  return h("table", { class: "px-table", "data-testid": testid },
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))));
}

export function sanityWidget(root, api) {
  const schema = api.schema("sanity");
  const params = Object.fromEntries(schema.map((p) => [p.name, p.default]));
  root.classList.add("px-widget");
  const side = h("div", { class: "px-left" });
  const main = h("div", { class: "px-right" });
  root.append(h("div", { class: "px-layout" }, side, main));
  const buttons = h("div", { class: "buttons" });
  side.append(buttons);
  controlsFromSchema(side, schema, params, (name, v) => { params[name] = v; });
  const stage = h("p", { class: "px-stage", "data-testid": "s-stage" }, "not started");
  side.append(stage);
  const status = statusLine(side);
  legend(main, METHODS.map((m, i) => ({ label: TITLES[m], color: seriesColor(i) })));
  const chart = lineChart(main, { title: "Rank correlation with the trained model's maps", xLabel: "layers randomized (from the output)",
    yLabel: "Spearman ρ", height: 220, yMin: -0.2, yMax: 1 });
  const maps = h("div", { class: "px-maps px-maps-small" });
  main.append(maps);
  const cells = Object.fromEntries(METHODS.map((m) => {
    const cell = h("figure", { class: "px-map" });
    const c = pixelCanvas(cell, { size: 96, label: `${m} map, current stage` });
    cell.append(h("figcaption", {}, TITLES[m]));
    maps.append(cell);
    return [m, c];
  }));
  let run = null;
  const start = button(buttons, { label: "Start", kind: "primary", onClick: () => begin() });
  const stop = button(buttons, { label: "Stop", onClick: () => { if (run) run.stop(); run = null; stop.disabled = true; root.dataset.state = "stopped"; } });
  stop.disabled = true;

  function draw(frame) {
    chart.update(METHODS.map((m, i) => ({ name: TITLES[m], x: frame.correlation[m].map((_, k) => k),
      y: frame.correlation[m], color: seriesColor(i) })));
    const last = frame.stages[frame.stages.length - 1];
    stage.textContent = last === "trained" ? "the trained model"
      : `randomized: ${frame.stages.slice(1).join(", ")}`;
    for (const m of METHODS) cells[m].map(frame.maps[m], frame.image);
  }

  function begin() {
    if (run) run.stop();
    start.textContent = "Restart";
    stop.disabled = false;
    root.dataset.state = "running";
    status.say("");
    run = api.live("sanity", { ...params }, {
      onFrame: draw,
      onEnd(info) {
        stop.disabled = true;
        root.dataset.state = "ended";
        if (info.reason === "error") status.say(info.error || "the run failed", true);
      },
      onError: (message) => status.say(message, true),
    });
  }
  return { destroy() { if (run) run.stop(); chart.destroy(); } };
}

export function baselinesWidget(root, api, explainer) {
  root.classList.add("px-widget");
  const buttons = h("div", { class: "buttons" });
  const box = h("div", { class: "px-baselines", "data-testid": "b-table" });
  root.append(buttons, box);
  const status = statusLine(root);
  let index = 0;
  const note = h("span", { class: "px-stage" });
  button(buttons, { label: "Compare baselines", kind: "primary", onClick: () => compute() });
  button(buttons, { label: "Use the explainer's image", onClick: () => { index = explainer.index(); compute(); } });
  buttons.append(note);

  async function compute() {
    root.dataset.state = "busy";
    try {
      const out = await api.run("baselines", { index });
      note.textContent = `test image ${index}, class ${out.classes[out.explained]}`;
      clear(box);
      const rows = out.baselines.map((b) => {
        const pic = h("div", { class: "px-pair" });
        pixelCanvas(pic, { size: 56, label: `${b.baseline} baseline` }).image(b.picture);
        pixelCanvas(pic, { size: 56, label: `IG map from the ${b.baseline} baseline` }).map(b.map, out.image);
        return [h("span", {}, b.baseline), pic, pct(b.baseline_probability), fmt(b.sum, 2), fmtShort(b.gap), fmt(b.rank_correlation, 2)];
      });
      box.append(tableOf(["baseline", "baseline · IG map", "p(class | baseline)", "sum of IG", "gap", "ρ with black"], rows, "b-rows"));
      mapKey(box);
      status.say("");
    } catch (err) {
      status.say(err.message, true);
    }
    root.dataset.state = "ready";
  }
  box.append(h("p", { class: "px-placeholder" }, "Press “Compare baselines” to explain test image 0 from five baselines."));
  return { destroy() {} };
}

export function mistakesWidget(root, api, explainer) {
  root.classList.add("px-widget");
  const summary = h("p", { class: "widget-note", "data-testid": "m-summary" });
  const list = h("div", { class: "px-mistakes", "data-testid": "m-list" });
  root.append(summary, list);
  const status = statusLine(root);
  (async () => {
    try {
      const out = await api.run("mistakes", { count: 8 });
      summary.textContent = `${out.wrong} of ${out.total} test images are wrong; ${out.over_90} of those with more than 90% confidence. Open one in the explainer:`;
      for (const item of out.items) {
        const b = h("button", { type: "button", class: "px-mistake", "aria-label": `open test image ${item.index} in the explainer` });
        pixelCanvas(b, { size: 56, label: `test image ${item.index}` }).image(item.image);
        b.append(h("span", {}, `${item.predicted} ${pct(item.confidence)}`), h("span", { class: "px-truth" }, `truth: ${item.label}`));
        b.addEventListener("click", () => explainer.show(item.index));
        list.append(b);
      }
      root.dataset.state = "ready";
    } catch (err) {
      status.say(err.message, true);
    }
  })();
  return { destroy() {} };
}

export function measureWidget(root, api, { experiment, label, render }) {
  const schema = api.schema(experiment);
  const params = Object.fromEntries(schema.map((p) => [p.name, p.default]));
  root.classList.add("px-widget");
  const side = h("div", { class: "px-left" });
  const out = h("div", { class: "px-right", "data-testid": `${experiment}-out` });
  root.append(h("div", { class: "px-layout" }, side, out));
  const buttons = h("div", { class: "buttons" });
  side.append(buttons);
  controlsFromSchema(side, schema, params, (name, v) => { params[name] = v; });
  const status = statusLine(side);
  const go = button(buttons, { label, kind: "primary", onClick: () => compute() });
  out.append(h("p", { class: "px-placeholder" }, `Press “${label}” to run it.`));

  async function compute() {
    go.disabled = true;
    root.dataset.state = "busy";
    status.say("measuring…");
    try {
      const result = await api.run(experiment, { ...params });
      clear(out);
      render(out, result);
      status.say("");
    } catch (err) {
      status.say(err.message, true);
    }
    go.disabled = false;
    root.dataset.state = "ready";
  }
  return { destroy() {} };
}

export function renderFocus(out, r) {
  const rows = METHODS.map((m) => [TITLES[m], r.shares[m]]);
  rows.push(["garment's share of the image", r.area]);
  const bars = h("div", { class: "px-bars" });
  for (const [name, v] of rows) {
    bars.append(h("div", { class: "px-bar-row" }, h("span", {}, name),
      h("span", { class: "px-bar-track" }, h("span", { class: "px-bar", style: `width:${Math.round(v * 100)}%` })),
      h("span", { class: "px-num" }, pct(v))));
  }
  out.append(h("p", { class: "view-title" }, `Share of each map's positive mass on the garment (${r.images} test images)`), bars);
}

export function renderCompleteness(out, r) {
  const rows = Object.entries(r.methods).map(([k, v]) => [k, fmtShort(v.max_gap), pct(v.max_relative_gap, 2)]);
  out.append(h("p", { class: "view-title" }, `Completeness gap over ${r.images} test images at ${r.steps} steps`),
    tableOf(["rule", "largest |gap|", "largest |gap| / |score change|"], rows, "c-rows"));
}
