"""The compare chart for Pakistan vs Afghanistan, read off the figure (no Streamlit)."""

from __future__ import annotations

import pytest

from components.charts import family_subtitle, family_title, fig_family
from components.theme import comparison_colours
from forcedata.frame import default_values

NAMES = {"PAK": "Pakistan", "AFG": "Afghanistan"}


@pytest.fixture(scope="module")
def ds(real_dataset):
    return real_dataset


def figure(ds, family):
    rows = default_values(ds.frame, list(NAMES))
    rows = rows[rows.family == family]
    return fig_family(rows, entities=NAMES, title=family_title(rows, list(NAMES.values())),
                      subtitle=family_subtitle(rows), data_version=ds.version)


def bars(fig):
    return [t for t in fig.data if t.type == "bar" and t.text is not None]


def test_air_chart_labels_each_qualifier(ds):
    fig = figure(ds, "air")
    labels = {(t.y[i], t.text[i].strip()) for t in bars(fig) for i in range(len(t.y))}
    # Fighters and aircraft mix IISS (a) with Global Firepower (b): each bar carries its mark;
    # Pakistan's attack helicopters are older than the chart's newest figures: shown with the year
    assert labels == {
        ("Pakistan", "465"), ("Afghanistan", "0 — no fighter jets<sup>a</sup>"), ("Pakistan", "328<sup>b</sup>"),
        ("Afghanistan", "≥ 6 †<sup>a</sup>"), ("Pakistan", "1,399<sup>b</sup>"), ("Pakistan", "> 260"),
        ("Afghanistan", "≥ 23 †"), ("Pakistan", "53 (2021)"),
    }
    # Afghanistan reports no combat-capable or attack-helicopter figure: written, never a 0 bar
    notes = [a.text for a in fig.layout.annotations if "not reported" in (a.text or "")]
    assert notes == ["<i>not reported</i>", "<i>not reported</i>"]
    assert fig.layout.title.text == "<b>Air forces: Pakistan vs Afghanistan</b>"


def test_condition_unknown_is_drawn_lighter_and_colours_are_per_entity(ds):
    fig = figure(ds, "air")
    helis = bars(fig)[2]
    assert list(helis.y) == ["Pakistan", "Afghanistan"]
    assert list(helis.marker.opacity) == [1.0, 0.45]
    colours = comparison_colours(["PAK", "AFG"])
    assert list(helis.marker.color) == [colours["PAK"], colours["AFG"]]


def test_footnote_is_in_the_figure(ds):
    fig = figure(ds, "personnel")
    footnote = fig.layout.annotations[-1].text
    assert footnote.startswith("Sources: IISS, The Military Balance 2025 (via Reuters, Mar 2026")
    assert f"data version {ds.version}" in footnote


def test_latest_available_spending_is_drawn_with_its_year_and_a_note(ds):
    fig = figure(ds, "spending")
    labels = {(t.y[i], t.text[i]) for t in bars(fig) for i in range(len(t.y))}
    assert ("Afghanistan", "278 (2021)") in labels
    assert "Afghanistan: no SIPRI figure since 2021" in fig.layout.annotations[-1].text
