// MathML built in JS, for formulas whose numbers change live (static math comes from the server).

const NS = "http://www.w3.org/1998/Math/MathML";

function node(tag, children = [], text) {
  const n = document.createElementNS(NS, tag);
  if (text !== undefined) n.textContent = text;
  for (const c of children) n.append(typeof c === "string" ? node("mi", [], c) : c);
  return n;
}

export const m = {
  row: (...children) => node("mrow", children),
  id: (name) => node("mi", [], name),
  op: (symbol) => node("mo", [], symbol),
  text: (t) => node("mtext", [], t),
  num(x, digits = 2) {
    const v = Number(x);
    const s = v.toFixed(digits).replace("-", "\u2212");
    return v < 0 ? node("mrow", [node("mo", [], "("), node("mn", [], s), node("mo", [], ")")]) : node("mn", [], s);
  },
  sub: (base, sub) => node("msub", [typeof base === "string" ? node("mi", [], base) : base,
    typeof sub === "string" ? node("mn", [], sub) : sub]),
  sup: (base, sup) => node("msup", [typeof base === "string" ? node("mi", [], base) : base,
    typeof sup === "string" ? node("mn", [], sup) : sup]),
  frac: (a, b) => node("mfrac", [a, b]),
  colored: (child, colour) => {
    const s = node("mstyle", [child]);
    s.setAttribute("mathcolor", colour);
    return s;
  },
};

/** Replace el's content with <math display="block|inline"> holding the given nodes. */
export function setFormula(el, content, { display = "inline", label } = {}) {
  const math = node("math", [content]);
  math.setAttribute("display", display);
  if (label) el.setAttribute("aria-label", label);
  el.replaceChildren(math);
}
