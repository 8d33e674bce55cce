"""The tidy frame: real values for Pakistan and Afghanistan, and the default-value rule."""

from __future__ import annotations

import pandas as pd
import pytest

from forcedata.frame import default_values
from forcedata.load import load_dataset
from tests.conftest import GOOD_ENTITY


@pytest.fixture(scope="module")
def frame(real_dataset) -> pd.DataFrame:
    return real_dataset.frame


def shown(frame, entity, metric) -> pd.Series:
    rows = frame[(frame.entity == entity) & (frame.metric == metric) & frame.is_default]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# NOTE: written out, as the README documents them: a column added, dropped or moved goes red here
DOCUMENTED_COLUMNS = [
    "entity", "entity_name", "entity_kind", "metric", "metric_label", "family", "family_label",
    "unit", "metric_order", "metric_caveat", "metric_definition", "metric_part_of", "as_of", "year",
    "value", "low", "high", "qualifier", "status", "condition", "uncertain", "caption", "scope",
    "scope_label", "source", "source_short", "source_title", "source_citation", "source_tier",
    "source_edition", "source_database", "source_published", "source_accessed", "via", "via_short",
    "via_citation", "via_published", "locator", "quote", "note", "from_series", "file", "line",
    "is_default",
]


def test_frame_has_the_documented_columns(frame):
    assert list(frame.columns) == DOCUMENTED_COLUMNS


def test_long_texts_are_each_row_s_own_and_stored_once(real_dataset, frame):
    ds = real_dataset
    for column, key, table, field in (("source_citation", "source", ds.sources, "citation_full"),
                                      ("via_citation", "via", ds.sources, "citation_full"),
                                      ("source_title", "source", ds.sources, "title"),
                                      ("metric_definition", "metric", ds.metrics, "definition"),
                                      ("metric_caveat", "metric", ds.metrics, "caveat")):
        expected = [getattr(table[k], field) if isinstance(k, str) else None for k in frame[key]]
        assert [None if pd.isna(v) else v for v in frame[column]] == expected, column
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column  # one copy per distinct text
    assert frame["source_citation"].memory_usage(deep=True) < 2_000_000  # 60,917 rows, not 60,917 copies
    assert isinstance(frame["note"].dtype, pd.CategoricalDtype)  # a series' note, once, not once per year


def test_pakistan_active_is_the_exact_reuters_figure_not_the_rounder_report(frame):
    row = shown(frame, "PAK", "personnel.active")
    assert (row.value, row.qualifier, row.source, row.via) == (660000.0, "exact", "iiss-mb-2025", "reuters-pak-afg-2025-10")
    assert row.source_short == "IISS" and row.source_title == "The Military Balance 2025"
    other = frame[(frame.entity == "PAK") & (frame.metric == "personnel.active") & ~frame.is_default]
    iiss = other[other.source == "iiss-mb-2025"]
    assert [600000.0, "more_than", "arabnews-sponsor-to-enemy-2025"] in iiss[["value", "qualifier", "via"]].values.tolist()
    # the Factbook's rounder 2025 figure disagrees and stays visible as another report
    factbook = other[other.source == "cia-wfb-2026-01"]
    assert factbook[["value", "qualifier", "as_of"]].values.tolist() == [[650000.0, "about", "2025"]]
    # COW's history ends in 2016: in thousands in the original, stored in people
    cow = other[other.source == "cow-nmc-6.0"].set_index("year")
    assert cow.loc[2016, "value"] == 644000.0


@pytest.mark.parametrize("metric, value, qualifier", [
    ("land.afv", 6000.0, "more_than"),
    ("land.artillery", 4600.0, "more_than"),
    ("air.combat_capable", 465.0, "exact"),
    ("air.helicopters", 260.0, "more_than"),
    ("nuclear.warheads", 170.0, "estimate"),
])
def test_pakistan_values(frame, metric, value, qualifier):
    row = shown(frame, "PAK", metric)
    assert (row.value, row.qualifier) == (value, qualifier)


