// The playground's own styles, scoped under .pg / .pg-try and installed inside the chapter's
// root (a chapter touches nothing outside it). Palette and fonts come from lab.css variables.
// Three columns (data | network | output) when the widget is wide, stacked when it is narrow:
// a container query, so the layout follows the widget's width, not the window's.

const CSS = `
.pg { container-type: inline-size; padding: 0.8rem; }
.pg h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.07em; color: var(--c-muted); margin: 0 0 0.5rem; }
.pg-top { display: flex; flex-direction: column; gap: 0.6rem; padding-bottom: 0.7rem; border-bottom: 1px solid var(--c-border); }
.pg-transport { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
.pg-transport .btn { min-width: 5.5rem; }
.pg-transport .pg-play { min-width: 7rem; }
.pg-counters { display: flex; flex-wrap: wrap; gap: 0.4rem 1.1rem; margin-left: 0.6rem; font-variant-numeric: tabular-nums; font-size: 0.92rem; }
.pg-counters b { font-size: 1.15rem; }
.pg-rate { color: var(--c-muted); }
.pg-status { color: var(--c-text); flex-basis: 100%; font-weight: 600; }
.pg-status.pg-bad { color: var(--c-bad); }
.pg-status:empty { display: none; }
.pg-panel { margin: 0 0 0.9rem; }
.pg-training { margin: 0; }
.pg-training { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); column-gap: 1.2rem; }
.pg-training h3 { grid-column: 1 / -1; margin-bottom: 0.1rem; }
.pg .control { grid-template-columns: 7.6rem 1fr 2.8rem; margin: 0.25rem 0; }
.pg .control.toggle { grid-template-columns: auto 1fr; }
.pg .control label { font-size: 0.86rem; }
.pg-body { display: grid; grid-template-columns: 15rem minmax(0, 1fr) 21rem; gap: 1.1rem; padding-top: 0.8rem; }
.pg-col { min-width: 0; }
.pg-hint { color: var(--c-muted); font-size: 0.84rem; margin: 0 0 0.4rem; }
.pg-seed { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; font-size: 0.88rem; margin-top: 0.4rem; }
.pg-seed .btn { padding: 0.25rem 0.6rem; font-size: 0.85rem; }
.pg-features .control { margin: 0.1rem 0; }
.pg-your-data .btn { padding: 0.25rem 0.6rem; font-size: 0.85rem; }
.pg-typed-point { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; font-size: 0.85rem; margin: 0.4rem 0; }
.pg-typed-point input { width: 4rem; font: inherit; padding: 0.15rem 0.3rem; border: 1px solid var(--c-border); border-radius: 5px; }
.pg-upload { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85rem; margin: 0.5rem 0; }
.pg-upload input { font-size: 0.8rem; max-width: 100%; }
.pg-data-tools { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; font-size: 0.85rem; }
.pg-message { font-size: 0.84rem; margin: 0.4rem 0 0; min-height: 1.2em; color: var(--c-muted); overflow-wrap: anywhere; }
.pg-message.pg-error { color: var(--c-bad); }
.pg-shape-head { display: flex; align-items: center; gap: 0.4rem; margin-bottom: 0.4rem; }
.pg-shape-head .btn, .pg-layer-buttons .btn { padding: 0.05rem 0.55rem; min-width: 2rem; font-weight: 700; }
.pg-shape-layers { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.pg-layer-ctl { flex: 1 1 6.5rem; background: #fff; border: 1px solid var(--c-border); border-radius: 6px; padding: 0.3rem 0.4rem; font-size: 0.8rem; }
.pg-layer-buttons { display: flex; gap: 0.3rem; margin: 0.2rem 0; }
.pg-layer-ctl .control { grid-template-columns: 1fr; gap: 0.1rem; }
.pg-layer-ctl .control label { font-size: 0.75rem; color: var(--c-muted); }
.pg-layer-ctl .control select { grid-column: 1; font-size: 0.8rem; padding: 0.1rem; }
.pg-layer-ctl .control output { display: none; }
.pg-network { background: #fff; border: 1px solid var(--c-border); border-radius: 6px; padding: 0.4rem; margin-top: 0.6rem; }
.pg-numbers { display: grid; grid-template-columns: 1fr 1fr; gap: 0.2rem 0.8rem; font-variant-numeric: tabular-nums; }
.pg-numbers div { display: flex; flex-direction: column; }
.pg-numbers span { font-size: 0.78rem; color: var(--c-muted); }
.pg-numbers b { font-size: 1.15rem; }
.pg-chart { margin: 0.5rem 0; background: #fff; border: 1px solid var(--c-border); border-radius: 6px; padding: 0.3rem; }
.pg-map { margin: 0.5rem 0; }
.pg-map-caption { font-size: 0.82rem; color: var(--c-muted); margin: 0 0 0.3rem; }
.pg-map canvas { border: 1px solid var(--c-border); border-radius: 4px; cursor: crosshair; }
.pg-map-toggles { display: flex; flex-wrap: wrap; gap: 0 1rem; }
.confusion table { border-collapse: collapse; font-size: 0.82rem; font-variant-numeric: tabular-nums; }
.confusion caption { text-align: left; color: var(--c-muted); font-size: 0.8rem; padding-bottom: 0.2rem; }
.confusion th, .confusion td { border: 1px solid var(--c-border); padding: 0.2rem 0.45rem; text-align: right; }
.confusion th { font-weight: 600; background: var(--c-panel); }
@container (max-width: 56rem) {
  .pg-body { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .pg-col-net { grid-column: 1 / -1; grid-row: 1; }
}
@container (max-width: 34rem) {
  .pg-body { grid-template-columns: minmax(0, 1fr); }
}
.pg-try { font-family: var(--font-ui); }
.pg-try .buttons { margin: 0.2rem 0 0.6rem; }
.pg-try-results { display: flex; flex-wrap: wrap; gap: 0.8rem; }
.pg-try-card { flex: 0 1 11rem; font-size: 0.82rem; }
.pg-try-card canvas { border: 1px solid var(--c-border); border-radius: 4px; }
.pg-try-card b { display: block; font-size: 0.85rem; }
`;

export function installStyle(root) {
  if (root.querySelector("style[data-pg-style]")) return;
  const style = document.createElement("style");
  style.dataset.pgStyle = "1";
  style.textContent = CSS;
  root.prepend(style);
}
