// The data audit (groups, base rates, missing values, proxies of sex) and the model audit
// (selection rate, TPR, FPR, accuracy per group, with the base rates beside them).

import { fmt, h, pct } from "../../dom.js";
import { dataTable } from "../../views/table.js";
import { frame, readout, showError } from "./shared.js";

export async function dataAuditWidget(el, api) {
  const { body, status } = frame(el, "The data: who is in it, and what the labels say");
  const row = h("div", { class: "widget-row" });
  const left = h("div", { class: "widget-col" });
  const right = h("div", { class: "widget-col" });
  row.append(left, right);
  body.append(row);
  const groups = dataTable(left, { caption: "By sex and race (official training file)" });
  const proxies = dataTable(right, { caption: "Single features as proxies of sex" });
  const numbers = readout(right, "Proxy model");
  try {
    const r = await api.run("data_audit", {});
    const rows = ["sex", "race"].flatMap((c) => r.groups[c].map((g) => [g.group, g.n, pct(g.share), pct(g.label_rate), pct(g.missing)]));
    groups.update(["group", "rows", "share", "above $50K", "with a '?'"], rows, { format: (v) => String(v) });
    proxies.update(["feature", "AUC for 'female'"], r.proxies.single.map((p) => [p.feature, p.auc]),
      { format: (v) => fmt(v, 3) });
    numbers.set([
      ["sex predicted from the rest", `accuracy ${fmt(r.proxies.accuracy, 3)}, AUC ${fmt(r.proxies.auc, 3)}`],
      ["always the larger group", `accuracy ${fmt(r.proxies.majority, 3)}`],
    ]);
    el.dataset.ready = "1";
  } catch (error) {
    showError(status, error);
  }
  return { destroy() { el.replaceChildren(); } };
}

export async function biasAuditWidget(el, api) {
  const { body, status } = frame(el, "The model, audited by group (official test file)");
  const tables = {};
  const verdicts = {};
  for (const col of ["sex", "race"]) {
    const box = h("div", { class: "rs-audit" });
    body.append(box);
    tables[col] = dataTable(box, { caption: `By ${col}` });
    verdicts[col] = readout(box, `Parity by ${col}`);
  }
  try {
    const r = await api.run("bias_audit", {});
    for (const col of ["sex", "race"]) {
      const a = r[col];
      tables[col].update(["group", "rows", "base rate", "selected", "TPR", "FPR", "accuracy"],
        a.rows.map((g) => [g.group, g.n, g.base_rate, g.selection_rate, g.tpr, g.fpr, g.accuracy]),
        { format: (v, j) => (j === 1 ? String(v) : fmt(v, 3)) });
      const mirror = a.dp_ratio < a.base_ratio ? "amplifies" : "mirrors or softens";
      verdicts[col].set([
        ["selection-rate difference", `${fmt(a.dp_difference, 3)} (base rates differ by ${fmt(a.base_difference, 3)})`],
        ["selection-rate ratio", `${fmt(a.dp_ratio, 3)} (base-rate ratio ${fmt(a.base_ratio, 3)}): the model ${mirror} the data`],
        ["equalized odds difference", fmt(a.eo_difference, 3)],
      ]);
    }
    el.dataset.ready = "1";
  } catch (error) {
    showError(status, error);
  }
  return { destroy() { el.replaceChildren(); } };
}
