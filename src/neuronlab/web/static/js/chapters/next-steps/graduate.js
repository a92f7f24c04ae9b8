// "Graduate to PyTorch": the neuronlab code and the exported model.py side by side, the same
// inputs through both in a table, and the three files to download.

import { clear, fmtShort, h, pct } from "../../dom.js";
import { saveFile, size } from "./download.js";

const MODELS = { playground: "the playground network (trained here)", "fashion-cnn": "the shipped CNN (Fashion-MNIST)" };
const ENGINES = { auto: "automatic", pytorch: "PyTorch", onnx: "ONNX Runtime" };
const FILES = [
  ["py", "model.py", "PyTorch code"],
  ["weights", "weights.pt", "the weights"],
  ["onnx", "model.onnx", "for ONNX Runtime"],
];

function select(label, id, options, value, onChange) {
  const input = h("select", { id, onchange: (e) => onChange(e.target.value) },
    Object.entries(options).map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  return h("div", { class: "control" }, h("label", { for: id }, label), input);
}

function codePanel(title, note, text) {
  return h("figure", { class: "ns-code" },
    h("figcaption", {}, h("strong", {}, title), " ", h("span", { class: "ns-muted" }, note)),
    h("pre", { tabindex: "0", "aria-label": `${title} code` }, h("code", {}, text)));
}

function thumbnail(b64) {
  const canvas = h("canvas", { width: 28, height: 28, class: "ns-thumb", "aria-hidden": "true" });
  const pixels = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < pixels.length; i++) {
    const v = 255 - pixels[i];
    image.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function predictionTable(r) {
  const { columns, rows } = r.predictions;
  const cell = (value, i) => (typeof value === "number" && i >= 4 ? (i === 7 ? fmtShort(value) : pct(value)) : String(value));
  return h("table", { class: "ns-table" },
    h("caption", {}, r.predictions.title),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((row, k) => h("tr", { class: row[3] === row[5] ? "" : "ns-differ" },
      row.map((v, i) => h("td", {}, i === 1 && r.thumbnails.length ? thumbnail(r.thumbnails[k]) : null,
        i === 1 && r.thumbnails.length ? null : cell(v, i)))))));
}

export function graduateWidget(slot, api, state) {
  const recipe = {
    model: state.get("model", "playground") in MODELS ? state.get("model", "playground") : "playground",
    engine: state.get("engine", "auto") in ENGINES ? state.get("engine", "auto") : "auto",
    epochs: 150,
    seed: 0,
  };
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const verdict = h("p", { class: "ns-verdict", "aria-live": "polite" });
  const body = h("div", { class: "ns-body" });
  const fileButtons = FILES.map(([what, name, note]) => {
    const button = h("button", { type: "button", class: "btn", "data-file": what }, `Download ${name}`);
    button.addEventListener("click", () => download(what, button, note));
    return button;
  });
  const root = h("div", { class: "ns-graduate" },
    h("h3", {}, "The same model in neuronlab and in PyTorch"),
    h("div", { class: "ns-controls" },
      select("Model", "ns-model", MODELS, recipe.model, (v) => show({ model: v })),
      select("Run the export with", "ns-engine", ENGINES, recipe.engine, (v) => show({ engine: v }))),
    status, verdict, body,
    h("div", { class: "buttons ns-files" }, fileButtons),
    h("p", { class: "widget-note" },
      "Put model.py and weights.pt in one folder; then ", h("code", {}, "import model; net = model.load()"),
      " gives the trained network in PyTorch. model.onnx runs with ",
      h("code", {}, "onnxruntime.InferenceSession"), "."));
  clear(slot).append(root);
  let ticket = 0;

  async function download(what, button, note) {
    button.disabled = true;
    status.textContent = `Exporting ${note}…`;
    try {
      const file = await api.run("download", { model: recipe.model, what, epochs: recipe.epochs, seed: recipe.seed });
      saveFile(file);
      status.textContent = `Saved ${file.filename} (${size(file.bytes)}).`;
    } catch (err) {
      status.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  }

  async function show(patch = {}) {
    Object.assign(recipe, patch);
    state.set({ model: recipe.model === "playground" ? null : recipe.model, engine: recipe.engine === "auto" ? null : recipe.engine });
    root.querySelector("#ns-model").value = recipe.model;
    const mine = ++ticket;
    status.classList.remove("error");
    status.textContent = `Exporting ${MODELS[recipe.model]} and running it in both libraries…`;
    slot.dataset.ready = "0";
    let r;
    try {
      r = await api.run("graduate", { model: recipe.model, engine: recipe.engine, epochs: recipe.epochs, seed: recipe.seed, examples_shown: 8 });
    } catch (err) {
      if (mine !== ticket) return;
      status.textContent = err.message;
      status.classList.add("error");
      slot.dataset.ready = "1";
      return;
    }
    if (mine !== ticket) return;
    status.textContent = `${r.parameters.toLocaleString("en")} parameters, exported and run by ${r.engine}.`;
    verdict.textContent = `${r.agree} of ${r.examples} predictions pick the same class in both; ` +
      `the largest difference between the outputs is ${fmtShort(r.max_difference)}.`;
    verdict.className = `ns-verdict ${r.agree === r.examples ? "ok" : "bad"}`;
    clear(body).append(
      h("div", { class: "ns-codes" },
        codePanel("neuronlab", "how it was built and trained", r.neuronlab_code.text),
        codePanel("PyTorch", "model.py, written by export_torch", r.torch_code.text)),
      predictionTable(r));
    slot.dataset.engine = r.engine;
    slot.dataset.ready = "1";
  }

  return { show, destroy() { ticket++; } };
}
