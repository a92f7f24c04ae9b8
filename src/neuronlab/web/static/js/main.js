// The shell: tour map, router (#/<chapter>?state), chapter mounting, claims, previous/next.

import { chapterApi, getChapter, listChapters } from "./api.js";
import { chapterState, parseHash } from "./state.js";
import { getProgress, markDone, markVisited, reset as resetProgress } from "./progress.js";
import { renderStart } from "./start.js";

const main = document.getElementById("chapter");
const mapList = document.getElementById("map-list");
let chapters = [];
let current = null; // {id, module, api, observer}
let navigation = 0;
let activeId = null;

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function renderMap(activeId) {
  const progress = getProgress();
  mapList.replaceChildren(
    ...chapters.map((c) => {
      const p = progress[c.id] || {};
      const mark = h("span", { class: `map-mark${p.done ? "" : " visited"}`, "aria-hidden": "true" },
        p.done ? "✓" : p.visited ? "•" : "");
      const state = p.done ? " (done)" : p.visited ? " (visited)" : "";
      const a = h("a", { href: `#/${c.id}`, "aria-label": `${c.number}. ${c.title}${state}` },
        h("span", { class: "map-num" }, `${c.number}.`), h("span", {}, c.title), mark);
      if (c.id === activeId) a.setAttribute("aria-current", "page");
      return h("li", {}, a);
    }),
  );
  const done = chapters.filter((c) => (progress[c.id] || {}).done).length;
  document.getElementById("map-progress").textContent = `${done} of ${chapters.length} chapters done`;
}

function renderClaims(chapter, api) {
  if (!chapter.claims.length) return h("div");
  const list = h("ul", { class: "claim-list" });
  const runners = [];
  for (const claim of chapter.claims) {
    const mark = h("span", { class: "claim-mark", "aria-hidden": "true" }, "?");
    const detail = h("span", { class: "claim-detail", "aria-live": "polite" });
    const btn = h("button", { type: "button", class: "btn", "aria-label": `Check: ${claim.text}` }, "Check");
    const run = async () => {
      btn.disabled = true;
      detail.textContent = "checking…";
      try {
        const r = await api.claim(claim.id);
        mark.textContent = r.passed ? "✓" : "✗";
        mark.className = `claim-mark ${r.passed ? "passed" : "failed"}`;
        detail.textContent = `${r.passed ? "holds" : "does not hold"}: ${r.detail} (${r.seconds.toFixed(2)} s)`;
      } catch (err) {
        detail.textContent = err.message;
      } finally {
        btn.disabled = false;
      }
    };
    btn.addEventListener("click", run);
    runners.push(run);
    list.append(h("li", { class: "claim", "data-claim": claim.id }, mark,
      h("span", {}, `“${claim.text}”`, detail), btn));
  }
  const all = h("button", { type: "button", class: "btn primary" }, "Check every claim");
  all.addEventListener("click", async () => {
    for (const run of runners) await run();
  });
  return h("section", { class: "claims", "aria-labelledby": "claims-title" },
    h("h2", { id: "claims-title" }, "What this chapter claims"),
    h("p", {}, "Each claim below is a sentence from the text, checked by running an experiment. " +
      "The tests run the same checks."),
    list, h("div", { class: "buttons" }, all));
}

function renderPager(chapter) {
  const byId = Object.fromEntries(chapters.map((c) => [c.id, c]));
  const pager = h("nav", { class: "pager", "aria-label": "Previous and next chapter" });
  if (chapter.prev) {
    pager.append(h("a", { href: `#/${chapter.prev}`, class: "prev", rel: "prev" },
      h("span", { class: "dir" }, "← Previous"), byId[chapter.prev].title));
  }
  if (chapter.next) {
    const next = h("a", { href: `#/${chapter.next}`, class: "next", rel: "next" },
      h("span", { class: "dir" }, "Next →"), byId[chapter.next].title);
    next.addEventListener("click", () => markDone(chapter.id));
    pager.append(next);
  }
  return pager;
}

