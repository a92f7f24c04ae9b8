// Chapter 2, the playground: the controller. It owns the setup (`params`, mirrored in the URL),
// the live run of the `train` experiment, and the wiring between the control panels
// (playground-controls.js, playground-data.js), the pictures (playground-views.js) and the
// "things to try" widgets (playground-try.js). It draws nothing itself.

import { dataEditor } from "./playground-data.js";
import { dataPanel, featurePanel, shapeEditor, trainingPanel, transportBar } from "./playground-controls.js";
import { playgroundState } from "./playground-state.js";
import { installStyle } from "./playground-style.js";
import { tryWidgets } from "./playground-try.js";
import { playgroundViews } from "./playground-views.js";

const RESTART_DELAY_MS = 120;
let ctl = null;

function el(tag, cls, parent) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (parent) parent.appendChild(e);
  return e;
}

function endText(end, frame) {
  if (frame && frame.stopped) return `Stopped early at epoch ${frame.stopped.epoch}; the weights of epoch ${frame.stopped.best_epoch} (best test loss) are back.`;
  if (frame && frame.diverged) return "The loss became infinite: the learning rate is too high. Lower it and reset.";
  if (end.reason === "error") return `The run failed: ${end.error}`;
  if (end.reason === "done") return "Finished.";
  if (end.reason.startsWith("limit")) return "The run reached the lab's time or step limit; press play to start again.";
  if (end.reason === "idle") return "Paused too long; press play to start again.";
  return "";
}

