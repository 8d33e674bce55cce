"""A qualified figure is one type (forcedata/figure.py): each qualifier of the schema has its
marks, words, rank and interval arithmetic there, every reader of a figure gets them from there,
and an unknown qualifier is an error. Every expectation below is written out by hand."""

from __future__ import annotations

import math
from typing import get_args

import pandas as pd
import pytest

from forcedata import figure
from forcedata.display import qualifier_legend, qualifier_text, ratio_text, stored_label, value_label, value_words
from forcedata.groups import group_total
from forcedata.relative import ratio
from forcedata.schema import Qualifier, Series, SeriesPoint, Value
from tests.synthetic import frame, row as frow

INF = math.inf


def test_the_table_has_exactly_the_schemas_qualifiers():
    """A qualifier added to the schema without its entry (or an entry the schema does not
    accept) fails here, before any reader meets it."""
    assert set(figure.QUALIFIERS) == set(get_args(Qualifier))
    for model in (Value, SeriesPoint, Series):  # the values files may hold, as pydantic checks them
        accepted = model.model_json_schema()["properties"]["qualifier"]
        enum = accepted.get("enum") or next(a["enum"] for a in accepted["anyOf"] if "enum" in a)
        assert set(enum) == set(figure.QUALIFIERS), model.__name__
    assert all(spec.id == key for key, spec in figure.QUALIFIERS.items())


def test_every_qualifier_has_hand_written_expectations_below():
    assert set(EXPECTED) == set(get_args(Qualifier))


def value(q: str, v: float | None = 6000, **kw) -> dict:
    return {"status": "reported", "value": v, "low": None, "high": None, "qualifier": q, "uncertain": False,
            "condition": None, "caption": None, "unit": "people", "year": 2025} | kw


def a_range(q: str) -> dict:
    return value(q, None, low=4000, high=5000)


# qualifier: (label of 6,000, label of 4,000-5,000, words in tables, 6,000 in a sentence, the range in
# a sentence, the legend of a chart of one 6,000, rank)
EXPECTED = {
    "more_than": ("> 6,000", "4,000–5,000", "more than", "more than 6,000", "4,000 to 5,000", "> more than", 3),
    "at_least": ("≥ 6,000", "4,000–5,000", "at least", "at least 6,000", "4,000 to 5,000", "≥ at least", 3),
    "about": ("≈ 6,000", "4,000–5,000", "about", "about 6,000", "about 4,000 to 5,000", "≈ about", 2),
    "up_to": ("≤ 6,000", "4,000–5,000", "up to", "up to 6,000", "4,000 to 5,000", "≤ up to", 3),
    "estimate": ("6,000 est.", "4,000–5,000 est.", "estimate", "6,000 (estimate)", "4,000 to 5,000 (estimate)",
                 "est. estimate", 1),
    "exact": ("6,000", "4,000–5,000", "as reported", "6,000", "4,000 to 5,000", "", 0),
}


@pytest.mark.parametrize("q", list(EXPECTED))
def test_each_qualifiers_marks_and_words(q):
    label, range_label, words, sentence, range_sentence, legend, rank = EXPECTED[q]
    assert value_label(value(q)) == label
    assert value_label(a_range(q)) == range_label
    assert qualifier_text(value(q)) == words
    assert value_words(value(q)) == sentence
    assert value_words(a_range(q)) == range_sentence
    assert qualifier_legend(pd.DataFrame([value(q)])) == legend
    assert figure.qualifier(q).rank == rank


def test_the_legend_lists_the_marks_drawn_in_one_order():
    everything = pd.DataFrame([value(q) for q in reversed(list(EXPECTED))] + [a_range("about")])
    assert qualifier_legend(everything) == ("> more than · ≥ at least · ≈ about · ≤ up to · est. estimate · "
                                            "– range")
    # a range carries no mark before its numbers, but " est." after them
    assert qualifier_legend(pd.DataFrame([a_range("more_than")])) == "– range"
    assert qualifier_legend(pd.DataFrame([a_range("estimate")])) == "est. estimate · – range"


