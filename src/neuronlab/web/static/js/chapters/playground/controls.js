// The playground's controls: the transport bar (reset, play/pause, step, epoch), the settings
// row, the data panel, the feature column and the network-shape editor. Every choice list,
// range and default comes from the `train` experiment's schema (`byName`); this module only
// knows how to show a name to a person (NAMES) and which numbers a log scale offers.

import { h } from "../../dom.js";
import { button, select, slider, toggle } from "../../views/controls.js";

/** How a schema choice reads on screen; a name missing here is shown as it is. */
export const NAMES = {
  classification: "Classification", regression: "Regression",
  sgd: "SGD", momentum: "SGD + momentum", adam: "Adam",
  none: "None", l1: "L1", l2: "L2",
  tanh: "Tanh", relu: "ReLU", sigmoid: "Sigmoid", linear: "Linear", leaky_relu: "Leaky ReLU",
  circle: "Circle", xor: "Exclusive or (xor)", gaussian: "Gaussian clusters", spiral: "Spiral",
  moons: "Moons", plane: "Plane", multi_gaussian: "Six bumps", custom: "Only my points",
  x1: "x₁", x2: "x₂", x1sq: "x₁²", x2sq: "x₂²", x1x2: "x₁x₂", sinx1: "sin(x₁)", sinx2: "sin(x₂)",
};
export const nameOf = (value) => NAMES[value] || value;

/** The playground's choice lists with their labels, as the server sends them (the `train`
 * experiment's `extra.choices`, defined in tour/chapters/playground/presets.py). Returns {datasets:
 * {problem: [[name, label]]}, features: [[name, label]], multiclass: [names] | null}. */
export function choicesOf(chapter) {
  const train = (chapter.experiments || []).find((e) => e.name === "train");
  const given = (train && train.extra && train.extra.choices) || {};
  for (const [name, label] of [...Object.values(given.datasets || {}).flat(), ...(given.features || [])]) NAMES[name] = label;
  return { datasets: given.datasets || {}, features: given.features || [], multiclass: given.multiclass || null };
}

/** 1 and 3 times the powers of ten inside [min, max] (plus 0 when the range starts there). */
export function logChoices(min, max) {
  const out = min === 0 ? [0] : [];
  for (let k = Math.floor(Math.log10(Math.max(min, 1e-12))); k <= Math.ceil(Math.log10(max)); k++) {
    for (const m of [1, 3]) {
      const v = Number((m * 10 ** k).toPrecision(2));
      if (v >= min && v <= max && v > 0) out.push(v);
    }
  }
  return out;
}

function nearest(values, v) {
  return values.reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a));
}

function choiceOptions(param, allowed) {
  return param.choices.filter((c) => !allowed || allowed.includes(c)).map((value) => ({ value, label: nameOf(value) }));
}

// Transport bar: reset, play/pause, step, and the live counters.
export function transportBar(parent, onAction) {
  const bar = h("div", { class: "pg-transport", role: "group", "aria-label": "Training" });
  parent.append(bar);
  button(bar, { label: "⟲", ariaLabel: "Reset the network", kind: "secondary", onClick: () => onAction("reset") });
  const play = button(bar, { label: "▶ Play", ariaLabel: "Play", kind: "primary", onClick: () => onAction("toggle") });
  play.classList.add("pg-play");
  button(bar, { label: "Step ▸", ariaLabel: "Train one step", kind: "secondary", onClick: () => onAction("step") });
  const epoch = h("b", { class: "pg-epoch" }, "0");
  const step = h("b", { class: "pg-step" }, "0");
  const rate = h("span", { class: "pg-rate", title: "Training steps per second" }, "– steps/s");
  const status = h("span", { class: "pg-status", role: "status" });
  bar.append(h("div", { class: "pg-counters", "aria-live": "polite" },
    h("span", { class: "pg-epoch-box" }, "Epoch ", epoch), h("span", {}, "Step ", step), rate), status);
  return {
    setRunning(running) {
      play.textContent = running ? "❚❚ Pause" : "▶ Play";
      play.setAttribute("aria-label", running ? "Pause" : "Play");
      play.setAttribute("aria-pressed", String(running));
    },
    setCounters(e, s, r) {
      epoch.textContent = String(e).padStart(3, "0");
      step.textContent = s.toLocaleString("en");
      if (r !== undefined) rate.textContent = `${Math.round(r).toLocaleString("en")} steps/s`;
    },
    setStatus(text, bad = false) {
      status.textContent = text;
      status.classList.toggle("pg-bad", bad);
    },
  };
}

// A compact field for the settings row: the label above, the control below.
function field(parent, id, label, control) {
  const box = h("div", { class: "pg-field" }, h("label", { for: id }, label), control);
  parent.append(box);
  return control;
}

function selectField(parent, { id, label, options, value, onChange }) {
  const sel = h("select", { id });
  for (const o of options) sel.append(h("option", { value: String(o.value) }, o.label));
  sel.value = String(value);
  sel.addEventListener("change", () => onChange(sel.value));
  return field(parent, id, label, sel);
}

