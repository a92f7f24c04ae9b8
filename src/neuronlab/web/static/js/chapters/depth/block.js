// A residual block drawn as SVG: input, two layers, the sum; the skip path highlighted.

import { svg as el } from "../../dom.js";

function box(svg, x, y, label, cls) {
  svg.append(el("rect", { x, y, width: 130, height: 34, rx: 6, class: `rb-box ${cls || ""}` }),
    el("text", { x: x + 65, y: y + 22, class: "rb-text" }, label));
}

function arrow(svg, d, cls) {
  svg.append(el("path", { d, class: `rb-arrow ${cls || ""}`, "marker-end": `url(#rb-head-${cls || "plain"})` }));
}

/** resnetBlock(parent): the block h_out = h + f(h), with the identity path in the highlight colour. */
export function resnetBlock(parent) {
  const svg = el("svg", { viewBox: "-14 0 354 300", class: "resnet-block", role: "img",
    "aria-label": "A residual block: the input h goes through Linear, activation, Linear (the branch f) and is added back to the branch's output; the skip path carries h unchanged to the sum, and the gradient back along it unchanged." });
  const defs = el("defs", {});
  for (const [name, cls] of [["plain", "rb-head"], ["skip", "rb-head skip"]]) {
    const marker = el("marker", { id: `rb-head-${name}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
    marker.append(el("path", { d: "M0,0 L10,5 L0,10 z", class: cls }));
    defs.append(marker);
  }
  svg.append(defs);
  svg.append(el("text", { x: 100, y: 18, class: "rb-text" }, "h (the block's input)"));
  arrow(svg, "M100,26 L100,52");
  box(svg, 35, 54, "Linear");
  arrow(svg, "M100,88 L100,110");
  box(svg, 35, 112, "activation");
  arrow(svg, "M100,146 L100,168");
  box(svg, 35, 170, "Linear");
  arrow(svg, "M100,204 L100,230");
  svg.append(el("circle", { cx: 100, cy: 246, r: 15, class: "rb-sum" }), el("text", { x: 100, y: 252, class: "rb-text big" }, "+"));
  arrow(svg, "M100,262 L100,290");
  svg.append(el("text", { x: 150, y: 286, class: "rb-text left" }, "h + f(h)"));
  arrow(svg, "M100,36 C250,36 250,246 118,246", "skip");
  svg.append(el("text", { x: 262, y: 126, class: "rb-text skip" }, "skip: h"),
    el("text", { x: 262, y: 146, class: "rb-text skip small" }, "the gradient"),
    el("text", { x: 262, y: 162, class: "rb-text skip small" }, "passes unchanged"),
    el("text", { x: 24, y: 140, class: "rb-text small", transform: "rotate(-90 24 140)" }, "branch f(h)"));
  parent.append(svg);
  return svg;
}
