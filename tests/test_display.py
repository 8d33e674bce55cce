"""Labels, ratios and footnotes as readers see them."""

from __future__ import annotations

import pytest

from forcedata.display import (
    format_date, nuclear_status, qualifier_legend, ratio_text, sources_line, value_label,
)
from forcedata.frame import default_values


def row(**kw) -> dict:
    base = {"status": "reported", "value": None, "low": None, "high": None, "qualifier": "exact",
            "condition": None, "uncertain": False, "caption": None, "unit": "people"}
    return base | kw


@pytest.mark.parametrize("kw, label", [
    ({"value": 660000}, "660,000"),
    ({"value": 6000, "qualifier": "more_than"}, "> 6,000"),
    ({"value": 6, "qualifier": "at_least", "condition": "unknown"}, "≥ 6 †"),
    ({"value": 0, "caption": "no fighter jets"}, "0 — no fighter jets"),
    ({"value": 610000, "qualifier": "about"}, "≈ 610,000"),
    ({"value": 1300000, "qualifier": "up_to"}, "≤ 1,300,000"),
    ({"value": 170, "qualifier": "estimate"}, "170 est."),
    ({"value": 5.6, "uncertain": True, "qualifier": "estimate", "unit": "% of GDP"}, "5.6 % est. (highly uncertain)"),
    ({"low": 6000, "high": 6500, "qualifier": "estimate"}, "6,000–6,500 est."),
    ({"status": "not_known"}, "not known"),
    ({"status": "not_applicable"}, "not applicable"),
    ({"value": float("nan")}, "not reported"),
])
def test_value_label(kw, label):
    assert value_label(row(**kw)) == label


@pytest.mark.parametrize("a, b, text", [
    (row(value=660000), row(value=172000), "3.8 : 1"),
    (row(value=6000, qualifier="more_than"), row(value=1000), "> 6.0 : 1"),
    (row(value=1000), row(value=6, qualifier="at_least"), "< 167 : 1"),
    (row(value=610000, qualifier="about"), row(value=172000), "≈ 3.5 : 1"),
    (row(value=6000, qualifier="more_than"), row(value=4000, qualifier="more_than"), ""),
    (row(value=465), row(value=0, caption="no fighter jets"), ""),
    (row(value=10166), row(status="not_known"), ""),
    (row(value=10166, year=2024), row(value=278, year=2021), ""),  # different years: no ratio
    (row(value=10166, year=2024), row(value=278, year=2024), "36.6 : 1"),
])
def test_ratio_text_is_honest_about_bounds(a, b, text):
    assert ratio_text(a, b) == text


def test_format_date():
    assert [format_date(d) for d in ("2025", "2025-10", "2025-06-17", None)] == ["2025", "Oct 2025", "17 Jun 2025", ""]


def test_nuclear_status():
    assert nuclear_status(row(value=170, qualifier="estimate", as_of="2025-01")) == "Nuclear-armed: 170 est. warheads (Jan 2025)"
    assert nuclear_status(row(value=0, caption="not nuclear-armed")) == "Not nuclear-armed"
    assert nuclear_status(None) == "Nuclear status not reported"


def test_footnote_names_exactly_the_sources_drawn(real_dataset):
    ds = real_dataset
    rows = default_values(ds.frame, ["PAK", "AFG"])
    air = rows[rows.family == "air"]
    # mixed sources within a metric: each source keyed by the mark its bars carry, tier said
    assert sources_line(air) == (
        "Sources: (a) IISS, The Military Balance 2025 (via Reuters, Mar 2026; Arab News, 2026); "
        "(b) Global Firepower, 2025 Military Strength Ranking (alternative index) (via Fast News Globe, "
        "Oct 2025; Sarkarnama, 2025); (c) Global Firepower, 2021 Military Strength Ranking (alternative "
        "index) (via Aaj News, 2021).")
    nuclear = rows[rows.family == "nuclear"]
    assert sources_line(nuclear) == "Sources: SIPRI Yearbook 2025: World nuclear forces (via Mint, 17 Jun 2025)."
    assert qualifier_legend(air) == "> more than · ≥ at least · † serviceability in doubt or unknown"
    assert sources_line(air.iloc[0:0]) == ""
