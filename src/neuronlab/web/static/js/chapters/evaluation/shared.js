// Small pieces the evaluation widgets share: a titled widget frame, a readout list, errors.

import { h } from "../../dom.js";

export const CLASS_NAMES = ["≤ $50K", "> $50K"];

/** Empty the widget element and give it a heading, a body and a status line. */
export function frame(el, title) {
  el.replaceChildren();
  el.classList.add("ev");
  const body = h("div", { class: "ev-body" });
  const status = h("p", { class: "widget-note ev-status", role: "status" });
  el.append(h("h3", {}, title), body, status);
  return { body, status };
}

/** A <dl> readout: set([[label, value], ...]). */
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
