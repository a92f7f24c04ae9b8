"""Every chapter at 1280x800 and 768x1024: it mounts without a console error, does not scroll
sideways, and leaves a full-page screenshot in test-artifacts/web/ for a person to look at."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHAPTERS = ["neuron", "playground", "learning", "practice"]
# views that draw before anyone presses a button (practice's charts wait for Start)
DRAWS_ON_OPEN = {"neuron", "playground", "learning"}
SIZES = [(1280, 800), (768, 1024)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_screenshot(page, open_chapter, screenshot, chapter, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_chapter(page, chapter)
    # every view that draws on its own has drawn once
    if chapter in DRAWS_ON_OPEN:
        page.wait_for_function(
            "() => [...document.querySelectorAll('main [data-updates]')]"
            ".every(e => Number(e.dataset.updates) > 0)",
            timeout=120_000,
        )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{chapter} scrolls sideways by {overflow}px at {width}px"
    screenshot(page, f"chapter-{chapter}-{width}x{height}")
