"""Compare two versions of the data: which values were added, changed or removed.

A side is a data directory or a git ref (the data folder in use, data/ or $FORCEDATA_DATA_DIR,
read from the git repository it lies in with `git archive`). Values are matched by the key
(entity, metric, as_of, source, via, from_series): the same figure from the same report for the
same date. A series year is matched across the editions of one database (the registry's
`database:`): when a new SIPRI release replaces the last one, a year whose figure SIPRI revised
shows as old -> new, and the years it left as they were are counted, not listed. NOTE: where one
file holds several values with the same key, they are matched in file order (the n-th with the
n-th).
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from forcedata.display import value_label
from forcedata.load import data_dir_from_env, load_dataset

KEY = ["entity", "metric", "as_of", "source", "via", "from_series"]
MATCH = ["entity", "metric", "as_of", "_origin", "via", "from_series"]  # source -> its database for series
COMPARED = ["value", "low", "high", "qualifier", "status", "condition", "uncertain", "locator",
            "quote", "caption", "note"]


class DiffError(Exception):
    """A side that is neither a data directory nor a git ref."""


@contextmanager
def data_dir_for(side: str, data_dir: Path | None = None) -> Iterator[Path]:
    """A data directory for ``side``: the directory itself, or the data folder in use
    (``data_dir``, default data/ or $FORCEDATA_DATA_DIR) at a git ref of its repository, unpacked."""
    path = Path(side)
    if path.is_dir():
        yield path / "data" if (path / "data" / "forces").is_dir() else path
        return
    folder = Path(os.path.abspath(data_dir or data_dir_from_env()))
    proc = subprocess.run(["git", "-C", str(folder.parent), "archive", "--format=tar", side, folder.name],
                          capture_output=True, check=False)
    if proc.returncode != 0:
        raise DiffError(f"{side!r} is neither a data directory nor a git ref with data/ "
                        f"({proc.stderr.decode(errors='replace').strip()})")
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / folder.name


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    cols = KEY + COMPARED + ["entity_name", "unit", "source_database"]
    table = frame[cols].astype({"source_database": object}) if not frame.empty else pd.DataFrame(columns=cols)
    table["via"] = table["via"].fillna("")
    # NOTE: a series year belongs to its database across editions; anything else to its source
    series_of = table["from_series"].astype(bool) & table["source_database"].notna()
    table["_origin"] = table["source_database"].where(series_of, table["source"]).astype(object)
    table["_n"] = table.groupby(MATCH, dropna=False).cumcount()
    return table.drop(columns="source_database")


def diff_frames(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """One row per added, changed or removed value: change, the key, old and new, fields.

    ``attrs["recited"]`` counts the series years matched across two editions whose figures did
    not change: {(old source, new source): count}.
    """
    a, b = _keyed(old), _keyed(new)
    merged = a.merge(b, on=MATCH + ["_n"], how="outer", suffixes=("_old", "_new"), indicator=True)
    rows = []
    recited: dict[tuple[str, str], int] = {}
    for rec in merged.to_dict("records"):
        rec["source"] = rec["source_new"] if rec["_merge"] != "left_only" else rec["source_old"]
        if rec["_merge"] == "left_only":
            change, fields = "removed", []
        elif rec["_merge"] == "right_only":
            change, fields = "added", []
        else:
            fields = [c for c in COMPARED if not _same(rec[f"{c}_old"], rec[f"{c}_new"])]
            if rec["source_old"] != rec["source_new"]:
                pair = (rec["source_old"], rec["source_new"])
                if not fields:
                    recited[pair] = recited.get(pair, 0) + 1
                    continue
                fields.append("source")
            if not fields:
                continue
            change = "changed"
        rows.append({
            "change": change, **{k: rec[k] for k in KEY},
            "entity_name": rec["entity_name_new"] if change != "removed" else rec["entity_name_old"],
            "unit": rec["unit_new"] if change != "removed" else rec["unit_old"],
            "old": _shown(rec, "old") if change != "added" else "",
            "new": _shown(rec, "new") if change != "removed" else "",
            "fields": ",".join(fields),
        })
    out = pd.DataFrame(rows, columns=["change", *KEY, "entity_name", "unit", "old", "new", "fields"])
    order = {"removed": 0, "changed": 1, "added": 2}
    out = out.sort_values(["entity", "metric", "as_of", "change"], key=lambda s: s.map(order) if s.name == "change" else s,
                          kind="stable").reset_index(drop=True)
    out.attrs["recited"] = recited
    return out


def _same(x, y) -> bool:
    x_missing, y_missing = _missing(x), _missing(y)
    if x_missing or y_missing:
        return x_missing and y_missing
    return x == y


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def _shown(rec: dict, side: str) -> str:
    """One side of a change as the presentation module writes it, every stored digit kept."""
    fields = ("value", "low", "high", "qualifier", "status", "condition", "uncertain")
    return value_label({f: rec[f"{f}_{side}"] for f in fields}, exact=True)


def diff_sides(old: str, new: str) -> pd.DataFrame:
    with data_dir_for(old) as old_dir, data_dir_for(new) as new_dir:
        return diff_frames(load_dataset(old_dir).frame, load_dataset(new_dir).frame)


def format_text(table: pd.DataFrame) -> str:
    recited = table.attrs.get("recited", {})
    tail = [f"series years now citing {new} instead of {old}, their figures unchanged: {n}"
            for (old, new), n in sorted(recited.items())]
    if table.empty:
        return "\n".join(tail or ["no differences"])
    lines = []
    for entity, group in table.groupby("entity", sort=True):
        counts = group["change"].value_counts()
        lines.append(f"{entity} {group['entity_name'].iloc[0]}: " + ", ".join(
            f"{counts.get(c, 0)} {c}" for c in ("added", "changed", "removed")))
        for r in group.to_dict("records"):
            sign = {"added": "+", "changed": "~", "removed": "-"}[r["change"]]
            what = r["new"] if r["change"] == "added" else r["old"] if r["change"] == "removed" else f"{r['old']} -> {r['new']}"
            via = f" via {r['via']}" if r["via"] else ""
            series = " (series)" if r["from_series"] else ""
            fields = f" [{r['fields']}]" if r["change"] == "changed" else ""
            lines.append(f"  {sign} {r['metric']} {r['as_of']}: {what} {r['unit']}; {r['source']}{via}{series}{fields}")
    counts = table["change"].value_counts()
    lines.append("total: " + ", ".join(f"{counts.get(c, 0)} {c}" for c in ("added", "changed", "removed")))
    return "\n".join(lines + tail)
