"""Trends: one measure over time for chosen countries, a line per source, gaps kept as gaps."""

import streamlit as st

from components.ui.metric_widgets import log_toggle, metric_picker
from components.ui.state import get_dataset
from components.views.trend_charts import fig_trend, trend_rows
from components.ui.widgets import (
    entity_picker,
    plain,
    render_chart,
    render_problems_banner,
    render_provenance,
)

DEFAULT_METRIC = "spending.milex_usd"
DEFAULT_SELECTION = ["PAK", "IND"]
PRESETS = {  # label -> (metric, entities): one click to a view worth seeing
    "Pakistan and India spending since 1949": ("spending.milex_usd", ["PAK", "IND"]),
    "Pakistan and India personnel since 1947 (COW, IISS, CIA)": ("personnel.active", ["PAK", "IND"]),
}


def _apply_preset(metric: str, entities: list[str]) -> None:
    st.session_state["trends_metric"] = metric
    st.session_state["trends_metric_prices"] = "current"
    st.session_state["trends_countries"] = entities


# 1/ SELECTION
ds = get_dataset()
st.title("Trends: one measure over time")
render_problems_banner(ds)
with st.container(key="controls_presets", horizontal=True):
    for label, (m, ents) in PRESETS.items():
        st.button(label, on_click=_apply_preset, args=(m, ents), icon=":material/show_chart:",
                  key=f"trends_preset_{m}")
with st.container(key="controls_selection"):
    metric = metric_picker(ds, key="trends_metric", default=DEFAULT_METRIC)
    selected = entity_picker(ds, key="trends_countries", default=DEFAULT_SELECTION)
    log = log_toggle(key="trends_log")
if metric is None or not selected:
    st.info("Pick a measure and at least one country or actor.", icon=":material/info:")
    st.stop()
names = {e: ds.entities[e].header.name for e in selected}

# 2/ DATA
rows = trend_rows(ds.frame, metric, selected)
definition = ds.metrics[metric].definition

# 3/ CHART
fig = fig_trend(rows, entities=names, definition=definition, log=log, data_version=ds.version)
if fig is None:
    st.info(f"No {plain(ds.metrics[metric].label.lower())} figures for the selection.", icon=":material/info:")
else:
    render_chart(fig, key="trends_chart", filename=f"trend_{metric}")
missing = [names[e] for e in selected if e not in set(rows["entity"])]
if missing:
    st.caption("Not reported for: " + ", ".join(plain(n) for n in missing) + ".")
st.caption(f"**{plain(ds.metrics[metric].label)}**: {plain(definition)}")

# 4/ SOURCES
with st.expander("Every value drawn, with its citation"):
    render_provenance(rows.sort_values(["entity", "source", "year"]))
