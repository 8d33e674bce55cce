"""Trend chart builder on small synthetic frames: x range, gaps stay gaps, marks for estimates
and uncertain years, one line per source, the COW vs IISS warning, log scale, footnote."""

from __future__ import annotations


from typing import get_args

from components.views.trend_charts import fig_trend, trend_rows
from forcedata.frame import COLUMNS
from forcedata.schema import Qualifier
from tests.synthetic import frame

SOURCES = {
    "sipri-milex-2025": ("SIPRI", "SIPRI Military Expenditure Database", "sipri-milex"),
    "cow-nmc-6.0": ("Correlates of War", "National Material Capabilities v6.0", "cow-nmc"),
    "cow-nmc-7.0": ("Correlates of War", "National Material Capabilities v7.0", "cow-nmc"),
    "iiss-mb-2025": ("IISS", "The Military Balance 2025", "iiss-mb"),
}


def row(entity: str, year: int, value: float | None, *, metric: str = "spending.milex_usd",
        source: str = "sipri-milex-2025", **extra) -> dict:
    short, title, database = SOURCES[source]
    base = dict.fromkeys(COLUMNS)
    base.update(
        entity=entity, entity_name={"PAK": "Pakistan", "IND": "India"}[entity], entity_kind="state",
        metric=metric, metric_label="Military expenditure" if metric.startswith("spending") else "Active personnel",
        family=metric.split(".")[0], unit="US$ m (current)" if metric.startswith("spending") else "people",
        as_of=str(year), year=year, value=value, qualifier="exact", status="reported", uncertain=False,
        source=source, source_short=short, source_title=title, source_database=database, source_accessed="2026-11-25",
        is_default=False, from_series=True,
    )
    base.update(extra)
    return base


def sipri_series(entity: str = "PAK", gap: int | None = None) -> list[dict]:
    return [row(entity, y, 100.0 + y - 1949) for y in range(1949, 2025) if y != gap]


NAMES = {"PAK": "Pakistan", "IND": "India"}


def test_x_range_covers_sipri_years_1949_to_2024():
    fig = fig_trend(frame(*sipri_series() + sipri_series("IND")), entities=NAMES)
    assert fig.layout.meta["years"] == [1949, 2024]
    lo, hi = fig.layout.xaxis.range
    assert lo <= 1949 and hi >= 2024 and hi - lo <= 2024 - 1949 + 2
    assert min(x for x in fig.data[0].x) == 1949 and max(fig.data[0].x) == 2024
    assert "1949–2024" in fig.layout.title.text


def test_gap_year_has_no_point_and_breaks_the_line():
    fig = fig_trend(frame(*sipri_series(gap=1990)), entities={"PAK": "Pakistan"})
    line = fig.data[0]
    points = dict(zip(line.x, line.y))
    assert 1990 in points and points[1990] is None  # the year is there, with no value
    assert points[1989] is not None and points[1991] is not None
    assert line.connectgaps is False


def test_not_known_year_is_a_gap_not_zero():
    rows = sipri_series()
    rows[10] = row("PAK", 1959, None, status="not_known", qualifier=None)
    fig = fig_trend(frame(*rows), entities={"PAK": "Pakistan"})
    assert dict(zip(fig.data[0].x, fig.data[0].y))[1959] is None


def test_estimates_and_uncertain_years_have_their_own_marks():
    rows = sipri_series()
    rows[0]["qualifier"] = "estimate"          # 1949
    rows[5]["uncertain"] = True                # 1954
    fig = fig_trend(frame(*rows), entities={"PAK": "Pakistan"})
    symbols = dict(zip(fig.data[0].x, fig.data[0].marker.symbol))
    assert symbols[1949] == "circle-open" and symbols[1954] == "x-thin-open" and symbols[1960] == "circle"
    legend = [t.name for t in fig.data]
    assert "estimate or approximate" in legend and "highly uncertain (source's flag)" in legend


def test_every_qualifier_has_its_point_mark():
    rows = sipri_series()[:6]
    for r, q in zip(rows, ["exact", "estimate", "about", "more_than", "at_least", "up_to"]):
        r["qualifier"] = q
    assert {r["qualifier"] for r in rows} == set(get_args(Qualifier))
    fig = fig_trend(frame(*rows), entities={"PAK": "Pakistan"})
    assert list(fig.data[0].marker.symbol) == ["circle", "circle-open", "circle-open", "triangle-up", "triangle-up",
                                               "triangle-down"]


