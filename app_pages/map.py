"""Map: one measure on a world map, each country's newest figure; works with no internet."""

import streamlit as st

from components.views.map_charts import REGIONS, country_ids, fig_map, map_rows, not_mappable, wants_log
from components.ui.metric_widgets import log_toggle, metric_picker, option_picker, render_map
from components.ui.state import get_dataset
from components.ui.widgets import plain, render_problems_banner, render_provenance

DEFAULT_METRIC = "personnel.active"

# 1/ SELECTION
ds = get_dataset()
st.title("Map: one measure, every country")
render_problems_banner(ds)
with st.container(key="controls_selection"):
    metric = metric_picker(ds, key="map_metric", default=DEFAULT_METRIC)
    region = option_picker("Area", {k: v[0] for k, v in REGIONS.items()}, key="map_region", param="r",
                           default="world", help="Zoom to a region; the figures are the same.")
if metric is None:
    st.info("No figures to map.", icon=":material/info:")
    st.stop()
catalogue = ds.metrics[metric]

# 2/ DATA
rows = map_rows(ds.frame, metric)
names = {e: ent.header.name for e, ent in sorted(ds.entities.items(), key=lambda kv: kv[1].header.name)}
kinds = {e: ent.header.kind for e, ent in ds.entities.items()}
shapes = country_ids()
with st.container(key="controls_scale"):
    log = log_toggle(key=f"map_log_{metric}", default=wants_log(rows),
                     help="Colour by orders of magnitude: on by default when the largest figure is "
                          "more than 1,000 times the smallest.")

# 3/ MAP
area = "" if region == "world" else f" ({REGIONS[region][0]})"
fig = fig_map(rows, names=names, mappable=shapes, title=f"{catalogue.label}, newest figure per country{area}",
              unit=catalogue.unit, definition=catalogue.definition, log=log, data_version=ds.version,
              region=region)
render_map(fig, key="map_chart")
st.caption(f"**{plain(catalogue.label)}**: {plain(catalogue.definition)} Grey is *not reported*: no "
           "source we hold gives a figure, which is not the same as 0.")

# 4/ NOT ON THE MAP
st.subheader("Not on the map")
st.caption("Non-state actors have no territory to draw; former states and small states have no "
           "shape at this map's scale. Their figures for this measure:")
st.dataframe(not_mappable(rows, names=names, kinds=kinds, mappable=shapes), hide_index=True, width="stretch")

# 5/ SOURCES
with st.expander("Every value on the map, with its citation"):
    render_provenance(rows.sort_values("entity_name"))
