// Chapter 1, neuron: sliders for one neuron, an activation and its slope, a neuron learning live.

import { latestOnly } from "../../api.js";
import { color } from "../../palette.js";
import { controlsFromSchema } from "../../views/controls.js";
import { m, setFormula } from "../../views/formula.js";
import { legend } from "../../views/legend.js";
import { networkGraph } from "../../views/network.js";
import { activationWidget, trainWidget } from "./widgets.js";
import { fmt, h } from "../../dom.js";

let cleanups = [];

function neuronWidget(root, api, state, shared) {
  const schema = api.schema("neuron_output");
  const values = state.fromSchema(schema);
  root.append(h("h3", {}, "Try it: one neuron, two inputs"));
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  root.append(row);
  const status = h("p", { class: "status", role: "status" });
  const formula = h("div", { class: "formula-live", "aria-live": "off" });
  const out = h("dl", { class: "readout" });
  const zOut = h("dd", { "data-testid": "neuron-z" });
  const yOut = h("dd", { class: "big-number", "data-testid": "neuron-y" });
  const slopeOut = h("dd", { "data-testid": "neuron-slope" });
  out.append(h("dt", {}, "z (weighted sum)"), zOut, h("dt", {}, "y = f(z)"), yOut,
    h("dt", {}, "slope f′(z)"), slopeOut);
  const net = networkGraph(right, {
    layers: [2, 1], inputLabels: ["x₁", "x₂"], width: 300, height: 150,
    label: "the neuron: two inputs joined to one output by weights w1 and w2",
  });
  root.append(formula);
  right.append(out, status);
  legend(right, [
    { label: "positive weight", color: color("pos") },
    { label: "negative weight", color: color("neg") },
  ]);

  const compute = latestOnly(async (params) => {
    try {
      const r = await api.run("neuron_output", params);
      const p = params;
      setFormula(formula, m.row(
        m.id("z"), m.op("="), m.num(p.w1), m.op("·"), m.num(p.x1), m.op("+"),
        m.num(p.w2), m.op("·"), m.num(p.x2), m.op("+"), m.num(p.b), m.op("="), m.num(r.z, 3)),
        { label: `z equals ${fmt(r.z)}` });
      zOut.textContent = fmt(r.z);
      yOut.textContent = fmt(r.y, 4);
      slopeOut.textContent = fmt(r.slope, 4);
      net.update({ weights: [[[p.w1, p.w2]]] });
      status.textContent = "";
      status.classList.remove("error");
      shared.z = r.z;
      shared.onZ(r.z, p.activation);
    } catch (err) {
      status.textContent = err.message;
      status.classList.add("error");
    }
  });
  const ctl = controlsFromSchema(left, schema, values, (name, value, all) => {
    state.toSchema(schema, all);
    compute(all);
  });
  compute(ctl.values());
  return () => net.destroy();
}

export async function mount(root, api, state) {
  cleanups = [];
  const shared = { z: 0, onZ: () => {} };
  const slot = (name) => root.querySelector(`[data-widget="${name}"]`);
  if (slot("neuron")) cleanups.push(neuronWidget(slot("neuron"), api, state, shared));
  if (slot("activation")) cleanups.push(activationWidget(slot("activation"), api, state, shared));
  if (slot("train")) cleanups.push(trainWidget(slot("train"), api, state));
}

export function unmount() {
  for (const fn of cleanups) fn && fn();
  cleanups = [];
}
