"""Coverage report: which of the twelve profile fields are sourced, per entity."""

from __future__ import annotations

from components.charts import fig_coverage
from forcedata.coverage import PROFILE_METRICS, format_profile_report, newest_year, profile_coverage, stale_values
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
    assert fig.data[0].text.tolist() == [["2025", "2025"], ["2025", ""]]
