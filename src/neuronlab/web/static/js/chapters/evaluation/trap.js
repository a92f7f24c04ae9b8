// Accuracy's trap: the always-"no" model against the trained MLP, metrics and confusion matrices.

import { fmt, h, pct } from "../../dom.js";
import { confusionMatrix } from "../../views/confusion.js";
import { dataTable } from "../../views/table.js";
import { CLASS_NAMES, frame, showError } from "./shared.js";

export async function trapWidget(el, api) {
  const { body, status } = frame(el, "Always 'no' against a trained model");
  const intro = h("p", { class: "widget-note" });
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  body.append(intro, row);
  const table = dataTable(body, { caption: "Scores on the test rows" });
  const cmNo = confusionMatrix(left, { caption: "Always 'no'" });
  const cmModel = confusionMatrix(right, { caption: "Trained MLP, threshold 0.5" });
  try {
    const r = await api.run("accuracy_trap", {});
    intro.textContent = `${r.positives} of ${r.n_test} people under ${r.age_limit} in the test file `
      + `earn above $50K (${pct(r.rare_rate)}).`;
    cmNo.update(r.always_no.confusion, CLASS_NAMES);
    cmModel.update(r.model.confusion, CLASS_NAMES);
    table.update(["model", "accuracy", "precision", "recall", "F1"], [
      ["always 'no'", r.always_no.accuracy, r.always_no.precision, r.always_no.recall, r.always_no.f1],
      ["trained MLP", r.model.accuracy, r.model.precision, r.model.recall, r.model.f1],
    ], { format: (v) => fmt(v, 3) });
  } catch (error) {
    showError(status, error);
  }
  return { destroy() { el.replaceChildren(); } };
}
