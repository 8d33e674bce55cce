"""Where reports disagree (pure): for each entity, metric and year with two or more reports, the
values side by side, the spread (largest / smallest) and, where the notes say, why they differ."""

from __future__ import annotations

import math
import re

import pandas as pd

from forcedata import figure
from forcedata.display import format_date, source_label, value_label

# (pattern in a report's note, quote, caption or locator; the definitional reason it points to)
# NOTE: deliberately narrow patterns: a clue names a difference in what is counted only where a
# note says so ("includes family members"), never because a word such as "army" appears.
DEFINITION_CLUES = [
    (r"authori[sz]ed strength", "authorised vs actual strength"),
    (r"\barmy tanks\b|\barmy only\b|\bground forces only\b", "army only vs all services"),
    (r"all tanks|light tanks", "all tanks vs main battle tanks only"),
    (r"includes? main battle tanks", "armoured vehicles with or without main battle tanks"),
    (r"in storage|in store", "equipment in storage counted or not"),
    (r"in service|total holdings", "total holdings vs equipment in service"),
    (r"family members", "fighters only vs including family members"),
    (r"includ\w* reserv|reservists", "active only vs including reserves"),
    (r"conscript", "with or without conscripts"),
    (r"in the coast guard|coast guard [\d,]+", "with or without the coast guard"),
    (r"member states", "different UN Member States' assessments"),
    (r"rounded by the page", "rounded by the report that quotes it"),
    (r"aggregator", "an aggregator page with no published method"),
    (r"attribution is inferred|identity inferred|by its value pattern", "the report's attribution is inferred"),
]
SUMMARY_COLUMNS = ["Entity", "Metric", "Year", "Reports", "Values", "Spread", "Why they may differ",
                   "entity", "metric", "spread"]
DETAIL_COLUMNS = ["Entity", "Metric", "Year", "Value", "Source", "Tier", "Read in", "Note", "Quote",
                  "entity", "metric"]


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Reported rows with a number, grouped by (entity, metric, year) where a group has 2+."""
    rows = frame[(frame["status"] == "reported") & (frame["value"].notna() | frame["low"].notna())]
    sizes = rows.groupby(["entity", "metric", "year"])["metric"].transform("size")
    return rows[sizes >= 2]


def spread(group: pd.DataFrame) -> float:
    """Largest figure over smallest (a range counts by its ends); inf when the smallest is 0,
    1.0 when the reports agree."""
    highs = group["value"].fillna(group["high"])
    lows = group["value"].fillna(group["low"])
    top, bottom = float(highs.max()), float(lows.min())
    if top == bottom:
        return 1.0
    return math.inf if bottom == 0 else top / bottom


def spread_text(x: float) -> str:
    """'1.10×', '≥ 0 vs more' for a zero, 'agree' at 1."""
    if math.isinf(x):
        return "0 vs more than 0"
    return "agree" if x == 1.0 else f"{x:.2f}×"


def reasons(group: pd.DataFrame) -> list[str]:
    """Definitional and reporting reasons the reports may differ, from what they say about
    themselves (notes, quotes, captions), their qualifiers and who produced them."""
    out = []
    # NOTE: a scope recorded as data is the surest reason: it is said first, in the catalogue's words
    scopes = group["scope_label"].astype(object).fillna("counted as defined") if "scope_label" in group else None
    if scopes is not None and scopes.nunique() > 1:
        out.append("counted differently: " + " vs ".join(dict.fromkeys(scopes)))
    text = " ".join(str(t) for col in ("note", "quote", "caption", "locator") for t in group[col].dropna()).lower()
    for pattern, reason in DEFINITION_CLUES:
        if re.search(pattern, text) and reason not in out:
            out.append(reason)
    quals = {figure.qualifier(q).id for q in group["qualifier"].dropna().unique()}
    if any(figure.qualifier(q).bound != "point" for q in quals):
        bounds = ", ".join(f"'{s.words}'" for s in figure.QUALIFIERS.values() if s.bound != "point")
        out.append(f"a bound ({bounds}) is not a count")
    if group["value"].isna().any() and group["value"].notna().any():
        out.append("a range vs a single figure")
    if group["condition"].notna().any():
        out.append("some equipment's condition is in doubt")
    if group["source_short"].nunique() > 1:
        producers = ", ".join(dict.fromkeys(group["source_short"]))
        out.append(f"different producers, each with its own counting: {producers}")
    elif group["source"].nunique() > 1:
        out.append("different editions or reports of one producer")
    elif group["via"].nunique() > 1:
        out.append("one source as quoted by different reports")
    return out


def _report_label(r: dict) -> str:
    via = f" via {r['via_short']}" if isinstance(r["via"], str) else ""
    return f"{value_label(r)} ({r['source_short']}{via})"


def disagreement_table(frame: pd.DataFrame, *, entities: list[str] | None = None,
                       metrics: list[str] | None = None) -> pd.DataFrame:
    """One row per (entity, metric, year) with two or more reports, largest spread first.

    Args:
        frame: the tidy frame.
        entities, metrics: keep only these (None: all).

    Returns:
        Display columns Entity, Metric, Year, Reports (how many), Values (each report's value and
        who gave it, side by side), Spread, Why they may differ; plus ids and the numeric spread.
    """
    rows = _comparable(_filter(frame, entities, metrics))
    records = []
    for (entity, metric, year), group in rows.groupby(["entity", "metric", "year"], sort=False):
        group = group.sort_values("is_default", ascending=False, kind="stable")
        x = spread(group)
        records.append({
            "Entity": group["entity_name"].iloc[0], "Metric": group["metric_label"].iloc[0], "Year": int(year),
            "Reports": len(group), "Values": " · ".join(_report_label(r) for r in group.to_dict("records")),
            "Spread": spread_text(x), "Why they may differ": "; ".join(reasons(group)),
            "entity": entity, "metric": metric, "spread": x,
        })
    out = pd.DataFrame(records, columns=SUMMARY_COLUMNS)
    return out.sort_values(["spread", "Entity", "Metric"], ascending=[False, True, True], kind="stable"
                           ).reset_index(drop=True)


def disagreement_details(frame: pd.DataFrame, *, entities: list[str] | None = None,
                         metrics: list[str] | None = None) -> pd.DataFrame:
    """Each report behind ``disagreement_table``, one row each, with its full provenance."""
    rows = _comparable(_filter(frame, entities, metrics)).sort_values(
        ["entity", "metric_order", "year", "is_default"], ascending=[True, True, True, False], kind="stable")
    return pd.DataFrame({
        "Entity": rows["entity_name"], "Metric": rows["metric_label"], "Year": rows["year"],
        "Value": [value_label(r) for r in rows.to_dict("records")],
        "Source": [source_label(s, t) for s, t in zip(rows["source_short"], rows["source_title"])],
        "Tier": rows["source_tier"].fillna(""),
        "Read in": [f"{s}, {format_date(p)}" if isinstance(v, str) else ""
                    for v, s, p in zip(rows["via"], rows["via_short"], rows["via_published"])],
        "Note": [n if isinstance(n, str) else "" for n in rows["note"]], "Quote": rows["quote"].fillna(""),
        "entity": rows["entity"], "metric": rows["metric"],
    }, columns=DETAIL_COLUMNS).reset_index(drop=True)


def _filter(frame: pd.DataFrame, entities: list[str] | None, metrics: list[str] | None) -> pd.DataFrame:
    if entities:
        frame = frame[frame["entity"].isin(entities)]
    if metrics:
        frame = frame[frame["metric"].isin(metrics)]
    return frame
