"""One presentation vocabulary: charts, the diff and the importers' change reports write a value
the same way (forcedata.display), the change reports keeping every stored digit."""

from __future__ import annotations

import pytest

from forcedata.diff import diff_frames
from forcedata.display import format_stored, value_label
from forcedata.importers.writer import _describe
from tests.synthetic import frame, row

CASES = [
    ({"value": 660000.0, "qualifier": "about"}, "≈ 660,000", "≈ 660,000"),
    ({"value": 10165.95, "uncertain": True}, "10,166 est. (highly uncertain)", "10,165.95 est. (highly uncertain)"),
    ({"value": 600000.0, "qualifier": "more_than"}, "> 600,000", "> 600,000"),
    ({"value": 6.0, "qualifier": "at_least", "condition": "unknown"}, "≥ 6 †", "≥ 6 †"),
    ({"value": None, "low": 4000.0, "high": 6000.0, "qualifier": "estimate"}, "4,000–6,000 est.", "4,000–6,000 est."),
    ({"status": "not_known"}, "not known", "not known"),
]


@pytest.mark.parametrize(("value", "chart", "stored"), CASES)
def test_chart_label_and_change_report_share_the_marks(value, chart, stored):
    full = {"value": None, "low": None, "high": None, "qualifier": "exact", "status": "reported",
            "condition": None, "uncertain": False} | value
    assert value_label(full) == chart
    assert value_label(full, exact=True) == stored
    assert _describe({k: v for k, v in full.items() if v is not None}) == stored


def test_the_diff_writes_values_with_the_presentation_module():
    old = frame(row("PPP", "personnel.active", 660000))
    new = frame(row("PPP", "personnel.active", 650000, qualifier="about"))
    change = diff_frames(old, new).iloc[0]
    assert (change.old, change.new) == ("660,000", "≈ 650,000")


def test_stored_numbers_are_never_rounded():
    assert format_stored(10165.95) == "10,165.95"
    assert format_stored(2.939586) == "2.939586"
    assert format_stored(1475750) == "1,475,750"
    assert _describe(2.939586) == "2.939586"
