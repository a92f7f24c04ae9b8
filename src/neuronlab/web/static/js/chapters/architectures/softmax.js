// The softmax output as horizontal bars: one row per class, the winner highlighted.

import { h, pct } from "../../dom.js";

export function probBars(parent, { title = "Softmax output" } = {}) {
  const root = h("div", { class: "view prob-bars" });
  root.dataset.updates = "0";
  const list = h("ol", { class: "prob-list", "aria-label": title });
  root.append(h("p", { class: "view-title" }, title), list);
  parent.append(root);
  return {
    el: root,
    update(classes, probs) {
      const best = probs.indexOf(Math.max(...probs));
      list.replaceChildren(...classes.map((name, k) => {
        const fill = h("span", { class: "prob-fill" });
        fill.style.width = `${(100 * probs[k]).toFixed(1)}%`;
        return h("li", { class: k === best ? "prob best" : "prob" },
          h("span", { class: "prob-name" }, name),
          h("span", { class: "prob-track" }, fill),
          h("span", { class: "prob-value" }, pct(probs[k])));
      }));
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    },
  };
}
