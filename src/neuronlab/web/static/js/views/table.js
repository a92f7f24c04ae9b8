// A frames.table result as an HTML table.

import { h } from "../dom.js";

const cell = (v) => (typeof v === "number" && !Number.isInteger(v) ? String(+v.toFixed(4)) : String(v ?? "–"));

/** tableView(spec, testid) -> <table>; numbers right-aligned, the first column as row headers. */
export function tableView(spec, testid) {
  return h("table", { class: "result-table", "data-testid": testid },
    spec.title ? h("caption", {}, spec.title) : null,
    h("thead", {}, h("tr", {}, spec.columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, spec.rows.map((row) => h("tr", {},
      row.map((v, i) => (i === 0 ? h("th", { scope: "row" }, cell(v)) : h("td", {}, cell(v))))))));
}
