"""Profile: the pure computations on a small frame (the full table, the ranks, the tiles), and the page
with good and hostile links."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from forcedata.groups import Group
from forcedata.profile import (
    Rank, compare_link, edition_changes, entity_notes, history_rows, neighbour_links, ordinal, profile_by_family,
    profile_tiles, rank_among, report_rows,
)
from components.views.markup import plain
from tests.conftest import ROOT, markdown_tables
from tests.synthetic import frame, row

TIMEOUT = 60
HOSTILE = ["<script>alert(1)</script>", "[x](https://evil.example)", "A" * 3000]


def sample():
    return frame(
        row("RRR", "land.mbt", 2927, as_of="2022", source="mb-2022", source_short="IISS",
            source_title="The Military Balance 2022", is_default=False, source_published="2022-02"),
        row("RRR", "land.mbt", 1800, as_of="2023", source="mb-2023", source_short="IISS", qualifier="about",
            source_title="The Military Balance 2023", is_default=False, source_published="2023-02"),
        row("RRR", "land.mbt", 1750, as_of="2024", source="mb-2024", source_short="IISS",
            source_title="The Military Balance 2024", source_published="2024-02", via="paper",
            via_short="Paper", via_published="2024-02-14", note="Active inventory."),
        row("RRR", "land.mbt", 1700, as_of="2024", source="mb-2024", source_short="IISS",
            source_title="The Military Balance 2024", is_default=False, via="other", via_short="Other"),
        *[row("RRR", "personnel.active", 100 + y, as_of=str(y), source="cow", from_series=True,
              is_default=False) for y in (2014, 2015, 2016)],
        row("RRR", "personnel.active", None, status="not_known", qualifier=None, source="cia",
            condition=None),
    )


def test_a_row_per_metric_and_the_other_reports_behind_it():
    tables = {s.family: s for s in profile_by_family(sample(), "RRR", {"personnel": "Personnel", "land": "Land"})}
    land = tables["land"]
    # the default figure only, with its source and tier, the report it was read in and its note
    assert land.shown.to_dict("records") == [{
        "Metric": "land.mbt", "Value": "1,750", "Qualifier": "as reported", "As of": "2024",
        "Source": "IISS, The Military Balance 2024 (reference work)", "Read in": "Paper, 14 Feb 2024",
        "Note": "Active inventory."}]
    # every other report, newest first, behind it
    assert land.others["Report"].tolist() == ["other report"] * 3
    assert land.others["Value"].tolist() == ["1,700", "≈ 1,800", "2,927"]
    people = tables["personnel"]
    assert people.shown["Value"].tolist() == ["not known"] and people.shown["Qualifier"].tolist() == ["not known"]
    # a series contributes its newest year only, and says how long it is
    assert people.others["Report"].tolist() == ["newest of a series"]
    assert people.others.loc[0, "Value"] == "2,116"
    assert people.others.loc[0, "Note"].startswith("Yearly series 2014–2016 (3 years)")
    assert len(report_rows(sample(), "RRR")) == 6


def ranked(*figures) -> frame:
    """Default rows of one field: (entity, value, extra fields) each."""
    return frame(*(row(e, "land.mbt", v, **kw) for e, v, kw in figures))


def test_a_figure_ranks_among_those_reporting_it():
    field = ranked(("A", 900, {}), ("B", 700, {}), ("C", 800, {}), ("D", None, dict(status="not_known", qualifier=None)))
    assert [rank_among(field, e).text() for e in "ABC"] == ["1st of 3 reporting", "3rd of 3 reporting",
                                                               "2nd of 3 reporting"]
    assert rank_among(field, "D") is None  # "not known" is not ranked, nor counted among those reporting
    assert rank_among(field, "Z") is None


def test_a_bound_ranks_by_what_it_says():
    """'at least 6' against an exact 7 could be above or below it: neither is placed outright."""
    field = ranked(("A", 6, dict(qualifier="at_least")), ("B", 7, {}), ("C", 3, {}), ("D", 7, dict(qualifier="more_than")))
    assert rank_among(field, "A") == Rank(1, 3, 4)          # only C is certainly below; B and D may be above
    assert rank_among(field, "A").text() == "between 1st and 3rd of 4 reporting"
    assert rank_among(field, "B") == Rank(2, 3, 4)          # D ("more than 7") is certainly above 7; A may be
    assert rank_among(field, "D") == Rank(1, 2, 4)          # A ("at least 6") may be above D
    assert rank_among(field, "C") == Rank(4, 4, 4)          # everything is certainly above 3
    upto = ranked(("A", 500, dict(qualifier="up_to")), ("B", 400, {}), ("C", 600, {}))
    assert rank_among(upto, "A") == Rank(2, 3, 3)           # 0 to 500: below 600, maybe below 400
    spread = ranked(("A", None, dict(low=100.0, high=300.0)), ("B", 200, {}), ("C", 50, {}))
    assert rank_among(spread, "A").text() == "between 1st and 2nd of 3 reporting"


def test_equal_figures_share_a_place_and_a_zero_says_how_many_have_none():
    field = ranked(("A", 9, {}), ("B", 5, {}), ("C", 5, dict(qualifier="about")), ("D", 0, {}), ("E", 0, {}))
    assert rank_among(field, "B").text() == "joint 2nd of 5 reporting"
    assert rank_among(field, "D").text() == "2 of 5 reporting have none"
    assert rank_among(ranked(("A", 0, {}), ("B", 5, {})), "A").text() == "1 of 2 reporting has none"
    assert rank_among(ranked(("A", 5, {})), "A").text() == "the only one reporting"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "102nd", "111th"]


def test_a_figure_counted_differently_ranks_only_among_figures_counted_the_same_way():
    stored = dict(scope="all_tank_types", scope_label="all tank types")
    field = ranked(("A", 3000, stored), ("B", 2000, {}), ("C", 1000, stored), ("D", 1500, {}))
    assert rank_among(field, "C").text() == "2nd of 2 reporting (all tank types)"
    assert rank_among(field, "D").text() == "2nd of 2 reporting (as defined)"
    assert rank_among(ranked(("A", 3, {}), ("B", 2, {})), "B").text() == "2nd of 2 reporting"  # nobody differs


def test_tiles_give_every_field_its_figure_or_not_reported():
    rows = frame(
        row("RRR", "land.mbt", 6, qualifier="at_least", metric_label="Tanks", unit="vehicles", as_of="2024-03",
            source_short="IISS", source_tier="reference"),
        row("SSS", "land.mbt", 7, metric_label="Tanks", unit="vehicles"),
        row("RRR", "land.mbt", 9, is_default=False, metric_label="Tanks", unit="vehicles"),  # not the default
        row("RRR", "air.fighters", 0, caption="no fighter jets", metric_label="Fighters", unit="aircraft",
            source_short="GFP", source_tier="alternative"),
    )
    tiles = profile_tiles(rows, "RRR", ["land.mbt", "air.combat_capable", "sea.submarines"],
                          {"land.mbt": "Tanks", "air.combat_capable": "Combat aircraft", "air.fighters": "Fighter aircraft",
                           "sea.submarines": "Submarines"},
                          {"land.mbt": "vehicles", "air.combat_capable": "aircraft", "sea.submarines": "boats"},
                          {"air.fighters": "air.combat_capable"})
    tanks, aircraft, boats = tiles
    assert (tanks.value, tanks.about, tanks.rank, tanks.reported) == (
        "≥ 6", "Mar 2024 · IISS (reference)", "between 1st and 2nd of 2 reporting", True)
    # a finer count is named as itself, never passed off as the field's
    assert (aircraft.value, aircraft.rank, aircraft.reported) == (
        "not reported (fighter aircraft: 0 — no fighter jets)", "", False)
    assert (boats.label, boats.value, boats.about, boats.rank) == ("Submarines", "not reported", "", "")


def test_the_history_is_the_longest_series_held():
    rows = frame(*[row("RRR", "personnel.active", 100 + y, as_of=str(y), source="cow", from_series=True)
                   for y in (2001, 2002, 2003)],
                 *[row("RRR", "personnel.active", 50, as_of=str(y), source="other", from_series=True) for y in (2004,)],
                 row("RRR", "personnel.active", 7, source="single"))
    assert history_rows(rows, "RRR", "personnel.active")["year"].tolist() == [2001, 2002, 2003]
    assert history_rows(rows, "RRR", "spending.milex_usd").empty


def test_edition_changes_follow_the_editions_in_order():
    changes = edition_changes(sample(), "RRR")
    assert changes["Change"].tolist() == ["2,927 (2022) → ≈ 1,800 (2023) → 1,750 (2024)"]
    assert changes["Producer"].tolist() == ["IISS"]


def test_notes_and_neighbour_links():
    assert entity_notes("non_state", "Fighters only.")[0].startswith("A non-state armed group")
    assert entity_notes("state", "De facto  authority.\n") == ["De facto authority."]
    region = Group(id="r", name="Region", full_name="R", kind="region", source="s", date_means="listed",
                   members=[{"id": i, "date": "2024"} for i in ("AFG", "PAK", "IND")])
    alliance = Group(id="a", name="Pact", full_name="P", kind="alliance", source="s", date_means="joined",
                     members=[{"id": i, "date": "2024"} for i in ("AFG", "USA")])
    names = {"AFG": "Afghanistan", "PAK": "Pakistan", "IND": "India", "USA": "United States"}
    links = neighbour_links({"r": region, "a": alliance}, "AFG", names)
    assert links == [("Afghanistan and Region", ["AFG", "PAK", "IND"]),
                     ("Afghanistan vs Pakistan", ["AFG", "PAK"]),
                     ("Afghanistan vs India", ["AFG", "IND"])]
    assert compare_link(["x-ttp", "PAK"]) == "./?c=x-ttp,PAK"


def test_afghanistan_profile_on_the_real_data(real_dataset):
    sections = profile_by_family(real_dataset.frame, "AFG", {f: f for f in real_dataset.families})
    personnel = {s.family: s for s in sections}["personnel"].shown
    assert personnel.loc[0, "Value"] == "172,000" and personnel.loc[0, "Read in"].startswith("Reuters")
    assert personnel["Metric"].is_unique  # one row per metric; the other reports are behind it
    changes = edition_changes(real_dataset.frame, "RUS")
    assert "2,840 · army only (2022) → 1,800 est. · army only (2022-11) → 1,750 (2024)" in changes["Change"].tolist()


def page(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/profile.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_profile_page_without_parameters_shows_afghanistan_with_its_caveat():
    at = page()
    assert not at.exception
    assert at.selectbox[0].value == "AFG"
    assert at.title[0].value == "Profile: Afghanistan"
    assert any("de facto authority" in i.value for i in at.info)
    assert at.query_params["e"] == "AFG"
    assert any("(./?c=AFG,PAK)" in m.value for m in at.markdown)
    # the card: the tiles, the nuclear status, two small histories, each described in words
    markdown = [m.value for m in at.markdown]
    assert "**172,000**" in markdown and "**not reported**" in markdown  # active personnel; paramilitary
    assert any("Not nuclear-armed" in m for m in markdown)
    captions = [c.value for c in at.caption]
    assert any(c.startswith(plain("Military expenditure, SIPRI Military Expenditure Database: 1949 to 2024"))
               for c in captions)
    assert len(at.get("plotly_chart")) == 2
    # the full table: a row per metric (Markdown tables: nothing cut off), the rest behind expanders
    tables = markdown_tables(at)
    shown = [t for t in tables if "Metric" in t and "Report" not in t and "Active personnel" in t["Metric"].tolist()]
    assert len(shown) == 1 and (shown[0]["Metric"] == "Active personnel").sum() == 1
    others = [t for t in tables if "Report" in t and "Active personnel" in t["Metric"].tolist()]
    assert len(others) == 1 and len(others[0]) > 1


def test_profile_page_follows_the_link():
    at = page(e="rus")
    assert not at.exception and not at.warning
    assert at.selectbox[0].value == "RUS"
    changes = markdown_tables(at)[-1]  # NOTE: Markdown cells, escaped
    assert plain("2,840 · army only (2022) → 1,800 est. · army only (2022-11) → 1,750 (2024)") in changes["Change"].tolist()


def test_a_non_state_group_is_typed_as_such():
    at = page(e="x-ttp")
    assert not at.exception
    assert at.info[0].value.startswith("A non-state armed group")


@pytest.mark.parametrize("bad", ["ZZZ", *HOSTILE])
def test_hostile_links_give_a_note_never_an_exception(bad):
    at = page(e=bad)
    assert not at.exception
    assert at.selectbox[0].value == "AFG"
    note = at.warning[0].value
    assert note.startswith("Ignored unknown id(s) in the link (`?e=`)")
    assert "<script>" not in note and "](https" not in note and len(note) < 600


def test_profile_is_in_the_navigation():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("app_pages/profile.py").run()
    assert not at.exception
    assert at.title[0].value == "Profile: Afghanistan"


def test_a_history_is_drawn_with_its_gaps_and_said_in_words():
    from components.views.profile_card import history_chart, history_words

    series = frame(*[row("RRR", "spending.milex_usd", v, as_of=str(y), source="sipri", from_series=True,
                         metric_label="Military expenditure", source_short="SIPRI", source_title="SIPRI Database",
                         **({"status": "not_known", "qualifier": None} if v is None else {}))
                     for y, v in ((2000, 30), (2001, None), (2002, 45), (2003, 40))])
    fig = history_chart(series)
    assert list(fig.data[0].x) == [2000, 2001, 2002, 2003]
    assert list(fig.data[0].y) == [30, None, 45, 40]  # a year without a figure is a gap, never interpolated
    assert fig.data[0].connectgaps is False
    assert history_words(series) == ("Military expenditure, SIPRI Database: 2000 to 2003, figures for 3 of 4 years; "
                                     "30 in 2000, 40 in 2003; highest 45 (2002).")
    assert history_chart(series[series["status"] != "reported"]) is None


def test_the_real_pakistan_card(real_dataset):
    from components.views.profile_card import build_profile_card

    card = build_profile_card(real_dataset, "PAK")
    assert len(card.tiles) == 12 and card.nuclear.startswith("Nuclear-armed: 170 est. warheads")
    active = card.tiles[0]
    assert (active.value, active.about) == ("660,000", "2025 · IISS (reference)")
    assert re.fullmatch(r"(joint )?\d+(st|nd|rd|th) of \d{3} reporting", active.rank), active.rank
    assert [h.title.split(" (")[0] for h in card.histories] == ["Military expenditure", "Active personnel"]
    assert "Correlates of War" in card.histories[1].words and "not IISS's" in card.histories[1].words
