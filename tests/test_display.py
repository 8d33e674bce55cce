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
    ({"value": 261, "scope_label": "Air Force only"}, "261 · Air Force only"),
    ({"value": 288, "qualifier": "about", "scope_label": "includes stored"}, "≈ 288 · includes stored"),
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


def test_footnote_names_exactly_the_sources_drawn():
    from tests.synthetic import frame, row as frow

    rows = frame(
        frow("A", "air.combat_capable", 465, source="iiss", source_short="IISS", source_title="The Military Balance 2025",
             via="rtr", via_short="Reuters", via_published="2026-03"),
        frow("B", "air.combat_capable", 6, source="iiss", source_short="IISS", source_title="The Military Balance 2025",
             via="an", via_short="Arab News", via_published="2026", qualifier="at_least", condition="unknown"),
        frow("A", "air.fighters", 331, source="gfp", source_short="Global Firepower",
             source_title="2026 Military Strength Ranking", source_tier="alternative", qualifier="more_than"),
    ).assign(source_mixed=True)
    # mixed sources within a metric: each source keyed by the mark its bars carry, tier said
    assert sources_line(rows) == (
        "Sources: (a) IISS, The Military Balance 2025 (via Reuters, Mar 2026; Arab News, 2026); "
        "(b) Global Firepower, 2026 Military Strength Ranking (alternative index).")
    assert qualifier_legend(rows) == "> more than · ≥ at least · † serviceability in doubt or unknown"
    assert sources_line(rows.iloc[0:0]) == ""


def test_footnote_of_the_bundled_nuclear_chart(real_dataset):
    rows = default_values(real_dataset.frame, ["PAK", "AFG"])
    nuclear = rows[rows.family == "nuclear"]
    assert sources_line(nuclear) == "Sources: SIPRI Yearbook 2025: World nuclear forces (via Mint, 17 Jun 2025)."


# Headline cards never mix silently (issue "like for like") --------------------------------------

def _card_rows(*specs):
    from tests.synthetic import frame, row as frow
    return frame(*[frow(e, m, v, as_of=a, source=src, **kw) for e, m, v, a, src, kw in specs])


@pytest.mark.parametrize("specs, why", [
    ([("A", "air.combat_capable", 465, "2025", "iiss", {}), ("B", "air.combat_capable", 200, "2025", "iiss", {})], ""),
    ([("A", "air.combat_capable", 465, "2025", "iiss", {}), ("B", "air.combat_capable", 200, "2025", "gfp", {})],
     "different sources: see the chart"),
    ([("A", "air.combat_capable", 2670, "2020", "iiss", {}), ("B", "air.combat_capable", 2400, "2023", "dod", {}),
      ("C", "air.combat_capable", 1026, "2024", "ngo", {})], "different sources and years: see the chart"),
    ([("A", "air.combat_capable", 261, "2023", "iiss", {"scope": "air_force_only", "scope_label": "Air Force only"}),
      ("B", "air.combat_capable", 201, "2023", "iiss", {})], "different counting rules: see the chart"),
    ([("A", "air.combat_capable", 465, "2025", "iiss", {}), ("B", "air.fighters", 0, "2025", "iiss", {})],
     "different measures: see the chart"),
])
def test_a_headline_card_says_when_its_figures_are_unlike(specs, why):
    from forcedata.display import unlike_values

    rows = _card_rows(*specs)
    ids = sorted({s[0] for s in specs})
    assert unlike_values(rows, "air.combat_capable", ids, {"air.fighters": "air.combat_capable"}) == why


def test_a_narrower_count_never_stands_in_for_the_wider_one_in_a_card():
    from forcedata.display import headline_parts

    rows = _card_rows(("A", "air.combat_capable", 465, "2025", "iiss", {}),
                      ("B", "air.fighters", 0, "2025", "iiss", {"caption": "no fighter jets"}))
    parts = headline_parts(rows, "air.combat_capable", ["A", "B"], {"air.fighters": "air.combat_capable"},
                           {"air.fighters": "Fighter aircraft"})
    assert parts == ["465", "not reported (fighter aircraft: 0 — no fighter jets)"]


def test_usa_china_russia_headline_never_mixes_silently(real_dataset):
    """The case of the issue: an IISS 2020 fighter count, a US DoD estimate and an NGO study, three
    definitions and three years, were one card with no word of warning."""
    from forcedata.display import headline_parts, unlike_values

    ds, ids = real_dataset, ["USA", "CHN", "RUS"]
    rows = default_values(ds.frame, ids)
    parts_of = {m.id: m.part_of for m in ds.metrics.values() if m.part_of}
    labels = {m.id: m.label for m in ds.metrics.values()}
    from forcedata.display import headline_basis

    card = headline_parts(rows, "air.combat_capable", ids, parts_of, labels)
    assert not any("fighter aircraft" in p and not p.startswith("not reported") for p in card)
    if not unlike_values(rows, "air.combat_capable", ids, parts_of):  # like for like: said in the card
        assert headline_basis(rows, "air.combat_capable", ids).count(" · as of ") == 1
    # every card: a warning exactly when its figures differ in source, year or scope
    for metric in (m.id for m in ds.metrics.values() if m.headline):
        shown = rows[(rows.metric == metric) & (rows.status == "reported")]
        stand_in = any(e not in set(rows.loc[rows.metric == metric, "entity"])
                       and rows[(rows.entity == e) & (rows.metric.map(parts_of.get) == metric)].size for e in ids)
        unlike = shown.source.nunique() > 1 or shown.year.nunique() > 1 or shown.scope.nunique(dropna=False) > 1
        assert bool(unlike_values(rows, metric, ids, parts_of)) == (unlike or stand_in), metric


def test_a_like_for_like_card_says_its_source_year_and_shared_scope_once():
    from forcedata.display import headline_basis, headline_parts

    scoped = {"scope": "excludes_armed_trainers", "scope_label": "excludes armed trainers",
              "source_short": "FlightGlobal", "source_title": "World Air Forces 2020"}
    rows = _card_rows(("A", "air.combat_capable", 2657, "2019", "fg", scoped),
                      ("B", "air.combat_capable", 1603, "2019", "fg", scoped))
    assert headline_parts(rows, "air.combat_capable", ["A", "B"], {}, {}) == ["2,657", "1,603"]
    assert headline_basis(rows, "air.combat_capable", ["A", "B"]) == (
        "FlightGlobal, World Air Forces 2020 · as of 2019 · excludes armed trainers")
    alone = rows[rows.entity == "A"]  # one figure: its scope stays beside it
    assert headline_parts(alone, "air.combat_capable", ["A"], {}, {}) == ["2,657 · excludes armed trainers"]
