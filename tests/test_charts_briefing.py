"""Briefing-grade charts, read off the figure (no Streamlit, no browser): each qualifier and
status has its mark and label, the footnote cites exactly what is drawn, colours are fixed per
entity, and an export layout fits its canvas."""

from __future__ import annotations

import pandas as pd
import pytest

from components.views.charts import (
    ESTIMATE_PATTERN, FADED, family_chart,
)
from components.views.layout import layout_for_export
from components.views.layout import PRESETS
from components.views.theme import PALETTE, comparison_colours
from forcedata.display import (
    DAGGER, cite_text, format_date, source_label, value_label,
)
from forcedata.frame import default_values

LONG = ["PAK", "AFG", "x-ttp", "x-baloch", "x-iskp", "IND"]


@pytest.fixture(scope="module")
def ds(real_dataset):
    return real_dataset


_CHARTS: dict = {}
_ROWS: dict = {}


def defaults(ds, ids) -> pd.DataFrame:
    """``default_values`` once per selection in this module (tests only read the rows)."""
    key = (ds.version, tuple(ids))
    if key not in _ROWS:
        _ROWS[key] = default_values(ds.frame, ids)
    return _ROWS[key]


def chart(ds, ids, family):
    """The screen chart, drawn once per (selection, family) in this module: tests only read it."""
    key = (ds.version, tuple(ids), family)
    if key not in _CHARTS:
        names = {e: ds.entities[e].header.name for e in ids}
        _CHARTS[key] = family_chart(defaults(ds, ids), names, family, ds.version)
    return _CHARTS[key]


def shown(ds, ids, family):
    rows = defaults(ds, ids)
    return rows[rows.family == family]


def value_bars(fig):
    return [t for t in fig.data if t.type == "bar" and t.name == "values"]


def bar_of(fig, metric_index: int, name: str) -> dict:
    """The drawn bar of one entity in panel ``metric_index`` (0-based): its mark and label."""
    trace = value_bars(fig)[metric_index]
    i = list(trace.y).index(name)
    pick = lambda v: v[i] if isinstance(v, (list, tuple)) else v  # noqa: E731
    return {"x": trace.x[i], "base": pick(trace.base), "text": trace.text[i].strip(),
            "opacity": pick(trace.marker.opacity), "pattern": pick(trace.marker.pattern.shape),
            "colour": pick(trace.marker.color)}


def panel_of(rows: pd.DataFrame, metric: str) -> int:
    return list(rows.drop_duplicates("metric").sort_values("metric_order")["metric"]).index(metric)


def default_rows(ds, **where) -> pd.DataFrame:
    d = ds.frame[ds.frame.is_default]
    for col, test in where.items():
        d = d[test(d[col])]
    return d


def test_open_ended_values_get_an_arrow_and_their_sign(ds):
    opens = default_rows(ds, qualifier=lambda q: q.isin(["more_than", "at_least"]),
                         status=lambda s: s == "reported")
    assert len(opens) >= 2
    # NOTE: one chart per (family, qualifier, entity kind) covers every way a bound is drawn
    for r in opens.drop_duplicates(["family", "qualifier", "entity_kind"]).itertuples():
        fig = chart(ds, [r.entity], r.family)
        rows = shown(ds, [r.entity], r.family)
        name = ds.entities[r.entity].header.name
        bar = bar_of(fig, panel_of(rows, r.metric), name)
        assert bar["text"].startswith({"more_than": "> ", "at_least": "≥ "}[r.qualifier])
        assert bar["x"] == r.value
        arrows = [t for t in fig.data if t.name == "open-ended"
                  and t.xaxis == f"x{panel_of(rows, r.metric) + 1 if panel_of(rows, r.metric) else ''}"]
        assert len(arrows) == 1 and arrows[0].marker.symbol == "triangle-right"
        j = list(arrows[0].y).index(name)
        assert arrows[0].x[j] == r.value and arrows[0].marker.color[j] == PALETTE[0]
    legend = chart(ds, ["PAK", "AFG"], "air").layout.annotations[-1].text
    assert "&gt; more than" in legend or "> more than" in legend
    assert "≥ at least" in legend


def test_estimate_has_a_pattern_fill_and_est(ds):
    est = default_rows(ds, qualifier=lambda q: q == "estimate", value=lambda v: v.notna())
    assert len(est)
    # NOTE: one chart per (family, entity kind) covers every way an estimate is drawn; all 250+
    # estimates would draw as many charts for the same check
    est = est.drop_duplicates(["family", "entity_kind"])
    for r in est.itertuples():
        fig = chart(ds, [r.entity], r.family)
        bar = bar_of(fig, panel_of(shown(ds, [r.entity], r.family), r.metric), ds.entities[r.entity].header.name)
        assert bar["pattern"] == ESTIMATE_PATTERN
        assert "est." in bar["text"]
        assert "est. estimate" in fig.layout.annotations[-1].text
    exact = bar_of(chart(ds, ["PAK"], "personnel"), 0, "Pakistan")
    assert exact["pattern"] == "" and "est." not in exact["text"]