def test_each_source_is_its_own_line_and_cow_is_not_iiss_active():
    metric = "personnel.active"
    rows = ([row("PAK", y, 600000.0, metric=metric, source="cow-nmc-6.0") for y in range(2000, 2017)]
            + [row("PAK", 2025, 660000.0, metric=metric, source="iiss-mb-2025", from_series=False)])
    fig = fig_trend(frame(*rows), entities={"PAK": "Pakistan"}, definition="Active armed forces.")
    names = [t.name for t in fig.data]
    assert "Pakistan · Correlates of War" in names and "Pakistan · IISS" in names
    cow = fig.data[names.index("Pakistan · Correlates of War")]
    assert max(cow.x) == 2016  # COW's line does not run on into IISS's year
    assert "not IISS's \"active\" definition" in fig.layout.title.subtitle.text
    assert "Definition: Active armed forces." in fig.layout.annotations[-1].text
    alone = fig_trend(frame(*rows[:-1]), entities={"PAK": "Pakistan"})
    assert "IISS" not in alone.layout.title.subtitle.text  # the warning only when both appear
    # the note belongs to the database, not to one edition's id: COW's next edition carries it too
    later = [{**r, "source": "cow-nmc-7.0"} if r["source"] == "cow-nmc-6.0" else r for r in rows]
    fig = fig_trend(frame(*later), entities={"PAK": "Pakistan"})
    assert "not IISS's \"active\" definition" in fig.layout.title.subtitle.text


def test_footnote_names_source_and_log_scale():
    fig = fig_trend(frame(*sipri_series()), entities={"PAK": "Pakistan"}, log=True, data_version="abc")
    assert fig.layout.yaxis.type == "log"
    foot = fig.layout.annotations[-1].text
    assert "SIPRI Military Expenditure Database" in foot and "data version abc" in foot


def test_zero_is_left_out_on_log_scale_and_said():
    rows = sipri_series()
    rows[3]["value"] = 0.0
    fig = fig_trend(frame(*rows), entities={"PAK": "Pakistan"}, log=True)
    assert dict(zip(fig.data[0].x, fig.data[0].y))[1952] is None
    assert "log scale" in fig.layout.title.subtitle.text and "0 cannot" in fig.layout.title.subtitle.text


def test_data_text_is_escaped_in_hover():
    rows = sipri_series()
    rows[0]["source_title"] = "<a href='https://evil.example'>x</a>"
    fig = fig_trend(frame(*rows), entities={"PAK": "Pakistan"})
    assert "<a href" not in fig.data[0].text[0] and "&lt;a href" in fig.data[0].text[0]


def test_nothing_to_draw_is_none():
    rows = [row("PAK", 1950, None, status="not_known", qualifier=None)]
    assert fig_trend(frame(*rows), entities={"PAK": "Pakistan"}) is None


def test_trend_rows_filters_metric_and_entities():
    df = frame(*sipri_series() + sipri_series("IND") + [row("PAK", 2025, 1.0, metric="personnel.active",
                                                           source="iiss-mb-2025")])
    out = trend_rows(df, "spending.milex_usd", ["IND"])
    assert set(out["entity"]) == {"IND"} and set(out["metric"]) == {"spending.milex_usd"}


def test_colours_can_be_given_per_comparison():
    fig = fig_trend(frame(*sipri_series() + sipri_series("IND")), entities=NAMES,
                    colours={"PAK": "#111111", "IND": "#222222"})
    assert [t.line.color for t in fig.data[:2]] == ["#111111", "#222222"]


def test_reports_of_one_publisher_are_one_line():
    SOURCES["un-mt-28th"] = ("UN Monitoring Team", "Twenty-eighth report", None)
    SOURCES["un-mt-36th"] = ("UN Monitoring Team", "Thirty-sixth report", None)
    metric = "personnel.active"
    rows = [row("PAK", 2021, None, metric=metric, source="un-mt-28th", low=2500.0, high=6000.0,
                qualifier="estimate", from_series=False),
            row("PAK", 2025, 6000.0, metric=metric, source="un-mt-36th", qualifier="about", from_series=False)]
    fig = fig_trend(frame(*rows), entities={"PAK": "Pakistan"})
    assert [t.name for t in fig.data if t.name.startswith("Pakistan")] == ["Pakistan", "Pakistan (range)"]
    hover = " ".join(t for t in fig.data[0].text if t)
    assert "Thirty-sixth report" in hover
