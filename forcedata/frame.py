"""The one tidy DataFrame: a row per value, with its metric, qualifiers and full provenance.

Which figure a chart shows, among several for the same entity and metric, follows one
documented rule (README, "Which figure a chart shows"); each step has a test that fails when the
step is removed:
  1. a reported figure over "not known" (latest available: an older figure, shown with its year
     and "no <source> figure since <year>", beats a newer "not known");
  2. a figure within RECENT_YEARS of the newest reported one over an older one;
  3. the higher source tier (official, reference, alternative, aggregator): tier before
     precision, so IISS's "> 6,000" beats an index's exact count;
  4. the newest year (as_of);
  5. the most precise: by qualifier (exact, estimate, about, then open-ended bounds, then
     ranges), then by significant digits (1,475,750 before "about 1.5 million");
  6. the most recently published report; 7. the order in the file.
For a chart (``default_values``), like for like comes first: when one source edition has a
recent figure for every entity drawn, that edition is used for all of them (highest tier first,
then the newest edition); when sources must be mixed, the rows say so and the chart gives each bar a source mark (a, b, ...)
that the chart prints on each bar and keys in the footnote.
Every other value stays in the frame and is shown as an "other report".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import pandas as pd

from forcedata.schema import TIER_ORDER

if TYPE_CHECKING:
    from forcedata.load import LoadedEntity
    from forcedata.schema import Family, Metric, Source

COLUMNS = [
    "entity", "entity_name", "entity_kind", "metric", "metric_label", "family", "family_label",
    "unit", "metric_order", "metric_caveat", "metric_definition", "metric_part_of", "as_of", "year", "value", "low", "high", "qualifier", "status",
    "condition", "uncertain", "caption", "source", "source_short", "source_title", "source_citation", "source_tier",
    "source_edition", "source_published", "source_accessed", "via", "via_short", "via_citation",
    "via_published", "locator", "quote", "note", "from_series", "file", "line", "is_default",
]

PRECISION_RANK = {"exact": 0, "estimate": 1, "about": 2, "at_least": 3, "more_than": 3, "up_to": 3}


RECENT_YEARS = 5  # NOTE: a figure this much older than the newest for its entity is "old"


def build_frame(entities: Iterable[LoadedEntity], sources: dict[str, Source],
                metrics: dict[str, Metric], families: dict[str, Family]) -> pd.DataFrame:
    """Build the tidy frame from validated entities (one row per value or series year)."""
    rows = []
    for ent in entities:
        for metric_id, v, line in ent.values:
            fields = v.model_dump()
            rows.append(_row(ent, metrics[metric_id], **fields, from_series=False, line=line))
        for metric_id, s, lines in ent.series:
            for year, point in s.values.items():
                p = point if not isinstance(point, (int, float)) else None
                rows.append(_row(
                    ent, metrics[metric_id], as_of=str(year), value=p.value if p else point,
                    qualifier=(p.qualifier if p and p.qualifier else s.qualifier),
                    status=p.status if p else "reported", uncertain=bool(p and p.uncertain),
                    source=s.source, via=s.via, locator=s.locator,
                    note="; ".join(n for n in (s.note, p.note if p else None) if n) or None,
                    from_series=True, line=lines[year]))
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    # NOTE: the rows are put in order before the provenance columns are added, so that the one
    # reordering of the whole frame moves 29 columns, not 41. The sort is stable: rows of one
    # entity, metric and year keep their file order, the default rule's last tie-break.
    frame = pd.DataFrame(rows, columns=list(rows[0]))
    frame = frame.sort_values(["entity", "metric_order", "year"], kind="stable").reset_index(drop=True)
    frame = _add_provenance(frame, sources, families)
    frame["is_default"] = _default_flags(frame)
    # NOTE: a copy that shares no block with the intermediate frames (copy-on-write would
    # otherwise treat the app's read-only frame as shared and copy on write instead of refusing)
    return frame[COLUMNS].copy()


def _row(ent: LoadedEntity, metric: Metric, *, as_of: str, source: str, from_series: bool, line: int,
         value: float | None = None, low: float | None = None, high: float | None = None,
         qualifier: str = "exact", status: str = "reported", condition: str | None = None,
         uncertain: bool = False, caption: str | None = None, via: str | None = None,
         locator: str | None = None, quote: str | None = None, note: str | None = None) -> dict:
    """One frame row; every field by name, so source and via can never be swapped silently."""
    return {
        "entity": ent.header.id, "entity_name": ent.header.name, "entity_kind": ent.header.kind,
        "metric": metric.id, "metric_label": metric.label, "family": metric.family,
        "unit": metric.unit, "metric_order": metric.order, "metric_caveat": metric.caveat,
        "metric_definition": metric.definition, "metric_part_of": metric.part_of,
        "as_of": as_of, "year": int(as_of[:4]), "value": value, "low": low, "high": high,
        "qualifier": qualifier if status == "reported" else None, "status": status,
        "condition": condition, "uncertain": uncertain, "caption": caption, "source": source,
        "via": via, "locator": locator, "quote": quote, "note": note,
        "from_series": from_series, "file": ent.file, "line": line,
    }


def _add_provenance(frame: pd.DataFrame, sources: dict[str, Source], families: dict[str, Family]) -> pd.DataFrame:
    def lookup(col: str, attr: str) -> pd.Series:
        # NOTE: one dict per attribute and a vectorised map: no per-row Python lambda
        return frame[col].map({i: getattr(s, attr) for i, s in sources.items()})

    frame = frame.assign(
        family_label=frame["family"].map({f: fam.label for f, fam in families.items()}).fillna(frame["family"]),
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


def _rank_keys(frame: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """The sort keys of the default rule (module docstring), one column per step."""
    reported = frame["status"] == "reported"
    newest = frame["year"].where(reported).groupby([frame[g] for g in groups]).transform("max")
    return frame.assign(
        _status=(~reported).astype(int),
        _old=(reported & (frame["year"] < newest - RECENT_YEARS)).astype(int),
        _tier=frame["source_tier"].map(TIER_ORDER).fillna(len(TIER_ORDER)),
        # NOTE: a reported row without a value (a range) ranks 4; an unknown qualifier 5
        _precision=frame["qualifier"].map(PRECISION_RANK).fillna(5).astype(int).mask(
            reported & frame["value"].isna(), 4),
        _digits=_digits_of(frame["value"]),
        _published=frame["via_published"].fillna(frame["source_published"]).fillna(""),
        _order=range(len(frame)),
    )


RULE = ["_status", "_old", "_tier", "year", "_precision", "_digits", "_published", "_order"]
RULE_ASCENDING = [True, True, True, False, True, False, False, True]


def _default_flags(frame: pd.DataFrame) -> pd.Series:
    """True on the one row per (entity, metric) that the default rule picks."""
    ranked = _rank_keys(frame, ["entity", "metric"])
    # NOTE: only the rule's keys are sorted, then the rows are picked by that order: reordering
    # all 40 columns of the frame was most of this step's time, and grew faster than the data
    order = ranked[RULE].sort_values(RULE, ascending=RULE_ASCENDING, kind="stable").index
    first = ~frame.loc[order, ["entity", "metric"]].duplicated(keep="first")
    return first.reindex(frame.index)


def _digits_of(values: pd.Series) -> pd.Series:
    """``_significant_digits`` of each value, computed once per distinct value."""
    distinct = {v: _significant_digits(v) for v in values.dropna().unique()}
    return values.map(distinct).fillna(0).astype(int)


def _significant_digits(value: float) -> int:
    """1475750 -> 6, 1500000 -> 2, 2.67 -> 3; 0 for a missing value."""
    if pd.isna(value) or value == 0:
        return 0
    return len(f"{abs(value):.10g}".replace(".", "").strip("0"))


def default_values(frame: pd.DataFrame, entities: list[str], metrics: list[str] | None = None) -> pd.DataFrame:
    """The row per (entity, metric) a chart of ``entities`` draws, in metric then entity order.

    Like for like first: for each metric, if one source edition has a recent reported figure for
    every selected entity that has any, those rows are used for all (highest tier, then newest
    edition). Otherwise each entity's default row is used and the metric's rows get
    ``source_mixed`` True, so a chart marks each bar with its source. ``since_note`` says when a
    newer "not known" exists ("no SIPRI figure since 2021").
    """
    rows = frame[frame["entity"].isin(entities)]
    if metrics is not None:
        rows = rows[rows["metric"].isin(metrics)]
    picked = [_pick_metric(group) for _, group in rows.groupby("metric", sort=False)]
    out = pd.concat(picked) if picked else rows.iloc[0:0].assign(source_mixed=False, since_note=None)
    order = {e: i for i, e in enumerate(entities)}
    return out.assign(_e=out["entity"].map(order)).sort_values(["metric_order", "_e"]).drop(columns="_e")


def _pick_metric(rows: pd.DataFrame) -> pd.DataFrame:
    ranked = _rank_keys(rows, ["entity"])
    reported = ranked[(ranked["status"] == "reported") & (ranked["_old"] == 0)]
    with_figures = set(reported["entity"])
    candidates = []
    if len(with_figures) > 1:
        for source, group in reported.groupby("source", sort=False):
            if set(group["entity"]) == with_figures:
                first = group.iloc[0]
                candidates.append((first["_tier"], _neg(first["source_published"]), source))
    if candidates:
        best = min(candidates)[2]
        common = reported[reported["source"] == best].sort_values(RULE, ascending=RULE_ASCENDING, kind="stable")
        chosen = common.drop_duplicates("entity")
        others = ranked[~ranked["entity"].isin(with_figures)]
        chosen = pd.concat([chosen, others.sort_values(RULE, ascending=RULE_ASCENDING, kind="stable")
                            .drop_duplicates("entity")])
    else:
        chosen = ranked.sort_values(RULE, ascending=RULE_ASCENDING, kind="stable").drop_duplicates("entity")
    drawn = chosen[chosen["status"] == "reported"]
    chosen = chosen.assign(
        source_mixed=drawn["source"].nunique() > 1,
        since_note=[_since_note(rows, r) for r in chosen.itertuples()],
    )
    return chosen.drop(columns=[c for c in chosen.columns if c.startswith("_")])


def _neg(date_text: object) -> tuple:
    """Sort key putting the newest publication date first."""
    digits = str(date_text or "").replace("-", "")
    return tuple(-int(c) for c in digits.ljust(8, "0")) if digits.isdigit() else (1,)


def _since_note(rows: pd.DataFrame, row) -> str | None:
    """'no SIPRI figure since 2021' when the same source says "not known" for a newer year."""
    if row.status != "reported":
        return None
    newer = rows[(rows["entity"] == row.entity) & (rows["source"] == row.source)
                 & (rows["status"] == "not_known") & (rows["year"] > row.year)]
    return f"no {row.source_short} figure since {row.year}" if len(newer) else None
