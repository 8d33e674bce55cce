"""Where reports disagree: the pure table on a synthetic frame, the real Pakistan case, the
sources page's filters with good and hostile links, and the one count of values citing a source."""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

from forcedata.coverage import values_citing
from forcedata.disagreements import disagreement_details, disagreement_table, spread
from tests.conftest import ROOT
from tests.synthetic import frame, row

TIMEOUT = 60
HOSTILE = ["<script>alert(1)</script>", "[x](https://evil.example)", "A" * 3000]


def sample():
    return frame(
        row("PPP", "personnel.active", 660000, source="mb", source_short="IISS", via="wire", via_short="Wire",
            note="army 560,000; air force 70,000; navy 30,000"),
        row("PPP", "personnel.active", 600000, qualifier="more_than", source="mb", source_short="IISS",
            via="paper", via_short="Paper", is_default=False),
        row("PPP", "personnel.active", 650000, qualifier="about", source="wfb", source_short="CIA", is_default=False),
        row("PPP", "personnel.active", 644000, as_of="2016", source="cow", from_series=True, is_default=False),
        row("GGG", "land.mbt", 213, source="parl", source_short="Parliament",
            note='Challenger 2 "in service" after 14 were given away.'),
        row("GGG", "land.mbt", 219, source="mod", source_short="MoD", note="Total holdings.", is_default=False),
        row("III", "personnel.active", None, low=4000, high=6000, qualifier="estimate", source="un",
            note="Includes family members, not fighters only.", via="a", via_short="A"),
        row("III", "personnel.active", None, low=2000, high=3500, qualifier="estimate", source="un",
            via="b", via_short="B", is_default=False),
        row("ZZZ", "air.combat_capable", 0, source="x", caption="no fighter jets"),
        row("ZZZ", "air.combat_capable", 4, source="y", is_default=False),
        row("ONE", "land.mbt", 10, source="x"),
        row("ONE", "land.mbt", None, status="not_known", qualifier=None, source="y", is_default=False),
    )


def test_each_group_of_two_or_more_reports_largest_spread_first():
    table = disagreement_table(sample())
    assert table["entity"].tolist() == ["ZZZ", "III", "PPP", "GGG"]  # ONE: only one number
    assert table["Spread"].tolist() == ["0 vs more than 0", "3.00×", "1.10×", "1.03×"]
    pak = table.set_index("entity").loc["PPP"]
    assert pak["Reports"] == 3 and pak["Year"] == 2025  # the 2016 series year is another year
    assert pak["Values"] == "660,000 (IISS via Wire) · > 600,000 (IISS via Paper) · ≈ 650,000 (CIA)"
    assert "a bound ('more than', 'at least', 'up to') is not a count" in pak["Why they may differ"]
    assert "different producers, each with its own counting: IISS, CIA" in pak["Why they may differ"]
    assert "army only" not in pak["Why they may differ"]  # a service breakdown is not a scope


def test_definitional_reasons_come_from_the_notes():
    table = disagreement_table(sample()).set_index("entity")["Why they may differ"]
    assert table["GGG"].startswith("total holdings vs equipment in service")
    assert table["III"].startswith("fighters only vs including family members")
    assert "one source as quoted by different reports" in table["III"]


def test_filters_and_details():
    assert disagreement_table(sample(), entities=["GGG"])["entity"].tolist() == ["GGG"]
    assert disagreement_table(sample(), metrics=["land.mbt"])["entity"].tolist() == ["GGG"]
    details = disagreement_details(sample(), entities=["PPP"])
    assert details["Value"].tolist() == ["660,000", "> 600,000", "≈ 650,000"]
    assert details["Read in"].tolist()[1].startswith("Paper")


def test_spread_of_ranges_and_agreement():
    assert spread(frame(row("A", "m.x", 5), row("A", "m.x", 5))) == 1.0
    assert math.isinf(spread(frame(row("A", "m.x", 0), row("A", "m.x", 5))))


def test_pakistan_active_personnel_from_each_report(real_dataset):
    table = disagreement_table(real_dataset.frame, entities=["PAK"], metrics=["personnel.active"])
    assert len(table) == 1
    values = table["Values"].iloc[0]
    for report in ("660,000 (IISS via Reuters)", "> 600,000 (IISS via Arab News)", "≈ 650,000 (CIA)"):
        assert report in values


def test_values_citing_counts_source_and_via_once():
    counts = values_citing(sample())
    assert counts.loc["mb"].tolist() == [2, 0, 2]
    assert counts.loc["wire"].tolist() == [0, 1, 1]
    assert counts.index[0] in {"un", "mb", "x", "y"}


def page(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/sources.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_sources_page_shows_tiers_the_rule_and_disagreements():
    at = page()
    assert not at.exception
    assert at.title[0].value == "Sources and methods"
    frames = [d.value for d in at.dataframe]
    sources = next(f for f in frames if "Citation" in f.columns).set_index("Id")
    assert sources.loc["iiss-mb-2025", "Tier"] == "reference"
    assert sources.loc["nato-member-countries", "Tier"] == "official"
    # the default rule in words (forcedata.frame.RULE_FOR_READERS)
    assert any(m.value.startswith("1. **Latest available**") and "**Newest year.**" in m.value for m in at.markdown)
    disagreements = next(f for f in frames if "Spread" in f.columns)
    assert len(disagreements) >= 10 and disagreements["Spread"].iloc[0] != "agree"


def test_sources_page_filters_follow_the_link():
    at = page(de="PAK", dm="personnel.active")
    assert not at.exception and not at.warning
    table = next(d.value for d in at.dataframe if "Spread" in d.value.columns)
    assert table["Entity"].tolist() == ["Pakistan"]
    assert "> 600,000 (IISS via Arab News)" in table["Values"].iloc[0]
    assert at.multiselect[1].help and "Active personnel" in at.multiselect[1].help
    assert at.query_params["de"] == "PAK"


@pytest.mark.parametrize("bad", ["ZZZ", *HOSTILE])
def test_sources_page_hostile_links(bad):
    at = page(de=bad, dm=bad)
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert len(notes) == 2 and notes[0].startswith("Ignored unknown id(s) in the link (`?de=`)")
    assert notes[1].startswith("Ignored unknown metric(s) in the link (`?dm=`)")
    for note in notes:
        assert "<script>" not in note and "](https" not in note and len(note) < 600
    assert len(next(d.value for d in at.dataframe if "Spread" in d.value.columns)) >= 10  # the unfiltered view


def test_a_recorded_scope_is_the_first_reason_given(data_dir, write_entity):
    from forcedata.load import load_dataset

    write_entity("TST", "id: TST\nname: Testland\nkind: state\nobservations:\n  land:\n    mbt:\n"
                        "      - {value: 288, as_of: 2025, source: iiss-mb-2025, scope: [includes_stored]}\n"
                        "      - {value: 213, as_of: 2025, source: gfp-2025}\n")
    [row] = disagreement_table(load_dataset(data_dir).frame).to_dict("records")
    why = row["Why they may differ"]
    assert why.startswith("counted differently: ") and why.split(";")[0].endswith(
        ("counted as defined vs includes stored", "includes stored vs counted as defined"))