# qualifier: (interval of 6,000 as (low, high, strictly above low, approximate), 6,000 + an exact 100
# as a group total, 6,000 over an exact 1,000, an exact 6,000 over 1,000 so qualified)
ARITHMETIC = {
    "more_than": ((6000, INF, True, False), "≥ 6,100", "> 6.0 : 1", "< 6.0 : 1"),
    "at_least": ((6000, INF, False, False), "≥ 6,100", "> 6.0 : 1", "< 6.0 : 1"),
    "about": ((6000, 6000, False, True), "≈ 6,100", "≈ 6.0 : 1", "≈ 6.0 : 1"),
    "up_to": ((0, 6000, False, False), "100–6,100", "< 6.0 : 1", "> 6.0 : 1"),
    "estimate": ((6000, 6000, False, True), "≈ 6,100", "≈ 6.0 : 1", "≈ 6.0 : 1"),
    "exact": ((6000, 6000, False, False), "6,100", "6.0 : 1", "6.0 : 1"),
}


@pytest.mark.parametrize("q", list(EXPECTED))
def test_each_qualifiers_interval_sum_and_ratio(q):
    bounds, total, over_exact, under = ARITHMETIC[q]
    i = figure.interval(value(q))
    assert (i.low, i.high, i.low_open, i.approximate) == bounds
    shown = frame(frow("A", "personnel.active", 6000, qualifier=q), frow("B", "personnel.active", 100))
    assert group_total(shown, name="G", members=["A", "B"], metric="personnel.active").text() == total
    assert ratio_text(value(q), value("exact", 1000)) == over_exact
    assert ratio_text(value("exact"), value(q, 1000)) == under


# qualifier: 6,000 personnel over an exact population of 4,000,000, per 1,000 people
PER_1000 = {"more_than": "> 1.5", "at_least": "≥ 1.5", "about": "≈ 1.5", "up_to": "≤ 1.5", "estimate": "≈ 1.5",
            "exact": "1.5"}


@pytest.mark.parametrize("q", list(EXPECTED))
def test_each_qualifier_carries_into_a_relative_measure(q):
    assert value_label(ratio(value(q), value("exact", 4_000_000), 1000.0)) == PER_1000[q]


def test_a_numerator_flagged_highly_uncertain_makes_the_measure_approximate():
    assert value_label(ratio(value("exact", uncertain=True), value("exact", 4_000_000), 1000.0)) == "≈ 1.5"


def test_bounds_meeting_bounds():
    # one-sided the same way: the ratio could be anything
    assert ratio_text(value("more_than"), value("at_least", 1000)) == ""
    assert ratio_text(value("up_to"), value("up_to", 1000)) == ""
    assert ratio(value("more_than"), value("more_than", 1000)) is None
    # a lower bound over an upper bound stays a lower bound, and the other way round
    assert ratio_text(value("more_than"), value("up_to", 1000)) == "> 6.0 : 1"
    assert ratio_text(value("up_to"), value("at_least", 1000)) == "< 6.0 : 1"
    # a range over a number is a range; a range in a total adds both ends
    assert value_label(ratio(a_range("exact"), value("exact", 1000))) == "4–5"
    assert (figure.interval(a_range("up_to")).low, figure.interval(a_range("up_to")).high) == (4000, 5000)
    total = figure.total([figure.interval(a_range("exact")), figure.interval(value("up_to", 50))])
    assert (total.low, total.high) == (4000, 5050)


def test_a_zero_gives_no_false_bound():
    assert ratio_text(value("exact"), value("exact", 0)) == ""  # nothing to divide by
    assert ratio_text(value("exact", 0), value("at_least", 6)) == "0.0 : 1"  # 0 is 0 times anything
    assert ratio_text(value("more_than", 0), value("exact", 6)) == ""  # "more than 0" bounds nothing


def test_precision_order_of_the_default_rule():
    qualifiers = pd.Series(["up_to", "exact", "about", "estimate", "more_than", "at_least", None, "exact"])
    ranges = pd.Series([False] * 7 + [True])
    assert figure.precision_ranks(qualifiers, ranges=ranges).tolist() == [3, 0, 2, 1, 3, 3, 5, 4]


@pytest.mark.parametrize("read", [
    lambda r: value_label(r), lambda r: value_words(r), lambda r: qualifier_text(r), lambda r: figure.interval(r),
    lambda r: qualifier_legend(pd.DataFrame([r])), lambda r: ratio_text(r, value("exact", 10)),
    lambda r: figure.precision_ranks(pd.Series([r["qualifier"]])),
], ids=["label", "words", "table", "interval", "legend", "ratio", "rank"])
def test_an_unknown_qualifier_is_an_error_not_a_default(read):
    with pytest.raises(figure.UnknownQualifier, match="unknown qualifier 'roughly': expected one of more_than, "):
        read(value("roughly"))


