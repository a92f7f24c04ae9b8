"""Shared front-end pieces run in the browser: the number formats of dom.js and the ticks of a
log axis (regression: the practice stop's log charts read "1e0.75")."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def js(page, lab_url, code: str, arg=None):
    page.goto(lab_url + "/")
    page.wait_for_selector('main#chapter[data-mounted="1"]')
    return page.evaluate(code, arg)


@pytest.mark.parametrize(
    "lo, hi",
    [(1e-3, 1e-1), (0.0018, 0.1), (0.05, 0.7), (1e-6, 10.0), (0.3, 0.9), (2.0, 5.0)],
)
def test_log_axis_ticks_are_round_numbers(page, lab_url, lo, hi):
    labels = js(
        page,
        lab_url,
        """async ([lo, hi]) => {
          const { logTicks } = await import('/static/js/views/linechart.js');
          const { fmtTick } = await import('/static/js/dom.js');
          return logTicks(Math.log10(lo), Math.log10(hi), 4).map((t) => fmtTick(10 ** t));
        }""",
        [lo, hi],
    )
    assert len(labels) >= 2, labels
    for label in labels:
        value = float(label)
        assert value == float(f"{value:.1g}"), f"{label} is not a round number"
        assert lo * 0.999 <= value <= hi * 1.001, f"{label} outside [{lo}, {hi}]"
        assert "e0." not in label and len(label) <= 6, label


def test_number_formats(page, lab_url):
    out = js(
        page,
        lab_url,
        """async () => {
          const d = await import('/static/js/dom.js');
          return [d.fmt(0.12345), d.fmt(null), d.fmt(2, 1), d.fmtShort(0.0012), d.fmtShort(0.25),
                  d.pct(0.8734), d.fmtSci(0.00002), d.fmtSci(12.5), d.fmtSci("n/a"),
                  d.fmtTick(0.001), d.fmtTick(20000), d.fmtTick(0.25), d.fmtTick(200000)];
        }""",
    )
    assert out == [
        "0.123", "–", "2.0", "1.2e-3", "0.25", "87.3%", "2.00e-5", "12.5000", "n/a",
        "1e-3", "20000", "0.25", "2e+5",
    ]  # fmt: skip
