// The start page (#/): what a network is, why it matters, where it is used, and the map of the
// tour with a time estimate per stop and the learner's progress.

import { clear, h } from "./dom.js";
import { getProgress } from "./progress.js";

async function fetchStart() {
  const response = await fetch("/api/start");
  if (!response.ok) throw new Error(`The start page could not be loaded (status ${response.status}).`);
  return response.json();
}

const duration = (minutes) =>
  minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60 ? `${minutes % 60} min` : ""}`.trim();

function stopCard(stop, progress) {
  const p = progress[stop.id] || {};
  const mark = p.done ? "done" : p.visited ? "started" : "";
  return h("li", { class: `start-stop${p.done ? " done" : ""}`, "data-stop": stop.id },
    h("a", { href: `#/${stop.id}` },
      h("span", { class: "start-num", "aria-hidden": "true" }, String(stop.number)),
      h("span", { class: "start-body" },
        h("span", { class: "start-title" }, `${stop.number}. ${stop.title}`),
        h("span", { class: "start-summary" }, stop.summary)),
      h("span", { class: "start-meta" },
        h("span", {}, `about ${duration(stop.minutes)}`),
        mark ? h("span", { class: `start-mark ${mark}` }, p.done ? "✓ done" : "• started") : null)));
}

/** Render the start page into `main`; `current()` says whether this navigation still holds. */
export async function renderStart(main, current) {
  const page = await fetchStart();
  if (!current()) return;
  const progress = getProgress();
  const done = page.stops.filter((s) => (progress[s.id] || {}).done).length;
  const next = page.stops.find((s) => !(progress[s.id] || {}).done) || page.stops[0];
  const begin = done === 0 ? `Begin with stop 1: ${page.stops[0].title}` : `Continue with stop ${next.number}: ${next.title}`;
  const article = h("article", { class: "chapter-text start-text" });
  article.innerHTML = page.html;
  clear(main).append(
    h("header", { class: "chapter-head start-head" },
      h("p", { class: "kicker" }, "Start here"),
      h("h1", {}, "Neural networks, from one neuron up"),
      h("p", { class: "summary" },
        `A tour in ${page.stops.length} stops, about ${duration(page.minutes)} in all. ` +
        "Read a little, then change things and watch what happens."),
      h("p", {}, h("a", { class: "btn primary start-begin", href: `#/${next.id}` }, begin))),
    article,
    h("section", { class: "start-map", "aria-labelledby": "start-map-title" },
      h("h2", { id: "start-map-title" }, "The map of the tour"),
      h("p", { class: "start-progress", role: "status" },
        `${done} of ${page.stops.length} stops done. Your progress stays in this browser.`),
      h("ol", { class: "start-stops" }, page.stops.map((s) => stopCard(s, progress)))));
}
