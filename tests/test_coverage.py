"""Coverage report: which of the twelve profile fields are sourced, per entity."""

from __future__ import annotations

from components.views.charts import fig_coverage
from forcedata.coverage import (
    PROFILE_METRICS, format_profile_report, newest_year, one_source_coverage, profile_coverage, stale_values,
)
from forcedata.load import load_dataset
from tests.conftest import GOOD_ENTITY


def test_profile_coverage_counts_sourced_fields_and_leaves_unknown_empty(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + """\
  land:
    mbt:
      - {status: not_known, as_of: 2025, source: iiss-mb-2025}
  sea:
    submarines:
      - {value: 4, as_of: 2019, source: iiss-mb-2024}
""")
    frame = load_dataset(data_dir).frame
    table = profile_coverage(frame, ["TST"])
    row = table.loc["TST"]
    assert row["sourced"] == "2/12"
    assert (row["personnel.active"], row["sea.submarines"], row["land.mbt"]) == ("2025", "2019", "")
    report = format_profile_report(table)
    assert report.splitlines()[0] == "TST: 2/12 sourced"
    assert "land.mbt" in report.splitlines()[2]  # "not known: ..." line
    assert report.splitlines()[-1] == "Average: 2.0 of 12 fields over 1 states"
    assert list(stale_values(frame, older_than=3, this_year=2026)["metric"]) == ["sea.submarines"]
    assert len(PROFILE_METRICS) == 12


def test_coverage_heatmap_years(real_dataset):
    ds = real_dataset
    years = newest_year(ds.frame, "family")
    fig = fig_coverage(years, names={"PAK": "Pakistan", "AFG": "Afghanistan"},
                       families={"personnel": "Personnel", "sea": "Naval forces"})
    # Afghanistan has no navy: a sourced "not applicable", not a reported figure
    text = fig.data[0].text.tolist()
    assert text[1][1] == ""  # Afghanistan, naval forces
    assert all(len(t) == 4 and t.startswith("20") for t in (text[0][0], text[0][1], text[1][0]))


STRICT_CASE = """\
  land:
    mbt:
      - {value: 2000, as_of: 2025, source: gfp-2025, scope: [all_tank_types]}
  air:
    fighters:
      - {value: 300, as_of: 2025, source: gfp-2025}
    combat_capable:
      - {value: 450, as_of: 2025, source: iiss-mb-2025, scope: [air_force_only]}
  sea:
    submarines:
      - {value: 4, as_of: 2025, source: iiss-mb-2025}
"""


def test_strict_coverage_counts_only_the_field_itself_counted_as_defined(data_dir, write_entity):
    write_entity("TST", GOOD_ENTITY.format(id="TST") + STRICT_CASE)
    ds = load_dataset(data_dir)
    part_of = {m.id: m.part_of for m in ds.metrics.values() if m.part_of}
    lenient = profile_coverage(ds.frame, ["TST"], part_of).loc["TST"]
    strict = profile_coverage(ds.frame, ["TST"], part_of, strict=True).loc["TST"]
    assert lenient["sourced"] == "4/12"  # active, tanks (all types), combat aircraft (scoped, fighters), submarines
    assert strict["sourced"] == "2/12"   # active and submarines only
    assert (strict["land.mbt"], strict["air.combat_capable"], strict["sea.submarines"]) == ("", "", "2025")


def test_one_source_coverage_names_the_edition_covering_most_and_the_rest(data_dir, write_entity):
    for e, source in (("AAA", "iiss-mb-2025"), ("BBB", "iiss-mb-2025"), ("CCC", "gfp-2025")):
        write_entity(e, f"id: {e}\nname: {e}\nkind: state\nobservations:\n  personnel:\n    active:\n"
                        f"      - {{value: 100, as_of: 2025, source: {source}}}\n")
    table = one_source_coverage(load_dataset(data_dir).frame, ["AAA", "BBB", "CCC"]).set_index("field")
    assert table.loc["personnel.active"].tolist() == ["iiss-mb-2025", "2 of 3", "CCC"]
    assert table.loc["sea.submarines"].tolist() == ["", "0 of 3", "AAA, BBB, CCC"]


def test_coverage_cli_strict_flag(data_dir, write_entity, capsys):
    from forcedata.cli import main

    write_entity("TST", GOOD_ENTITY.format(id="TST") + STRICT_CASE)
    assert main(["coverage", "--entities", "TST", "--data-dir", str(data_dir)]) == 0
    assert "TST: 4/12 sourced" in capsys.readouterr().out
    assert main(["coverage", "--strict", "--entities", "TST", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Strict: only values of each field itself") and "TST: 2/12 sourced" in out
