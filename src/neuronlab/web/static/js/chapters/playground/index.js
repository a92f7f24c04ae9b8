// Chapter 2, the playground: the controller. It owns the setup (`params`, mirrored in the URL),
// the live run of the `train` experiment, and the wiring between the panels (controls.js,
// data.js), the pictures (views.js) and the "things to try" widgets (try.js). It draws nothing
// itself. Choices, ranges and defaults come from the schema; the server's normalized setup (the
// `started` message) is what the page shows once a run starts.

import { h } from "../../dom.js";
import { choicesOf, dataPanel, featureColumn, settingsRow, shapeEditor, transportBar } from "./controls.js";
import { dataEditor } from "./data.js";
import { playgroundState } from "./state.js";
import { tryWidgets } from "./try.js";
import { NET_GEOMETRY, netWidth, playgroundViews } from "./views.js";

const RESTART_DELAY_MS = 120;
const REBUILD = ["problem", "dataset", "classes", "seed", "points", "layers", "activations", "features"];
let ctl = null;

function endText(end, frame) {
  const stop = frame && frame.stopped;
  if (stop) {
    const on = stop.best_val_loss !== undefined ? "validation" : "test";
    return `Stopped early at epoch ${stop.epoch}; the weights of epoch ${stop.best_epoch} (best ${on} loss) are back.`;
  }
  if (frame && frame.diverged) return "The loss became infinite: the learning rate is too high. Lower it and reset.";
  if (end.reason === "error") return `The run failed: ${end.error}`;
  if (end.reason === "done") return "Finished.";
  if (end.reason.startsWith("limit")) return "The run reached the lab's time or step limit; press play to start again.";
  if (end.reason === "idle") return "Paused too long; press play to start again.";
  return "";
}

function layout(widget) {
  widget.replaceChildren();
  const head = h("div", { class: "pg-head" });
  const top = h("div", { class: "pg-top" });
  const data = h("div", { class: "pg-col pg-col-data" });
  const features = h("div", { class: "pg-col pg-col-features" });
  const shape = h("div", { class: "pg-shape-box" });
  const network = h("div", { class: "pg-network" });
  const net = h("div", { class: "pg-col pg-col-net", "aria-label": "Network" }, shape, network);
  const out = h("div", { class: "pg-col pg-col-out", "aria-label": "Output" });
  widget.append(head, top, h("div", { class: "pg-body" }, data, features, net, out));
  return { head, top, data, features, shape, network, out };
}

