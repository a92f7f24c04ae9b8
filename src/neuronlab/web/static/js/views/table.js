// A plain data table: a caption, a header row and rows of numbers or text.
//
//   const t = dataTable(parent, {caption: "By sex"});
//   t.update(["group", "rate"], [["Female", 0.11], ["Male", 0.31]], {format: (v) => v.toFixed(3)});

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
