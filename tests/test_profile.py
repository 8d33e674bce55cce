"""Profile: the pure computations on a small frame, and the page with good and hostile links."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from forcedata.groups import Group
from forcedata.profile import (
    compare_link, edition_changes, entity_notes, neighbour_links, profile_by_family, report_rows,
)
from tests.conftest import ROOT
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


def test_every_report_is_listed_with_the_default_first():
    tables = {f: t for f, _, t in profile_by_family(sample(), "RRR", {"personnel": "Personnel", "land": "Land"})}
    land = tables["land"]
    assert land["Report"].tolist() == ["shown", "other report", "other report", "other report"]
    assert land["Value"].tolist() == ["1,750", "1,700", "≈ 1,800", "2,927"]
    assert land.loc[0, "Read in"] == "Paper, 14 Feb 2024" and land.loc[0, "Note"] == "Active inventory."
    assert land.loc[0, "Tier"] == "reference work"
    people = tables["personnel"]
    # a series contributes its newest year only, and says how long it is
    assert people["Report"].tolist() == ["shown", "newest of a series"]
    assert people["Status"].tolist() == ["not known", "reported"]
    assert people.loc[1, "Value"] == "2,116" and people.loc[1, "Note"].startswith("Yearly series 2014–2016 (3 years)")
    assert len(report_rows(sample(), "RRR")) == 6


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
    personnel = dict((f, t) for f, _, t in sections)["personnel"]
    assert personnel.loc[0, "Value"] == "172,000" and personnel.loc[0, "Read in"].startswith("Reuters")
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
    assert any("de facto authority" in i.value for i in at.info)
    assert len(at.dataframe) >= 4
    assert at.query_params["e"] == "AFG"
    assert any("(./?c=AFG,PAK)" in m.value for m in at.markdown)


def test_profile_page_follows_the_link():
    at = page(e="rus")
    assert not at.exception and not at.warning
    assert at.selectbox[0].value == "RUS"
    changes = at.dataframe[-1].value
    assert "2,840 · army only (2022) → 1,800 est. · army only (2022-11) → 1,750 (2024)" in changes["Change"].tolist()


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
    assert at.title[0].value == "Profile"
