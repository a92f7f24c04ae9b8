// "Things to try": each {{widget:try-...}} in the text gets buttons that load a setup into the
// playground above, and a "Compare side by side" button that runs the `compare` experiment on
// the server (the same one the chapter's claims check) and shows each model's boundary.
//
// The presets come from the server with the `train` experiment (`extra.presets`: [{widget,
// scenario, presets: [{label, params}]}], each `params` a complete normalized setup), defined once
// in Python (tour/chapters/playground/presets.py).

import { button } from "../../views/controls.js";
import { decisionMap } from "../../views/decision-map.js";
import { fmt, h } from "../../dom.js";

function card(parent, label, r) {
  const box = document.createElement("div");
  box.className = "pg-try-card";
  parent.appendChild(box);
  const title = document.createElement("b");
  title.textContent = label;
  box.appendChild(title);
  const problem = r.config.problem || "classification";
  const map = decisionMap(box, { size: 170, label: `Boundary of: ${label}` });
  if (r.boundary) map.update({ grid: r.boundary, probs: r.probs || null, problem, classes: r.probs ? r.probs.length : 2 });
  const text = document.createElement("div");
  text.textContent = r.finite === false ? "diverged (loss not finite)"
    : `test loss ${fmt(r.test_loss)}` + (r.test_accuracy !== undefined ? `, accuracy ${(100 * r.test_accuracy).toFixed(0)}%` : "");
  box.appendChild(text);
  return map;
}

/** The chapter's "things to try" as {widget: {scenario, presets}}, as the server sends them. */
export function presetsOf(chapter) {
  const train = (chapter.experiments || []).find((e) => e.name === "train");
  const listed = train && train.extra && train.extra.presets;
  if (!Array.isArray(listed)) return {};
  return Object.fromEntries(listed.map((s) => [s.widget, { scenario: s.scenario, presets: s.presets }]));
}

export function tryWidgets(root, api, { load }) {
  const maps = [];
  const tries = presetsOf(api.chapter);
  for (const [name, spec] of Object.entries(tries)) {
    const widget = root.querySelector(`[data-widget="${name}"]`);
    if (!widget) continue;
    widget.classList.add("pg-try");
    widget.replaceChildren();
    const row = h("div", { class: "buttons" });
    widget.append(h("h3", {}, "Try it"), row);
    for (const preset of spec.presets) {
      button(row, { label: `Load: ${preset.label}`, kind: "secondary", onClick: () => load(preset.params) });
    }
    const status = document.createElement("p");
    status.className = "status";
    status.setAttribute("aria-live", "polite");
    const results = document.createElement("div");
    results.className = "pg-try-results";
    button(row, { label: "Compare side by side", kind: "primary", onClick: async () => {
      status.textContent = "Training each model on the server…";
      status.classList.remove("error");
      try {
        const out = await api.run("compare", { scenario: spec.scenario });
        results.replaceChildren();
        for (const [label, r] of Object.entries(out.variants)) maps.push(card(results, label, r));
        status.textContent = `${out.steps.toLocaleString("en")} training steps each, same seed.`;
      } catch (err) {
        status.textContent = err.message;
        status.classList.add("error");
      }
    } });
    widget.append(status, results);
  }
  return { destroy: () => maps.forEach((m) => m.destroy()) };
}
