"""Cached getters and URL state: the st.* side of loading (forcedata does the work)."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from components.ui.url_state import url_value

from forcedata.fingerprint import data_fingerprint
from forcedata.dataset import Dataset
from forcedata.load import data_dir_from_env, load_dataset


@st.cache_resource(show_spinner="Loading force data…", max_entries=2)
def _load(data_dir: str, fingerprint: str) -> Dataset:
    return read_only(load_dataset(Path(data_dir)))


def read_only(ds: Dataset) -> Dataset:
    """Make the dataset's frame read-only in place and return the dataset.

    One Dataset object is shared by every session of the server (``st.cache_resource``), so
    nobody may change it: its numeric columns become non-writeable arrays, and any in-place
    assignment (``frame.loc[i, "value"] = ...``) raises ValueError. Filtering, ``assign`` and
    the other pandas operations return new frames and are unaffected.
    """
    for block in ds.frame._mgr.blocks:
        values = getattr(block, "values", None)
        if hasattr(values, "flags"):
            values.flags.writeable = False
    return ds


def get_dataset() -> Dataset:
    """The dataset, loaded once and reloaded only when a data file changes (read-only: shared
    by every session; see ``read_only``).

    NOTE: "changes" by content: the data fingerprint the version and the compiled cache use
    (forcedata/fingerprint.py), so an edit that keeps the file's time is picked up too. It is
    taken on every run of every session, from each file's status while that is unchanged.
    """
    data_dir = data_dir_from_env()
    return _load(str(data_dir), data_fingerprint(data_dir).digest)


VERSION_FORMAT = re.compile(r"^[0-9a-f]{10}$")


def version_from_url() -> tuple[str | None, str | None]:
    """(``?v=`` if it is a data version, else None; the value as typed when it is not one)."""
    raw = url_value("v")
    if raw is None or VERSION_FORMAT.match(raw):
        return raw, None
    return None, raw
