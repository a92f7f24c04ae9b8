// Integrated gradients per column of a table, averaged over test rows, with the warning that
// an attribution describes the model's arithmetic, not a causal effect.

import { fmt, h, pct } from "../../dom.js";

const SHOWN = 12;

export function renderTabular(out, r) {
  const top = r.features.slice(0, SHOWN);
  const largest = Math.max(...top.map((f) => f.mean_abs), 1e-12);
  const bars = h("div", { class: "px-bars", "data-testid": "t-bars" });
  for (const f of top) {
    const towards = f.mean >= 0 ? "pushes the score up on average" : "pushes the score down on average";
    bars.append(h("div", { class: "px-bar-row", title: `${f.feature}: mean IG ${fmt(f.mean, 4)} (${towards})` },
      h("span", {}, f.feature),
      h("span", { class: "px-bar-track" }, h("span", { class: `px-bar ${f.mean >= 0 ? "" : "px-bar-neg"}`,
        style: `width:${Math.round((f.mean_abs / largest) * 100)}%` })),
      h("span", { class: "px-num" }, fmt(f.mean_abs, 3))));
  }
  out.append(
    h("p", { class: "view-title" }, `Mean |IG| per feature over ${r.rows} test rows of ${r.dataset} (model accuracy ${pct(r.test_accuracy)})`),
    bars,
    h("p", { class: "widget-note" }, "Bar length: mean |IG|. Blue: the feature raises the score on average; orange: lowers it."),
    h("p", { class: "px-warning", role: "note" },
      "Not a causal effect: these numbers say how this model's score moves with each column, not what would happen to a person if the column changed."));
}
