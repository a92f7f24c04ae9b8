// Stop 9, evaluation: accuracy's trap, thresholds with ROC and PR curves, MAE against RMSE, and
// the optimism of tuning on the test set. One module per widget, all in this folder.

import { regressionWidget } from "./regression.js";
import { thresholdWidget } from "./thresholds.js";
import { trapWidget } from "./trap.js";
import { untouchedWidget } from "./untouched.js";

const WIDGETS = [
  ["accuracy-trap", trapWidget],
  ["thresholds", thresholdWidget],
  ["regression", regressionWidget],
  ["untouched-test", untouchedWidget],
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