function controller(root, widget, api, state) {
  const schema = api.schema("train");
  const byName = Object.fromEntries(schema.map((p) => [p.name, p]));
  const live = new Set(schema.filter((p) => p.live).map((p) => p.name));
  const defaults = Object.fromEntries(schema.map((p) => [p.name, structuredClone(p.default)]));
  const choices = choicesOf(api.chapter);
  const datasetsFor = (problem) => (choices.datasets[problem] || []).map(([name]) => name);
  const store = playgroundState(state, schema);
  let { params, view } = store.read();
  let run = null;
  let running = false;
  let restartTimer = null;
  let lastFrame = null;
  let rate = { t: 0, step: 0, value: undefined };

  const boxes = layout(widget);
  const transport = transportBar(boxes.head, onAction);
  const settingsBox = h("div");
  boxes.top.append(settingsBox);
  const dataBox = h("div");
  const editorBox = h("div");
  boxes.data.append(dataBox, editorBox);
  const dataMessage = h("p", { class: "pg-message" });
  const panels = {};

  const views = playgroundViews(boxes.network, boxes.out, {
    view,
    onView: () => store.write(params, view),
    onMapClick: (x1, x2) => panels.editor.addPoint(x1, x2),
    onEdit: (change) => {
      if (run && run.state !== "ended" && run.state !== "connecting") run.edit(change);
    },
  });

  function buildPanels() {
    for (const box of [settingsBox, dataBox, editorBox, boxes.features, boxes.shape]) box.replaceChildren();
    panels.settings = settingsRow(settingsBox, byName, params, change);
    panels.data = dataPanel(dataBox, byName, params,
      { datasets: choices.datasets[params.problem] || [], multiclass: choices.multiclass }, change);
    panels.editor = dataEditor(editorBox, { getParams: () => params, apply, api, msg: dataMessage });
    panels.features = featureColumn(boxes.features, byName, params, change);
    const geometry = { ...NET_GEOMETRY, width: netWidth(boxes.network) };
    shapeEditor(boxes.shape, byName, params, geometry, (changes) => apply(changes));
  }

  // The server's normalized setup replaces what the page sent; the URL follows it. A setting the
  // person changed since that run started is theirs (its own run is on the way) and stays.
  function adopt(normalized, sent) {
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const next = { ...params };
    for (const name of Object.keys(byName)) {
      if (name in normalized && same(params[name], sent[name])) next[name] = normalized[name];
    }
    widget.dataset.dataset = normalized.dataset || next.dataset;
    if (same(next, params)) return;
    params = next;
    store.write(params, view);
    buildPanels();
  }

  // A new run of the current setup; `stepOnce`: take one step as soon as it stands (Step pressed
  // when no run was there to step).
  function startRun(play, { stepOnce = false } = {}) {
    clearTimeout(restartTimer);
    restartTimer = null;
    if (run) run.stop();
    lastFrame = null;
    rate = { t: 0, step: 0, value: undefined };
    transport.setStatus("");
    widget.dataset.frames = "0";
    const sent = structuredClone(params);
    const thisRun = api.live("train", sent, {
      paused: !play,
      onStart(msg) {
        if (thisRun !== run) return;
        if (msg.params) adopt(msg.params, sent);
        if (stepOnce) thisRun.step();
      },
      onFrame(data) {
        if (thisRun !== run) return;
        lastFrame = data;
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

  // A change of setup restarts the run a moment later (a slider dragged restarts once), playing
  // if the run was playing when the timer fires.
  function restartSoon() {
    clearTimeout(restartTimer);
    restartTimer = setTimeout(() => {
      restartTimer = null;
      startRun(running);
    }, RESTART_DELAY_MS);
  }

  // What the page must settle before it can ask at all: a data set of the chosen problem, one
  // activation per layer, no points of a class that no longer exists. The server checks again.
  function normalize(changes) {
    if ("problem" in changes && !datasetsFor(params.problem).includes(params.dataset)) {
      params.dataset = datasetsFor(params.problem)[0];
      params.points = [];
    }
    if ("classes" in changes && params.problem === "classification") {
      params.points = params.points.filter((p) => p[2] < params.classes);
    }
    if (params.dataset === "custom" && params.points.length < 4) {
      params.dataset = datasetsFor(params.problem)[0];
      panels.editor?.message("A data set of only your points needs at least 4 points: click on the plane or upload a CSV.", true);
    }
    const acts = params.activations.length ? params.activations : [byName.activations.item.default];
    params.activations = params.layers.map((_, i) => acts[Math.min(i, acts.length - 1)]);
  }

  function apply(changes) {
    const names = Object.keys(changes);
    if (!names.length) return;
    Object.assign(params, changes);
    normalize(changes);
    store.write(params, view);
    if (names.some((n) => REBUILD.includes(n))) buildPanels();
    if (names.every((n) => live.has(n)) && run && run.state !== "ended") run.update(changes);
    else restartSoon();
  }

  function change(name, value) {
    apply({ [name]: value });
  }

  function onAction(action) {
    if (restartTimer !== null && action !== "reset") {
      // a new setup is waiting to start: start it now (Play plays it, Step shows it paused)
      startRun(action === "toggle" ? !running : false);
      return;
    }
    if (action === "toggle") {
      if (running) run.pause();
      else if (run && run.state === "paused") run.resume();
      else startRun(true);
    } else if (action === "step") {
      if (run && run.state !== "ended" && run.state !== "connecting") run.step();
      else startRun(false, { stepOnce: true });
    } else if (action === "reset") {
      startRun(false);
    }
  }

  // A preset is a whole new setup (the schema's defaults, the seed kept): a new run, always.
  function load(preset) {
    params = { ...structuredClone(defaults), seed: params.seed, ...structuredClone(preset) };
    normalize(preset);
    store.write(params, view);
    buildPanels();
    startRun(false);
    widget.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  buildPanels();
  startRun(false);
  const tries = tryWidgets(root, api, { load });

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
  widget.classList.add("pg");
  ctl = controller(root, widget, api, state);
}

export function unmount() {
  if (ctl) ctl.destroy();
  ctl = null;
}
