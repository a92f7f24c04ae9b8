// The neuron chapter's activation picker and its live training widget.

import { color } from "../../palette.js";
import { button, controlsFromSchema, select } from "../../views/controls.js";
import { heatMap } from "../../views/heatmap.js";
import { colorBar, legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { fmt, h } from "../../dom.js";

const NAMES = { sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU", leaky_relu: "leaky ReLU", gelu: "GELU" };

export function activationWidget(root, api, state, shared) {
  const param = api.schema("activation_curves").find((p) => p.name === "activation");
  const choices = param.choices;
  let current = choices.includes(state.get("curve")) ? state.get("curve") : param.default;
  root.append(h("h3", {}, "An activation and its slope"));
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  root.append(row);
  select(left, {
    label: "activation",
    options: choices.map((c) => ({ value: c, label: NAMES[c] || c })),
    value: current,
    onChange: (v) => {
      current = v;
      state.set({ curve: v === param.default ? null : v });
      load();
    },
  });
  const out = h("dl", { class: "readout" });
  const maxOut = h("dd", { "data-testid": "max-slope" });
  const whereOut = h("dd");
  const minOut = h("dd");
  out.append(h("dt", {}, "largest slope"), maxOut, h("dt", {}, "at z ="), whereOut,
    h("dt", {}, "smallest value"), minOut);
  const note = h("p", { class: "widget-note" },
    "The dotted line marks the z of the neuron above: move its sliders and watch it travel.");
  left.append(out, note);
  const chart = lineChart(right, { title: "f(z) and its slope f′(z)", xLabel: "z", height: 230 });
  legend(right, [
    { label: "f(z)", color: color("s1") },
    { label: "slope f′(z)", color: color("s2"), dashed: true },
  ]);
  const status = h("p", { class: "status", role: "status" });
  right.append(status);
  let curves = null;

  function draw() {
    if (!curves) return;
    const series = [
      { name: "f(z)", x: curves.x, y: curves.ys.value, color: color("s1") },
      { name: "slope", x: curves.x, y: curves.ys.derivative, color: color("s2"), dashed: true },
    ];
    const z = Math.max(-6, Math.min(6, shared.z || 0));
    chart.update(series, { markers: [{ x: z, label: `z = ${fmt(shared.z, 2)}` }] });
  }

  async function load() {
    try {
      const r = await api.run("activation_curves", { activation: current });
      curves = r.curves;
      maxOut.textContent = fmt(r.max_slope, 4);
      whereOut.textContent = fmt(r.max_slope_at, 2);
      minOut.textContent = fmt(r.min_value, 4);
      status.textContent = "";
      draw();
    } catch (err) {
      status.textContent = err.message;
    }
  }
  shared.onZ = () => draw();
  load();
  return () => chart.destroy();
}

const SHOWN = ["dataset", "n_points", "noise", "lr", "speed", "seed"];

export function trainWidget(root, api, state) {
  const full = api.schema("train_neuron");  // steps etc. come from the URL, without a control
  const schema = full.filter((p) => SHOWN.includes(p.name));
  const live = new Set(schema.filter((p) => p.live).map((p) => p.name));
  let values = state.fromSchema(full);
  root.append(h("h3", {}, "Watch one neuron learn"));
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  root.append(row);

  const buttons = h("div", { class: "buttons" });
  left.append(buttons);
  const play = button(buttons, { label: "Play", kind: "primary", onClick: () => togglePlay() });
  const stepBtn = button(buttons, { label: "Step", onClick: () => stepOnce() });
  button(buttons, { label: "Reset", onClick: () => restart(false) });
  controlsFromSchema(left, schema, values, (name, value, all) => {
    values = { ...values, ...all };
    state.toSchema(full, values);
    if (live.has(name) && run && run.state !== "ended") run.update({ [name]: value });
    else restart(playing);
  });
  const out = h("dl", { class: "readout" });
  const fields = {};
  for (const [key, label] of [["step", "step"], ["loss", "loss"], ["accuracy", "accuracy"],
    ["w1", "w₁"], ["w2", "w₂"], ["b", "b"]]) {
    fields[key] = h("dd", { "data-testid": `train-${key}` }, "–");
    out.append(h("dt", {}, label), fields[key]);
  }
  const status = h("p", { class: "status", role: "status" });
  left.append(out, status);

  const map = heatMap(right, { size: 340, label: "the neuron's output over the plane" });
  colorBar(right, { lo: 0, hi: 1, label: "output y" });
  legend(right, [
    { label: "class 1 (blue disc)", color: color("pos"), shape: "dot" },
    { label: "class 0 (orange square)", color: color("neg"), shape: "square" },
    { label: "boundary z = 0", color: "#1d2430" },
  ]);
  const chart = lineChart(right, { title: "loss (training data)", xLabel: "step", height: 150 });

  let run = null;
  let playing = false;
  let history = { x: [], y: [] };
  let lastFrameStep = 0;

  function setPlaying(p) {
    playing = p;
    play.textContent = p ? "Pause" : "Play";
    play.setAttribute("aria-pressed", String(p));
  }

  function onFrame(f) {
    map.update({
      grid: f.probability, points: f.points, line: f.line,
      description: `step ${f.step}, accuracy ${fmt(f.accuracy, 2)}`,
    });
    const n = history.x.length;
    if (!n || history.x[n - 1] < f.step) {
      history.x.push(f.step);
      history.y.push(f.loss);
    }
    chart.update([{ name: "loss", x: history.x, y: history.y, color: color("s1") }]);
    lastFrameStep = f.step;
    fields.step.textContent = String(f.step);
    fields.loss.textContent = fmt(f.loss, 4);
    fields.accuracy.textContent = `${(100 * f.accuracy).toFixed(1)} %`;
    fields.w1.textContent = fmt(f.w1);
    fields.w2.textContent = fmt(f.w2);
    fields.b.textContent = fmt(f.b);
  }

  function restart(startPlaying) {
    if (run) run.stop();
    history = { x: [], y: [] };
    status.textContent = "";
    status.classList.remove("error");
    setPlaying(startPlaying);
    run = api.live("train_neuron", values, {
      paused: !startPlaying,
      onFrame,
      onState: (s) => {
        setPlaying(s === "running");
        root.dataset.state = s;  // what the server says the run is doing
      },
      onError: (msg) => {
        status.textContent = msg;
        status.classList.add("error");
      },
      onEnd: (info) => {
        setPlaying(false);
        if (info.reason === "done") status.textContent = `Finished after ${lastFrameStep} steps.`;
        else if (info.reason !== "stopped" && info.reason !== "closed") {
          status.textContent = info.error || `The run ended (${info.reason}).`;
        }
      },
    });
  }

  function togglePlay() {
    if (!run || run.state === "ended") return restart(true);
    if (playing) run.pause();
    else run.resume();
    setPlaying(!playing);
  }

  function stepOnce() {
    if (!run || run.state === "ended") return restart(false);
    setPlaying(false);
    run.step();
  }

  restart(false);
  stepBtn.setAttribute("aria-label", "Advance one training step");
  return () => {
    if (run) run.stop();
    map.destroy();
    chart.destroy();
  };
}
