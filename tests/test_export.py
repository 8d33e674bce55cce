"""Getting charts out: kaleido files at slide presets (read back), the batch command line, the
CSV of values shown, and the compare page's downloads, permalink and data-version note."""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.views.charts import family_chart
from components.exports.deck import Comparison, plan_charts
from components.exports.image import export_image
from components.views.files import export_filename, modebar_config, permalink, values_csv
from components.views.layout import PRESETS
from forcedata.cli import EXPORT_COLUMNS
from forcedata.frame import default_values
from tests.conftest import ROOT, require_chromium, run_export

LONG = ["PAK", "AFG", "x-ttp", "x-baloch", "x-iskp", "IND"]
TIMEOUT = 60


@pytest.fixture(scope="module")
def ds(real_dataset):
    return real_dataset


@pytest.fixture(scope="module")
def chromium():
    require_chromium()


def chart(ds, ids, family="personnel"):
    names = {e: ds.entities[e].header.name for e in ids}
    return family_chart(default_values(ds.frame, ids), names, family, ds.version)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def svg_text(svg: bytes) -> str:
    """The SVG's visible text, tags dropped and entities decoded."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", svg.decode("utf-8")))


# 1/ FILES ------------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", list(PRESETS))
def test_png_has_the_preset_size(ds, chromium, preset):
    width, height, scale = PRESETS[preset]
    data = export_image(chart(ds, ["PAK", "AFG"]), "png", preset)
    assert png_size(data) == (width * scale, height * scale)
    if preset == "16:9":
        assert png_size(data) == (3840, 2160)


def test_exports_share_one_kaleido_server(ds, chromium):
    """One kaleido (Chromium) server per process, started by the first export and reused."""
    from kaleido._sync_server import GlobalKaleidoServer

    fig = chart(ds, ["PAK", "AFG"], "air")
    export_image(fig, "svg")
    server = GlobalKaleidoServer()
    thread = server._thread
    export_image(fig, "svg")
    assert server.is_running() and server._thread is thread and thread.is_alive()


def test_svg_carries_title_and_footnote(ds, chromium):
    fig = chart(ds, ["PAK", "AFG"], "air")
    text = " ".join(svg_text(export_image(fig, "svg")).split())
    assert "Air forces: Pakistan vs Afghanistan" in text
    assert "Sources: " in text and "IISS, The Military Balance 2025 (via Reuters, Mar 2026" in text
    assert f"data version {ds.version}" in text
    assert "> more than" in text and "≥ at least" in text


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("n", [2, 6])
def test_no_text_leaves_the_exported_image(ds, browser, preset, n):
    """Every text element of the SVG export lies inside its canvas (long names, 2-6 entities)."""
    width, height, _ = PRESETS[preset]
    svg = export_image(chart(ds, LONG[:n]), "svg", preset).decode("utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
        canvas = page.evaluate("() => { const b = document.querySelector('svg').getBoundingClientRect();"
                               " return [b.width, b.height]; }")
        boxes = page.evaluate("""() => [...document.querySelectorAll('text')]
            .filter(t => t.textContent.trim())
            .map(t => { const b = t.getBoundingClientRect();
                        return [t.textContent, b.left, b.top, b.right, b.bottom]; })""")
    finally:
        page.close()
    assert canvas == [width, height]
    assert any(t.startswith("Sources:") for t, *_ in boxes)
    assert any(t.startswith("Personnel:") for t, *_ in boxes)
    clipped = [b for b in boxes if b[1] < 0 or b[2] < 0 or b[3] > width or b[4] > height]
    assert clipped == []


def test_file_names_and_modebar_preset():
    assert export_filename(["PAK", "AFG"], "personnel", 2025, "png") == "pak-vs-afg_personnel_2025.png"
    assert export_filename(["x-ttp", "IND"], "air", 2026, "svg") == "x-ttp-vs-ind_air_2026.svg"
    options = modebar_config("pak-vs-afg_personnel_2025")["toImageButtonOptions"]
    width, height, scale = PRESETS["16:9"]
    assert options == {"format": "png", "filename": "pak-vs-afg_personnel_2025",
                       "width": width, "height": height, "scale": scale}


def test_csv_has_exactly_the_values_shown_with_citations(ds):
    rows = default_values(ds.frame, ["PAK", "AFG"])
    table = pd.read_csv(io.BytesIO(values_csv(rows)))
    assert list(table.columns) == EXPORT_COLUMNS + ["basis_source"]
    assert {"scope", "scope_label"} <= set(EXPORT_COLUMNS)  # a count's scope travels with it
    assert table["basis_source"].isna().all()  # best available: no one source for all
    assert len(table) == len(rows)
    assert list(zip(table.entity, table.metric)) == list(zip(rows.entity, rows.metric))
    assert table["source_citation"].notna().all()
    with_via = table[table.via.notna()]
    assert len(with_via) and with_via["via_citation"].notna().all()


def test_csv_of_one_source_for_all_names_that_source_on_every_row(ds):
    rows = default_values(ds.frame, ["PAK", "AFG"], ["personnel.active"], basis="one")
    table = pd.read_csv(io.BytesIO(values_csv(rows)))
    assert len(table) == 2 and (table["basis_source"] == table["source"]).all()


def test_permalink_keeps_commas_readable():
    assert permalink("http://h/compare", {"c": "PAK,AFG", "v": "abc"}) == "http://h/compare?c=PAK,AFG&v=abc"
    assert permalink("http://h:8501", {"c": "PAK"}) == "http://h:8501/?c=PAK"
    assert permalink("", {"c": "PAK", "v": "abc"}) == "?c=PAK&v=abc"


# 2/ COMMAND LINE -----------------------------------------------------------------------------

def run_cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "components.exports", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_rejects_unknown_id_listing_valid_ones(ds):
    res = run_cli("--entities", "PAK,ZZZ", "--family", "personnel", "--out", os.devnull)
    assert res.returncode == 2
    assert "unknown entity id(s): ZZZ" in res.stderr
    assert all(e in res.stderr for e in ds.entities)


def test_cli_rejects_unknown_family_listing_valid_ones(ds):
    res = run_export("--entities", "PAK,AFG", "--family", "boats", "--out", os.devnull)
    assert res.returncode == 2
    assert "unknown family 'boats'" in res.stderr
    assert all(f in res.stderr for f in ds.families)


def test_cli_writes_the_page_chart(ds, chromium, tmp_path):
    res = run_export("--entities", "pak,AFG", "--family", "air", "--format", "svg", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    [out] = tmp_path.glob("pak-vs-afg_air_20*.svg")  # named by the chart's newest year
    text = " ".join(svg_text(out.read_bytes()).split())
    assert "Air forces: Pakistan vs Afghanistan" in text and f"data version {ds.version}" in text
    png = tmp_path / "x.png"
    res = run_export("--entities", "PAK,AFG", "--family", "personnel", "--preset", "4:3", "--out", str(png))
    assert res.returncode == 0, res.stderr
    assert png_size(png.read_bytes()) == (3200, 2400)


def test_cli_batch_writes_every_chart_of_every_comparison_in_one_run(ds, chromium, tmp_path):
    pairs, families = (("PAK", "AFG"), ("PAK", "x-ttp")), ("personnel", "air")
    res = run_export("--entities", "PAK,AFG", "--entities", "pak,x-ttp", "--family", ",".join(families),
                  "--format", "svg", "--out-dir", str(tmp_path / "slides"), "--mkdir")
    assert res.returncode == 0, res.stderr
    planned = {(pair, chart.id): chart for pair in pairs
               for chart in plan_charts(ds, Comparison(pair, families))}
    # NOTE: the names written out as a briefer sees them: ids, family and the chart's newest year
    files = {f"{pair[0].lower()}-vs-{pair[1].lower()}_{family}_{int(chart.rows['year'].max())}.svg": chart.title
             for (pair, family), chart in planned.items()}
    assert len(files) >= 3
    assert {p.name for p in (tmp_path / "slides").iterdir()} == set(files)
    for name, title in files.items():  # each file is its own chart
        assert title in " ".join(svg_text((tmp_path / "slides" / name).read_bytes()).split())
    assert f"] {len(files)}/{len(files)} done" in res.stderr
    for pair, family in {(p, f) for p in pairs for f in families} - set(planned):
        assert f"no {family} figures reported for {', '.join(pair)}: no chart" in res.stderr


def test_cli_batch_refuses_one_out_file_for_many_charts(ds, tmp_path):
    res = run_export("--entities", "PAK,AFG", "--family", "all", "--out", str(tmp_path / "x.png"))
    assert res.returncode == 2
    assert "--out names one file, but" in res.stderr and "use --out-dir" in res.stderr
    assert not (tmp_path / "x.png").exists()
    res = run_export("--entities", "PAK,AFG", "--format", "png")
    assert res.returncode == 2 and "give --family (one id, a comma-separated list, or all)" in res.stderr


# 3/ PAGE -------------------------------------------------------------------------------------

def app(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_each_chart_has_png_svg_downloads_and_the_page_a_csv(ds):
    at = app(c="PAK,AFG")
    assert not at.exception
    charts = len(at.get("plotly_chart"))
    assert charts >= 4
    menus = [m.proto.popover for m in at.get("popover")]
    assert [m.label for m in menus] == ["Download or cite"] * charts
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the values shown (CSV)", "Download slide deck (PPTX)"]  # menus built once opened
    at.session_state["controls_export_compare_land"] = True
    at.run()
    files = {b.proto.label: b.proto for b in at.get("download_button")}
    assert list(files)[:3] == ["PNG 16:9", "PNG 4:3", "SVG"]
    assert all(files[label].ignore_rerun and files[label].deferred_file_id for label in list(files)[:3])  # made on click
    assert any(c.value.startswith("“Land forces: Pakistan vs Afghanistan”") for c in at.code)
    # the camera button of each chart saves the 16:9 preset under the chart's file name
    import json

    first = json.loads(at.get("plotly_chart")[0].proto.config)["toImageButtonOptions"]
    assert first["filename"].startswith("pak-vs-afg_personnel_20") and len(first["filename"]) == len("pak-vs-afg_personnel_2025")
    assert {k: v for k, v in first.items() if k != "filename"} == {"format": "png", "width": 1920, "height": 1080,
                                                                   "scale": 2}


def test_url_round_trips_selection_and_data_version(ds):
    at = app(c="IND,PAK", v=ds.version)
    assert not at.exception
    assert at.query_params["c"] == "IND,PAK" and at.query_params["v"] == ds.version
    assert not at.info
    at.multiselect[0].set_value(["PAK", "AFG", "x-ttp"])
    at.session_state["controls_export_compare_personnel"] = True  # the chart's "Download or cite" menu
    at.run()
    assert at.query_params["c"] == "PAK,AFG,x-ttp" and at.query_params["v"] == ds.version
    cite = next(c.value for c in at.code if c.value.startswith("“Personnel"))
    assert f"?c=PAK,AFG,x-ttp&v={ds.version}" in cite


def test_a_link_without_version_gets_the_current_one(ds):
    at = app(c="PAK,AFG")
    assert at.query_params["v"] == ds.version and not at.info


def test_a_link_from_other_data_says_the_data_changed(ds):
    at = app(c="PAK,AFG", v="0000000000")
    assert not at.exception
    note = at.info[0].value
    assert "0000000000" in note and ds.version in note and "changed since" in note
    assert at.query_params["v"] == ds.version  # the address now points at today's data
    at.run()
    assert "changed since" in at.info[0].value  # the note stays for this visit
    assert at.multiselect[0].value == ["PAK", "AFG"]  # the view is reproduced all the same


def test_presentation_mode_from_the_url(ds):
    at = app(c="PAK,AFG", present="1")
    assert not at.exception
    assert at.toggle(key="present").value is True
    assert at.query_params["present"] == "1"
    # NOTE: AppTest drops the entry file's own elements on a rerun (the sidebar too), so
    # switching it off is tested in the browser (test_briefing_browser.py).
    assert not app(c="PAK,AFG").toggle(key="present").value
