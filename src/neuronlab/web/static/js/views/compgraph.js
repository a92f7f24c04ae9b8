// A scalar computation graph drawn as SVG: one node per number, edges from inputs to users.
//
// graph: {nodes: [{id, op, kind, label, value, grad, x: column, y: 0..1, term}], edges:
// [{source, target, local_grad}]} (neuronlab.graph(loss, scalar_level=True) plus a layout).
// update(graph, {active, shownValues: Set, shownGrads: Set, activeEdges: Set("src>dst")}).

import { svg } from "../dom.js";

const OPS = { "*": "×", "+": "+", tanh: "tanh", sigmoid: "σ", "pow(2)": "x²", exp: "exp", neg: "−" };

const num = (v) => {
  if (v === null || v === undefined || typeof v === "string") return String(v ?? "–");
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(4);
};

/** A leaf's label, shorter: "W1[0,1]" -> "W1₀₁", "x[1]" -> "x₁". */
export function shortLabel(label) {
  const sub = "₀₁₂₃₄₅₆₇₈₉";
  return label.replace(/\[([0-9,]+)\]/g, (_, idx) =>
    idx.split(",").map((d) => [...d].map((c) => sub[Number(c)]).join("")).join("")).replace(/\*/g, "·");
}

export function compGraph(parent, opts = {}) {
  const { label = "computation graph", colWidth = 92, height = 470 } = opts;
  const root = document.createElement("div");
  root.className = "view compgraph";
  root.dataset.updates = "0";
  const box = svg("svg", { role: "img", "aria-label": label });
  root.append(box);
  parent.append(root);
  let drawn = null; // {key, nodes: Map(id -> {g, value, grad}), edges: Map("s>t" -> {line, text})}

  function layout(graph) {
    const cols = 1 + Math.max(...graph.nodes.map((n) => n.x));
    const width = cols * colWidth + 30;
    box.setAttribute("viewBox", `0 0 ${width} ${height}`);
    box.style.minWidth = `${Math.min(width, 640)}px`;
    const pos = new Map();
    for (const n of graph.nodes) {
      pos.set(n.id, [25 + n.x * colWidth + colWidth / 2 - 10, 24 + n.y * (height - 70)]);
    }
    return pos;
  }

  function build(graph) {
    box.replaceChildren();
    const pos = layout(graph);
    const edgeLayer = svg("g", { class: "cg-edges" });
    const nodeLayer = svg("g", { class: "cg-nodes" });
    box.append(edgeLayer, nodeLayer);
    const edges = new Map();
    graph.edges.forEach((e) => {
      const [x1, y1] = pos.get(e.source);
      const [x2, y2] = pos.get(e.target);
      const key = `${e.source}>${e.target}`;
      const line = svg("line", { x1: x1 + 14, y1, x2: x2 - 14, y2, class: "cg-edge" });
      const text = svg("text", { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, class: "cg-local" });
      edgeLayer.append(line);
      edges.set(key, { line, text, edge: e });
      edgeLayer.append(text);
    });
    const nodes = new Map();
    for (const n of graph.nodes) {
      const [x, y] = pos.get(n.id);
      const g = svg("g", { class: `cg-node cg-${n.kind}`, "data-id": n.id, transform: `translate(${x},${y})` });
      const leaf = n.op === null;
      const name = leaf ? shortLabel(n.label) : OPS[n.op] || n.op;
      if (leaf) g.append(svg("rect", { x: -24, y: -12, width: 48, height: 24, rx: 6 }));
      else g.append(svg("circle", { r: 14 }));
      g.append(svg("text", { class: "cg-name", y: 4 }, name));
      if (!leaf && n.term === null) g.append(svg("text", { class: "cg-label", y: -18 }, shortLabel(n.label)));
      const value = svg("text", { class: "cg-value", y: 27 });
      const grad = svg("text", { class: "cg-grad", y: 39 });
      g.append(value, grad);
      const title = svg("title", {}, n.label);
      g.append(title);
      nodeLayer.append(g);
      nodes.set(n.id, { g, value, grad, node: n, title });
    }
    drawn = { key: graph.nodes.map((n) => n.id + n.label).join(), nodes, edges };
  }

  return {
    el: root,
    update(graph, state = {}) {
      const key = graph.nodes.map((n) => n.id + n.label).join();
      if (!drawn || drawn.key !== key) build(graph);
      const byId = new Map(graph.nodes.map((n) => [n.id, n]));
      const values = state.shownValues || new Set();
      const grads = state.shownGrads || new Set();
      const activeEdges = state.activeEdges || new Set();
      for (const [id, d] of drawn.nodes) {
        const n = byId.get(id);
        d.node = n;
        const hasValue = values.has(id);
        const hasGrad = grads.has(id);
        d.value.textContent = hasValue ? num(n.value) : "";
        d.grad.textContent = hasGrad ? `∂ ${num(n.grad)}` : "";
        d.g.classList.toggle("pending", !hasValue);
        d.g.classList.toggle("active", state.active === id);
        d.g.classList.toggle("has-grad", hasGrad);
        d.g.dataset.value = hasValue ? String(n.value) : "";
        d.g.dataset.grad = hasGrad ? String(n.grad) : "";
        d.title.textContent = `${n.label}: value ${num(n.value)}${hasGrad ? `, gradient ${num(n.grad)}` : ""}`;
      }
      for (const [key, d] of drawn.edges) {
        const on = activeEdges.has(key);
        d.line.classList.toggle("active", on);
        const e = graph.edges.find((x) => `${x.source}>${x.target}` === key) || d.edge;
        d.text.textContent = on && state.edgeLabels ? num(e.local_grad) : "";
      }
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
      if (state.summary) box.setAttribute("aria-label", `${label}: ${state.summary}`);
    },
    destroy() {
      root.remove();
    },
  };
}
