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
