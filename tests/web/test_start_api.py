"""The start page's route, without a browser: the text (with glossary links) and the map of the
tour with a time estimate for every stop, in tour order."""

from __future__ import annotations

from neuronlab.tour import list_chapters
from neuronlab.tour.start import DEFAULT_MINUTES, MINUTES


def test_start_page_json(client):
    page = client.get("/api/start").json()
    chapters = list_chapters()
    assert [s["id"] for s in page["stops"]] == [c.id for c in chapters]
    assert [s["number"] for s in page["stops"]] == list(range(1, len(chapters) + 1))
    assert all(s["minutes"] == MINUTES.get(s["id"], DEFAULT_MINUTES) for s in page["stops"])
    assert page["minutes"] == sum(s["minutes"] for s in page["stops"])
    html = page["html"]
    for heading in ("What is a neural network?", "Why it matters", "Where it is used"):
        assert f"<h2>{heading}</h2>" in html
    assert 'class="gloss"' in html and "<script" not in html


def test_every_stop_of_the_tour_has_an_estimate():
    from neuronlab.tour.registry import ORDER

    assert set(MINUTES) == set(ORDER)
    assert all(5 <= m <= 60 for m in MINUTES.values())
