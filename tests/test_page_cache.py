"""Work done once per data version on the compare page: the provenance table is built only when
its expander is opened; the cached chart of a selection is the one family_chart draws."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import GOOD_ENTITY

ROOT = Path(__file__).resolve().parent.parent
PROVENANCE_COLUMNS = {"Entity", "Metric", "Value", "Qualifier", "As of", "Charted", "Source"}


def _provenance_tables(at) -> list:
    return [d for d in at.dataframe if PROVENANCE_COLUMNS <= set(d.value.columns)]


def test_provenance_table_is_built_only_when_opened():
    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=300)
    at.run()
    assert not at.exception
    assert _provenance_tables(at) == []
    at.session_state["compare_provenance"] = True
    at.run()
    assert not at.exception
    tables = _provenance_tables(at)
    assert len(tables) == 1 and set(tables[0].value["Entity"]) == {"Pakistan", "Afghanistan"}


def test_cached_view_is_what_the_builders_make(real_dataset):
    from components.cached import family_view, shown_values
    from components.markup import inert_table
    from components.charts import family_chart
    from components.theme import comparison_colours
    from forcedata import display
    from forcedata.frame import default_values

    ds, ids = real_dataset, ["PAK", "AFG"]
    colours = comparison_colours(ids)
    names = {e: ds.entities[e].header.name for e in ids}
    definitions = {m.id: m.definition for m in ds.metrics.values()}
    rows = default_values(ds.frame, ids)
    assert shown_values(ds, ids).equals(rows)
    direct = family_chart(rows, names, "land", ds.version, colours=colours, definitions=definitions)
    view = family_view(ds, ids, "land", colours)
    assert view.fig.to_dict() == direct.to_dict()
    assert view.fig.to_dict() is view.fig.to_dict()  # made once: the figure is shared, read-only
    land = rows[rows["family"] == "land"]
    assert view.rows.equals(land)
    assert view.description == display.describe_family(land, names)
    assert view.table.equals(inert_table(display.chart_table(land, names)))
    assert view.stem == f"pak-vs-afg_land_{int(land['year'].max())}"


def test_a_rerun_builds_nothing_again(monkeypatch):
    """The second run of the same selection takes every chart, text and table from the cache."""
    import streamlit as st

    from components import cached

    st.cache_resource.clear()
    st.cache_data.clear()
    calls = []
    for name in ("family_chart", "relative_measures", "default_values"):
        real = getattr(cached, name)
        monkeypatch.setattr(cached, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=300)
    at.run()
    assert not at.exception and len(at.get("plotly_chart")) > 3
    assert {"family_chart", "relative_measures", "default_values"} <= set(calls)
    calls.clear()
    at.run()
    assert not at.exception and len(at.get("plotly_chart")) > 3
    assert calls == []


def test_the_app_reloads_an_edit_that_keeps_the_file_time(data_dir, write_entity, monkeypatch):
    """The app's change check is the data fingerprint (by content): a digit changed in a file whose
    size and mtime are put back as they were is on the page at the next run."""
    import os

    path = write_entity("TST", GOOD_ENTITY.format(id="TST"))
    monkeypatch.setenv("FORCEDATA_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "app_pages" / "profile.py"), default_timeout=300)
    at.query_params["e"] = "TST"
    at.run()
    assert not at.exception and _shown_values(at) == ["1,000"]
    before = path.stat()
    path.write_text(GOOD_ENTITY.format(id="TST").replace("1000", "2000"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    at.run()
    assert not at.exception and _shown_values(at) == ["2,000"]


def _shown_values(at) -> list[str]:
    return [v for d in at.dataframe for v in d.value.get("Value", [])]
