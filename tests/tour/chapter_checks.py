"""The two checks every chapter's tests make: its claims hold at the tiny size, and each claim's
sentence stands in the prose, with the math rendered and every widget placed."""

from __future__ import annotations

import re

from neuronlab.tour.markdown import to_html
from neuronlab.tour.runner import check_claims


def assert_claims_hold(chapter) -> None:
    """Every claim of ``chapter`` is checked (none left out) and holds at the tiny size."""
    results = check_claims(chapter.id, tiny=True)
    assert {r.id for r in results} == {c.id for c in chapter.claims}
    failed = [f"{r.id}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


def assert_claims_in_prose(chapter, *, widgets=(), math_at_least: int = 0) -> str:
    """Each claim's sentence is in the text (markup ignored); the math renders without error,
    at least ``math_at_least`` formulas; each of ``widgets`` is placed. Returns the HTML."""
    text = " ".join(re.sub(r"[*_`]", "", chapter.text()).split())
    for claim in chapter.claims:
        assert " ".join(claim.text.split()) in text, claim.id
    html = to_html(chapter.text())
    assert "math-error" not in html and html.count("<math") >= math_at_least
    for widget in widgets:
        assert f'data-widget="{widget}"' in html, widget
    return html
