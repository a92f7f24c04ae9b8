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

// The widgets fetch their first results on their own: the text shows at once, numbers follow.
export function mount(root, api, state) {
  mounted = WIDGETS.map(([name, make]) => {
    const el = root.querySelector(`[data-widget="${name}"]`);
    return el ? make(el, api, state) : null;
  }).filter(Boolean);
}

export function unmount() {
  for (const widget of mounted) widget.then((w) => w.destroy());
  mounted = [];
}