function numberField(parent, { id, param, value, onChange }) {
  const input = h("input", { id, type: "number", min: param.min, max: param.max, step: 1, value });
  input.addEventListener("change", () => {
    const v = Math.round(Number(input.value));
    if (Number.isFinite(v) && v >= param.min && v <= param.max) onChange(v);
    else input.value = String(value);
  });
  return field(parent, id, param.label, input);
}

// The training settings in one row (most of them apply to a running net at once).
export function settingsRow(parent, byName, params, onChange) {
  const row = h("div", { class: "pg-settings", role: "group", "aria-label": "Training settings" });
  parent.append(row);
  const c = {};
  c.optimizer = selectField(row, { id: "pg-optimizer", label: "Optimizer", value: params.optimizer,
    options: choiceOptions(byName.optimizer), onChange: (v) => onChange("optimizer", v) });
  const rates = logChoices(byName.learning_rate.min, byName.learning_rate.max);
  c.learning_rate = selectField(row, { id: "pg-lr", label: "Learning rate", value: nearest(rates, params.learning_rate),
    options: rates.map((v) => ({ value: v, label: String(v) })), onChange: (v) => onChange("learning_rate", Number(v)) });
  // with no hidden layer there is nothing to activate: the select says so instead of going blank
  const acts = byName.activations.item;
  const none = params.layers.length === 0;
  c.activation = selectField(row, { id: "pg-activation", label: "Activation", value: none ? "" : params.activations[0] || acts.default,
    options: none ? [{ value: "", label: "no hidden layer" }] : choiceOptions(acts),
    onChange: (v) => onChange("activations", params.layers.map(() => v)) });
  c.activation.disabled = none;
  c.regularization = selectField(row, { id: "pg-reg", label: "Regularization", value: params.regularization,
    options: choiceOptions(byName.regularization), onChange: (v) => onChange("regularization", v) });
  const regRates = logChoices(byName.reg_rate.min, byName.reg_rate.max);
  c.reg_rate = selectField(row, { id: "pg-reg-rate", label: "Reg. rate", value: nearest(regRates, params.reg_rate),
    options: regRates.map((v) => ({ value: v, label: String(v) })), onChange: (v) => onChange("reg_rate", Number(v)) });
  const dropouts = [];
  for (let v = byName.dropout.min; v <= byName.dropout.max + 1e-9; v += 0.1) dropouts.push(Number(v.toFixed(1)));
  c.dropout = selectField(row, { id: "pg-dropout", label: "Dropout", value: nearest(dropouts, params.dropout),
    options: dropouts.map((v) => ({ value: v, label: `${Math.round(v * 100)}%` })), onChange: (v) => onChange("dropout", Number(v)) });
  c.batch_size = numberField(row, { id: "pg-batch", param: byName.batch_size, value: params.batch_size,
    onChange: (v) => onChange("batch_size", v) });
  const stop = h("div", { class: "pg-field pg-stop" });
  row.append(stop);
  c.early_stop = toggle(stop, { id: "pg-early", label: byName.early_stop.label, checked: params.early_stop,
    onChange: (v) => onChange("early_stop", v) });
  if (byName.early_stop.help) c.early_stop.el.title = byName.early_stop.help;
  c.patience = numberField(stop, { id: "pg-patience", param: byName.patience, value: params.patience,
    onChange: (v) => onChange("patience", v) });
  return c;
}

// Data: the problem, the set, classes, split, noise, size, and a fresh seed. `datasets`: the
// [name, label] pairs that fit the current problem; `multiclass`: the sets that take more than
// two classes (null: unknown, the slider stays on).
export function dataPanel(parent, byName, params, { datasets, multiclass }, onChange) {
  const box = h("section", { class: "pg-panel pg-data", "aria-label": "Data" }, h("h3", {}, "Data"));
  parent.append(box);
  const c = { box };
  c.problem = select(box, { id: "pg-problem", label: "Problem", value: params.problem,
    options: choiceOptions(byName.problem), onChange: (v) => onChange("problem", v) });
  c.dataset = select(box, { id: "pg-dataset", label: "Data set", value: params.dataset,
    options: datasets.map(([value, label]) => ({ value, label })), onChange: (v) => onChange("dataset", v) });
  const int = (name, id, format) => slider(box, { id, label: byName[name].label, min: byName[name].min,
    max: byName[name].max, step: name === "n_samples" ? 10 : name === "classes" ? 1 : 5, value: params[name], format,
    onInput: (v) => onChange(name, Math.round(v)) });
  c.classes = int("classes", "pg-classes", (v) => String(v));
  c.classes.setDisabled(params.problem === "regression" || Boolean(multiclass && !multiclass.includes(params.dataset)));
  c.train_ratio = int("train_ratio", "pg-ratio", (v) => `${v}%`);
  c.noise = int("noise", "pg-noise", (v) => `${v}%`);
  c.n_samples = int("n_samples", "pg-n", (v) => String(v));
  const seed = h("b", { class: "pg-seed-value" }, String(params.seed));
  const seedRow = h("div", { class: "pg-seed" }, h("span", {}, "Seed ", seed));
  box.append(seedRow);
  button(seedRow, { label: "Regenerate", ariaLabel: "New data and new starting weights (a new seed)", kind: "secondary",
    onClick: () => onChange("seed", Math.floor(Math.random() * (byName.seed.max + 1))) });
  return c;
}

