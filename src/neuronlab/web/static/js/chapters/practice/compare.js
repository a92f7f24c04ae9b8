// One side-by-side comparison: a live run that trains two or three models in lockstep, its
// controls, curves that update together, and a readout table. Each experiment of the practice
// chapter is this widget with its own charts and readout (practice.js holds the configs).

import { seriesColor } from "../../palette.js";
import { button, controlsFromSchema } from "../../views/controls.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";
import { fmt, h } from "../../dom.js";

/** Curves of one history key for every run: [{name, x, y, color, dashed}]. */
export function curves(frame, key, { dashed = false, suffix = "" } = {}) {
  return Object.values(frame.runs).map((run, i) => ({
    name: run.label + suffix,
    x: run[key].map((_, k) => k),
    y: run[key],
    color: seriesColor(i),
    dashed,
  }));
}

function readoutTable(columns, rows, testid) {
  const table = h("table", { class: "pr-table", "data-testid": testid });
  table.append(h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))));
  table.append(h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))));
  return table;
}

/**
 * config: {experiment, title, prefix (URL keys), runs: [labels for the legend],
 *          charts: [{title, yLabel, logY, series(frame) -> list, markers?(frame)}],
 *          readout(frame) -> {columns, rows}, note?(frame) -> string}
 */
export function compareWidget(root, api, state, config) {
  const schema = api.schema(config.experiment);
  const prefixed = schema.map((p) => ({ ...p, name: config.prefix + p.name }));
  const fromUrl = state.fromSchema(prefixed);
  const values = Object.fromEntries(schema.map((p) => [p.name, fromUrl[config.prefix + p.name]]));
  root.classList.add("pr");
  root.append(h("h3", {}, config.title));
  const buttons = h("div", { class: "buttons" });
  const epochOut = h("span", { class: "pr-epoch", "data-testid": "epoch" }, "not started");
  const layout = h("div", { class: "pr-layout" });
  const chartsBox = h("div", { class: "pr-charts" });
  const side = h("div", { class: "pr-side" });
  layout.append(chartsBox, side);
  root.append(buttons, layout);
  const status = h("p", { class: "status", role: "status" });
  const readout = h("div", { class: "pr-readout", "aria-live": "polite" });
  const note = h("p", { class: "widget-note" });
  legend(chartsBox, config.legend);
  const charts = config.charts.map((c) =>
    lineChart(chartsBox, { title: c.title, xLabel: "epoch", yLabel: c.yLabel, height: c.height || 210, logY: c.logY, yMin: c.yMin }));
  let run = null;
  let last = null;
  let lastReadout = 0;

  const startBtn = button(buttons, { label: "Start", kind: "primary", onClick: () => start() });
  const pauseBtn = button(buttons, { label: "Pause", onClick: () => togglePause() });
  const stopBtn = button(buttons, { label: "Stop", onClick: () => stop() });
  pauseBtn.disabled = true;
  stopBtn.disabled = true;
  buttons.append(epochOut);
  const details = h("details", { class: "pr-settings", open: "" }, h("summary", {}, "Settings"));
  side.append(readout, note, status, details);
  controlsFromSchema(details, schema, values, (name, value) => {
    values[name] = value;
    state.set({ [config.prefix + name]: JSON.stringify(value) === JSON.stringify(schema.find((p) => p.name === name).default) ? null : value });
    const live = schema.find((p) => p.name === name).live;
    if (live && run && run.state !== "ended") run.update({ [name]: value });
    else if (!live && run) start();
  });

  function draw(frame, final = false) {
    last = frame;
    config.charts.forEach((c, i) => charts[i].update(c.series(frame), { markers: c.markers ? c.markers(frame) : [] }));
    epochOut.textContent = `epoch ${frame.epoch} / ${frame.epochs}`;
    const now = performance.now();
    if (final || now - lastReadout > 250) {
      lastReadout = now;
      const { columns, rows } = config.readout(frame);
      readout.replaceChildren(readoutTable(columns, rows, `${config.prefix}readout`));
      note.textContent = config.note ? config.note(frame) : "";
    }
  }

  function setIdle() {
    pauseBtn.disabled = true;
    stopBtn.disabled = true;
    pauseBtn.textContent = "Pause";
  }

  function stop() {
    if (run) run.stop();
    run = null;
    setIdle();
    root.dataset.state = "stopped";
    if (last) draw(last, true);
  }

  function start() {
    if (run) run.stop();
    status.textContent = "";
    status.classList.remove("error");
    startBtn.textContent = "Restart";
    root.dataset.state = "running";
    run = api.live(config.experiment, { ...values }, {
      onFrame: (frame) => draw(frame),
      onState(s) {
        pauseBtn.disabled = false;
        stopBtn.disabled = false;
        pauseBtn.textContent = s === "paused" ? "Resume" : "Pause";
        root.dataset.state = s;
      },
      onEnd(info) {
        setIdle();
        root.dataset.state = "ended";
        if (last) draw(last, true);
        if (info.reason === "error") {
          status.textContent = info.error || "the run failed";
          status.classList.add("error");
        }
      },
      onError(message) {
        status.textContent = message;
        status.classList.add("error");
      },
    });
  }

  function togglePause() {
    if (!run || run.state === "ended") return;
    if (run.state === "paused") run.resume(); else run.pause();
  }

  return () => {
    if (run) run.stop();
    run = null;
    charts.forEach((c) => c.destroy());
  };
}
