"""The glossary: at least 60 terms, each pointing at a stop of the tour; the first use of every
term in every chapter's served HTML is linked with its definition; searchable in the terminal.

The check of the chapters is independent of the linker: it finds the terms in ``text.md`` with
its own expressions (after taking out code, math and headings, which are never linked) and
requires a link for each one found."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from neuronlab.tour import list_chapters
from neuronlab.tour.glossary import link_terms, load_glossary, search, terms_in
from neuronlab.tour.registry import ORDER
from neuronlab.web.app import create_app

TERMS = load_glossary()


def test_sixty_terms_or_more_each_with_a_short_definition_and_a_stop_that_exists():
    assert len(TERMS) >= 60
    for term in TERMS.values():
        assert term.chapter in ORDER, f"{term.term}: chapter {term.chapter!r} is not a stop"
        assert 25 <= len(term.definition) <= 260, term.term
        assert term.definition[0].isupper() and term.definition.endswith("."), term.term
    forms = [f.lower() for t in TERMS.values() for f in t.forms()]
    assert len(forms) == len(set(forms)), "a form belongs to two terms"


def test_terms_of_the_existing_stops_are_spread_over_them():
    existing = {c.id for c in list_chapters()}
    for chapter in ("neuron", "playground", "learning", "practice"):
        assert chapter in existing
        assert sum(t.chapter == chapter for t in TERMS.values()) >= 6


def _plain(text: str) -> str:
    """text.md without what is never linked: fences, inline code, math, headings, widgets."""
    text = re.sub(r"^```.*?^```", " ", text, flags=re.S | re.M)
    text = re.sub(r"\$\$.+?\$\$", " ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$\n]+?\$", " ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"^#+ .*$", " ", text, flags=re.M)
    return re.sub(r"\{\{widget:[^}]*\}\}", " ", text)


def _other_sense(term, text: str, start: int, end: int) -> bool:
    return any(
        o.start() <= start and end <= o.end()
        for phrase in term.not_in
        for o in re.finditer(re.escape(phrase), text, re.I)
    )


def _used_terms(text: str) -> set[str]:
    """The terms in ``text``; a longer form is taken first and blanked out, so 'regularization'
    inside 'L2 regularization' counts for the longer term only."""
    found = set()
    forms = sorted(
        ((f, slug) for slug, t in TERMS.items() for f in t.forms()), key=lambda p: -len(p[0])
    )
    for form, slug in forms:
        flags = 0 if form != form.lower() else re.I
        words = r"\s+".join(map(re.escape, form.split()))
        for m in list(re.finditer(rf"(?<![\w-]){words}(?![\w-])", text, flags)):
            if not _other_sense(TERMS[slug], text, m.start(), m.end()):
                found.add(slug)
                text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return found


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


@pytest.mark.parametrize("chapter", [c for c in list_chapters()], ids=lambda c: c.id)
def test_every_chapter_links_each_term_it_uses_once(chapter, client):
    html = client.get(f"/api/chapters/{chapter.id}").json()["html"]
    linked = terms_in(html)
    assert len(linked) == len(set(linked)), "a term is linked twice"
    text = _plain(chapter.text())
    used = _used_terms(text)
    assert used and set(linked) == used
    for slug in linked:
        assert f'href="#/next-steps?term={slug}"' in html


def test_the_first_use_is_the_one_linked_and_carries_the_definition():
    html = link_terms("<p>An epoch here.</p><p>Another epoch there.</p>")
    assert html.startswith('<p>An <a class="gloss"')
    assert html.endswith("<p>Another epoch there.</p>")
    definition = TERMS["epoch"].definition
    assert f'data-tip="{definition} Shown live in stop 2."' in html
    assert 'aria-description="' in html


def test_code_math_headings_and_links_are_left_alone():
    html = (
        "<h2>Gradient descent</h2><p><code>gradient</code> <math><mi>loss</mi></math> "
        '<a href="#x">epoch</a></p><p>the gradient</p>'
    )
    out = link_terms(html)
    assert terms_in(out) == ["gradient"]
    assert out.startswith("<h2>Gradient descent</h2><p><code>gradient</code>")


def test_longest_form_wins_and_other_senses_are_skipped():
    out = link_terms("<p>A leaky ReLU in double precision. Then precision and recall.</p>")
    assert terms_in(out) == ["leaky-relu", "precision", "recall"]
    assert "double precision" in out


def test_search_by_name_then_by_definition():
    names = [t.slug for t in search("Loss")]
    assert names[0] == "loss-function"
    assert "gradient" in names  # its definition mentions the loss
    assert search("   ") and not search("no such word anywhere")


def _tour(*args):
    return subprocess.run([sys.executable, "-m", "neuronlab.cli", "tour", *args],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_terminal_glossary_lists_and_searches():
    everything = _tour("glossary")
    assert everything.returncode == 0
    assert f"Glossary: {len(TERMS)} terms" in everything.stdout
    found = _tour("glossary", "dropout")
    assert found.returncode == 0 and "dropout" in found.stdout and "epoch " not in found.stdout
    missing = _tour("glossary", "qwertyuiop")
    assert missing.returncode == 1 and "No glossary term mentions" in missing.stdout
