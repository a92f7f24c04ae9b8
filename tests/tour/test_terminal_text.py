"""The chapters as the terminal prints them: every formula rendered, no LaTeX left over, words
meant for one audience only where they belong."""

from __future__ import annotations

import pytest

from neuronlab.tour import list_chapters
from neuronlab.tour.markdown import for_audience, latex_to_text, split_for_terminal, to_html


@pytest.mark.parametrize("chapter", [c.id for c in list_chapters()])
def test_no_placeholder_or_latex_reaches_the_terminal(chapter):
    chapter = next(c for c in list_chapters() if c.id == chapter)
    for kind, body in split_for_terminal(chapter.text()):
        if kind == "widget":
            continue
        assert "{{" not in body and "}}" not in body, body[:80]  # regression: raw {{math:...}}
        assert "\\" not in body, body[:80]  # regression: \, leaked
        assert "$" not in body.replace("\\$", ""), body[:80]


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\lambda\,\mathrm{sign}(w)", "λ sign(w)"),  # regression: \, before a letter leaked
        (r"\eta_t = \eta_{\min} + \frac{\eta_0 - \eta_{\min}}{2}"
         r"\left(1 + \cos \frac{\pi t}{T}\right)",
         "η_t = η_min + ((η₀ - η_min)/2)(1 + cos ((π t)/T))"),  # regression: the cosine schedule
        (r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1/(1 + e^(-z))"),
        (r"x'_j = \frac{x_j - \mu_j}{\sigma_j}", "x'_j = (x_j - μ_j)/σ_j"),
        (r"\frac{\lambda}{2} \sum w^2", "λ/2 Σ w²"),
    ],
)  # fmt: skip
def test_formulas_read_as_written(tex, text):
    assert latex_to_text(tex) == text


def test_display_math_over_several_lines_is_one_formula():
    text = "Before:\n\n$$a = b +\nc.$$\n\nAfter."
    parts = split_for_terminal(text)
    assert ("math", "a = b + c.") in parts  # regression: printed raw as {{math:...}}


def test_each_audience_gets_its_own_words():
    text = "Look {{web:below, and drag\nthe slider}}{{terminal:at the table}}. Done."
    assert for_audience(text, "terminal") == "Look at the table. Done."
    assert for_audience(text, "web") == "Look below, and drag\nthe slider. Done."
    html = to_html(text)
    assert "drag" in html and "table" not in html
    assert "drag" not in "".join(body for _, body in split_for_terminal(text))
