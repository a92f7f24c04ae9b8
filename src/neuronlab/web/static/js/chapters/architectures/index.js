// Stop 5, architectures: an MLP on tables, a CNN on images, RNN / LSTM / Transformer on words.

import { h } from "../../dom.js";
import { cnnInspect, cnnTrain, drawing, mlpVsCnn, shift } from "./cnn.js";
import { tabular } from "./tabular.js";
import { attention, context, wordsModels, wordsTrain } from "./words.js";

const WIDGETS = {
  tabular,
  "cnn-train": cnnTrain,
  "cnn-inspect": cnnInspect,
  drawing,
  "mlp-vs-cnn": mlpVsCnn,
  shift,
  "words-train": wordsTrain,
  "words-models": wordsModels,
  attention,
  context,
};

let cleanups = [];

/** The chapter's api with run() limited to `limit` requests in flight (the server refuses more
 * than a few at once; the stop has ten widgets asking for results when it opens). */
export function limited(api, limit = 2) {
  let active = 0;
  const waiting = [];
  const next = () => {
    if (active >= limit || !waiting.length) return;
    active += 1;
    const { args, resolve, reject } = waiting.shift();
    api.run(...args).then(resolve, reject).finally(() => { active -= 1; next(); });
  };
  return {
    ...api,
    run: (...args) => new Promise((resolve, reject) => { waiting.push({ args, resolve, reject }); next(); }),
  };
}

// Each widget starts on its own (some first ask the server for a result); the page does not wait
// for the slowest one. A widget's slot gets data-ready="1" once it has drawn.
export function mount(root, chapterApi) {
  cleanups = [];
  const api = limited(chapterApi);
  Object.entries(WIDGETS).forEach(async ([name, widget]) => {
    const slot = root.querySelector(`[data-widget="${name}"]`);
    if (!slot) return;
    slot.classList.add("ar-widget");
    try {
      cleanups.push(await widget(slot, api));
      slot.dataset.ready = "1";
    } catch (err) {
      slot.append(h("p", { class: "error-box", role: "alert" }, err.message));
    }
  });
}

export function unmount() {
  for (const fn of cleanups) if (fn) fn();
  cleanups = [];
}
