"""Cached getters and URL state: the st.* side of loading (forcedata does the work)."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

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


MAX_PARAM_CHARS = 2000  # NOTE: longer URL values are cut before they are parsed at all


def url_value(param: str) -> str | None:
    """One text value from the URL, or None when absent.

    NOTE: a repeated key (``?m=a&m=b``) keeps its LAST value, as Streamlit does; list
    parameters read through ``ids_from_url`` merge every repeat instead. The value is data, never
    markup: show it only through ``widgets.plain`` or a code/text element.
    """
    values = st.query_params.get_all(param)
    return values[-1][:MAX_PARAM_CHARS] if values else None


VERSION_FORMAT = re.compile(r"^[0-9a-f]{10}$")


def version_from_url() -> tuple[str | None, str | None]:
    """(``?v=`` if it is a data version, else None; the value as typed when it is not one)."""
    raw = url_value("v")
    if raw is None or VERSION_FORMAT.match(raw):
        return raw, None
    return None, raw


def ids_from_url(param: str, known: list[str]) -> tuple[list[str], list[str]]:
    """Entity ids from ``?param=PAK,AFG``: (known ids in URL order, unknown ones as written).

    Repeated keys are merged in order: ``?c=PAK&c=AFG`` reads as ``?c=PAK,AFG``. Ids are matched
    case-insensitively; duplicates are dropped.
    """
    raw = ",".join(v[:MAX_PARAM_CHARS] for v in st.query_params.get_all(param))
    by_key = {k.lower(): k for k in known}
    found, unknown = [], []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        if part.lower() in by_key:
            if by_key[part.lower()] not in found:
                found.append(by_key[part.lower()])
        else:
            unknown.append(part)
    return found, unknown


def write_ids_to_url(param: str, ids: list[str]) -> None:
    if st.query_params.get(param) != ",".join(ids):
        st.query_params[param] = ",".join(ids)
