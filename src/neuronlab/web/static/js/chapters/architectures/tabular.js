// Tables: an MLP against logistic regression on a real tabular data set.

import { h } from "../../dom.js";
import { button, select } from "../../views/controls.js";
import { tableView } from "../../views/table.js";

export function tabular(slot, api) {
  slot.append(h("h3", {}, "Logistic regression against an MLP"));
  const values = { dataset: "breast_cancer" };
  const controls = h("div", { class: "controls" });
  const out = h("div", { class: "ar-table", "aria-live": "polite" });
  const status = h("p", { class: "status", role: "status" });
  slot.append(controls, out, status);
  select(controls, { label: "Data set", value: values.dataset,
    options: [{ value: "breast_cancer", label: "breast cancer (569 tumours)" }, { value: "adult", label: "UCI Adult (census)" }],
    onChange: (v) => { values.dataset = v; } });
  const runBtn = button(controls, { label: "Train both", kind: "primary", onClick: () => run() });
  async function run() {
    runBtn.disabled = true;
    status.textContent = "training both models…";
    status.classList.remove("error");
    try {
      const r = await api.run("tabular", values);
      out.replaceChildren(tableView(r.models, "tabular"));
      status.textContent = `${r.n_train} training rows, ${r.n_test} test rows, ${r.features} features.`;
    } catch (err) {
      status.textContent = err.message;
      status.classList.add("error");
    } finally {
      runBtn.disabled = false;
    }
  }
  run();
  return null;
}
