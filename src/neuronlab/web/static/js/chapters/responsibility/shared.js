// Small pieces the responsibility widgets share: a titled widget frame, a readout, errors.

import { h } from "../../dom.js";

export function frame(el, title) {
  el.replaceChildren();
  el.classList.add("rs");
  const body = h("div", { class: "rs-body" });
  const status = h("p", { class: "widget-note rs-status", role: "status" });
  el.append(h("h3", {}, title), body, status);
  return { body, status };
}

export function readout(parent, label) {
  const dl = h("dl", { class: "readout", "aria-live": "polite", "aria-label": label });
  parent.append(dl);
  return {
    el: dl,
    set(pairs) {
      dl.replaceChildren(...pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    },
  };
}

export function showError(status, error) {
  status.textContent = `Could not compute this: ${error.message || error}`;
  status.classList.add("error");
}

export const pts = (x) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} points`;
