// Chapter 3, learning: losses, an optimizer race on a loss surface, backpropagation step by
// step on the engine's graph, a gradient check, and why backward goes in topological order.

import { gradcheckWidget, topoWidget } from "./check.js";
import { backpropWidget } from "./backprop.js";
import { queuedApi } from "./helpers.js";
import { adamScaleWidget, lossesWidget } from "./losses.js";
import { raceWidget } from "./race.js";

let cleanups = [];

const WIDGETS = {
  losses: lossesWidget,
  race: raceWidget,
  "adam-scale": adamScaleWidget,
  backprop: backpropWidget,
  gradcheck: gradcheckWidget,
  topo: topoWidget,
};

export async function mount(root, api, state) {
  cleanups = [];
  const queued = queuedApi(api);
  // the backprop stepper and the gradient check share one network
  const shared = { net: {}, onNet: () => {} };
  for (const [name, widget] of Object.entries(WIDGETS)) {
    const slot = root.querySelector(`[data-widget="${name}"]`);
    if (slot) cleanups.push(widget(slot, queued, state, shared));
  }
}

export function unmount() {
  for (const fn of cleanups) if (fn) fn();
  cleanups = [];
}
