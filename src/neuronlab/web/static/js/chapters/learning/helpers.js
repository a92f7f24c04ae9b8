// Helpers shared by the learning chapter's widgets: a data table, an error line, a queue for
// quick calls. DOM building and number formats come from the lab's dom.js.

import { h } from "../../dom.js";

/** A table from column names and rows; returns the <table>. */
export function dataTable(columns, rows, { caption, testid } = {}) {
  const table = h("table", { class: "ln-table", "data-testid": testid });
  if (caption) table.append(h("caption", {}, caption));
  table.append(h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))));
  const body = h("tbody");
  for (const row of rows) body.append(h("tr", {}, ...row.map((cell) => h("td", {}, cell))));
  table.append(body);
  return table;
}

/** Error text in a status line (role="status"), or clear it. */
export function showError(status, err) {
  status.textContent = err ? err.message || String(err) : "";
  status.classList.toggle("error", Boolean(err));
}

/** The chapter's api with quick calls queued, at most `limit` in flight (the server answers
 * 429 above its cap of concurrent quick calls, and a page opening fires several at once). */
export function queuedApi(api, limit = 2) {
  let active = 0;
  const waiting = [];
  const next = () => {
    if (active >= limit || !waiting.length) return;
    active += 1;
    const { args, resolve, reject } = waiting.shift();
    api.run(...args).then(resolve, reject).finally(() => { active -= 1; next(); });
  };
  return {
    ...api,
    run: (...args) => new Promise((resolve, reject) => { waiting.push({ args, resolve, reject }); next(); }),
  };
}

export { latestOnly } from "../../api.js";
