"""Map builder on small synthetic frames: layers for not reported / not known / 0, hover text,
log colours, what cannot be mapped; and the committed geometry file itself."""

from __future__ import annotations

import json
import math


from components.views.map_charts import (
    PLOTLY_CONFIG,
    WORLD_110M,
    country_ids,
    fig_map,
    map_rows,
    not_mappable,
    wants_log,
)
from forcedata.frame import COLUMNS
from tests.synthetic import frame

NAMES = {"PAK": "Pakistan", "IND": "India", "CRI": "Costa Rica", "AFG": "Afghanistan",
         "FRA": "France", "AND": "Andorra", "x-ttp": "Tehrik-i-Taliban Pakistan", "SUN": "Soviet Union"}
KINDS = {e: ("non_state" if e.startswith("x-") else "state") for e in NAMES}
SHAPES = frozenset({"PAK", "IND", "CRI", "AFG", "FRA", "CHN"})


def row(entity: str, value: float | None, **extra) -> dict:
    base = dict.fromkeys(COLUMNS)
    base.update(entity=entity, entity_name=NAMES[entity], entity_kind=KINDS[entity],
                metric="personnel.active", metric_label="Active personnel", family="personnel",
                unit="people", as_of="2025", year=2025, value=value, qualifier="exact",
                status="reported", uncertain=False, source="iiss-mb-2025", source_short="IISS",
                source_title="The Military Balance 2025", source_accessed="2026-11-25", is_default=True)
    base.update(extra)
    return base


ROWS = frame(*[
    row("PAK", 660000.0), row("IND", 1475750.0), row("CRI", 0.0, caption="no armed forces"),
    row("AFG", None, status="not_known", qualifier=None), row("AND", 0.0),
    row("x-ttp", None, low=6000.0, high=6500.0),
])


def traces(fig) -> dict:
    return {t.name: t for t in fig.data}


def test_not_reported_is_its_own_grey_layer_and_not_zero():
    fig = fig_map(ROWS, names=NAMES, mappable=SHAPES, title="t", unit="people")
    layers = traces(fig)
    assert list(layers["not reported"].locations) == ["CHN", "FRA"]  # shapes with no row at all
    assert layers["not reported"].showlegend is True
    assert list(layers["not known"].locations) == ["AFG"]
    value = layers["value"]
    assert set(value.locations) == {"PAK", "IND"}
    assert list(layers["reported as 0"].locations) == ["CRI"]  # 0 is a fact of its own colour
    assert "CRI" not in layers["not reported"].locations
    grey, zero = layers["not reported"].colorscale[0][1], layers["reported as 0"].colorscale[0][1]
    assert grey != zero and grey not in {c for _, c in value.colorscale}
    assert "Grey: not reported" in fig.layout.title.subtitle.text
    assert "Yellow: reported as 0" in fig.layout.title.subtitle.text


def test_log_scale_colours_by_order_of_magnitude():
    fig = fig_map(ROWS, names=NAMES, mappable=SHAPES, title="t", unit="people", log=True)
    layers = traces(fig)
    assert list(layers["reported as 0"].locations) == ["CRI"]
    assert set(layers["value"].locations) == {"PAK", "IND"}
    assert math.isclose(max(layers["value"].z), math.log10(1475750))
    assert "1,000,000" in layers["value"].colorbar.ticktext


def test_hover_has_value_as_written_qualifier_year_and_source():
    rows = frame(*[row("PAK", 600000.0, qualifier="more_than", via="reuters", via_short="Reuters",
                      via_published="2025-10")])
    fig = fig_map(rows, names=NAMES, mappable=SHAPES, title="t", unit="people")
    hover = traces(fig)["value"].text[0]
    assert "> 600,000 (more than)" in hover and "as of 2025" in hover
    assert "Source: IISS, The Military Balance 2025" in hover and "Read in: Reuters, Oct 2025" in hover


def test_data_text_is_escaped():
    rows = frame(*[row("PAK", 1.0, entity_name="<a href='https://evil.example'>x</a>")])
    fig = fig_map(rows, names=NAMES, mappable=SHAPES, title="t", unit="people")
    assert "<a href" not in traces(fig)["value"].text[0]


def test_not_mappable_lists_non_state_small_and_former_states():
    table = not_mappable(ROWS, names=NAMES, kinds=KINDS, mappable=SHAPES)
    assert list(table["Entity"]) == ["Tehrik-i-Taliban Pakistan", "Andorra", "Soviet Union"]
    ttp = table.iloc[0]
    assert ttp["Why not on the map"].startswith("non-state actor") and ttp["Figure"] == "6,000–6,500"
    assert table.iloc[2]["Figure"] == "not reported"


def test_wants_log_when_values_span_orders_of_magnitude():
    assert wants_log(frame(*[row("PAK", 1.0), row("IND", 5000.0)]))
    assert not wants_log(frame(*[row("PAK", 100.0), row("IND", 5000.0), row("CRI", 0.0)]))


def test_map_rows_are_the_default_rows_of_the_metric():
    rows = frame(*[row("PAK", 1.0), row("PAK", 2.0, is_default=False), row("IND", 3.0, metric="spending.milex_usd")])
    assert list(map_rows(rows, "personnel.active")["value"]) == [1.0]


def test_geometry_is_committed_and_served_locally():
    topo = json.loads(WORLD_110M.read_text(encoding="utf-8"))
    assert {"countries", "land", "coastlines"} <= set(topo["objects"])
    ids = country_ids()
    assert len(ids) > 170 and {"PAK", "AFG", "IND", "CHN", "USA"} <= ids
    assert PLOTLY_CONFIG["topojsonURL"] == "app/static/geo/"
    assert (WORLD_110M.parent / "NOTICE.md").is_file()


def test_region_zooms_without_changing_the_data():
    world = fig_map(ROWS, names=NAMES, mappable=SHAPES, title="t", unit="people")
    south = fig_map(ROWS, names=NAMES, mappable=SHAPES, title="t", unit="people", region="south-asia")
    assert list(south.layout.geo.lonaxis.range) == [42, 112]
    assert world.layout.geo.lonaxis.range is None
    assert [list(t.locations) for t in south.data] == [list(t.locations) for t in world.data]
