// The DOM helpers every view and chapter shares: build elements, format numbers, clear a node.

/**
 * h("div", {class: "card", "aria-label": "..."}, child, "text", ...) -> HTMLElement.
 * `class` sets className; `on<event>` with a function adds a listener; null/undefined attributes
 * and children are skipped; other attribute values are set as strings.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** A number with `digits` decimals; "–" for null, undefined or NaN. */
export function fmt(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  return Number(value).toFixed(digits);
}

/** A number in few characters: 0.0012 -> "1.2e-3", 12345 -> "1.2e+4", 0.25 -> "0.25". */
export function fmtShort(value) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "–";
  const v = Number(value);
  if (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2)) return v.toExponential(1);
  return String(+v.toFixed(3));
}

/** A number for reading: `digits` decimals, or 3 significant digits in exponent form when tiny
 * (below 1e-3) or huge (1e5 and up); text passes through: 0.00002 -> "2.00e-5". */
export function fmtSci(value, digits = 4) {
  if (typeof value === "string") return value;
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  const v = Number(value);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(digits);
}

/** An axis tick: 0.25 -> "0.25", 20000 -> "2e+4", 0.001 -> "1e-3" (one significant digit when
 * tiny or huge, at most 3 decimals otherwise). */
export function fmtTick(value) {
  const v = Number(value);
  if (!Number.isFinite(v)) return "–";
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 0.01)) return v.toExponential(0);
  return String(+v.toFixed(3));
}

/** A percentage: 0.8734 -> "87.3%". */
export function pct(value, digits = 1) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "–";
  return `${(100 * Number(value)).toFixed(digits)}%`;
}

/** Remove every child of `node`. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/** An SVG element: svg("rect", {x: 1, y: 2, class: "box"}, "text") (attributes set as strings). */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}
