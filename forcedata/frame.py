"""The one tidy DataFrame: a row per value, with its metric, qualifiers and full provenance.

Which value a chart shows by default (``is_default``), among several for the same entity and
metric, follows one documented rule (README, "Data model"):
  1. the newest year (as_of);
  2. then a reported figure over "not known";
  3. then the most precise: by qualifier (exact, estimate, about, then open-ended bounds, then
     ranges), then by significant digits (1,475,750 before "about 1.5 million");
  4. then the most recent source publication;
  5. then the order in the file.
Every other value stays in the frame and is shown as an "other report".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import pandas as pd

if TYPE_CHECKING:
    from forcedata.load import LoadedEntity
    from forcedata.schema import Family, Metric, Source

COLUMNS = [
    "entity", "entity_name", "entity_kind", "metric", "metric_label", "family", "family_label",
    "unit", "metric_order", "metric_caveat", "as_of", "year", "value", "low", "high", "qualifier", "status",
    "condition", "uncertain", "caption", "source", "source_short", "source_title", "source_citation", "source_tier",
    "source_edition", "source_published", "source_accessed", "via", "via_short", "via_citation",
    "via_published", "locator", "quote", "note", "from_series", "file", "line", "is_default",
]

PRECISION_RANK = {"exact": 0, "estimate": 1, "about": 2, "at_least": 3, "more_than": 3, "up_to": 3}


def build_frame(entities: Iterable[LoadedEntity], sources: dict[str, Source],
                metrics: dict[str, Metric], families: dict[str, Family]) -> pd.DataFrame:
    """Build the tidy frame from validated entities (one row per value or series year)."""
    rows = []
    for ent in entities:
        for metric_id, v, line in ent.values:
            rows.append(_row(ent, metrics[metric_id], v.as_of, v.value, v.low, v.high, v.qualifier,
                             v.status, v.condition, v.uncertain, v.caption, v.source, v.via,
                             v.locator, v.quote, v.note, False, line))
        for metric_id, s, lines in ent.series:
            for year, point in s.values.items():
                p = point if not isinstance(point, (int, float)) else None
                note = "; ".join(n for n in (s.note, p.note if p else None) if n) or None
                rows.append(_row(
                    ent, metrics[metric_id], str(year), p.value if p else point, None, None,
                    (p.qualifier if p and p.qualifier else s.qualifier), p.status if p else "reported",
                    None, bool(p and p.uncertain), None, s.source, s.via, s.locator, None, note,
                    True, lines[year]))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    frame = _add_provenance(frame, sources, families)
    frame["is_default"] = _default_flags(frame)
    return frame.sort_values(["entity", "metric_order", "year"], kind="stable").reset_index(drop=True)


def _row(ent: LoadedEntity, metric: Metric, as_of, value, low, high, qualifier, status, condition,
         uncertain, caption, source, via, locator, quote, note, from_series, line) -> dict:
    return {
        "entity": ent.header.id, "entity_name": ent.header.name, "entity_kind": ent.header.kind,
        "metric": metric.id, "metric_label": metric.label, "family": metric.family,
        "unit": metric.unit, "metric_order": metric.order, "metric_caveat": metric.caveat, "as_of": as_of, "year": int(as_of[:4]),
        "value": value, "low": low, "high": high,
        "qualifier": qualifier if status == "reported" else None, "status": status,
        "condition": condition, "uncertain": uncertain, "caption": caption, "source": source,
        "via": via, "locator": locator, "quote": quote, "note": note,
        "from_series": from_series, "file": ent.file, "line": line,
    }


def _add_provenance(frame: pd.DataFrame, sources: dict[str, Source], families: dict[str, Family]) -> pd.DataFrame:
    def lookup(col: str, attr: str) -> pd.Series:
        return frame[col].map(lambda i: getattr(sources[i], attr) if isinstance(i, str) else None)

    frame = frame.assign(
        family_label=frame["family"].map(lambda f: families[f].label if f in families else f),
        source_short=lookup("source", "attribution_short"),
        source_title=lookup("source", "title"),
        source_tier=lookup("source", "tier"),
        source_citation=lookup("source", "citation_full"),
        source_edition=lookup("source", "edition"),
        source_published=lookup("source", "date_published"),
        source_accessed=lookup("source", "date_accessed"),
        via_short=lookup("via", "attribution_short"),
        via_citation=lookup("via", "citation_full"),
        via_published=lookup("via", "date_published"),
    )
    for col in ("value", "low", "high"):
        frame[col] = frame[col].astype("float64")
    return frame


def _default_flags(frame: pd.DataFrame) -> pd.Series:
    """True on the one row per (entity, metric) that the default rule picks."""
    ranked = frame.assign(
        _status=(frame["status"] != "reported").astype(int),
        _precision=[
            4 if pd.isna(v) and s == "reported" else PRECISION_RANK.get(q, 5)
            for v, s, q in zip(frame["value"], frame["status"], frame["qualifier"])
        ],
        _digits=frame["value"].map(_significant_digits),
        _published=frame["via_published"].fillna(frame["source_published"]).fillna(""),
        _order=range(len(frame)),
    ).sort_values(
        ["year", "_status", "_precision", "_digits", "_published", "_order"],
        ascending=[False, True, True, False, False, True], kind="stable",
    )
    first = ~ranked.duplicated(["entity", "metric"], keep="first")
    return first.reindex(frame.index)


def _significant_digits(value: float) -> int:
    """1475750 -> 6, 1500000 -> 2, 2.67 -> 3; 0 for a missing value."""
    if pd.isna(value) or value == 0:
        return 0
    return len(f"{abs(value):.10g}".replace(".", "").strip("0"))


def default_values(frame: pd.DataFrame, entities: list[str], metrics: list[str] | None = None) -> pd.DataFrame:
    """The default row per (entity, metric) for the given entities, in metric then entity order."""
    rows = frame[frame["is_default"] & frame["entity"].isin(entities)]
    if metrics is not None:
        rows = rows[rows["metric"].isin(metrics)]
    order = {e: i for i, e in enumerate(entities)}
    return rows.assign(_e=rows["entity"].map(order)).sort_values(["metric_order", "_e"]).drop(columns="_e")
