// Stop 10, responsibility: the data audit, the model audit, the mitigation and differential
// privacy. One module per widget, all in this folder.

import { biasAuditWidget, dataAuditWidget } from "./audit.js";
import { mitigationWidget } from "./mitigation.js";
import { privacyWidget } from "./privacy.js";
import { lazyWidgets } from "../../views/lazy-widgets.js";

const WIDGETS = [
  ["data-audit", dataAuditWidget],
  ["bias-audit", biasAuditWidget],
  ["mitigation", mitigationWidget],
  ["privacy", privacyWidget],
];

let widgets = null;

export function mount(root, api, state) {
  widgets = lazyWidgets(root, api, state, WIDGETS);
}

export function unmount() {
  if (widgets) widgets.destroy();
  widgets = null;
}
