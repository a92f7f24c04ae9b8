// Small helpers shared by the learning chapter's widgets, and its styles (scoped under .ln,
// installed inside the chapter's root: a chapter touches nothing outside it).

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** A number for reading: 4 decimals, or 3 significant digits in exponent form when tiny/huge. */
export function fmt(v, digits = 4) {
  if (v === null || v === undefined) return "–";
  if (typeof v === "string") return v;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(digits);
}

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

const CSS = `
.ln-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(15rem, 19rem); gap: 1rem 1.4rem; align-items: start; }
@container (max-width: 44rem) { .ln-grid { grid-template-columns: minmax(0, 1fr); } }
.widget[data-widget] { container-type: inline-size; }
.ln-table { border-collapse: collapse; font-size: 0.88rem; font-variant-numeric: tabular-nums; margin: 0.5rem 0; width: 100%; }
.ln-table caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
.ln-table th, .ln-table td { border-bottom: 1px solid var(--c-border); padding: 0.25rem 0.5rem; text-align: right; }
.ln-table td { white-space: nowrap; }
.ln-table th:first-child, .ln-table td:first-child { text-align: left; }
.ln-table td.ok { color: var(--c-ok); font-weight: 600; }
.ln-table td.bad { color: var(--c-bad); font-weight: 600; }
.ln-explain { background: #fff; border: 1px solid var(--c-border); border-radius: 6px; padding: 0.6rem 0.8rem; min-height: 7.5rem; }
.ln-explain .ln-phase { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.07em; color: var(--c-muted); margin: 0; }
.ln-explain .ln-eq { font-family: var(--font-mono); font-size: 0.86rem; margin: 0.35rem 0; word-break: break-word; }
.ln-explain .ln-big { font-size: 1.25rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.ln-grad { color: var(--c-s6); }
.ln-progress { font-variant-numeric: tabular-nums; color: var(--c-muted); font-size: 0.88rem; align-self: center; }
.ln-weights { margin-top: 0.6rem; }
.ln-weights summary { cursor: pointer; font-weight: 600; }
.ln-weights .controls { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); column-gap: 1rem; }
.ln-race-readout td:first-child span { display: inline-block; width: 1.6rem; border-top: 3px solid; vertical-align: middle; margin-right: 0.4rem; }
.ln-two { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.ln-order { background: #fff; border: 1px solid var(--c-border); border-radius: 6px; padding: 0.6rem 0.8rem; }
.ln-order h4 { margin: 0 0 0.4rem; font-size: 0.95rem; }
.ln-order ol { margin: 0.3rem 0; padding-left: 1.4rem; font-family: var(--font-mono); font-size: 0.82rem; min-height: 5.6rem; }
.ln-order li.future { color: var(--c-muted); opacity: 0.5; }
.ln-order li.late { color: var(--c-bad); }
.ln-verdict { font-weight: 700; }
.ln-verdict.ok { color: var(--c-ok); }
.ln-verdict.bad { color: var(--c-bad); }
.ln-mini svg { width: 100%; max-width: 22rem; height: auto; display: block; }
`;

export function installStyle(root) {
  if (root.querySelector("style[data-owner='learning']")) return;
  const style = document.createElement("style");
  style.dataset.owner = "learning";
  style.textContent = CSS;
  root.prepend(style);
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

export { latestOnly } from "../api.js";
