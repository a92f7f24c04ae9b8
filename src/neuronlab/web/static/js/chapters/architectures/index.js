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
 * than a few at once; the stop has ten widgets asking for results). `cancel()` drops the requests
 * still waiting, so that leaving the page frees the server at once. */
export function limited(api, limit = 2) {
  let active = 0;
  let waiting = [];
  const next = () => {
    if (active >= limit || !waiting.length) return;
    active += 1;
    const { args, resolve, reject } = waiting.shift();
    api.run(...args).then(resolve, reject).finally(() => { active -= 1; next(); });
  };
  return {
    ...api,
    run: (...args) => new Promise((resolve, reject) => { waiting.push({ args, resolve, reject }); next(); }),
    cancel() { waiting = []; },  // their promises never settle: nothing draws into a page that left
  };
}

// Each widget starts when it comes near the screen (some first ask the server for a result),
// one at a time through the limited api; its slot gets data-ready="1" once it has drawn.
let observer = null;
let shared = null;

export function mount(root, chapterApi) {
  cleanups = [];
  shared = limited(chapterApi);
  const api = shared;
  const start = async (slot, widget) => {
    try {
      cleanups.push(await widget(slot, api));
      slot.dataset.ready = "1";
    } catch (err) {
      slot.append(h("p", { class: "error-box", role: "alert" }, err.message));
    }
  };
  const pending = new Map();
  observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting || !pending.has(entry.target)) continue;
      const widget = pending.get(entry.target);
      pending.delete(entry.target);
      observer.unobserve(entry.target);
      start(entry.target, widget);
    }
  }, { rootMargin: "400px 0px" });
  for (const [name, widget] of Object.entries(WIDGETS)) {
    const slot = root.querySelector(`[data-widget="${name}"]`);
    if (!slot) continue;
    slot.classList.add("ar-widget");
    pending.set(slot, widget);
    observer.observe(slot);
  }
}

export function unmount() {
  if (observer) observer.disconnect();
  if (shared) shared.cancel();
  observer = null;
  shared = null;
  for (const fn of cleanups) if (fn) fn();
  cleanups = [];
}
