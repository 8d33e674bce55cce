"""Work done once per (selection, data version), not once per rerun or per visitor.

The default rows for a selection (``forcedata.frame.default_values``) and the family charts are
the costly part of a compare-page run. Both depend only on the selection and the data, so they
are cached on (data version, selection): a rerun (any widget change) and every other visitor
with the same selection reuse them.

- ``shown_values`` goes through ``st.cache_data``: each caller gets its own copy.
- ``shown_chart`` goes through ``st.cache_resource``: one figure object is shared by every
  session, so callers must treat it as read-only (``layout_for_export`` and the exports copy it
  before changing anything).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import family_chart
from forcedata.frame import default_values
from forcedata.load import Dataset

MAX_SELECTIONS = 256  # NOTE: bounded: a crawler walking every selection cannot grow memory without end


@st.cache_data(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _values(version: str, entities: tuple[str, ...], metrics: tuple[str, ...] | None,
            _frame: pd.DataFrame) -> pd.DataFrame:
    return default_values(_frame, list(entities), list(metrics) if metrics is not None else None)


def shown_values(ds: Dataset, entities: list[str], metrics: list[str] | None = None) -> pd.DataFrame:
    """``default_values(ds.frame, entities, metrics)``, computed once per data version."""
    return _values(ds.version, tuple(entities), tuple(metrics) if metrics is not None else None, ds.frame)


@st.cache_resource(max_entries=MAX_SELECTIONS * 8, show_spinner=False)
def _chart(version: str, entities: tuple[str, ...], family: str, colours: tuple,
           _ds: Dataset) -> go.Figure | None:
    names = {e: _ds.entities[e].header.name for e in entities}
    definitions = {m.id: m.definition for m in _ds.metrics.values()}
    shown = _values(version, entities, None, _ds.frame)
    return family_chart(shown, names, family, version, colours=dict(colours), definitions=definitions)


def shown_chart(ds: Dataset, entities: list[str], family: str,
                colours: Mapping[str, str] | None = None) -> go.Figure | None:
    """The compare page's chart of one family for ``entities`` (``charts.family_chart`` with
    the catalogue's definitions in the hovers), built once per (selection, colours, data
    version). Shared by every session: read-only."""
    return _chart(ds.version, tuple(entities), family, tuple(sorted((colours or {}).items())), ds)