def test_no_qualifier_is_the_schemas_default():
    assert Value.model_fields["qualifier"].default == "exact"
    assert value_label({"value": 6000}) == "6,000"
    assert qualifier_text(value(None)) == "as reported"


def test_a_change_report_names_an_unknown_qualifier_instead_of_failing():
    """Importers and the scaffold describe values of files not yet validated."""
    from forcedata.importers.writer import _describe

    assert stored_label({"value": 6000.5, "qualifier": "roughly"}) == "6,000.5 (unknown qualifier 'roughly')"
    assert _describe({"value": 6000, "qualifier": "more_than"}) == "> 6,000"
    assert _describe({"value": 6000, "qualifier": "roughly"}) == "6,000 (unknown qualifier 'roughly')"


def test_an_import_over_a_value_with_an_unknown_qualifier_reports_it(data_dir, tmp_path, capsys):
    from forcedata.cli import main

    (data_dir / "forces" / "PAK.yaml").write_text(
        "id: PAK\nname: Pakistan\nkind: state\nobservations:\n  nuclear:\n    warheads:\n"
        "      - value: 160\n        qualifier: roughly\n        as_of: 2025-01\n        source: sipri-yb-2025-nuclear\n",
        encoding="utf-8")
    csv = tmp_path / "nuclear.csv"
    csv.write_text("country,as_of,total_inventory,qualifier\nPakistan,2025-01,170,estimate\n", encoding="utf-8")
    code = main(["import", "sipri-nuclear", str(csv), "--via", "livemint-sipri-nuclear-2025", "--data-dir",
                 str(data_dir), "--dry-run", "--verbose"])
    out = capsys.readouterr().out
    assert code == 0
    assert "160 (unknown qualifier 'roughly') -> 170 est." in out


@pytest.mark.parametrize("q, bound", [("more_than", True), ("at_least", True), ("up_to", True), ("about", False),
                                      ("estimate", False), ("exact", False)])
def test_a_bound_is_named_as_a_reason_reports_differ(q, bound):
    from forcedata.disagreements import reasons

    group = frame(frow("A", "personnel.active", 6000, qualifier=q), frow("A", "personnel.active", 5000))
    assert ("a bound ('more than', 'at least', 'up to') is not a count" in reasons(group)) == bound


@pytest.mark.parametrize("better, worse", [
    ("{value: 4300, as_of: 2025, source: iiss-mb-2025}", "{value: 4400, qualifier: estimate, as_of: 2025, source: iiss-mb-2025}"),
    ("{value: 4400, qualifier: estimate, as_of: 2025, source: iiss-mb-2025}", "{value: 4500, qualifier: about, as_of: 2025, source: iiss-mb-2025}"),
    ("{value: 4500, qualifier: about, as_of: 2025, source: iiss-mb-2025}", "{value: 4600, qualifier: up_to, as_of: 2025, source: iiss-mb-2025}"),
    ("{value: 4600, qualifier: up_to, as_of: 2025, source: iiss-mb-2025}", "{low: 4000, high: 5000, as_of: 2025, source: iiss-mb-2025}"),
])
def test_the_default_rule_ranks_precision_by_the_table(data_dir, write_entity, better, worse):
    """Step 6 of the default rule, through the frame: exact, estimate, about, the bounds, then
    ranges (even an exact one); the file's order would pick the other one."""
    from forcedata.load import load_dataset

    write_entity("TST", "id: TST\nname: Testland\nkind: state\nobservations:\n  personnel:\n    active:\n"
                 f"      - {worse}\n      - {better}\n")
    ds = load_dataset(data_dir)
    assert ds.problems == []
    chosen = ds.frame[(ds.frame.entity == "TST") & ds.frame.is_default]
    assert len(chosen) == 1 and f"value: {chosen.iloc[0].value:.0f}" in better


def test_an_import_of_an_unknown_qualifier_is_refused(data_dir, tmp_path, capsys):
    from forcedata.cli import main

    csv = tmp_path / "nuclear.csv"
    csv.write_text("country,as_of,total_inventory,qualifier\nPakistan,2025-01,170,roughly\n", encoding="utf-8")
    assert main(["import", "sipri-nuclear", str(csv), "--data-dir", str(data_dir)]) == 2  # rejected input
    assert ("line 2: qualifier 'roughly' is not one of about, at_least, estimate, exact, more_than, up_to"
            in capsys.readouterr().err)
