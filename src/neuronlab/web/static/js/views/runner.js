// Start / pause / stop buttons, a progress bar and a status line around one live run.

import { h } from "../dom.js";
import { button } from "./controls.js";

/**
 * liveRunner(parent, api, experiment, {params(), onFrame(frame), onStart(), startLabel})
 * -> {el, start(), stop(), destroy()}. The widget given as `host` gets data-state
 * running / paused / ended / stopped, which tests wait for.
 */
export function liveRunner(parent, api, experiment, opts) {
  const host = opts.host || parent;
  const bar = h("div", { class: "buttons run-bar" });
  const progress = h("progress", { max: "1", value: "0", "aria-label": "progress" });
  const status = h("p", { class: "status", role: "status" });
  parent.append(bar, status);
  let run = null;
  const startBtn = button(bar, { label: opts.startLabel || "Train", kind: "primary", onClick: () => start() });
  const pauseBtn = button(bar, { label: "Pause", onClick: () => togglePause() });
  const stopBtn = button(bar, { label: "Stop", onClick: () => stop() });
  bar.append(progress);
  idle();

  function idle() {
    pauseBtn.disabled = true;
    stopBtn.disabled = true;
    pauseBtn.textContent = "Pause";
  }

  function start() {
    if (run) run.stop();
    status.textContent = "starting…";
    status.classList.remove("error");
    startBtn.textContent = "Restart";
    host.dataset.state = "running";
    if (opts.onStart) opts.onStart();
    run = api.live(experiment, opts.params(), {
      onFrame(frame) {
        if (Number.isFinite(frame.progress)) progress.value = frame.progress;
        status.textContent = opts.describe ? opts.describe(frame) : "";
        opts.onFrame(frame);
      },
      onState(s) {
        pauseBtn.disabled = false;
        stopBtn.disabled = false;
        pauseBtn.textContent = s === "paused" ? "Resume" : "Pause";
        host.dataset.state = s;
      },
      onEnd(info) {
        idle();
        host.dataset.state = "ended";
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

  function stop() {
    if (run) run.stop();
    run = null;
    idle();
    host.dataset.state = "stopped";
  }

  return {
    el: bar,
    start,
    stop,
    update(params) { if (run && run.state !== "ended") run.update(params); },
    destroy() { if (run) run.stop(); run = null; },
  };
}
