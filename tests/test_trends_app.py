"""AppTest for the trends page: defaults, URL state, presets, hostile parameters."""

from __future__ import annotations


import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import chart_spec, run_page

TIMEOUT = 60
PAGE = "app_pages/trends.py"
HOSTILE = ["<script>alert(1)</script>", "[x](https://evil.example)", "A" * 3000]


def page(**params) -> AppTest:
    return run_page(PAGE, timeout=TIMEOUT, **params)


def figure(at: AppTest) -> dict:
    return chart_spec(at)


def test_no_parameters_shows_pakistan_and_india_spending():
    at = page()
    assert not at.exception and not at.warning
    assert at.selectbox[0].value == "spending.milex_usd"
    assert at.multiselect[0].value == ["PAK", "IND"]
    fig = figure(at)
    assert fig["layout"]["meta"]["metric"] == "spending.milex_usd"
    assert at.query_params["m"] == "spending.milex_usd" and at.query_params["c"] == "PAK,IND"


def test_url_sets_metric_entities_prices_and_log():
    at = page(m="spending.milex_constant_usd", c="USA,CHN", log="1")
    assert not at.exception and not at.warning
    assert at.multiselect[0].value == ["USA", "CHN"]
    fig = figure(at)
    assert fig["layout"]["meta"]["metric"] == "spending.milex_constant_usd"
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert at.query_params["m"] == "spending.milex_constant_usd" and at.query_params["log"] == "1"


def test_prices_switch_changes_the_metric_and_the_url():
    at = page()
    at.get("button_group")[0].set_value("constant").run()
    assert not at.exception
    assert figure(at)["layout"]["meta"]["metric"] == "spending.milex_constant_usd"
    assert at.query_params["m"] == "spending.milex_constant_usd"


def test_personnel_shows_each_source_and_the_cow_warning():
    at = page(m="personnel.active", c="PAK")
    fig = figure(at)
    names = [t.get("name") for t in fig["data"]]
    assert "Pakistan · Correlates of War" in names and "Pakistan · IISS" in names
    assert "not IISS's \"active\" definition" in fig["layout"]["title"]["subtitle"]["text"]


def test_preset_goes_to_pakistan_and_india_spending_since_1949():
    at = page(m="personnel.active", c="USA")
    preset = next(b for b in at.button if b.label == "Pakistan and India spending since 1949")
    preset.click().run()
    assert not at.exception
    assert at.multiselect[0].value == ["PAK", "IND"]
    assert figure(at)["layout"]["meta"]["metric"] == "spending.milex_usd"
    assert at.query_params["m"] == "spending.milex_usd" and at.query_params["c"] == "PAK,IND"


@pytest.mark.parametrize("bad", HOSTILE + ["ZZZ"])
def test_hostile_metric_gives_an_inert_note(bad):
    at = page(m=bad)
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    assert "Ignored unknown metric(s) in the link (`?m=`)" in note
    assert "<script>" not in note and "](https" not in note
    assert at.selectbox[0].value == "spending.milex_usd"  # the default is drawn
    assert at.get("plotly_chart")


@pytest.mark.parametrize("bad", HOSTILE + ["ZZZ,QQQ"])
def test_hostile_entities_give_an_inert_note(bad):
    at = page(c=bad)
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    assert "Ignored unknown id(s)" in note
    assert "<script>" not in note and "](https" not in note and "A" * 100 not in note


@pytest.mark.parametrize("bad", HOSTILE)
def test_hostile_log_value_gives_an_inert_note(bad):
    at = page(log=bad)
    assert not at.exception
    note = " ".join(w.value for w in at.warning)
    assert "`?log=`" in note and "<script>" not in note and "](https" not in note
    assert figure(at)["layout"]["yaxis"]["type"] == "linear"
