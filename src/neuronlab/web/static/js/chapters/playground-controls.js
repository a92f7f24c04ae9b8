// The playground's controls: the transport bar (reset, play/pause, step, epoch), the training
// settings, the data panel, the input features and the network-shape editor (layers, neurons,
// one activation per layer). Every control is a labelled <input>/<select>/<button> from the
// shared controls view; this module only knows the playground's vocabulary.

import { button, select, slider, toggle } from "../views/controls.js";

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.5];
const ACTIVATION_NAMES = { tanh: "Tanh", relu: "ReLU", sigmoid: "Sigmoid", linear: "Linear", leaky_relu: "Leaky ReLU" };
export const FEATURE_LABELS = {
  x1: "x₁", x2: "x₂", x1sq: "x₁²", x2sq: "x₂²", x1x2: "x₁x₂", sinx1: "sin(x₁)", sinx2: "sin(x₂)",
};
const DATASETS = {
  classification: [["circle", "Circle"], ["xor", "Exclusive or (xor)"], ["gaussian", "Gaussian clusters"],
    ["spiral", "Spiral"], ["moons", "Moons"], ["custom", "Only my points"]],
  regression: [["plane", "Plane"], ["multi_gaussian", "Six bumps"], ["custom", "Only my points"]],
};
const MULTICLASS = ["gaussian", "spiral", "custom"];

function section(parent, title, cls) {
  const box = document.createElement("section");
  box.className = `pg-panel ${cls || ""}`;
  const h = document.createElement("h3");
  h.textContent = title;
  box.appendChild(h);
  parent.appendChild(box);
  return box;
}

function opts(values, fmt) {
  return values.map((v) => ({ value: String(v), label: fmt ? fmt(v) : String(v) }));
}

function nearest(values, v) {
  return values.reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a));
}

// Transport bar: reset, play/pause, step, and the live counters.
export function transportBar(parent, onAction) {
  const bar = document.createElement("div");
  bar.className = "pg-transport";
  parent.appendChild(bar);
  button(bar, { label: "⟲ Reset", ariaLabel: "Reset the network", kind: "secondary", onClick: () => onAction("reset") });
  const play = button(bar, { label: "▶ Play", ariaLabel: "Play", kind: "primary", onClick: () => onAction("toggle") });
  const playEl = play.el || play;
  playEl.classList.add("pg-play");
  button(bar, { label: "Step ▸", ariaLabel: "Train one step", kind: "secondary", onClick: () => onAction("step") });
  const counters = document.createElement("div");
  counters.className = "pg-counters";
  counters.setAttribute("aria-live", "polite");
  counters.innerHTML = '<span>Epoch <b class="pg-epoch">0</b></span><span>Step <b class="pg-step">0</b></span>' +
    '<span class="pg-rate" title="Training steps per second">– steps/s</span><span class="pg-status"></span>';
  bar.appendChild(counters);
  return {
    setRunning(running) {
      playEl.textContent = running ? "❚❚ Pause" : "▶ Play";
      playEl.setAttribute("aria-label", running ? "Pause" : "Play");
      playEl.setAttribute("aria-pressed", String(running));
    },
    setCounters(epoch, step, rate) {
      counters.querySelector(".pg-epoch").textContent = String(epoch);
      counters.querySelector(".pg-step").textContent = step.toLocaleString("en");
      if (rate !== undefined) counters.querySelector(".pg-rate").textContent = `${Math.round(rate).toLocaleString("en")} steps/s`;
    },
    setStatus(text, bad = false) {
      const el = counters.querySelector(".pg-status");
      el.textContent = text;
      el.classList.toggle("pg-bad", bad);
    },
  };
}

// Training settings (most of them apply to a running net at once).
export function trainingPanel(parent, params, onChange) {
  const box = section(parent, "Training", "pg-training");
  const c = {};
  c.problem = select(box, { id: "pg-problem", label: "Problem type", value: params.problem,
    options: [{ value: "classification", label: "Classification" }, { value: "regression", label: "Regression" }],
    onChange: (v) => onChange("problem", v) });
  c.optimizer = select(box, { id: "pg-optimizer", label: "Optimizer", value: params.optimizer,
    options: [{ value: "sgd", label: "SGD" }, { value: "momentum", label: "SGD + momentum" }, { value: "adam", label: "Adam" }],
    onChange: (v) => onChange("optimizer", v) });
  c.learning_rate = select(box, { id: "pg-lr", label: "Learning rate", value: String(nearest(LEARNING_RATES, params.learning_rate)),
    options: opts(LEARNING_RATES), onChange: (v) => onChange("learning_rate", Number(v)) });
  c.activation = select(box, { id: "pg-activation", label: "Activation (all layers)", value: params.activations[0] || "tanh",
    options: Object.entries(ACTIVATION_NAMES).map(([value, label]) => ({ value, label })),
    onChange: (v) => onChange("activations", params.layers.map(() => v)) });
  c.regularization = select(box, { id: "pg-reg", label: "Regularization", value: params.regularization,
    options: [{ value: "none", label: "None" }, { value: "l1", label: "L1" }, { value: "l2", label: "L2" }],
    onChange: (v) => onChange("regularization", v) });
  c.reg_rate = select(box, { id: "pg-reg-rate", label: "Regularization rate", value: String(nearest(REG_RATES, params.reg_rate)),
    options: opts(REG_RATES), onChange: (v) => onChange("reg_rate", Number(v)) });
  c.dropout = select(box, { id: "pg-dropout", label: "Dropout", value: String(nearest(DROPOUTS, params.dropout)),
    options: opts(DROPOUTS, (v) => `${Math.round(v * 100)}%`), onChange: (v) => onChange("dropout", Number(v)) });
  c.batch_size = slider(box, { id: "pg-batch", label: "Batch size", min: 1, max: 50, step: 1, value: params.batch_size,
    format: (v) => String(v), onInput: (v) => onChange("batch_size", Math.round(v)) });
  c.early_stop = toggle(box, { id: "pg-early", label: "Early stop on test loss", checked: params.early_stop,
    onChange: (v) => onChange("early_stop", v) });
  c.patience = slider(box, { id: "pg-patience", label: "Patience (epochs)", min: 1, max: 200, step: 1, value: params.patience,
    format: (v) => String(v), onInput: (v) => onChange("patience", Math.round(v)) });
  return c;
}

