"""The bad-input corpus in the app (AppTest): a broken groups.yaml, an unusable registry, markup in a
metric's definition and too many ids in a link are each met with a located, inert message while
the rest is served (or, with no usable registry, the message on every page)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.views.markup import plain
from tests.conftest import ROOT

TIMEOUT = 60
PAGES = ["compare", "profile", "trends", "map", "sources", "data_health"]
GROUPS = """\
groups:
  - id: pact
    name: Pact
    full_name: The Pact
    kind: alliance
    source: nato-member-countries
    date_means: joined
    members:
      - {id: PAK, date: 1949-04-04}
      - {id: AFG, date: 2024-13}
  - id: league
    name: League
    full_name: The League
    kind: organisation
    source: nato-member-countries
    date_means: joined
    members: 5
  - id: region
    name: Region
    full_name: A region
    kind: region
    source: un-m49
    date_means: listed
    members:
      - {id: PAK, date: 2024}
      - {id: AFG, date: 2024}
"""  # a month 13 took the profile down; a member list that is a number made validate end in a traceback


@pytest.fixture
def small_data(data_dir: Path, monkeypatch) -> Path:
    """The registry, the catalogue, Pakistan and Afghanistan: the compare page's default selection."""
    for eid in ("PAK", "AFG"):
        shutil.copy(ROOT / "data" / "forces" / f"{eid}.yaml", data_dir / "forces")
    monkeypatch.setenv("FORCEDATA_DATA_DIR", str(data_dir))
    return data_dir


def page(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_a_broken_groups_file_gives_a_banner_and_the_page_is_served(small_data: Path):
    (small_data / "groups.yaml").write_text(GROUPS, encoding="utf-8")
    at = page("compare")
    assert not at.exception
    banner = next(w.value for w in at.warning if "groups.yaml" in w.value)
    assert banner.startswith("2 problem(s) in groups.yaml: the groups concerned are left out")
    assert str(small_data) not in banner and str(small_data) not in " ".join(c.value for c in at.code)
    assert len(at.get("plotly_chart")) >= 4  # the charts are drawn
    assert [o for o in at.selectbox(key="compare_group_a").options] == ["Region (region)"]  # the good group
    at = page("profile", e="AFG")
    assert not at.exception
    assert any(w.value.startswith("2 problem(s) in groups.yaml") for w in at.warning)
    assert "Region" in " ".join(c.value for c in at.caption)  # its one good membership


def test_the_data_health_report_lists_the_groups_file_too(small_data: Path):
    (small_data / "groups.yaml").write_text(GROUPS, encoding="utf-8")
    at = page("data_health")
    assert not at.exception
    assert at.error[0].value.startswith("2 problem(s) in groups.yaml")
    assert "groups.yaml:10: groups[0].members[1].date: '2024-13' is not a real date" in at.code[0].value


@pytest.mark.parametrize("name", PAGES)
def test_an_unusable_registry_stops_every_page_with_the_message(small_data: Path, name: str):
    (small_data / "sources.yaml").write_text("- id: iiss-mb-2025\n- id: sipri\n", encoding="utf-8")
    at = page(name)
    assert not at.exception
    assert len(at.error) == 1 and "sources.yaml cannot be used" in at.error[0].value
    assert at.code[0].value.startswith("sources.yaml:1: expected a mapping with sources, got a list")
    assert not at.get("plotly_chart") and not at.dataframe  # nothing is drawn from data that was not checked


def test_an_unusable_catalogue_stops_the_app_before_any_page(small_data: Path):
    (small_data / "metrics.yaml").write_text("metrics: 5\n", encoding="utf-8")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1 and "metrics.yaml cannot be used" in at.error[0].value
    assert not at.title  # no page ran


def test_a_definition_with_markup_is_inert_in_the_headline_help(small_data: Path):
    """The headline card's hover help (help= is rendered as Markdown) shows the definition as
    written: no link, no bold, no picture fetched from elsewhere."""
    markup = "**bold** [a link](https://evil.example) ![img](https://evil.example/i.png)"
    path = small_data / "metrics.yaml"
    text = path.read_text(encoding="utf-8")
    old = "      Active armed forces: full-time military personnel"
    assert old in text
    path.write_text(text.replace(old, f"      {markup} Active armed forces: full-time military personnel", 1),
                    encoding="utf-8")
    at = page("compare")
    assert not at.exception
    helps = [c.proto.help for c in at.caption if c.proto.help]
    first = next(h for h in helps if "Active armed forces" in h)
    assert first.startswith(plain(markup)) and "](https" not in first and "**bold**" not in first


def test_more_than_six_ids_say_which_were_left_out():
    """(On the trends page: one chart, the same picker as the compare page's.)"""
    at = page("trends", c="PAK,AFG,IND,CHN,IRN,USA,RUS,UKR")
    assert not at.exception
    assert at.multiselect[0].value == ["PAK", "AFG", "IND", "CHN", "IRN", "USA"]
    assert at.warning[0].value == ("The link names 8 countries or actors; a comparison shows at most 6, so “Russia”, "
                                   "“Ukraine” were left out.")