async function unmountCurrent() {
  if (!current) return;
  const { module, api, observer } = current;
  current = null;
  if (observer) observer.disconnect();
  try {
    if (module && module.unmount) await module.unmount();
  } finally {
    api.stopAll();
  }
}

async function route() {
  const ticket = ++navigation;
  const { chapter: wanted } = parseHash();
  if (!wanted) return showStart(ticket);
  const known = chapters.find((c) => c.id === wanted);
  const id = known ? known.id : chapters[0] && chapters[0].id;
  if (!id) {
    main.replaceChildren(h("p", { class: "error-box" }, "No chapters found."));
    return;
  }
  if (!known) history.replaceState(null, "", `#/${id}`);
  await unmountCurrent();
  main.dataset.mounted = "0";
  main.dataset.chapter = id;
  activeId = id;
  renderMap(id);
  document.getElementById("tour-map").classList.remove("open");
  document.getElementById("map-toggle").setAttribute("aria-expanded", "false");
  let chapter;
  try {
    chapter = await getChapter(id);
  } catch (err) {
    main.replaceChildren(h("p", { class: "error-box", role: "alert" }, err.message));
    return;
  }
  if (ticket !== navigation) return;
  document.title = `${chapter.title} · neuronlab lab`;
  const article = h("article", { class: "chapter-text" });
  article.innerHTML = chapter.html;
  const api = chapterApi(chapter);
  main.replaceChildren(
    h("header", { class: "chapter-head" },
      h("p", { class: "kicker" }, `Chapter ${chapter.number}`),
      h("h1", {}, chapter.title),
      h("p", { class: "summary" }, chapter.summary)),
    article, renderClaims(chapter, api), renderPager(chapter));
  window.scrollTo(0, 0);
  main.focus({ preventScroll: true });
  markVisited(id);
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) markDone(id);
  });
  observer.observe(main.querySelector(".pager"));
  current = { id, module: null, api, observer };
  useStylesheet(chapter.stylesheet);
  if (chapter.module) {
    try {
      const module = await import(chapter.module);
      if (ticket !== navigation) return;
      current.module = module;
      await module.mount(article, api, chapterState(id));
    } catch (err) {
      console.warn(`chapter ${id}: its interactive part failed to start`, err);
      article.prepend(h("p", { class: "error-box", role: "alert" },
        `The interactive parts of this chapter failed to start: ${err.message}`));
    }
  }
  if (ticket === navigation) main.dataset.mounted = "1";
}

// The start page at #/ (js/start.js): the map of the tour, before stop 1.
async function showStart(ticket) {
  await unmountCurrent();
  Object.assign(main.dataset, { mounted: "0", chapter: "start" });
  activeId = null;
  renderMap(null);
  useStylesheet("/static/css/start.css");
  document.title = "neuronlab · the lab";
  try {
    await renderStart(main, () => ticket === navigation);
  } catch (err) {
    main.replaceChildren(h("p", { class: "error-box", role: "alert" }, err.message));
  }
  if (ticket === navigation) main.dataset.mounted = "1";
}

// One <link> for the current chapter's stylesheet (css/<id>.css), swapped on navigation.
function useStylesheet(href) {
  let link = document.getElementById("chapter-css");
  if (!href) {
    if (link) link.remove();
    return;
  }
  if (!link) {
    link = h("link", { id: "chapter-css", rel: "stylesheet" });
    document.head.append(link);
  }
  if (link.getAttribute("href") !== href) link.setAttribute("href", href);
}

async function boot() {
  const toggle = document.getElementById("map-toggle");
  toggle.addEventListener("click", () => {
    const open = document.getElementById("tour-map").classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
  document.getElementById("progress-reset").addEventListener("click", () => {
    resetProgress();
    if (activeId) markVisited(activeId);
  });
  window.addEventListener("neuronlab:progress", () => renderMap(activeId));
  try {
    chapters = await listChapters();
  } catch (err) {
    main.replaceChildren(h("p", { class: "error-box", role: "alert" }, err.message));
    return;
  }
  window.addEventListener("hashchange", route);
  await route();
}

boot();
