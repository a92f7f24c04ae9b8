// The numeric gradient check (a table the learner runs and reads) and the node used twice
// (b = a + a, c = b * b) backpropagated in the right and in the wrong order.

import { button, select, slider } from "../../views/controls.js";
import { fmtSci, h } from "../../dom.js";
import { dataTable, showError } from "./helpers.js";

export function gradcheckWidget(root, api, state, shared) {
  root.append(h("h3", {}, "Run a gradient check"));
  root.append(h("p", { class: "widget-note" },
    "Uses the inputs and weights of the network above. Each row nudges one weight by ±ε."));
  const controls = h("div");
  const buttons = h("div", { class: "buttons" });
  const out = h("div", { "aria-live": "polite" });
  const status = h("p", { class: "status", role: "status" });
  root.append(controls, buttons, out, status);
  const epsParam = api.schema("gradient_check").find((p) => p.name === "eps");
  let eps = state.getNumber("eps", epsParam.default);
  slider(controls, { label: "step ε", min: epsParam.min, max: epsParam.max, value: eps, log: true,
    format: (v) => Number(v).toExponential(0),
    onInput: (v) => { eps = v; state.set({ eps: v === epsParam.default ? null : v }); } });

  async function check() {
    try {
      const r = await api.run("gradient_check", { ...shared.net, eps });
      const worst = r.max_relative_error;
      out.replaceChildren(
        dataTable(r.table.columns, r.table.rows.map(([name, back, num, rel]) => [name, back.toPrecision(10), num.toPrecision(10), rel.toExponential(1)]),
          { caption: r.table.title, testid: "gradcheck-table" }),
        h("p", {}, "largest relative error ",
          h("strong", { "data-testid": "gradcheck-worst", class: worst < 1e-6 ? "ln-verdict ok" : "ln-verdict bad" }, worst.toExponential(1)),
          worst < 1e-6 ? " — backprop and the ruler agree." : " — larger than 1e-6: the step ε is too big (the slope bends) or too small (rounding)."));
      showError(status, null);
    } catch (err) {
      showError(status, err);
    }
  }
  button(buttons, { label: "Run the check", kind: "primary", onClick: check });
  shared.onNet = () => { if (out.childElementCount) check(); };
  return () => { shared.onNet = () => {}; };
}

function miniGraph(values, grads) {
  // a -> b (two edges), b -> c (two edges), drawn with curved parallel edges
  const ns = "http://www.w3.org/2000/svg";
  const el = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const svg = el("svg", { viewBox: "0 0 330 110", role: "img",
    "aria-label": `a = ${values.a}, b = a + a = ${values.b}, c = b times b = ${values.c}; gradients: ${Object.entries(grads).map(([k, v]) => `${k} ${fmtSci(v, 2)}`).join(", ")}` });
  const xs = { a: 40, b: 165, c: 290 };
  for (const [s, t] of [["a", "b"], ["b", "c"]]) {
    for (const bend of [-22, 22]) {
      const mx = (xs[s] + xs[t]) / 2;
      svg.append(el("path", { d: `M ${xs[s] + 20} 50 Q ${mx} ${50 + bend} ${xs[t] - 20} 50`, fill: "none", stroke: "#8a94a6", "stroke-width": 1.5 }));
    }
  }
  for (const [k, x] of Object.entries(xs)) {
    svg.append(el("circle", { cx: x, cy: 50, r: 19, fill: "#fff", stroke: "#1d2430", "stroke-width": 1.5 }));
    svg.append(el("text", { x, y: 55, "text-anchor": "middle", "font-size": 15, "font-weight": 600 }, k));
    svg.append(el("text", { x, y: 92, "text-anchor": "middle", "font-size": 12 }, `= ${fmtSci(values[k], 2)}`));
    svg.append(el("text", { x, y: 16, "text-anchor": "middle", "font-size": 12, fill: "#d55e00", "font-weight": 700 },
      grads[k] === undefined ? "" : `∂ ${fmtSci(grads[k], 2)}`));
  }
  return h("div", { class: "ln-mini" }, svg);
}

export function topoWidget(root, api, state) {
  root.append(h("h3", {}, "A node used twice: b = a + a, c = b · b"));
  const controls = h("div");
  const buttons = h("div", { class: "buttons" });
  const two = h("div", { class: "ln-two" });
  const status = h("p", { class: "status", role: "status" });
  root.append(controls, buttons, two, status);
  let a = state.getNumber("a", 3);
  let k = 0; // deliveries shown in each column
  let results = null;
  const progress = h("span", { class: "ln-progress" });

  function column(r) {
    const shown = r.deliveries.slice(0, k);
    const grads = { c: 1 };
    for (const d of shown) grads[d.to_label] = d.total;
    const done = k >= r.deliveries.length;
    // a delivery is early when its sender still has a delivery to receive after it
    const early = (i) => r.deliveries.slice(i + 1).some((later) => later.to === r.deliveries[i].from);
    const items = r.deliveries.map((d, i) => h("li", { class: i >= k ? "future" : early(i) ? "late" : "" },
      `${d.from_label} → ${d.to_label}: ${fmtSci(d.user_grad, 2)} × ${fmtSci(d.local_grad, 2)} = ${fmtSci(d.amount, 2)}; ${d.to_label} now ${fmtSci(d.total, 2)}`
      + (early(i) && i < k ? ` (too early: ${d.from_label} has not heard from all its users)` : "")));
    const title = r.order === "topological" ? "Reverse topological order (the engine's)" : "Eager order (hands on too early)";
    const verdict = done
      ? h("p", { class: `ln-verdict ${r.correct ? "ok" : "bad"}`, "data-testid": `topo-${r.order}` },
        `dc/da = ${fmtSci(r.grad_a, 2)} ${r.correct ? "✓ = 8a" : `✗ (8a = ${fmtSci(r.exact, 2)})`}`)
      : h("p", { class: "ln-verdict", "data-testid": `topo-${r.order}` }, "…");
    return h("div", { class: "ln-order" }, h("h4", {}, title),
      miniGraph(Object.fromEntries(r.nodes.map((n) => [n.label, n.value])), grads), h("ol", {}, ...items), verdict);
  }

  function render() {
    if (!results) return;
    const n = Math.max(...results.map((r) => r.deliveries.length));
    progress.textContent = `delivery ${Math.min(k, n)} / ${n}`;
    two.replaceChildren(...results.map(column));
  }

  async function load() {
    try {
      results = await Promise.all(["topological", "eager"].map((order) => api.run("topo_order", { a, order })));
      render();
      showError(status, null);
    } catch (err) {
      showError(status, err);
    }
  }
  slider(controls, { label: "a", min: -5, max: 5, step: 0.5, value: a, format: (v) => v.toFixed(1),
    onInput: (v) => { a = v; state.set({ a: v === 3 ? null : v }); load(); } });
  button(buttons, { label: "Step ▶", kind: "primary", ariaLabel: "next delivery", onClick: () => { k += 1; render(); } });
  button(buttons, { label: "Show all", onClick: () => { k = 99; render(); } });
  button(buttons, { label: "Reset", onClick: () => { k = 0; render(); } });
  buttons.append(progress);
  load();
  return () => {};
}
