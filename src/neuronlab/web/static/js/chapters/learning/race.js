// SGD, momentum and Adam racing on a loss surface: a live run streaming every optimizer's path.

import { seriesColor } from "../../palette.js";
import { button, controlsFromSchema } from "../../views/controls.js";
import { contourMap } from "../../views/contour.js";
import { legend } from "../../views/legend.js";
import { fmtSci, h } from "../../dom.js";
import { dataTable, showError } from "./helpers.js";

const STYLE = {
  sgd: { color: () => seriesColor(0), dash: [], marker: "circle", name: "SGD" },
  momentum: { color: () => seriesColor(1), dash: [8, 5], marker: "square", name: "momentum" },
  adam: { color: () => seriesColor(2), dash: [2, 4], marker: "triangle", name: "Adam" },
};
const KEYS = ["surface", "x0", "y0", "lr", "steps", "speed"];

export function raceWidget(root, api, state) {
  const schema = api.schema("optimizer_race");
  const values = state.fromSchema(schema.filter((p) => KEYS.includes(p.name)));
  root.append(h("h3", {}, "Try it: three optimizers race downhill"));
  const grid = h("div", { class: "ln-grid" });
  const left = h("div");
  const side = h("div");
  grid.append(left, side);
  root.append(grid);
  const formula = h("p", { class: "widget-note", "data-testid": "race-formula" });
  const map = contourMap(left, {
    size: 460,
    label: "loss surface with the three optimizers' paths; click or use arrow keys and Enter to choose the start",
    onPick(x, y) {
      ctl.set({ x0: x, y0: y });
      values.x0 = x;
      values.y0 = y;
      save();
      start();
    },
  });
  left.append(formula);
  legend(left, Object.values(STYLE).map((s) => ({ label: s.name, color: s.color(), dashed: s.dash.length > 0 })));
  const buttons = h("div", { class: "buttons" });
  const status = h("p", { class: "status", role: "status" });
  const readout = h("div", { class: "ln-race-readout", "aria-live": "polite", "data-testid": "race-readout" });
  const stepOut = h("span", { class: "ln-progress", "data-testid": "race-step" }, "step 0");
  side.append(buttons);
  let run = null;
  let surface = null;
  let lastFrame = null;
  let lastReadout = 0;

  const raceBtn = button(buttons, { label: "Race", kind: "primary", onClick: () => start() });
  const pauseBtn = button(buttons, { label: "Pause", onClick: () => togglePause() });
  pauseBtn.disabled = true;
  buttons.append(stepOut);
  const ctl = controlsFromSchema(side, schema.filter((p) => KEYS.includes(p.name)), values, (name, value) => {
    values[name] = value;
    save();
    if (name === "lr" || name === "speed") {
      if (run && run.state !== "ended") run.update({ [name]: value });
    } else if (name === "surface") {
      stop();
      loadSurface().then(() => start());
    } else if (name === "x0" || name === "y0") {
      showStart();
    }
  });
  side.append(readout, status);

  function save() {
    state.toSchema(schema, values);
  }

  async function loadSurface() {
    try {
      surface = await api.run("loss_surface", { surface: values.surface, size: 90 });
      map.setSurface(surface.grid);
      formula.textContent = `${surface.formula}; minimum at (${surface.minimum.join(", ")})`;
      showStart();
    } catch (err) {
      showError(status, err);
    }
  }

  function showStart() {
    map.update({ paths: [], start: [values.x0, values.y0], minimum: surface && surface.minimum });
  }

  function draw(frame) {
    const paths = Object.entries(frame.runs).map(([key, r]) => ({
      name: key, points: r.path, color: STYLE[key].color(), dash: STYLE[key].dash, marker: STYLE[key].marker,
    }));
    const summary = Object.entries(frame.runs).map(([k, r]) => `${STYLE[k].name} loss ${fmtSci(r.loss)}`).join(", ");
    map.update({ paths, start: [values.x0, values.y0], minimum: frame.minimum, summary: `step ${frame.step}: ${summary}` });
    stepOut.textContent = `step ${frame.step}`;
    const now = performance.now();
    if (now - lastReadout > 200 || frame.final) {
      lastReadout = now;
      readout.replaceChildren(dataTable(["optimizer", "loss", "at the minimum after"],
        Object.entries(frame.runs).map(([k, r]) => [
          STYLE[k].name, r.diverged ? "diverged" : fmtSci(r.loss),
          r.reached === null ? "not yet" : `${r.reached} steps`])));
    }
  }

  function stop() {
    if (run) run.stop();
    run = null;
    pauseBtn.disabled = true;
    pauseBtn.textContent = "Pause";
  }

  function start() {
    stop();
    showError(status, null);
    raceBtn.textContent = "Restart";
    const params = Object.fromEntries(KEYS.map((k) => [k, values[k]]));
    run = api.live("optimizer_race", params, {
      onFrame(frame) { lastFrame = frame; draw(frame); },
      onState(s) {
        pauseBtn.disabled = false;
        pauseBtn.textContent = s === "paused" ? "Resume" : "Pause";
      },
      onEnd(info) {
        pauseBtn.disabled = true;
        if (lastFrame) draw({ ...lastFrame, final: true });
        if (info.reason === "error") showError(status, new Error(info.error || "the run failed"));
      },
      onError(message) { showError(status, new Error(message)); },
    });
  }

  function togglePause() {
    if (!run || run.state === "ended") return;
    if (run.state === "paused") run.resume(); else run.pause();
  }

  loadSurface();
  return () => { stop(); map.destroy(); };
}
