"""The bare comparison page: N plain Plotly bar charts and nothing else (``?charts=N``, else
$BENCH_CHARTS, default 1).

What a Streamlit page costs without any of the dashboard's work: benchmarks/run.py times the
compare page against it (P2 with as many charts as the compare page draws, P3 with one, P2n with
as many as each new comparison draws).
"""

import os

import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
for i in range(int(st.query_params.get("charts", os.environ.get("BENCH_CHARTS", "1")))):
    fig = go.Figure(go.Bar(x=[660000, 150000, 1400000, 30000, 5000, 2000],
                           y=["Pakistan", "Afghanistan", "India", "TTP", "BLA", "ISKP"], orientation="h"))
    fig.update_layout(title=f"Chart {i + 1}", height=400)
    st.plotly_chart(fig, key=f"bare_{i}", theme=None, width="stretch")
