"""A chapter's ``text.md`` as HTML with MathML (the web), or as plain markdown (the terminal).

Math is ``$...$`` inline and ``$$...$$`` on its own lines; ``\\$`` is a dollar sign. A line
holding only ``{{widget:NAME}}`` marks where an interactive widget goes. ``{{web:...}}`` holds
words only the lab shows (what to click), ``{{terminal:...}}`` words only the terminal tour
prints; both may span lines. Raw HTML is escaped.

>>> html = to_html("The sum $z = w x + b$.\\n\\n{{widget:demo}}\\n")
>>> '<math' in html, '<div class="widget" data-widget="demo"></div>' in html
(True, True)
>>> split_for_terminal("Slope $\\\\sigma'(z) \\\\le \\\\frac{1}{4}$.\\n{{widget:demo}}\\nEnd.")
[('text', "Slope σ'(z) ≤ 1/4.\\n"), ('widget', 'demo'), ('text', 'End.')]
"""

from __future__ import annotations

import html as html_lib
import re

from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt

__all__ = ["for_audience", "latex_to_text", "split_for_terminal", "to_html"]

_AUDIENCE = re.compile(r"\{\{(web|terminal):(.*?)\}\}", re.S)
WIDGET_LINE = re.compile(r"^[ \t]*\{\{widget:([a-z][a-z0-9-]*)\}\}[ \t]*$", re.M)
_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.M | re.S)
# inline code first (kept), then display math, then inline math, then an escaped dollar
_MATH = re.compile(r"(`[^`\n]*`)|\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$|(\\\$)", re.S)

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def _math_html(tex: str, display: bool) -> str:
    try:
        mathml = latex_to_mathml(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - show the source rather than break the page
        return f'<code class="math-error">{html_lib.escape(tex)}</code>'
    label = html_lib.escape(tex.strip(), quote=True)
    if display:
        return f'<div class="math-display" aria-label="{label}">{mathml}</div>'
    return mathml


def _protect(text: str) -> tuple[str, dict[str, str]]:
    """Replace math and widgets by alphanumeric tokens markdown leaves alone."""
    saved: dict[str, str] = {}

    def keep(html: str) -> str:
        token = f"XMATHTOKEN{len(saved)}X"
        saved[token] = html
        return token

    def math(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return "\n\n" + keep(_math_html(m.group(2), True)) + "\n\n"
        if m.group(3) is not None:
            return keep(_math_html(m.group(3), False))
        return keep("$")

    def widget(m: re.Match) -> str:
        return keep(f'<div class="widget" data-widget="{m.group(1)}"></div>')

    parts, last = [], 0
    for fence in _FENCE.finditer(text):
        parts.append(WIDGET_LINE.sub(widget, _MATH.sub(math, text[last : fence.start()])))
        parts.append(fence.group(0))
        last = fence.end()
    parts.append(WIDGET_LINE.sub(widget, _MATH.sub(math, text[last:])))
    return "".join(parts), saved


def for_audience(text: str, audience: str) -> str:
    """``text`` with the ``{{web:...}}`` / ``{{terminal:...}}`` parts for ``audience`` kept (their
    markers removed) and the other audience's parts dropped.

    >>> for_audience("A {{web:click}}{{terminal:read}} here.", "terminal")
    'A read here.'
    """
    return _AUDIENCE.sub(lambda m: m.group(2) if m.group(1) == audience else "", text)


def to_html(text: str) -> str:
    """Render ``text.md`` to HTML: MathML for math, placeholders for widgets."""
    protected, saved = _protect(for_audience(text, "web"))
    out = _md.render(protected)
    for token, html in saved.items():
        out = out.replace(f"<p>{token}</p>", html).replace(token, html)
    return out


_SYMBOLS = {
    r"\sigma": "σ",
    r"\tanh": "tanh",
    r"\alpha": "α",
    r"\beta": "β",
    r"\eta": "η",
    r"\lambda": "λ",
    r"\mu": "μ",
    r"\phi": "φ",
    r"\Phi": "Φ",
    r"\pi": "π",
    r"\theta": "θ",
    r"\epsilon": "ε",
    r"\varepsilon": "ε",
    r"\delta": "δ",
    r"\Delta": "Δ",
    r"\partial": "∂",
    r"\nabla": "∇",
    r"\sum": "Σ",
    r"\prod": "Π",
    r"\cdot": "·",
    r"\times": "×",
    r"\le": "≤",
    r"\leq": "≤",
    r"\ge": "≥",
    r"\geq": "≥",
    r"\ne": "≠",
    r"\neq": "≠",
    r"\approx": "≈",
    r"\infty": "∞",
    r"\to": "→",
    r"\rightarrow": "→",
    r"\leftarrow": "←",
    r"\gets": "←",
    r"\Rightarrow": "⇒",
    r"\Leftarrow": "⇐",
    r"\leftrightarrow": "↔",
    r"\in": "∈",
    r"\max": "max",
    r"\min": "min",
    r"\exp": "exp",
    r"\log": "log",
    r"\ln": "ln",
    r"\erf": "erf",
    r"\quad": "  ",
    r"\qquad": "    ",
    r"\,": " ",
    r"\;": " ",
    r"\!": "",
    r"\left": "",
    r"\right": "",
    r"\{": "{",
    r"\}": "}",
    r"\mid": "|",
    r"\pm": "±",
    r"\sqrt": "√",
}
_SUPER = str.maketrans("0123456789+-=()nixT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱˣᵀ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def latex_to_text(tex: str) -> str:
    """Readable Unicode for a LaTeX formula (good enough for a terminal, not a typesetter)."""
    s = tex.strip()
    s = re.sub(r"\\(?:mathrm|text|operatorname|mathbf|boldsymbol)\{([^{}]*)\}", r"\1", s)
    s = _replace_fracs(s)
    s = re.sub(r"\\begin\{cases\}(.*?)\\end\{cases\}", _cases, s, flags=re.S)
    for name in sorted(_SYMBOLS, key=len, reverse=True):
        end = r"(?![A-Za-z])" if name[-1].isalpha() else ""  # \, and \; end where they end
        s = re.sub(re.escape(name) + end, lambda _m, n=name: _SYMBOLS[n], s)
    s = re.sub(r"\^\{([^{}]*)\}|\^(\S)", lambda m: _sup(m.group(1) or m.group(2)), s)
    s = re.sub(r"_\{([^{}]*)\}|_(\S)", lambda m: _sub(m.group(1) or m.group(2)), s)
    return re.sub(r"\s+", " ", re.sub(r"[{}]", "", s).replace("\\", "")).strip()


def _group(s: str, i: int) -> tuple[str, int]:
    """The balanced ``{...}`` group starting at ``s[i]`` and the index after it."""
    if i >= len(s) or s[i] != "{":
        return (s[i], i + 1) if i < len(s) else ("", i)
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1 : j], j + 1
    return s[i + 1 :], len(s)


# one symbol, with or without a subscript or superscript: needs no parentheses in a/b
_ATOM = re.compile(r"\\?[\w.]+(?:[_^](?:\w|\{[^{}]*\}))*")


def _replace_fracs(s: str) -> str:
    """``\\frac{a}{b}`` as ``a/b``, with parentheses where a or b is compound, and around the
    whole fraction when something multiplies it or a function is applied to it (``cos``)."""
    while (i := s.find("\\frac")) >= 0:
        a, j = _group(s, i + 5)
        b, k = _group(s, j)
        a, b = _replace_fracs(a), _replace_fracs(b)
        wrap = lambda t: t if _ATOM.fullmatch(t) else f"({t})"  # noqa: E731
        frac = f"{wrap(a)}/{wrap(b)}"
        before, after = s[:i].rstrip(), s[k:].lstrip()
        command = re.search(r"\\([A-Za-z]+|[,;!])$", before)  # \cdot, \approx, \quad, \cos...
        if command:
            juxtaposed = command.group(1) in ("cos", "sin", "tan", "log", "exp")
        else:
            juxtaposed = bool(re.search(r"[\w)]$", before) or re.match(r"(\\left)?\(|\w", after))
        if juxtaposed and (frac != f"{a}/{b}" or command):  # (a/b)(c) or cos(a/b)
            frac = f"({frac})"
        s = s[:i] + frac + s[k:]
    return s


def _cases(m: re.Match) -> str:
    rows = []
    for row in m.group(1).split("\\\\"):
        value, _, cond = row.partition("&")
        if value.strip():
            rows.append(f"{value.strip()} if {cond.strip()}" if cond.strip() else value.strip())
    return "[ " + "; ".join(rows) + " ]"


def _sup(body: str) -> str:
    out = body.translate(_SUPER)
    return out if all(c != o for c, o in zip(body, out)) else f"^({body})"


def _sub(body: str) -> str:
    out = body.translate(_SUB)
    if all(c != o for c, o in zip(body, out)):
        return out
    return f"_{body}" if re.fullmatch(r"\w+", body) else f"_({body})"


def split_for_terminal(text: str) -> list[tuple[str, str]]:
    """``text.md`` as ``[("text", markdown), ("widget", name), ...]`` with math as Unicode."""

    def math(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return "\n\n{{math:" + latex_to_text(m.group(2)) + "}}\n\n"
        if m.group(3) is not None:
            return latex_to_text(m.group(3))
        return "$"

    text = for_audience(text, "terminal")
    out: list[tuple[str, str]] = []
    last = 0
    for w in WIDGET_LINE.finditer(text):
        out.append(("text", _MATH.sub(math, text[last : w.start()])))
        out.append(("widget", w.group(1)))
        last = w.end() + 1
    out.append(("text", _MATH.sub(math, text[last:])))
    split: list[tuple[str, str]] = []
    for kind, body in out:  # display math becomes its own ("math", formula) segment
        if kind != "text":
            split.append((kind, body))
            continue
        for i, part in enumerate(re.split(r"\{\{math:(.*?)\}\}", body, flags=re.S)):
            split.append(("math" if i % 2 else "text", part))
    return [(kind, body) for kind, body in split if kind == "widget" or body.strip()]
