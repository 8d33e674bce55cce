"""Military-balance dashboard: routing, page config and the shared sidebar."""

import streamlit as st

from components.serving.routes import NO_PAGE_PARAM
from components.ui.state import get_dataset
from components.ui.widgets import presentation_toggle, render_no_page_note, stop_if_unusable

# NOTE: the tab icon is a file the app serves (static/icon/NOTICE.md): a `:material/...:` icon here makes
# every visitor's browser fetch it from fonts.gstatic.com
st.set_page_config(page_title="Military balance", page_icon="/app/static/icon/balance.png", layout="wide")

PAGES = [
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare", default=True),
    st.Page("app_pages/profile.py", title="Profile", icon=":material/badge:", url_path="profile"),
    st.Page("app_pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("app_pages/map.py", title="Map", icon=":material/public:", url_path="map"),
    st.Page("app_pages/sources.py", title="Sources and methods", icon=":material/menu_book:", url_path="sources"),
    st.Page("app_pages/data_health.py", title="Data health", icon=":material/monitor_heart:", url_path="data-health"),
]
navigation = st.navigation(PAGES)

with st.sidebar:
    ds = get_dataset()
    st.caption(f"{len(ds.entities)} countries and actors · {len(ds.frame):,} sourced values · "
               f"data version `{ds.version}`")
    st.caption("Figures from IISS The Military Balance (mostly as quoted in news reports), SIPRI "
               "and others; every value names its source. Unknown stays unknown.")

stop_if_unusable(ds)  # NOTE: no registry or catalogue, no page: the message instead, on every page
presentation_toggle()
# NOTE: an unknown path, sent to the default page by serve.py (components/serving/routes.py)
render_no_page_note(NO_PAGE_PARAM, on_default_page=navigation.url_path == "")
navigation.run()
