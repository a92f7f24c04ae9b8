// The frame most widgets of a chapter share: a heading, a body, a status line for messages and
// errors, and a live <dl> readout of labelled numbers.

import { h } from "../dom.js";

/** Empty the widget element and give it a heading, a body and a status line; `prefix` names the
 * chapter's CSS classes (`<prefix>-body`, `<prefix>-status`). */
export function frame(el, title, prefix) {
  el.replaceChildren();
  el.classList.add(prefix);
  const body = h("div", { class: `${prefix}-body` });
  const status = h("p", { class: `widget-note ${prefix}-status`, role: "status" });
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

/** Say in the status line that a result could not be computed, and why. */
export function showError(status, error) {
  status.textContent = `Could not compute this: ${error.message || error}`;
  status.classList.add("error");
}
