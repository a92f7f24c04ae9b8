"""The glossary: every term the tour uses, a short definition, and the stop that shows it live.

The terms live in ``glossary.json`` beside this file (``term``, ``aliases``: the other forms the
text uses, ``definition``, ``chapter``: the id of the stop where the idea is shown live, and
optionally ``not_in``: phrases where the word means something else). Three
readers use them: the next-steps stop (a searchable list), ``neuronlab tour glossary`` (the
terminal) and :func:`link_terms`, which links the first use of every term in a chapter's HTML to
its entry, with the definition shown on hover and on keyboard focus.

>>> terms = load_glossary()
>>> len(terms) >= 60, terms["epoch"].chapter
(True, 'playground')
>>> html = link_terms("<p>One epoch, then another epoch.</p>")
>>> html.count('class="gloss"'), html.count("epoch</a>"), html.endswith("another epoch.</p>")
(1, 1, True)
>>> [t.slug for t in search("gradient")][:3]
['gradient', 'gradient-check', 'gradient-descent']
"""

from __future__ import annotations

import functools
import html as html_lib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .registry import ORDER

__all__ = ["Term", "link_terms", "load_glossary", "search", "terms_in"]

GLOSSARY_FILE = Path(__file__).with_name("glossary.json")
# Text inside these elements is never linked: code, math, existing links, headings, widgets.
_SKIP = {"code", "pre", "math", "a", "h1", "h2", "h3", "h4", "h5", "h6", "button", "script"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    slug: str  # the id in URLs: 'learning-rate'
    term: str  # as written: 'learning rate'
    aliases: tuple[str, ...]
    definition: str
    chapter: str  # the stop where it is shown live (an id of registry.ORDER)
    not_in: tuple[str, ...] = ()  # phrases where the word means something else

    @property
    def stop(self) -> int:
        """The number of its stop in the tour (1 for neuron)."""
        return ORDER.index(self.chapter) + 1

    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)

    def to_json(self) -> dict:
        return {
            "slug": self.slug,
            "term": self.term,
            "aliases": list(self.aliases),
            "definition": self.definition,
            "chapter": self.chapter,
            "stop": self.stop,
        }


def slugify(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


@functools.lru_cache(maxsize=1)
def _load() -> tuple[Term, ...]:
    entries = json.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))
    terms = tuple(
        Term(
            slugify(e["term"]),
            e["term"],
            tuple(e.get("aliases", ())),
            e["definition"],
            e["chapter"],
            tuple(e.get("not_in", ())),
        )
        for e in entries
    )
    return tuple(sorted(terms, key=lambda t: t.term.lower()))


def load_glossary() -> dict[str, Term]:
    """Every term by slug, alphabetically."""
    return {t.slug: t for t in _load()}


def search(query: str) -> list[Term]:
    """The terms whose name, other forms or definition contain ``query`` (any case); matches
    in the name first."""
    q = query.strip().lower()
    if not q:
        return list(_load())
    named = [t for t in _load() if any(q in form.lower() for form in t.forms())]
    described = [t for t in _load() if t not in named and q in t.definition.lower()]
    return named + described


# ----- linking -----------------------------------------------------------------------------------
def _pattern(form: str) -> str:
    """A regex for one form of a term: whole words; case-sensitive when it has capitals (ReLU,
    Adam, ONNX), else any case."""
    body = re.escape(form).replace(r"\ ", r"\s+")
    if form.lower() == form:
        body = f"(?i:{body})"
    return rf"(?<![\w-]){body}(?![\w-])"


@functools.lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, str]]:
    """One regex over every form (longest first, so 'leaky ReLU' wins over 'ReLU'), and the
    group name -> slug table."""
    forms = sorted(((f, t.slug) for t in _load() for f in t.forms()), key=lambda p: -len(p[0]))
    groups, owner = [], {}
    for i, (form, slug) in enumerate(forms):
        groups.append(f"(?P<g{i}>{_pattern(form)})")
        owner[f"g{i}"] = slug
    return re.compile("|".join(groups)), owner


def _link(text: str, term: Term) -> str:
    """The link for one use of a term. The definition is an attribute, shown by CSS on hover
    and focus (so the text of the page stays the text of the chapter) and read by screen
    readers as the link's description."""
    tip = html_lib.escape(f"{term.definition} Shown live in stop {term.stop}.", quote=True)
    return (
        f'<a class="gloss" href="#/next-steps?term={term.slug}" data-term="{term.slug}" '
        f'data-tip="{tip}" aria-description="{tip}">{text}</a>'
    )


def link_terms(html: str) -> str:
    """``html`` with the first use of every glossary term linked (see the module doc).

    Only text outside code, math, links, headings and buttons is linked; each term once.
    """
    terms = load_glossary()
    pattern, owner = _matcher()
    linked: set[str] = set()
    out, skip = [], []
    for part in _TAG.split(html):
        if part.startswith("<"):
            _track(part, skip)
            out.append(part)
        elif skip or not part.strip():
            out.append(part)
        else:
            out.append(_link_text(part, pattern, owner, terms, linked))
    return "".join(out)


def _track(tag: str, skip: list[str]) -> None:
    """Keep the stack of open elements whose text must not be linked."""
    match = _TAG_NAME.match(tag)
    if not match or tag.endswith("/>"):
        return
    name = match.group(1).lower()
    if name not in _SKIP:
        return
    if tag.startswith("</"):
        if name in skip:
            del skip[len(skip) - 1 - skip[::-1].index(name)]
    else:
        skip.append(name)


def _link_text(text, pattern, owner, terms, linked) -> str:
    pieces, last = [], 0
    for match in pattern.finditer(text):
        slug = owner[match.lastgroup]
        if slug in linked or _other_sense(text, match, terms[slug]):
            continue
        linked.add(slug)
        pieces += [text[last : match.start()], _link(match.group(0), terms[slug])]
        last = match.end()
    return "".join(pieces) + text[last:]


def _other_sense(text: str, match: re.Match, term: Term) -> bool:
    """Whether the match sits inside a phrase where the word means something else ('double
    precision' is not the metric)."""
    return any(
        o.start() <= match.start() and match.end() <= o.end()
        for phrase in term.not_in
        for o in re.finditer(re.escape(phrase), text, re.I)
    )


def terms_in(html: str) -> list[str]:
    """The slugs of the terms linked in ``html``, in order."""
    return re.findall(r'<a class="gloss" href="[^"]*" data-term="([^"]+)"', html)