// Data: the set, classes, split, noise, size, and a fresh seed.
export function dataPanel(parent, params, onChange) {
  const box = section(parent, "Data", "pg-data");
  const c = { box };
  const setOptions = DATASETS[params.problem].map(([value, label]) => ({ value, label }));
  c.dataset = select(box, { id: "pg-dataset", label: "Data set", value: params.dataset, options: setOptions,
    onChange: (v) => onChange("dataset", v) });
  c.classes = slider(box, { id: "pg-classes", label: "Classes", min: 2, max: 6, step: 1, value: params.classes,
    format: (v) => String(v), onInput: (v) => onChange("classes", Math.round(v)) });
  c.classes.setDisabled?.(params.problem === "regression" || !MULTICLASS.includes(params.dataset));
  c.train_ratio = slider(box, { id: "pg-ratio", label: "Training data", min: 10, max: 90, step: 10, value: params.train_ratio,
    format: (v) => `${v}%`, onInput: (v) => onChange("train_ratio", Math.round(v)) });
  c.noise = slider(box, { id: "pg-noise", label: "Noise", min: 0, max: 50, step: 5, value: params.noise,
    format: (v) => `${v}%`, onInput: (v) => onChange("noise", Math.round(v)) });
  c.n_samples = slider(box, { id: "pg-n", label: "Points", min: 50, max: 1000, step: 50, value: params.n_samples,
    format: (v) => String(v), onInput: (v) => onChange("n_samples", Math.round(v)) });
  const seedRow = document.createElement("div");
  seedRow.className = "pg-seed";
  seedRow.innerHTML = `<span>Seed <b class="pg-seed-value">${params.seed}</b></span>`;
  box.appendChild(seedRow);
  button(seedRow, { label: "Regenerate", ariaLabel: "New data and new starting weights (a new seed)", kind: "secondary",
    onClick: () => onChange("seed", Math.floor(Math.random() * 999999)) });
  return c;
}

// Input features: one toggle per feature (the network drawing shows each as a picture).
export function featurePanel(parent, params, onChange) {
  const box = section(parent, "Features", "pg-features");
  const hint = document.createElement("p");
  hint.className = "pg-hint";
  hint.textContent = "Which properties of a point the network reads.";
  box.appendChild(hint);
  const c = {};
  for (const [name, label] of Object.entries(FEATURE_LABELS)) {
    c[name] = toggle(box, { id: `pg-f-${name}`, label, checked: params.features.includes(name),
      onChange: (on) => {
        const next = Object.keys(FEATURE_LABELS).filter((f) => (f === name ? on : params.features.includes(f)));
        onChange("features", next.length ? next : [name]);
      } });
  }
  return c;
}

// Network shape: add/remove hidden layers, add/remove neurons, an activation per layer.
export function shapeEditor(parent, params, limits, onChange) {
  const box = document.createElement("div");
  box.className = "pg-shape";
  parent.appendChild(box);
  const head = document.createElement("div");
  head.className = "pg-shape-head";
  box.appendChild(head);
  const n = params.layers.length;
  const title = document.createElement("span");
  title.innerHTML = `<b>${n}</b> hidden layer${n === 1 ? "" : "s"}`;
  const setLayers = (layers, acts) => onChange({ layers, activations: acts });
  button(head, { label: "+", ariaLabel: "Add a hidden layer", kind: "secondary", onClick: () => {
    if (n < limits.maxLayers) setLayers([...params.layers, 4], [...params.activations, params.activations[n - 1] || "tanh"]);
  } });
  button(head, { label: "−", ariaLabel: "Remove the last hidden layer", kind: "secondary", onClick: () => {
    if (n > 0) setLayers(params.layers.slice(0, -1), params.activations.slice(0, -1));
  } });
  head.appendChild(title);
  const cols = document.createElement("div");
  cols.className = "pg-shape-layers";
  box.appendChild(cols);
  params.layers.forEach((width, i) => {
    const col = document.createElement("div");
    col.className = "pg-layer-ctl";
    const label = document.createElement("span");
    label.textContent = `Layer ${i + 1}: ${width} neuron${width === 1 ? "" : "s"}`;
    const change = (w) => setLayers(params.layers.map((v, j) => (j === i ? w : v)), params.activations);
    const row = document.createElement("div");
    row.className = "pg-layer-buttons";
    button(row, { label: "+", ariaLabel: `Add a neuron to layer ${i + 1}`, kind: "secondary",
      onClick: () => width < limits.maxNeurons && change(width + 1) });
    button(row, { label: "−", ariaLabel: `Remove a neuron from layer ${i + 1}`, kind: "secondary",
      onClick: () => width > 1 && change(width - 1) });
    col.append(label, row);
    select(col, { id: `pg-act-${i}`, label: `Activation ${i + 1}`, value: params.activations[i],
      options: Object.entries(ACTIVATION_NAMES).map(([value, l]) => ({ value, label: l })),
      onChange: (v) => setLayers(params.layers, params.activations.map((a, j) => (j === i ? v : a))) });
    cols.appendChild(col);
  });
  return { destroy: () => box.remove() };
}
