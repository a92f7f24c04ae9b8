"""The start page before stop 1: what a network is, why it matters, where it is used (the text
in ``start.md``), and the map of the tour with a time estimate for every stop.

>>> page = start_page()
>>> page["stops"][0]["id"], page["stops"][0]["minutes"] > 0
('neuron', True)
"""

from __future__ import annotations

from pathlib import Path

from .glossary import link_terms
from .markdown import to_html
from .registry import list_chapters

START_FILE = Path(__file__).with_name("start.md")

# Minutes a first reading takes, trying the widgets along the way (rounded to 5).
MINUTES = {
    "neuron": 15,
    "playground": 25,
    "learning": 30,
    "practice": 25,
    "architectures": 35,
    "depth": 15,
    "interpretability": 20,
    "transfer": 20,
    "evaluation": 20,
    "responsibility": 25,
    "next-steps": 15,
}
DEFAULT_MINUTES = 20  # a stop not in the table


def start_page() -> dict:
    """``{"html": the text with glossary links, "stops": [...], "minutes": total}``."""
    stops = [
        {
            "id": c.id,
            "number": i + 1,
            "title": c.title,
            "summary": c.summary,
            "minutes": MINUTES.get(c.id, DEFAULT_MINUTES),
        }
        for i, c in enumerate(list_chapters())
    ]
    html = link_terms(to_html(START_FILE.read_text(encoding="utf-8")))
    return {"html": html, "stops": stops, "minutes": sum(s["minutes"] for s in stops)}