def test_range_is_a_floating_bar_with_whiskers(ds):
    rng = default_rows(ds, value=lambda v: v.isna(), low=lambda v: v.notna())
    assert len(rng)
    rng = rng.drop_duplicates(["family", "entity_kind"])  # NOTE: one chart per way a range is drawn
    for r in rng.itertuples():
        name = ds.entities[r.entity].header.name
        fig = chart(ds, ["PAK", r.entity], r.family)
        bar = bar_of(fig, panel_of(shown(ds, ["PAK", r.entity], r.family), r.metric), name)
        assert (bar["base"], bar["x"]) == (r.low, r.high - r.low)
        assert bar["opacity"] == FADED
        assert bar["text"].startswith(f"{r.low:,.0f}–{r.high:,.0f}")
        whiskers = [t for t in fig.data if t.name == "range"]
        assert len(whiskers) == 1
        assert sorted(x for x, y in zip(whiskers[0].x, whiskers[0].y) if y == name) == [r.low, r.high]
        assert "– range" in fig.layout.annotations[-1].text


def test_doubtful_condition_is_lighter_with_a_dagger(ds):
    doubt = default_rows(ds, condition=lambda c: c.notna())
    assert len(doubt)
    for r in doubt.itertuples():  # NOTE: alone, so that like for like with another entity cannot pick another row
        fig = chart(ds, [r.entity], r.family)
        bar = bar_of(fig, panel_of(shown(ds, [r.entity], r.family), r.metric), ds.entities[r.entity].header.name)
        assert bar["opacity"] == FADED and DAGGER in bar["text"]
        assert f"{DAGGER} serviceability in doubt" in fig.layout.annotations[-1].text


def test_not_reported_and_not_known_are_text_never_a_bar(ds):
    from tests.synthetic import frame, row

    rows = frame(row("A", "land.mbt", 2500, family="land", family_label="Land forces"),
                 row("B", "land.mbt", None, status="not_known", family="land", family_label="Land forces"))
    fig = family_chart(rows, {"A": "Aland", "B": "Bland"}, "land")
    notes = [a.text for a in fig.layout.annotations if a.name == "status"]
    assert notes == ["<i>not known</i>"] and len(value_bars(fig)[0].x) == 1
    fig = chart(ds, ["PAK", "AFG"], "personnel")
    reported = set(shown(ds, ["AFG"], "personnel").metric)
    missing = [m for m in shown(ds, ["PAK"], "personnel").metric if m not in reported]
    notes = [a for a in fig.layout.annotations if a.name == "status"]
    assert [a.text for a in notes] == ["<i>not reported</i>"] * len(missing)
    assert all(a.y == "Afghanistan" for a in notes)
    # the placeholder that keeps the row on the axis is invisible and has no value
    ghosts = [t for t in fig.data if t.name == "not drawn"]
    assert all(t.x == (0,) and t.marker.color == "rgba(0,0,0,0)" for t in ghosts)


def test_a_sourced_zero_is_drawn_as_0(ds):
    zeros = default_rows(ds, value=lambda v: v == 0)
    assert len(zeros)
    # NOTE: one chart per (family, entity kind): every zero goes through the same label code, and
    # all of them (hundreds since the Factbook import) took minutes of chart drawing
    zeros = zeros.drop_duplicates(["family", "entity_kind"])
    for r in zeros.itertuples():
        fig = chart(ds, ["PAK", r.entity], r.family)
        bar = bar_of(fig, panel_of(shown(ds, ["PAK", r.entity], r.family), r.metric),
                     ds.entities[r.entity].header.name)
        assert bar["x"] == 0 and bar["text"].split(" ")[0] == "0"


def test_footnote_cites_exactly_the_sources_drawn(ds):
    for ids, family in ((LONG, "personnel"), (["PAK", "AFG"], "air"), (["PAK", "IND"], "nuclear")):
        rows = shown(ds, ids, family)
        footnote = chart(ds, ids, family).layout.annotations[-1].text.replace("<br>", " ")
        drawn = set(rows.source) | set(rows.via.dropna())
        for s in ds.sources.values():
            cited = (source_label(s.attribution_short, s.title) in footnote if s.id in set(rows.source)
                     else f"{s.attribution_short}, {format_date(s.date_published)}" in footnote)
            assert cited == (s.id in drawn), (family, s.id)
        assert f"data version {ds.version}" in footnote
        assert f"Accessed {format_date(rows.source_accessed.max())}" in footnote


def test_legend_lists_only_marks_that_appear(ds):
    rows = shown(ds, ["PAK", "AFG"], "personnel")
    footnote = chart(ds, ["PAK", "AFG"], "personnel").layout.annotations[-1].text
    labels = " ".join(value_label(r) for _, r in rows.iterrows())
    for mark, words in (("≥", "at least"), ("≈", "about"), ("≤", "up to"), ("†", "serviceability")):
        assert (words in footnote) == (mark in labels), mark


