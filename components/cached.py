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

import hashlib
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import family_chart
from forcedata import display, groups
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


# --- texts and tables derived from the drawn rows: computed once per distinct input ---------
# NOTE: st.cache_data keys them on the rows' content (``frame_key``: every cell, the index and
# the columns), so no key can go stale; each caller gets its own copy of the result.


def frame_key(frame: pd.DataFrame) -> str:
    """A content hash of a small frame: 10x faster than Streamlit's default DataFrame hashing,
    which costs more than the texts it would save."""
    content = (list(frame.columns), frame.index.tolist(), frame.to_numpy(dtype=object).tolist())
    return hashlib.sha256(repr(content).encode()).hexdigest()


BY_CONTENT = {pd.DataFrame: frame_key}

@st.cache_data(max_entries=MAX_SELECTIONS * 8, show_spinner=False, hash_funcs=BY_CONTENT)
def describe_family(rows: pd.DataFrame, names: dict[str, str]) -> str:
    """``forcedata.display.describe_family``, cached."""
    return display.describe_family(rows, names)


@st.cache_data(max_entries=MAX_SELECTIONS * 8, show_spinner=False, hash_funcs=BY_CONTENT)
def chart_table(rows: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """``forcedata.display.chart_table``, cached."""
    return display.chart_table(rows, names)


@st.cache_data(max_entries=MAX_SELECTIONS * 8, show_spinner=False, hash_funcs=BY_CONTENT)
def cite_text(rows: pd.DataFrame, *, title: str, data_version: str, permalink: str, accessed: str) -> str:
    """``forcedata.display.cite_text``, cached."""
    return display.cite_text(rows, title=title, data_version=data_version, permalink=permalink, accessed=accessed)


@st.cache_data(max_entries=MAX_SELECTIONS * 8, show_spinner=False, hash_funcs=BY_CONTENT)
def headline_parts(rows: pd.DataFrame, metric: str, ids: list[str], parts: dict[str, str],
                   labels: dict[str, str]) -> list[str]:
    """``forcedata.display.headline_parts``, cached."""
    return display.headline_parts(rows, metric, ids, parts, labels)


@st.cache_data(max_entries=MAX_SELECTIONS * 8, show_spinner=False, hash_funcs=BY_CONTENT)
def group_total(shown: pd.DataFrame, *, name: str, members: list[str], metric: str) -> groups.GroupTotal:
    """``forcedata.groups.group_total``, cached."""
    return groups.group_total(shown, name=name, members=members, metric=metric)


@st.cache_data(max_entries=MAX_SELECTIONS * 8, show_spinner=False, hash_funcs=BY_CONTENT)
def member_values(shown: pd.DataFrame, *, members: list[str], metric: str, names: dict[str, str]) -> pd.DataFrame:
    """``forcedata.groups.member_values``, cached."""
    return groups.member_values(shown, members=members, metric=metric, names=names)
