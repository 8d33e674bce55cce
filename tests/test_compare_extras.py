"""Compare page: relative measures and group totals, with good and hostile links."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.ui.widgets import plain
from tests.conftest import ROOT, markdown_tables

TIMEOUT = 60
HOSTILE = ["<script>alert(1)</script>", "[x](https://evil.example)", "A" * 3000]

ENTITY = """\
id: {id}
name: {name}
kind: state
observations:
  personnel:
    active:
      - value: {active}
        qualifier: {qualifier}
        as_of: 2025
        source: iiss-mb-2025
  context:
    population:
      - value: {population}
        qualifier: estimate
        as_of: 2025
        source: cia-wfb-2026-01
"""


def page(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/compare.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def texts(at) -> list[str]:
    return [c.value for c in at.caption] + [m.value for m in at.markdown]


def test_groups_default_to_the_first_entitys_region_against_it():
    at = page()
    assert not at.exception
    assert [s.value for s in at.selectbox] == ["south-asia", "PAK", "personnel.active"]
    captions = texts(at)
    assert any("reported for" in c and "of 9 members" in c for c in captions)
    assert at.selectbox[2].help and "Active personnel" in at.selectbox[2].help
    assert any("can differ from the one compared above" in c for c in captions)


def test_group_against_group_follows_the_link_and_lists_mixed_sources():
    at = page(ga="nato", gb="CSTO", gm="land.mbt")
    assert not at.exception and not at.warning
    assert [s.value for s in at.selectbox] == ["nato", "csto", "land.mbt"]
    captions = texts(at)
    assert any("of 32 members" in c and "not the group" in c for c in captions)  # NATO's MBT: incomplete
    assert at.query_params["gb"] == "csto"


@pytest.mark.parametrize("bad", ["ZZZ", *HOSTILE])
def test_hostile_group_links_give_notes(bad):
    at = page(ga=bad, gb=bad, gm=bad)
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert [n.split("(`")[1][:4] for n in notes] == ["?ga=", "?gb=", "?gm="]
    for note in notes:
        assert "<script>" not in note and "[x](" not in note and len(note) < 600  # inert: brackets escaped
    assert [s.value for s in at.selectbox][2] == "personnel.active"


def test_relative_measures_with_population(data_dir, write_entity, monkeypatch):
    write_entity("TST", ENTITY.format(id="TST", name="Testland", active=660000, qualifier="exact",
                                      population=250000000))
    write_entity("TSU", ENTITY.format(id="TSU", name="Otherland", active=6000, qualifier="more_than",
                                      population=40000000))
    monkeypatch.setenv("FORCEDATA_DATA_DIR", str(data_dir))
    at = page(c="TST,TSU")
    assert not at.exception
    table = markdown_tables(at)[0]  # the relative measures: the first table on the page
    # a row per entity, a column per measure computed for any of them (spending is for none)
    assert table.columns.tolist() == ["Entity", "Active personnel per 1,000 people"]
    # NOTE: table cells are Markdown: ">" reaches the page escaped and is shown as typed
    assert table["Active personnel per 1,000 people"].tolist() == ["≈ 2.6 per 1,000 people", "\\> 0.1 per 1,000 people"]
    # the sources they were computed from, said once under the table, never on every row
    cited = [c for c in texts(at) if plain("population: CIA, The World Factbook, 2025") in c]
    assert len(cited) == 1 and cited[0].count("CIA") == 1
    assert plain("Computed from active personnel: IISS, The Military Balance 2025, 2025;") in cited[0]
    assert not any("CIA" in cell for cell in table.to_numpy().ravel())
    assert any("military expenditure not reported" in c for c in texts(at))
    assert any("No groups are defined" in c for c in texts(at))
