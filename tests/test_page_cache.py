"""Work done once per data version on the compare page: the provenance table is built only when
its expander is opened; a selection's view is built once and shared; a rerun builds nothing."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import GOOD_ENTITY, markdown_tables

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


def test_the_cached_view_is_built_once_and_shared(real_dataset):
    from components.ui.cached import comparison_view

    first = comparison_view(real_dataset, ["PAK", "AFG"])
    assert comparison_view(real_dataset, ["PAK", "AFG"]) is first  # every session reads the same object
    assert comparison_view(real_dataset, ["PAK", "AFG"], "one") is not first
    fig = first.family("land").fig
    assert fig.to_dict() is fig.to_dict()  # its dict form is made once: the figure is shared, read-only


def test_a_rerun_builds_nothing_again(monkeypatch):
    """The second run of the same selection takes every chart, text and table from the cache."""
    import streamlit as st

    from components.ui import cached

    st.cache_resource.clear()
    st.cache_data.clear()
    calls = []
    for name in ("build_comparison", "relative_measures", "default_values"):
        real = getattr(cached, name)
        monkeypatch.setattr(cached, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=300)
    at.run()
    assert not at.exception and len(at.get("plotly_chart")) > 3
    assert {"build_comparison", "relative_measures", "default_values"} <= set(calls)
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
    """The values of the profile's full table (Markdown tables with a Value column)."""
    return [v for table in markdown_tables(at) if "Value" in table for v in table["Value"]]


def test_views_are_built_one_at_a_time(real_dataset, monkeypatch):
    """Sessions asking for different new comparisons at once build their views one after the
    other (P6dc: building at once only added switching under one interpreter lock); each still
    gets its own view."""
    import threading

    import components.ui.cached as cached

    running, overlaps, real_build = [0], [], cached.build_comparison
    arrived, everyone = [0], threading.Condition()

    def build(ds, entities, *, basis="best"):
        running[0] += 1
        overlaps.append(running[0])
        # NOTE: a build waits until every session has asked (a condition, bounded): without the
        # lock the others would be building beside it by then
        with everyone:
            everyone.wait_for(lambda: arrived[0] == len(selections), timeout=60)
        try:
            return real_build(ds, entities, basis=basis)
        finally:
            running[0] -= 1

    def ask(selection):
        with everyone:
            arrived[0] += 1
            everyone.notify_all()
        views[selection[1]] = cached.comparison_view(real_dataset, selection)

    monkeypatch.setattr(cached, "build_comparison", build)
    cached._comparison.clear()  # NOTE: every view below is built here, whatever ran before
    selections = [["x-ttp", e] for e in ("ISL", "MLT", "CYP", "LUX")]
    views: dict[str, object] = {}
    threads = [threading.Thread(target=ask, args=(s,)) for s in selections]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(views) == ["CYP", "ISL", "LUX", "MLT"]
    assert all(views[e].entities == ("x-ttp", e) for e in views)
    assert overlaps and max(overlaps) == 1, overlaps
