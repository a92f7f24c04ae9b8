// The glossary: every term of the tour, searchable, each with the stop that shows it live.
// A glossary link in any chapter opens this stop with ?term=<slug>, which is highlighted.

import { latestOnly, listChapters } from "../../api.js";
import { clear, h } from "../../dom.js";

export function glossaryWidget(slot, api, state) {
  const input = h("input", { type: "search", id: "ns-glossary-search", placeholder: "activation, epoch, overfitting…", autocomplete: "off" });
  const count = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const list = h("dl", { class: "ns-glossary" });
  clear(slot).append(h("div", {},
    h("h3", {}, "Glossary"),
    h("div", { class: "ns-search" }, h("label", { for: "ns-glossary-search" }, "Search"), input),
    count, list));
  let stops = {};
  let alive = true;

  const search = latestOnly(async (query) => {
    const r = await api.run("glossary", { query });
    if (!alive) return;
    count.textContent = query ? `${r.count} terms mention “${query}”` : `${r.count} terms`;
    clear(list).append(...r.terms.flatMap((t) => [
      h("dt", { id: `term-${t.slug}` }, t.term),
      h("dd", {}, t.definition, " ",
        h("span", { class: "ns-stop" }, "Shown live in ",
          stops[t.chapter] ? h("a", { href: `#/${t.chapter}` }, `stop ${t.stop}, ${stops[t.chapter]}`) : `stop ${t.stop}`,
          ".")),
    ]));
    slot.dataset.count = String(r.count);
  });

  input.addEventListener("input", () => search(input.value.trim()));

  const ready = (async () => {
    try {
      stops = Object.fromEntries((await listChapters()).map((c) => [c.id, c.title]));
    } catch {
      stops = {};
    }
    await search("");
    const wanted = state.get("term");
    const target = wanted && list.querySelector(`#term-${CSS.escape(wanted)}`);
    if (target) {
      target.classList.add("ns-wanted");
      target.nextElementSibling.classList.add("ns-wanted");
      target.scrollIntoView({ block: "center" });
    }
  })();

  return { ready, destroy() { alive = false; } };
}