function controller(root, widget, api, state) {
  const schema = api.schema("train");
  const live = new Set(schema.filter((p) => p.live).map((p) => p.name));
  const limits = {
    maxLayers: schema.find((p) => p.name === "layers").max_len,
    maxNeurons: schema.find((p) => p.name === "layers").item.max,
  };
  const defaults = Object.fromEntries(schema.map((p) => [p.name, structuredClone(p.default)]));
  const store = playgroundState(state, schema);
  let { params, view } = store.read();
  let run = null;
  let running = false;
  let restartTimer = null;
  let lastFrame = null;
  let rate = { t: 0, step: 0, value: undefined };

  widget.replaceChildren();
  const top = el("div", "pg-top", widget);
  const transport = transportBar(top, onAction);
  const trainingBox = el("div", "pg-training-box", top);
  const body = el("div", "pg-body", widget);
  const colData = el("div", "pg-col pg-col-data", body);
  const colNet = el("div", "pg-col pg-col-net", body);
  const colOut = el("div", "pg-col pg-col-out", body);
  colOut.setAttribute("aria-label", "Output");
  const shapeBox = el("div", "pg-shape-box", colNet);
  const netBox = el("div", "pg-network", colNet);
  const dataBox = el("div", "", colData);
  const editorBox = el("div", "", colData);
  const featureBox = el("div", "", colData);
  let panels = {};
  const dataMessage = el("p", "pg-message");

  const views = playgroundViews(netBox, colOut, {
    view,
    onView: () => store.write(params, view),
    onMapClick: (x1, x2) => panels.editor.addPoint(x1, x2),
  });

  function buildPanels() {
    trainingBox.replaceChildren();
    dataBox.replaceChildren();
    editorBox.replaceChildren();
    featureBox.replaceChildren();
    panels.training = trainingPanel(trainingBox, params, change);
    panels.data = dataPanel(dataBox, params, change);
    panels.editor = dataEditor(editorBox, { getParams: () => params, apply, api, msg: dataMessage });
    panels.features = featurePanel(featureBox, params, change);
    buildShape();
  }

  function buildShape() {
    shapeBox.replaceChildren();
    shapeEditor(shapeBox, params, limits, (changes) => apply(changes));
  }

  function startRun(play) {
    clearTimeout(restartTimer);
    if (run) run.stop();
    lastFrame = null;
    rate = { t: 0, step: 0, value: undefined };
    transport.setStatus("");
    const thisRun = api.live("train", params, {
      paused: !play,
      onFrame(data) {
        if (thisRun !== run) return;
        lastFrame = data.data ? data : { ...data };
        views.draw(data);
        const now = performance.now();
        if (rate.t && now - rate.t > 400) {
          rate.value = ((data.step - rate.step) * 1000) / (now - rate.t);
          rate.t = now;
          rate.step = data.step;
        } else if (!rate.t || data.step < rate.step) {
          rate = { t: now, step: data.step, value: rate.value };
        }
        transport.setCounters(data.epoch, data.step, running ? rate.value : undefined);
        widget.dataset.step = String(data.step);
        widget.dataset.epoch = String(data.epoch);
        widget.dataset.frames = String(Number(widget.dataset.frames || 0) + 1);
      },
      onState(s) {
        if (thisRun !== run) return;
        running = s === "running";
        if (!running) rate.t = 0;
        transport.setRunning(running);
        widget.dataset.state = s;
      },
      onEnd(end) {
        if (thisRun !== run) return;
        running = false;
        transport.setRunning(false);
        widget.dataset.state = "ended";
        transport.setStatus(endText(end, lastFrame), end.reason === "error" || Boolean(lastFrame && lastFrame.diverged));
      },
      onError(message) {
        if (thisRun !== run) return;
        transport.setStatus(message, true);
        panels.editor.message(message, true);
      },
    });
    run = thisRun;
    running = play;
    transport.setRunning(play);
    widget.dataset.state = play ? "running" : "paused";
  }

  function restartSoon() {
    clearTimeout(restartTimer);
    const play = running;
    restartTimer = setTimeout(() => startRun(play), RESTART_DELAY_MS);
  }

  function normalize(changes) {
    if ("problem" in changes) {
      params.dataset = params.problem === "regression" ? "plane" : "circle";
      params.points = [];
      params.classes = 2;
    }
    if ("dataset" in changes && !["gaussian", "spiral", "custom"].includes(params.dataset)) params.classes = 2;
    if ("classes" in changes && params.problem === "classification") {
      params.points = params.points.filter((p) => p[2] < params.classes);
    }
    if (params.dataset === "custom" && params.points.length < 4) {
      params.dataset = params.problem === "regression" ? "plane" : "circle";
      panels.editor?.message("A data set of only your points needs at least 4 points: click on the plane or upload a CSV.", true);
    }
    params.activations = params.layers.map((_, i) => params.activations[Math.min(i, params.activations.length - 1)] || "tanh");
  }

  function apply(changes, { rebuild = false } = {}) {
    Object.assign(params, changes);
    normalize(changes);
    store.write(params, view);
    const names = Object.keys(changes);
    if (rebuild || names.some((n) => ["problem", "dataset", "classes", "seed", "points"].includes(n))) buildPanels();
    else if (names.some((n) => ["layers", "activations"].includes(n))) {
      buildShape();
      panels.training.activation.set?.(params.activations[0]);
    }
    if (names.every((n) => live.has(n)) && run && run.state !== "ended") {
      run.update(changes);
    } else {
      restartSoon();
    }
  }

  function change(name, value) {
    apply({ [name]: value });
  }

  function onAction(action) {
    if (action === "toggle") {
      if (running) run.pause();
      else if (run && run.state === "paused") run.resume();
      else startRun(true);
    } else if (action === "step") {
      if (run && run.state !== "ended" && run.state !== "connecting") run.step();
      else startRun(false);
    } else if (action === "reset") {
      startRun(false);
    }
  }

  buildPanels();
  startRun(false);
  const tries = tryWidgets(root, api, {
    load(preset) {
      params = { ...structuredClone(defaults), seed: params.seed, ...preset };
      apply({}, { rebuild: true });
      widget.scrollIntoView({ behavior: "smooth", block: "start" });
    },
  });

  return {
    destroy() {
      clearTimeout(restartTimer);
      if (run) run.stop();
      run = null;
      tries.destroy();
      views.destroy();
    },
  };
}

export async function mount(root, api, state) {
  const widget = root.querySelector('[data-widget="playground"]');
  if (!widget) return;
  installStyle(root);
  widget.classList.add("pg");
  ctl = controller(root, widget, api, state);
}

export function unmount() {
  if (ctl) ctl.destroy();
  ctl = null;
}
