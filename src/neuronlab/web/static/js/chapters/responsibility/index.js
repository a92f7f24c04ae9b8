// Stop 10, responsibility: the data audit, the model audit, the mitigation and differential
// privacy. One module per widget, all in this folder.

import { biasAuditWidget, dataAuditWidget } from "./audit.js";
import { mitigationWidget } from "./mitigation.js";
import { privacyWidget } from "./privacy.js";

const WIDGETS = [
  ["data-audit", dataAuditWidget],
  ["bias-audit", biasAuditWidget],
  ["mitigation", mitigationWidget],
  ["privacy", privacyWidget],
];

let mounted = [];
let generation = 0;  // bumped on every mount and unmount: stale queued work is dropped
let observer = null;
const DWELL_MS = 400;  // a reader flicking through the tour does not start any computation

// A widget is built when it has been near the screen for a moment, and the widgets fetch their
// first results one after the other (the server runs a few quick experiments at a time, and the
// first ones train a model): the text shows at once, the numbers follow where the reader is, and
// nothing more is asked once the reader has left.
export function mount(root, api, state) {
  mounted = [];
  const mine = ++generation;
  let queue = Promise.resolve();
  const makers = new Map();
  observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      const make = makers.get(entry.target);
      const pause = new Promise((resolve) => setTimeout(resolve, DWELL_MS));
      queue = queue.then(() => pause).then(() => {
        if (generation !== mine) return null;
        const widget = make(entry.target, api, state);
        mounted.push(widget);
        return widget.catch(() => null);
      });
    }
  }, { rootMargin: "300px 0px" });
  for (const [name, make] of WIDGETS) {
    const el = root.querySelector(`[data-widget="${name}"]`);
    if (!el) continue;
    makers.set(el, make);
    observer.observe(el);
  }
}

export function unmount() {
  generation += 1;
  if (observer) observer.disconnect();
  observer = null;
  for (const widget of mounted) widget.then((w) => w.destroy());
  mounted = [];
}