// The input features as the network's first column: one toggle per feature, in schema order.
export function featureColumn(parent, byName, params, onChange) {
  const names = byName.features.item.choices;
  const box = h("section", { class: "pg-panel pg-features", "aria-label": "Features" }, h("h3", {}, "Features"));
  parent.append(box);
  const c = {};
  for (const name of names) {
    const on = params.features.includes(name);
    const b = h("button", { type: "button", class: `pg-feature${on ? " on" : ""}`, id: `pg-f-${name}`,
      "aria-pressed": String(on), "aria-label": `Feature ${nameOf(name)}` }, nameOf(name));
    b.addEventListener("click", () => {
      const next = names.filter((f) => (f === name ? !on : params.features.includes(f)));
      onChange("features", next.length ? next : [name]);
    });
    box.append(b);
    c[name] = b;
  }
  box.append(h("p", { class: "pg-hint" }, "Click one to use it or not."));
  return c;
}

// Network shape: add/remove hidden layers; per layer, add/remove neurons and its activation.
// The per-layer controls stand above the network's columns: `geometry` is the drawing's width
// and its left and right margins, in the drawing's units (views.js NET_GEOMETRY).
export function shapeEditor(parent, byName, params, geometry, onChange) {
  const maxLayers = byName.layers.max_len;
  const maxNeurons = byName.layers.item.max;
  const acts = byName.activations.item.choices;
  const n = params.layers.length;
  const box = h("div", { class: "pg-shape" });
  parent.append(box);
  const head = h("div", { class: "pg-shape-head" });
  box.append(head);
  const setLayers = (layers, activations) => onChange({ layers, activations });
  button(head, { label: "+", ariaLabel: "Add a hidden layer", kind: "secondary", onClick: () => {
    if (n < maxLayers) setLayers([...params.layers, 4], [...params.activations, params.activations[n - 1] || byName.activations.item.default]);
  } });
  button(head, { label: "−", ariaLabel: "Remove the last hidden layer", kind: "secondary", onClick: () => {
    if (n > 0) setLayers(params.layers.slice(0, -1), params.activations.slice(0, -1));
  } });
  head.append(h("span", { class: "pg-shape-title" }, h("b", {}, String(n)), ` hidden layer${n === 1 ? "" : "s"}`));
  const { width, padLeft, padRight } = geometry;
  const spacing = (width - padLeft - padRight) / (n + 1);
  const item = Math.min(64, spacing - 2);
  const cols = h("div", { class: `pg-shape-layers${item < 50 ? " narrow" : ""}` });
  cols.style.marginLeft = `calc(${(100 * padLeft) / width}% - ${item / 2}px)`;
  cols.style.marginRight = `calc(${(100 * padRight) / width}% - ${item / 2}px)`;
  cols.style.setProperty("--item", `${item}px`);
  box.append(cols);
  cols.append(h("span", { class: "pg-layer-ctl pg-layer-end" }));
  params.layers.forEach((size, i) => {
    const change = (w) => setLayers(params.layers.map((v, j) => (j === i ? w : v)), params.activations);
    const col = h("div", { class: "pg-layer-ctl" });
    const row = h("div", { class: "pg-layer-buttons" });
    button(row, { label: "+", ariaLabel: `Add a neuron to layer ${i + 1}`, kind: "secondary",
      onClick: () => size < maxNeurons && change(size + 1) });
    button(row, { label: "−", ariaLabel: `Remove a neuron from layer ${i + 1}`, kind: "secondary",
      onClick: () => size > 1 && change(size - 1) });
    const sel = h("select", { id: `pg-act-${i}`, "aria-label": `Activation of layer ${i + 1}`, title: `Activation of layer ${i + 1}` });
    // over narrow columns the names shrink to four letters (the open list shows them whole)
    for (const a of acts) sel.append(h("option", { value: a, title: nameOf(a) }, item < 50 ? nameOf(a).slice(0, 4) : nameOf(a)));
    sel.value = params.activations[i];
    sel.addEventListener("change", () => setLayers(params.layers, params.activations.map((a, j) => (j === i ? sel.value : a))));
    col.append(row, h("span", { class: "pg-layer-size", title: `${size} neuron${size === 1 ? "" : "s"}` },
      item > 50 ? `${size} neuron${size === 1 ? "" : "s"}` : String(size)), sel);
    cols.append(col);
  });
  cols.append(h("span", { class: "pg-layer-ctl pg-layer-end" }));
  return { destroy: () => box.remove() };
}
