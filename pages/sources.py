"""Sources and definitions: the source registry and the metric catalogue, for students and citers."""

import pandas as pd
import streamlit as st

from components.state import get_dataset
from components.widgets import render_problems_banner
from forcedata.display import QUALIFIER_WORDS

# 1/ DATA
ds = get_dataset()
st.title("Sources and definitions")
render_problems_banner(ds)

# 2/ DEFINITIONS
st.subheader("What each figure means")
metrics = sorted(ds.metrics.values(), key=lambda m: m.order)
st.dataframe(pd.DataFrame({
    "Metric": [m.label for m in metrics], "Unit": [m.unit for m in metrics],
    "Definition": [m.definition for m in metrics], "Caveat": [m.caveat for m in metrics],
    "Id": [m.id for m in metrics],
}), hide_index=True, width="stretch")

st.subheader("How to read a value")
st.markdown(
    "- **> 6,000** the source says *more than*; **≥ 6** *at least*; **≈** *about*; **≤** *up to*; "
    "**est.** the source calls it an estimate.\n"
    "- **†** the source doubts the equipment's condition or serviceability.\n"
    "- **0** is a reported zero (\"no fighter jets\"). **not known** means a source says the "
    "figure is unknown. **not reported** means we found no citable figure: it is *not* zero.\n"
    "- Where several reports exist, charts show the newest, then the most precise; the others "
    "are listed in the provenance table under each comparison.\n"
    f"- Qualifiers used: {', '.join(QUALIFIER_WORDS.values())}."
)

# 3/ SOURCES
st.subheader("Sources")
counts = ds.frame["source"].value_counts().add(ds.frame["via"].value_counts(), fill_value=0)
st.dataframe(pd.DataFrame({
    "Id": [s.id for s in ds.sources.values()],
    "Kind": [s.kind for s in ds.sources.values()],
    "Citation": [s.citation_full for s in ds.sources.values()],
    "Published": [s.date_published for s in ds.sources.values()],
    "Accessed": [s.date_accessed for s in ds.sources.values()],
    "Values citing it": [int(counts.get(s.id, 0)) for s in ds.sources.values()],
    "Link": [s.url for s in ds.sources.values()],
    "Terms": [s.terms for s in ds.sources.values()],
}), hide_index=True, width="stretch", column_config={"Link": st.column_config.LinkColumn()})

# 4/ ENTITIES
st.subheader("Countries and actors")
st.dataframe(pd.DataFrame({
    "Id": list(ds.entities), "Name": [e.header.name for e in ds.entities.values()],
    "Kind": [e.header.kind for e in ds.entities.values()],
    "Notes": [e.header.notes for e in ds.entities.values()],
}), hide_index=True, width="stretch")
