// Stop 8, transfer learning: a shipped CNN pretrained on five Fashion-MNIST classes, re-used for
// the other five; the race and the learning curve are live runs (race.js).

import { curveWidget, raceWidget } from "./race.js";

let widgets = [];

export async function mount(root, api, state) {
  widgets = [];
  const race = root.querySelector('[data-widget="race"]');
  const curve = root.querySelector('[data-widget="curve"]');
  if (race) widgets.push(raceWidget(race, api, state));
  if (curve) widgets.push(curveWidget(curve, api, state));
}

export function unmount() {
  for (const w of widgets) w.destroy();
  widgets = [];
}