def test_afghanistan_distinguishes_at_least_unknown_condition_zero_and_not_known(frame):
    aircraft = shown(frame, "AFG", "air.aircraft")
    assert (aircraft.value, aircraft.qualifier, aircraft.condition) == (6.0, "at_least", "unknown")
    helis = shown(frame, "AFG", "air.helicopters")
    assert (helis.value, helis.condition) == (23.0, "unknown")
    # "no fighter jets" is a statement about fighters, a subset of combat-capable aircraft
    jets = shown(frame, "AFG", "air.fighters")
    assert (jets.value, jets.status, jets.caption) == (0.0, "reported", "no fighter jets")
    assert frame[(frame.entity == "AFG") & (frame.metric == "air.combat_capable")].empty
    # IISS: the number of captured Soviet-era tanks is not known; it stays a report of its own,
    # beside Global Firepower's count of all tank types (which, counted differently, is drawn)
    iiss_tanks = frame[(frame.entity == "AFG") & (frame.metric == "land.mbt") & (frame.source == "iiss-mb-2025")]
    assert list(iiss_tanks.status) == ["not_known"] and iiss_tanks.value.isna().all()
    assert shown(frame, "AFG", "personnel.active").value == 172000.0
    assert shown(frame, "AFG", "sea.submarines").status == "not_applicable"  # land-locked, no navy


def test_afghanistan_spending_shows_the_latest_available_figure_2021(frame):
    milex = frame[(frame.entity == "AFG") & (frame.metric == "spending.milex_usd")]
    assert (milex[milex.year > 2021].status == "not_known").all() and len(milex[milex.year > 2021])
    row = shown(frame, "AFG", "spending.milex_usd")
    assert row.year == 2021 and round(row.value) == 278 and row.status == "reported"


def test_rows_carry_file_and_line(frame):
    row = shown(frame, "PAK", "personnel.active")
    text = open(row.file, encoding="utf-8").read().splitlines()
    assert text[row.line - 1].strip() == "- value: 660000"


def _entity_with(values: str) -> str:
    return GOOD_ENTITY.format(id="TST").split("    active:")[0] + "    active:\n" + values


def test_default_rule_newest_then_reported_then_precise(data_dir, write_entity):
    write_entity("TST", _entity_with("""\
      - {value: 900, qualifier: more_than, as_of: 2025, source: iiss-mb-2025}
      - {value: 950, qualifier: exact, as_of: 2024, source: iiss-mb-2024}
      - {value: 910, qualifier: about, as_of: 2025, source: iiss-mb-2025}
      - {status: not_known, as_of: 2025, source: iiss-mb-2025}
      - {value: 905, qualifier: exact, as_of: 2025, source: iiss-mb-2025}
"""))
    frame = load_dataset(data_dir).frame
    assert frame.loc[frame.is_default, "value"].tolist() == [905.0]
    # newest year wins over precision: with the 2025 exact figure gone, "about 910" is shown
    write_entity("TST", _entity_with("""\
      - {value: 950, qualifier: exact, as_of: 2024, source: iiss-mb-2024}
      - {value: 910, qualifier: about, as_of: 2025, source: iiss-mb-2025}
"""))
    frame = load_dataset(data_dir).frame
    assert frame.loc[frame.is_default, "value"].tolist() == [910.0]


def test_default_values_keeps_selection_order(frame):
    rows = default_values(frame, ["AFG", "PAK"], ["personnel.active"])
    assert rows[["entity", "value"]].values.tolist() == [["AFG", 172000.0], ["PAK", 660000.0]]


def test_default_rule_prefers_more_significant_digits_among_equal_qualifiers(data_dir, write_entity):
    write_entity("TST", _entity_with("""\
      - {value: 1500000, qualifier: about, as_of: 2025, source: cia-wfb-2026-01}
      - {value: 1475750, qualifier: about, as_of: 2025, source: iiss-mb-2025}
"""))
    frame = load_dataset(data_dir).frame
    assert frame.loc[frame.is_default, "value"].tolist() == [1475750.0]


def test_records_are_to_dict_records(real_dataset):
    """forcedata.frame.records (the views' fast row reader) gives what pandas' to_dict does: the
    same values, the same Python types, missing values as NaN, for both bases."""
    import math
    import random

    from forcedata.frame import default_values, records

    def same(a, b):
        both_nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
        return both_nan or (a == b and type(a) is type(b))

    rng, ids = random.Random(18), sorted(real_dataset.entities)
    for basis in ["best", "one"] * 3:
        rows = default_values(real_dataset.frame, rng.sample(ids, 3), basis=basis)
        expected = rows.to_dict("records")
        got = records(rows)
        assert len(got) == len(expected) > 0
        assert all(same(e[k], g[k]) for e, g in zip(expected, got) for k in e)
        assert all(list(g) == list(e) for e, g in zip(expected, got))
    assert records(rows, ["entity", "nope"]) == [{"entity": r["entity"]} for r in expected]
