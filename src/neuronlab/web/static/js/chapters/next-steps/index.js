// Stop 11, next-steps: the model trained here shown as PyTorch code beside the neuronlab code,
// predictions from both in one table, downloads; live retraining; the glossary search.

import { glossaryWidget } from "./glossary.js";
import { graduateWidget } from "./graduate.js";
import { trainWidget } from "./train.js";

let widgets = [];

export async function mount(root, api, state) {
  const slot = (name) => root.querySelector(`[data-widget="${name}"]`);
  const graduate = graduateWidget(slot("graduate"), api, state);
  const train = trainWidget(slot("train"), api, state, {
    onTrained: (recipe) => graduate.show({ model: "playground", ...recipe }),
  });
  const glossary = glossaryWidget(slot("glossary"), api, state);
  widgets = [graduate, train, glossary];
  await Promise.all([graduate.show(), glossary.ready]);
}

export function unmount() {
  for (const widget of widgets) widget.destroy();
  widgets = [];
}
