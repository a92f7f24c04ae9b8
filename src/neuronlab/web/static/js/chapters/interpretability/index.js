// Stop 7, interpretability: five attribution methods side by side, feature visualization, and
// the limits (sanity check, baselines, confident mistakes, focus, completeness), measured.

import { explainWidget } from "./explain.js";
import { featuresWidget } from "./features.js";
import { renderTabular } from "./tabular.js";
import {
  baselinesWidget, measureWidget, mistakesWidget, renderCompleteness, renderFocus, sanityWidget,
} from "./limits.js";

let widgets = [];

export async function mount(root, api, state) {
  widgets = [];
  const slot = (name) => root.querySelector(`[data-widget="${name}"]`);
  let explainer = null;
  let currentIndex = 0;
  if (slot("explain")) {
    explainer = explainWidget(slot("explain"), api, state);
    widgets.push(explainer);
  }
  const bridge = {
    show(i) { currentIndex = i; if (explainer) explainer.show(i); },
    index: () => (explainer ? explainer.index() : currentIndex),
  };
  if (slot("features")) widgets.push(featuresWidget(slot("features"), api));
  if (slot("sanity")) widgets.push(sanityWidget(slot("sanity"), api));
  if (slot("baselines")) widgets.push(baselinesWidget(slot("baselines"), api, bridge));
  if (slot("mistakes")) widgets.push(mistakesWidget(slot("mistakes"), api, bridge));
  if (slot("focus")) widgets.push(measureWidget(slot("focus"), api, { experiment: "focus", label: "Measure", render: renderFocus }));
  if (slot("tabular")) {
    widgets.push(measureWidget(slot("tabular"), api, { experiment: "tabular", label: "Explain the table", render: renderTabular }));
  }
  if (slot("completeness")) {
    widgets.push(measureWidget(slot("completeness"), api, { experiment: "completeness", label: "Measure", render: renderCompleteness }));
  }
}

export function unmount() {
  for (const w of widgets) if (w && w.destroy) w.destroy();
  widgets = [];
}
