"""AppTest for the map page: defaults, URL state, not-mappable list, hostile parameters."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import chart_spec, run_page

TIMEOUT = 60
PAGE = "app_pages/map.py"
HOSTILE = ["<script>alert(1)</script>", "[x](https://evil.example)", "A" * 3000, "ZZZ"]


def page(**params) -> AppTest:
    return run_page(PAGE, timeout=TIMEOUT, **params)


def figure(at: AppTest) -> dict:
    return chart_spec(at)


def test_no_parameters_maps_active_personnel_with_local_geometry():
    at = page()
    assert not at.exception and not at.warning
    assert at.selectbox[0].value == "personnel.active"
    chart = at.get("plotly_chart")[0]
    assert json.loads(chart.proto.config)["topojsonURL"] == "app/static/geo/"
    names = [t.get("name") for t in figure(at)["data"]]
    assert "not reported" in names and "value" in names
    assert at.query_params["m"] == "personnel.active"


def test_non_state_actors_are_listed_as_not_mappable():
    at = page(m="personnel.active")
    table = at.dataframe[0].value
    ttp = table[table["Entity"] == "Tehreek-e-Taliban Pakistan (TTP)"]
    assert len(ttp) == 1 and ttp.iloc[0]["Why not on the map"].startswith("non-state actor")
    assert list(table["Why not on the map"])[:3] == ["non-state actor: no territory to draw"] * 3


def test_url_sets_metric_and_log():
    at = page(m="spending.milex_constant_usd", log="0")
    assert not at.exception and not at.warning
    fig = figure(at)
    assert fig["layout"]["meta"]["log"] is False
    assert at.query_params["m"] == "spending.milex_constant_usd"


def test_spending_defaults_to_log_colours():
    at = page(m="spending.milex_usd")
    assert figure(at)["layout"]["meta"]["log"] is True
    assert "log" not in at.query_params  # the default is not written into the link


def test_region_from_the_url():
    at = page(r="south-asia")
    assert not at.exception and not at.warning
    fig = figure(at)
    assert fig["layout"]["meta"]["region"] == "south-asia"
    assert "(South Asia)" in fig["layout"]["meta"]["title"]
    assert at.query_params["r"] == "south-asia"


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_region_gives_an_inert_note(bad):
    at = page(r=bad)
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    assert "`?r=`" in note and "<script>" not in note and "](https" not in note and "A" * 100 not in note
    assert figure(at)["layout"]["meta"]["region"] == "world"


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_metric_gives_an_inert_note(bad):
    at = page(m=bad)
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    assert "Ignored unknown metric(s) in the link (`?m=`)" in note
    assert "<script>" not in note and "](https" not in note and "A" * 100 not in note
    assert at.selectbox[0].value == "personnel.active" and at.get("plotly_chart")


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_log_value_gives_an_inert_note(bad):
    at = page(log=bad)
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    assert "`?log=`" in note and "<script>" not in note and "](https" not in note
