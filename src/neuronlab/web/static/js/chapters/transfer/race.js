// Live runs of the transfer stop: the race (three contenders stepped together) and the
// learning curve (final accuracy against labels per class, with the time each run took).

import { clear, fmt, h, pct } from "../../dom.js";
import { seriesColor } from "../../palette.js";
import { button, controlsFromSchema } from "../../views/controls.js";
import { legend } from "../../views/legend.js";
import { lineChart } from "../../views/linechart.js";

export const KINDS = ["scratch", "probe", "finetune"];
export const NAMES = { scratch: "from scratch", probe: "linear probe (frozen convolutions)",
  finetune: "fine-tune all (slower body)" };

function table(columns, rows, testid) {
  return h("table", { class: "tr-table", "data-testid": testid },
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))));
}

/** The shared frame of both widgets: settings, buttons, a status line, a chart and a readout. */
function liveWidget(root, api, state, { experiment, prefix, title, xLabel, extraControls, draw, counter }) {
  const schema = api.schema(experiment).filter((p) => p.type !== "list");
  const fromUrl = state.fromSchema(schema.map((p) => ({ ...p, name: prefix + p.name })));
  const params = Object.fromEntries(schema.map((p) => [p.name, fromUrl[prefix + p.name]]));
  root.classList.add("tr-widget");
  const side = h("div", { class: "tr-side" });
  const main = h("div", { class: "tr-main" });
  root.append(h("div", { class: "tr-layout" }, main, side));
  const buttons = h("div", { class: "buttons" });
  const progress = h("span", { class: "tr-progress", "data-testid": `${prefix}progress` }, "not started");
  main.append(buttons);
  legend(main, KINDS.map((k, i) => ({ label: NAMES[k], color: seriesColor(i) })));
  const chart = lineChart(main, { title, xLabel, yLabel: "test accuracy", height: 230 });
  const readout = h("div", { class: "tr-readout", "aria-live": "polite" });
  const status = h("p", { class: "status", role: "status" });
  side.append(readout, status);
  if (extraControls) extraControls(side, params);
  controlsFromSchema(side, schema, params, (name, value) => {
    params[name] = value;
    const p = schema.find((q) => q.name === name);
    state.set({ [prefix + name]: JSON.stringify(value) === JSON.stringify(p.default) ? null : value });
    if (p.live && run && run.state !== "ended") run.update({ [name]: value });
  });
  let run = null;
  const start = button(buttons, { label: "Start", kind: "primary", onClick: () => begin() });
  const pause = button(buttons, { label: "Pause", onClick: () => {
    if (!run || run.state === "ended") return;
    if (run.state === "paused") run.resume(); else run.pause();
  } });
  const stop = button(buttons, { label: "Stop", onClick: () => end("stopped") });
  buttons.append(progress);
  pause.disabled = true;
  stop.disabled = true;

  function end(how) {
    if (run && how === "stopped") run.stop();
    run = null;
    pause.disabled = true;
    stop.disabled = true;
    pause.textContent = "Pause";
    root.dataset.state = how;
  }

  function begin() {
    if (run) run.stop();
    start.textContent = "Restart";
    status.textContent = "";
    status.classList.remove("error");
    root.dataset.state = "running";
    run = api.live(experiment, { ...params }, {
      onFrame(frame) {
        const { series, columns, rows } = draw(frame);
        chart.update(series);
        clear(readout).append(table(columns, rows, `${prefix}readout`));
        progress.textContent = counter(frame);
      },
      onState(s) {
        pause.disabled = false;
        stop.disabled = false;
        pause.textContent = s === "paused" ? "Resume" : "Pause";
      },
      onEnd(info) {
        end("ended");
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
  return { destroy() { if (run) run.stop(); chart.destroy(); } };
}

export function raceWidget(root, api, state) {
  return liveWidget(root, api, state, {
    experiment: "race", prefix: "r.", title: "Test accuracy on the five new classes (500 images)",
    xLabel: "training step",
    counter: (f) => `step ${f.step} / ${f.steps} · ${f.labels} labels per class`,
    draw: (f) => ({
      series: KINDS.map((k, i) => ({ name: NAMES[k], x: f.runs[k].steps, y: f.runs[k].accuracy, color: seriesColor(i) })),
      columns: ["run", "accuracy", "seconds"],
      rows: KINDS.map((k) => [NAMES[k], pct(f.runs[k].accuracy.at(-1)), fmt(f.runs[k].seconds, 2)]),
    }),
  });
}

const COUNTS = [5, 10, 20, 50, 100, 200, 500];

export function curveWidget(root, api, state) {
  const chosen = new Set([5, 20, 100]);
  return liveWidget(root, api, state, {
    experiment: "curve", prefix: "c.", title: "Mean test accuracy against labels per class",
    xLabel: "labels per class",
    extraControls(side, params) {
      const box = h("fieldset", { class: "tr-counts" }, h("legend", {}, "Labels per class to try"));
      for (const k of COUNTS) {
        const input = h("input", { type: "checkbox", value: String(k), checked: chosen.has(k) });
        input.addEventListener("change", () => {
          if (input.checked) chosen.add(k); else if (chosen.size > 1) chosen.delete(k); else input.checked = true;
          params.label_counts = [...chosen].sort((a, b) => a - b);
        });
        box.append(h("label", {}, input, ` ${k}`));
      }
      params.label_counts = [...chosen].sort((a, b) => a - b);
      side.append(box);
    },
    counter: (f) => `${f.done} of ${f.total} label counts × seeds done`,
    draw: (f) => ({
      series: KINDS.map((k, i) => ({ name: NAMES[k], x: f.label_counts, y: f.runs[k].accuracy, color: seriesColor(i) })),
      columns: ["labels / class", ...KINDS.map((k) => k)],
      rows: [
        ...f.label_counts.map((n, j) => [String(n), ...KINDS.map((k) => pct(f.runs[k].accuracy[j]))]),
        ["seconds / run", ...KINDS.map((k) => fmt(f.runs[k].seconds.filter((s) => s !== null)
          .reduce((a, b) => a + b, 0) / Math.max(1, f.runs[k].seconds.filter((s) => s !== null).length), 2))],
      ],
    }),
  });
}
