"""The compare chart for Pakistan vs Afghanistan, read off the figure (no Streamlit)."""

from __future__ import annotations

import pytest

from components.views.charts import family_subtitle, family_title, fig_family
from components.views.theme import comparison_colours
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


def air_rows():
    """Pakistan vs Afghanistan's air chart as it stood in 2025, written out by hand: IISS (a) and
    Global Firepower (b) mixed within a metric, bounds, a doubtful condition, a caption, an older
    figure and a scope."""
    from tests.synthetic import frame, row

    air = dict(family="air", family_label="Air forces", unit="aircraft")
    iiss = dict(source="iiss", source_short="IISS", source_title="The Military Balance 2025", **air)
    gfp = dict(source="gfp", source_short="Global Firepower", source_title="2025 Military Strength Ranking",
               source_tier="alternative", **air)
    rows = frame(
        row("PAK", "air.combat_capable", 465, metric_order=70, **iiss),
        row("PAK", "air.fighters", 328, metric_order=72, **gfp),
        row("AFG", "air.fighters", 0, metric_order=72, caption="no fighter jets", **iiss),
        row("PAK", "air.aircraft", 1399, metric_order=75, scope="includes_helicopters",
            scope_label="includes helicopters", **gfp),
        row("AFG", "air.aircraft", 6, metric_order=75, qualifier="at_least", condition="unknown", **iiss),
        row("PAK", "air.helicopters", 260, metric_order=80, qualifier="more_than", **iiss),
        row("AFG", "air.helicopters", 23, metric_order=80, qualifier="at_least", condition="unknown", **iiss),
        row("PAK", "air.attack_helicopters", 53, as_of="2021", metric_order=85, **iiss),
    )
    mixed = rows["metric"].isin(["air.fighters", "air.aircraft"])
    return rows.assign(source_mixed=mixed)


def synthetic_figure(rows):
    return fig_family(rows, entities=NAMES, title=family_title(rows, list(NAMES.values())),
                      subtitle=family_subtitle(rows), data_version="0123456789")


def test_air_chart_labels_each_qualifier():
    fig = synthetic_figure(air_rows())
    labels = {(t.y[i], t.text[i].strip()) for t in bars(fig) for i in range(len(t.y))}
    # Fighters and aircraft mix IISS (a) with Global Firepower (b): each bar carries its mark;
    # Pakistan's attack helicopters are older than the chart's newest figures: shown with the year
    assert labels == {
        ("Pakistan", "465"), ("Afghanistan", "0 — no fighter jets<sup>a</sup>"), ("Pakistan", "328<sup>b</sup>"),
        ("Afghanistan", "≥ 6 †<sup>a</sup>"), ("Pakistan", "1,399 · includes helicopters<sup>b</sup>"),
        ("Pakistan", "> 260"), ("Afghanistan", "≥ 23 †"), ("Pakistan", "53 (2021)"),
    }
    # Afghanistan reports no combat-capable or attack-helicopter figure: written, never a 0 bar
    notes = [a.text for a in fig.layout.annotations if "not reported" in (a.text or "")]
    assert notes == ["<i>not reported</i>", "<i>not reported</i>"]
    assert fig.layout.title.text == "<b>Air forces: Pakistan vs Afghanistan</b>"
    footnote = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert "Counted differently from the definition: air.aircraft: includes helicopters (PAK)." in footnote


def test_condition_unknown_is_drawn_lighter_and_colours_are_per_entity():
    fig = synthetic_figure(air_rows())
    helis = bars(fig)[2]
    assert list(helis.y) == ["Pakistan", "Afghanistan"]
    assert list(helis.marker.opacity) == [1.0, 0.45]
    colours = comparison_colours(["PAK", "AFG"])
    assert list(helis.marker.color) == [colours["PAK"], colours["AFG"]]


def test_footnote_is_in_the_figure(ds):
    fig = figure(ds, "personnel")
    footnote = fig.layout.annotations[-1].text
    assert footnote.startswith("Sources: ") and "IISS, The Military Balance 2025" in footnote
    assert f"data version {ds.version}" in footnote


def test_latest_available_spending_is_drawn_with_its_year_and_a_note(ds):
    fig = figure(ds, "spending")
    labels = {(t.y[i], t.text[i]) for t in bars(fig) for i in range(len(t.y))}
    assert ("Afghanistan", "278 (2021)") in labels
    assert "Afghanistan: no SIPRI figure since 2021" in fig.layout.annotations[-1].text


# --- taken unvalidated (layout.from_spec): what plotly's validation would have given --------------

@pytest.mark.parametrize("ids", [("USA", "CHN", "RUS"), ("PAK", "AFG"), ("IND", "PAK", "x-ttp")])
def test_every_comparison_figure_validates_and_serialises_as_taken(ds, ids):
    """Our specs skip plotly's validation (P2n): each figure of a comparison, validated in full,
    is the same JSON, template included (plotly.js knows no template by name)."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio

    from components.views.comparison import build_comparison

    drawn = [f.fig for f in build_comparison(ds, list(ids)).families if f.fig is not None]
    assert len(drawn) >= 4
    for fig in drawn:
        validated = go.Figure(fig.to_plotly_json())  # NOTE: raises on any invalid property
        taken = json.loads(pio.to_json(fig, validate=False))
        assert json.loads(pio.to_json(validated, validate=False)) == taken
        assert isinstance(taken["layout"]["template"], dict) and taken["layout"]["template"]["layout"]["font"]


def test_a_misspelt_property_is_caught_by_validation():
    """The check above can fail: a spec with a property plotly does not know is refused."""
    import plotly.graph_objects as go

    from components.views.layout import from_spec

    fig = from_spec({"data": [{"type": "bar", "x": [1], "colour": "red"}], "layout": {"template": "forcedata"}})
    with pytest.raises(ValueError, match="colour"):
        go.Figure(fig.to_plotly_json())


def test_wrap_measures_words_as_the_whole_line_would():
    """wrap_px adds word widths: the lines are those of measuring each candidate line whole."""
    import random

    from components.views.layout import text_px, wrap_px

    def by_whole_line(text, size, width, bold):
        out, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and text_px(candidate, size, bold) > width:
                out.append(line)
                line = word
            else:
                line = candidate
        return out + [line] if line or not out else out

    rng = random.Random(18)
    words = "IISS, The Military Balance 2025 via Reuters; (a) Global Firepower — WWW mmm iii 1,234,567 · as of".split()
    for _ in range(500):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        args = (text, rng.choice([13, 16, 28]), rng.choice([200, 555.5, 1180]), rng.random() < 0.3)
        assert wrap_px(*args) == by_whole_line(*args)
