// Backpropagation step by step on the engine's scalar graph of a 2-2-1 network.
//
// The server sends the graph (values, gradients, local derivatives) and a walk through it, one
// step per node: forward (the node's value), then backward (its gradient as the sum over its
// users of user.grad x local grad). This module only replays that walk.

import { button, controlsFromSchema } from "../../views/controls.js";
import { compGraph, shortLabel } from "../../views/compgraph.js";
import { fmtSci, h } from "../../dom.js";
import { latestOnly, showError } from "./helpers.js";

const OPNAME = { "*": "×", "+": "+", tanh: "tanh", sigmoid: "σ", "pow(2)": "²" };

function forwardText(node, step, byId) {
  const name = (id) => shortLabel(byId.get(id).label);
  const ins = step.inputs.map(([id, v]) => `${fmtSci(v)}`);
  if (node.op === null) {
    return `${shortLabel(node.label)} is ${node.kind === "parameter" ? "a weight" : "an input"}: ${fmtSci(node.value)}`;
  }
  const label = shortLabel(node.label);
  if (node.op === "*" || node.op === "+") {
    return `${label} = ${step.inputs.map(([id]) => name(id)).join(` ${OPNAME[node.op]} `)} = ${ins.join(` ${OPNAME[node.op]} `)} = ${fmtSci(node.value)}`;
  }
  if (node.op === "pow(2)") return `${label} = (${ins[0]})² = ${fmtSci(node.value)}`;
  return `${label} = ${OPNAME[node.op] || node.op}(${ins.join(", ")}) = ${fmtSci(node.value)}`;
}

export function backpropWidget(root, api, state, shared) {
  const schema = api.schema("backprop_graph");
  Object.assign(shared.net, state.fromSchema(schema));
  root.append(h("h3", {}, "Step through backpropagation"));
  const buttons = h("div", { class: "buttons" });
  const progress = h("span", { class: "ln-progress", "data-testid": "bp-progress" });
  const graphBox = h("div");
  const explain = h("div", { class: "ln-explain", "aria-live": "polite", "data-testid": "bp-explain" });
  const status = h("p", { class: "status", role: "status" });
  root.append(buttons, graphBox, explain, status);
  const graph = compGraph(graphBox, { label: "computation graph of the 2-2-1 network" });
  let data = null;
  let byId = new Map();
  let k = -1; // the last step taken; -1: nothing computed yet
  let timer = null;

  const back = button(buttons, { label: "◀ Step back", onClick: () => go(k - 1), ariaLabel: "step back" });
  const fwd = button(buttons, { label: "Step ▶", kind: "primary", onClick: () => go(k + 1), ariaLabel: "step" });
  const play = button(buttons, { label: "Play", onClick: () => togglePlay() });
  button(buttons, { label: "Reset", onClick: () => { stopPlay(); go(-1); } });
  const toBackward = button(buttons, { label: "Skip to backward", onClick: () => go(data.forward_order.length - 1) });
  buttons.append(progress);

  function render() {
    if (!data) return;
    const steps = data.steps;
    const shownValues = new Set();
    const shownGrads = new Set();
    for (let i = 0; i <= k; i++) {
      (steps[i].phase === "forward" ? shownValues : shownGrads).add(steps[i].node);
    }
    const step = k >= 0 ? steps[k] : null;
    const activeEdges = new Set();
    if (step && step.phase === "forward") step.inputs.forEach(([id]) => activeEdges.add(`${id}>${step.node}`));
    if (step && step.phase === "backward") step.terms.forEach((t) => activeEdges.add(`${step.node}>${t.user}`));
    const phase = !step ? "ready" : step.phase;
    graph.update(data, { active: step && step.node, shownValues, shownGrads, activeEdges,
      edgeLabels: phase === "backward",
      summary: step ? `${phase} step ${k + 1} of ${steps.length}, at ${byId.get(step.node).label}` : "nothing computed yet" });
    progress.textContent = `step ${k + 1} / ${steps.length}`;
    back.disabled = k < 0;
    fwd.disabled = k >= steps.length - 1;
    explain.replaceChildren(...explanation(step));
    explain.dataset.node = step ? step.node : "";
    explain.dataset.phase = phase;
  }

  function explanation(step) {
    if (!step) {
      return [h("p", { class: "ln-phase" }, "Ready"),
        h("p", {}, `Loss L = ${fmtSci(data.loss)} once computed. Press Step to evaluate the graph one node at a time, inputs first.`)];
    }
    const node = byId.get(step.node);
    if (step.phase === "forward") {
      return [h("p", { class: "ln-phase" }, `Forward pass · node ${shortLabel(node.label)}`),
        h("p", { class: "ln-eq" }, forwardText(node, step, byId)),
        h("p", {}, "value ", h("span", { class: "ln-big", "data-testid": "bp-value" }, fmtSci(node.value)))];
    }
    const label = shortLabel(node.label);
    if (step.seed) {
      return [h("p", { class: "ln-phase" }, `Backward pass · node ${label}`),
        h("p", { class: "ln-eq" }, `∂L/∂L = 1: the output is where backward starts.`),
        h("p", {}, "gradient ", h("span", { class: "ln-big ln-grad", "data-testid": "bp-grad" }, fmtSci(node.grad)))];
    }
    const terms = step.terms.map((t) =>
      `∂L/∂${shortLabel(byId.get(t.user).label)} × ∂${shortLabel(byId.get(t.user).label)}/∂${label} = ${fmtSci(t.user_grad)} × ${fmtSci(t.local_grad)} = ${fmtSci(t.product)}`);
    return [h("p", { class: "ln-phase" }, `Backward pass · node ${label} · ${step.terms.length} user${step.terms.length === 1 ? "" : "s"}`),
      h("p", { class: "ln-eq" }, `grad = sum over users of user.grad × local grad`),
      ...terms.map((t) => h("p", { class: "ln-eq" }, t)),
      h("p", {}, `∂L/∂${label} = `, h("span", { class: "ln-big ln-grad", "data-testid": "bp-grad" }, fmtSci(node.grad)))];
  }

  function go(i) {
    if (!data) return;
    k = Math.max(-1, Math.min(data.steps.length - 1, i));
    if (k >= data.steps.length - 1) stopPlay();
    render();
  }

  function stopPlay() {
    if (timer) clearInterval(timer);
    timer = null;
    play.textContent = "Play";
  }
  function togglePlay() {
    if (timer) return stopPlay();
    if (k >= data.steps.length - 1) k = -1;
    play.textContent = "Pause";
    timer = setInterval(() => go(k + 1), 450);
  }

  const load = latestOnly(async (params) => {
    try {
      data = await api.run("backprop_graph", params);
      byId = new Map(data.nodes.map((n) => [n.id, n]));
      k = Math.min(k, data.steps.length - 1);
      render();
      showError(status, null);
      shared.onNet(params);
    } catch (err) {
      showError(status, err);
    }
  });

  const details = h("details", { class: "ln-weights" }, h("summary", {}, "Inputs, target and weights"));
  root.append(details);
  controlsFromSchema(details, schema, shared.net, (name, value, all) => {
    Object.assign(shared.net, all);
    state.toSchema(schema, shared.net);
    load({ ...shared.net });
  });
  toBackward.disabled = false;
  load({ ...shared.net });
  return () => { stopPlay(); graph.destroy(); };
}
