// Stop 9, evaluation: accuracy's trap, thresholds with ROC and PR curves, MAE against RMSE, and
// the optimism of tuning on the test set. One module per widget, all in this folder.

import { regressionWidget } from "./regression.js";
import { thresholdWidget } from "./thresholds.js";
import { trapWidget } from "./trap.js";
import { untouchedWidget } from "./untouched.js";
import { lazyWidgets } from "../../views/lazy-widgets.js";

const WIDGETS = [
  ["accuracy-trap", trapWidget],
  ["thresholds", thresholdWidget],
  ["regression", regressionWidget],
  ["untouched-test", untouchedWidget],
];

let widgets = null;

export function mount(root, api, state) {
  widgets = lazyWidgets(root, api, state, WIDGETS);
}

export function unmount() {
  if (widgets) widgets.destroy();
  widgets = null;
}