def test_colours_follow_the_selection_and_agree_across_a_pages_charts(ds):
    ids = ["PAK", "AFG", "IND", "x-ttp"]
    # NOTE: written out by hand: the Okabe-Ito order, first entity blue, then orange, green, pink
    colours = {"PAK": "#0072B2", "AFG": "#E69F00", "IND": "#009E73", "x-ttp": "#CC79A7"}
    names = {e: ds.entities[e].header.name for e in ids}
    for family in ("personnel", "air"):
        fig = chart(ds, ids, family)
        for trace in value_bars(fig):
            by_name = dict(zip(trace.y, trace.marker.color))
            for e in ids:
                if names[e] in by_name:
                    assert by_name[names[e]] == colours[e]


def test_colours_are_unique_within_a_six_entity_comparison(ds):
    ids = ["USA", "ISR", "PAK", "IRN", "AFG", "RUS"]  # pairs the old hashed palette collided
    colours = comparison_colours(ids)
    assert list(colours) == ids and len(set(colours.values())) == 6
    fig = chart(ds, ids, "personnel")
    drawn = value_bars(fig)[0]
    assert len(drawn.y) == 6 and len(set(drawn.marker.color)) == 6


def test_a_given_colour_mapping_is_used_as_passed(ds):
    ids = ["PAK", "AFG"]
    names = {e: ds.entities[e].header.name for e in ids}
    fig = family_chart(default_values(ds.frame, ids), names, "personnel", ds.version,
                       colours={"PAK": "#111111", "AFG": "#222222"})
    assert list(value_bars(fig)[0].marker.color) == ["#111111", "#222222"]


def test_bar_hover_carries_the_metric_definition(ds):
    ids = ["PAK", "AFG"]
    names = {e: ds.entities[e].header.name for e in ids}
    definitions = {m.id: m.definition for m in ds.metrics.values()}
    fig = family_chart(default_values(ds.frame, ids), names, "personnel", ds.version,
                       definitions=definitions)
    hover = value_bars(fig)[0].customdata[0][1]
    assert "Active personnel: " + definitions["personnel.active"][:30] in hover.replace("<br>", " ")


def test_subtitle_has_as_of_and_caveats(ds):
    rows = shown(ds, ["PAK", "AFG"], "air")
    sub = chart(ds, ["PAK", "AFG"], "air").layout.title.subtitle.text.replace("<br>", " ")
    assert f"as of {rows.year.min()}" in sub
    for caveat in rows.metric_caveat.dropna().unique():
        assert caveat in sub
    assert "higher is not necessarily stronger" in sub.lower()


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("n", [2, 4, 6])
def test_export_layout_fits_the_canvas(ds, preset, n):
    ids = LONG[:n]
    width, height, _ = PRESETS[preset]
    screen = chart(ds, ids, "personnel")
    fig = layout_for_export(screen, width, height)
    lay = fig.layout
    assert (lay.width, lay.height) == (width, height)
    assert lay.margin.t + lay.margin.b < height - 3 * 60  # at least 60 px of plot per panel
    domains = [lay[f"yaxis{k if k > 1 else ''}"].domain for k in range(1, 4)]
    assert all(0 <= lo < hi <= 1 for lo, hi in domains)
    assert all(domains[k][0] > domains[k + 1][1] for k in range(2))  # panels never overlap
    assert lay.annotations[-1].name == "footnote"
    # the screen figure is untouched; the texts are the same, only wrapped differently
    assert screen.layout.height <= 1080 and screen.layout.width is None
    strip = lambda t: t.replace("<br>", " ").replace("<b>", "").replace("</b>", "")  # noqa: E731
    assert strip(lay.title.text) == strip(screen.layout.title.text)
    assert strip(lay.annotations[-1].text) == strip(screen.layout.annotations[-1].text)


def test_a_family_without_figures_has_no_chart(ds):
    assert chart(ds, ["x-ttp"], "air") is None


def test_cite_text_names_every_source_version_link_and_date(ds):
    rows = shown(ds, LONG, "personnel")
    link = f"https://example.org/compare?c={','.join(LONG)}&v={ds.version}"
    text = cite_text(rows, title="Personnel: six", data_version=ds.version, permalink=link,
                     accessed="2026-11-25")
    lines = text.splitlines()
    assert lines[0] == (f"“Personnel: six”. Military-balance dashboard, data version {ds.version}. "
                        f"{link} (accessed 25 Nov 2026).")
    norm = lambda s: " ".join(str(s).split())  # noqa: E731
    for source in rows.source.unique():
        assert sum(norm(ds.sources[source].citation_full) in line for line in lines) == 1
    for via in rows.via.dropna().unique():
        assert norm(ds.sources[via].citation_full) in text
    assert len(lines) == 2 + rows.source.nunique()
