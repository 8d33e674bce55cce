"""Words for every chart: the text description and the accessible table, written from the rows
a chart draws (small synthetic rows)."""

from __future__ import annotations

import pandas as pd
import pytest

from forcedata.display import chart_table, describe_family, ratio_sentence, value_words

NAMES = {"PAK": "Pakistan", "AFG": "Afghanistan"}


def row(entity="PAK", metric="personnel.active", label="Active personnel", **kw) -> dict:
    base = {
        "entity": entity, "metric": metric, "metric_label": label, "metric_order": 1,
        "family": "personnel", "family_label": "Personnel", "unit": "people", "as_of": "2025",
        "year": 2025, "status": "reported", "value": None, "low": None, "high": None,
        "qualifier": "exact", "condition": None, "uncertain": False, "caption": None,
        "source": "iiss-mb-2025", "source_short": "IISS", "source_title": "The Military Balance 2025",
        "via": "reuters", "via_short": "Reuters",
    }
    return base | kw


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_the_example_sentence():
    text = describe_family(frame(row(value=660000), row("AFG", value=172000)), NAMES)
    assert ("Active personnel: Pakistan 660,000; Afghanistan 172,000 "
            "(IISS, The Military Balance 2025, via Reuters).") in text
    assert "Pakistan has 3.8 times as many as Afghanistan." in text
    assert text.startswith("Personnel: Pakistan vs Afghanistan, figures as of 2025.")


@pytest.mark.parametrize("kw, words", [
    ({"value": 6000, "qualifier": "more_than"}, "more than 6,000"),
    ({"value": 6, "qualifier": "at_least", "condition": "unknown"}, "at least 6 (condition unknown)"),
    ({"value": 300, "qualifier": "up_to"}, "up to 300"),
    ({"value": 550000, "qualifier": "about"}, "about 550,000"),
    ({"value": 170, "qualifier": "estimate"}, "170 (estimate)"),
    ({"low": 4000, "high": 6500, "qualifier": "about"}, "about 4,000 to 6,500"),
    ({"low": 4000, "high": 6500, "qualifier": "estimate", "uncertain": True},
     "4,000 to 6,500 (estimate, highly uncertain)"),
    ({"value": 0, "caption": "no fighter jets"}, "0 (no fighter jets)"),
    ({"status": "not_known"}, "not known"),
    ({"status": "not_applicable"}, "not applicable"),
])
def test_value_words_keep_every_qualifier(kw, words):
    assert value_words(row(**kw)) == words


def test_missing_entity_is_not_reported_and_gets_no_ratio():
    text = describe_family(frame(row(value=660000)), NAMES)
    assert "Pakistan 660,000; Afghanistan not reported" in text
    assert "times" not in text


def test_not_known_is_said_and_gets_no_ratio():
    text = describe_family(frame(row(value=660000), row("AFG", status="not_known", value=None)), NAMES)
    assert "Afghanistan not known" in text
    assert "times" not in text


@pytest.mark.parametrize("a, b, sentence", [
    ({"value": 6000, "qualifier": "more_than"}, {"value": 1000},
     "Pakistan has more than 6.0 times as many as Afghanistan."),
    ({"value": 6000, "qualifier": "more_than"}, {"value": 4000, "qualifier": "more_than"}, ""),
    ({"value": 6, "qualifier": "at_least", "condition": "unknown"}, {"value": 1000},
     "Afghanistan has less than 167 times as many as Pakistan."),
    ({"value": 550000, "qualifier": "about"}, {"value": 100000},
     "Pakistan has about 5.5 times as many as Afghanistan."),
    ({"value": 465}, {"value": 0, "caption": "no fighter jets"}, ""),
    ({"low": 4000, "high": 6500}, {"value": 1000}, ""),
    ({"value": 10166, "unit": "US$ m (current)"}, {"value": 2000, "unit": "US$ m (current)"},
     "Pakistan's figure is 5.1 times Afghanistan's."),
])
def test_ratio_sentence_only_where_honest(a, b, sentence):
    assert ratio_sentence(row(**a), row("AFG", **b), "Pakistan", "Afghanistan") == sentence
    text = describe_family(frame(row(**a), row("AFG", **b)), NAMES)
    assert (sentence in text) if sentence else ("times" not in text)


def test_one_sentence_per_metric_in_catalogue_order_with_units_for_money():
    rows = frame(
        row(metric="spending.share", label="Share of GDP", metric_order=2, unit="% of GDP", value=2.7),
        row(metric="spending.usd", label="Military expenditure", metric_order=1,
            unit="US$ m (current)", value=10166, source="sipri", source_short="SIPRI",
            source_title="SIPRI Military Expenditure Database", via=None, via_short=None),
    )
    text = describe_family(rows, {"PAK": "Pakistan"})
    first, second = text.index("Military expenditure, in US$ m"), text.index("Share of GDP, in % of GDP")
    assert first < second
    assert "(SIPRI Military Expenditure Database)." in text


def test_different_years_are_named_per_value():
    text = describe_family(frame(row(value=660000), row("AFG", value=172000, as_of="2019", year=2019)), NAMES)
    assert "figures as of 2019–2025" in text
    assert "Afghanistan 172,000 (as of 2019)" in text


def test_chart_table_has_every_entity_and_metric():
    table = chart_table(frame(row(value=6000, qualifier="more_than")), NAMES)
    assert list(table.columns) == ["Metric", "Entity", "Value", "Qualifier", "As of", "Source"]
    assert table.to_dict("records") == [
        {"Metric": "Active personnel (people)", "Entity": "Pakistan", "Value": "> 6,000",
         "Qualifier": "more than", "As of": "2025", "Source": "IISS, The Military Balance 2025, via Reuters"},
        {"Metric": "Active personnel (people)", "Entity": "Afghanistan", "Value": "not reported",
         "Qualifier": "", "As of": "", "Source": ""},
    ]
