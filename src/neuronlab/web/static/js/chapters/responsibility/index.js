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
let alive = false;

// The widgets fetch their first results one after the other (the server runs a few quick
// experiments at a time, and the first ones train a model): the text shows at once, the
// numbers follow, and nothing more is asked once the reader has left.
export function mount(root, api, state) {
  mounted = [];
  alive = true;
  (async () => {
    for (const [name, make] of WIDGETS) {
      const el = root.querySelector(`[data-widget="${name}"]`);
      if (!el || !alive) continue;
      const widget = make(el, api, state);
      mounted.push(widget);
      await widget;
    }
  })();
}

export function unmount() {
  alive = false;
  for (const widget of mounted) widget.then((w) => w.destroy());
  mounted = [];
}
