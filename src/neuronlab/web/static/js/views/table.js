// Tables of results: `dataTable`, a live view updated with new rows (data-updates counts them),
// and `tableView`, one frames.table result drawn once as an HTML table.
//
//   const t = dataTable(parent, {caption: "By sex"});
//   t.update(["group", "rate"], [["Female", 0.11], ["Male", 0.31]], {format: (v) => v.toFixed(3)});
//   parent.append(tableView({title, columns, rows}, "testid"));

import { h } from "../dom.js";

export function dataTable(parent, opts = {}) {
  const root = document.createElement("div");
  root.className = "view data-table";
  root.dataset.updates = "0";
  const table = document.createElement("table");
  const caption = document.createElement("caption");
  caption.textContent = opts.caption || "";
  table.append(caption);
  const head = document.createElement("thead");
  const body = document.createElement("tbody");
  table.append(head, body);
  table.setAttribute("aria-label", opts.caption || "table");
  root.append(table);
  parent.append(root);
  const plain = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? "–"));

  return {
    el: root,
    /** columns: header labels; rows: arrays of cells; format(value, column) -> text;
     *  highlight(row index) -> true to mark a row. */
    update(columns, rows, { format = plain, highlight = () => false, caption } = {}) {
      if (caption !== undefined) caption.textContent = caption;
      const tr = document.createElement("tr");
      for (const c of columns) tr.append(Object.assign(document.createElement("th"), { textContent: c, scope: "col" }));
      head.replaceChildren(tr);
      body.replaceChildren(...rows.map((row, i) => {
        const r = document.createElement("tr");
        if (highlight(i)) r.className = "highlight";
        row.forEach((cell, j) => {
          const td = document.createElement(j === 0 ? "th" : "td");
          if (j === 0) td.scope = "row";
          td.textContent = j === 0 ? String(cell) : format(cell, j);
          r.append(td);
        });
        return r;
      }));
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
    setCaption(text) { caption.textContent = text; },
    destroy() { root.remove(); },
  };
}

const cell = (v) => (typeof v === "number" && !Number.isInteger(v) ? String(+v.toFixed(4)) : String(v ?? "–"));

/** tableView(spec, testid) -> <table>; numbers right-aligned, the first column as row headers. */
export function tableView(spec, testid) {
  return h("table", { class: "result-table", "data-testid": testid },
    spec.title ? h("caption", {}, spec.title) : null,
    h("thead", {}, h("tr", {}, spec.columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, spec.rows.map((row) => h("tr", {},
      row.map((v, i) => (i === 0 ? h("th", { scope: "row" }, cell(v)) : h("td", {}, cell(v))))))));
}
