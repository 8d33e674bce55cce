"""The one tidy DataFrame: a row per value, with its metric, qualifiers and full provenance.

Which figure a chart shows, among several for the same entity and metric, follows one
documented rule (README, "Which figure a chart shows"); each step has a test that fails when the
step is removed:
  1. a reported figure over "not known" (latest available: an older figure, shown with its year
     and "no <source> figure since <year>", beats a newer "not known");
  2. a figure within RECENT_YEARS of the newest reported one over an older one;
  3. a figure counted as its metric's definition says (no ``scope``) over one whose count
     differs (army only, includes stored, all tank types: comparable before complete);
  4. the higher source tier (official, reference, alternative, aggregator): tier before
     precision, so IISS's "> 6,000" beats an index's exact count;
  5. the newest year (as_of);
  6. the most precise: by qualifier (exact, estimate, about, then open-ended bounds, then
     ranges), then by significant digits (1,475,750 before "about 1.5 million");
  7. the most recently published report; 8. the order in the file.
For a chart (``default_values``), like for like comes first: when one source edition has a
recent figure for every entity drawn, that edition is used for all of them (figures counted as
defined first, then the highest tier, then the newest edition); when sources must be mixed, the
rows say so and the chart gives each bar a source mark (a, b, ...) keyed in the footnote; when
scopes differ, the rows say so too (``scope_mixed``) and each scoped bar carries its scope.
With ``basis="one"`` ("one source for all"), each family (one chart) is drawn from one source
edition only: the one with figures for most (entity, metric) pairs of the selection; an entity or
a metric it does not cover is not drawn.
Every other value stays in the frame and is shown as an "other report".
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Iterable, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from forcedata.figure import precision_ranks
from forcedata.schema import TIER_ORDER

if TYPE_CHECKING:
    from forcedata.dataset import LoadedEntity
    from forcedata.schema import Family, Metric, Scope, Series, Source, Value

COLUMNS = [
    "entity", "entity_name", "entity_kind", "metric", "metric_label", "family", "family_label",
    "unit", "metric_order", "metric_caveat", "metric_definition", "metric_part_of", "as_of", "year", "value", "low", "high", "qualifier", "status",
    "condition", "uncertain", "caption", "scope", "scope_label", "source", "source_short", "source_title", "source_citation", "source_tier",
    "source_edition", "source_database", "source_published", "source_accessed", "via", "via_short", "via_citation",
    "via_published", "locator", "quote", "note", "from_series", "file", "line", "is_default",
]

# NOTE: the columns of `python -m forcedata export` and of the CSV of the values shown
EXPORT_COLUMNS = [
    "entity", "entity_name", "metric", "metric_label", "unit", "as_of", "value", "low", "high",
    "qualifier", "status", "condition", "uncertain", "scope", "scope_label", "is_default", "source", "source_citation",
    "via", "via_citation", "locator", "quote", "note", "file", "line",
]


RECENT_YEARS = 5  # NOTE: a figure this much older than the newest for its entity is "old"


# NOTE: the columns read from each value; the rest come from its entity, metric or source
_VALUE_FIELDS = ("entity", "metric", "as_of", "year", "value", "low", "high", "qualifier", "status", "condition",
                 "uncertain", "caption", "scope", "source", "via", "locator", "quote", "note", "from_series", "line")


def build_frame(entities: Iterable[LoadedEntity], sources: dict[str, Source],
                metrics: dict[str, Metric], families: dict[str, Family],
                scopes: dict[str, Scope] | None = None) -> pd.DataFrame:
    """Build the tidy frame from validated entities (one row per value or series year).

    Built by column: each value contributes only its own fields; what belongs to its entity, its
    metric or its source is filled in by one vectorised lookup per column (every field by name,
    so source and via can never be swapped silently).
    """
    cols: dict[str, list] = {name: [] for name in _VALUE_FIELDS}
    about: dict[str, _About] = {}
    for ent in entities:
        eid = ent.header.id
        about[eid] = _About(ent.header.name, ent.header.kind, ent.file)
        for metric_id, v, line in ent.values:
            _append_value(cols, eid, metric_id, v, line)
        for metric_id, s, lines in ent.series:
            _append_series(cols, eid, metric_id, s, lines)
    if not cols["entity"]:
        return pd.DataFrame(columns=COLUMNS)
    # NOTE: the rows are put in order (a stable sort on entity, metric and year, so rows of one
    # entity, metric and year keep their file order, the default rule's last tie-break) before
    # any column is made: each column is then made once, in order, and no text is moved again.
    entity_codes = pd.factorize(np.array(cols["entity"], dtype=object), sort=True)[0]
    metric_order = [metrics[m].order for m in cols["metric"]]
    order = np.lexsort((np.array(cols["year"]), np.array(metric_order), entity_codes))
    frame = pd.DataFrame({name: _column(values, order, text=name in _TEXT_FIELDS, shared=name in LONG_TEXT)
                          for name, values in cols.items()})
    frame.insert(2, "metric_order", _column(metric_order, order, text=False))
    frame = _add_provenance(frame, about, metrics, sources, families, scopes or {})
    frame["is_default"] = _default_flags(frame)
    # NOTE: a copy that shares no block with the intermediate frames (copy-on-write would
    # otherwise treat the app's read-only frame as shared and copy on write instead of refusing)
    return frame[COLUMNS].copy()


_TEXT_FIELDS = {"entity", "metric", "as_of", "qualifier", "status", "condition", "caption", "scope", "source", "via",
                "locator", "quote", "note"}


def _column(values: list, order: np.ndarray, *, text: bool, shared: bool = False) -> pd.Series:
    """``values`` taken in ``order``, typed as pandas would type the list. A text column is
    made from its distinct values: a series' locator, repeated on each of its years, is encoded
    once, not once per row (which grew faster than the data); with ``shared`` (``LONG_TEXT``) it
    stays a categorical column, each text held once."""
    if text:
        codes, distinct = pd.factorize(np.array(values, dtype=object))
        if len(distinct) and all(isinstance(d, str) for d in distinct):
            if shared:
                return _shared_text(list(distinct), codes[order])
            return _text_by_code(list(distinct), codes[order])
    return pd.Series(values).take(order).reset_index(drop=True)


def _text_by_code(distinct: list[str | None], codes: np.ndarray) -> pd.Series:
    """The text column ``distinct[code]`` per row; code -1 (or a None) is missing."""
    # NOTE: from the system allocator, not pyarrow's default (mimalloc), which hands memory back
    # and faults it in again: at 10x the data the frame build's kernel time was 1.3-1.6 s with it,
    # 0.65-0.7 s without (getrusage, three loads each), against ~0.1 s at 1x
    pool = pa.system_memory_pool()
    taken = pc.take(pa.array(distinct, type=pa.large_string(), memory_pool=pool),
                    pa.array(codes, mask=codes < 0, memory_pool=pool), memory_pool=pool)
    return pd.Series(pd.array(taken, dtype=pd.StringDtype(na_value=np.nan)))


def _append_value(cols: dict[str, list], eid: str, metric_id: str, v: Value, line: int) -> None:
    reported = v.status == "reported"
    for name, item in (("entity", eid), ("metric", metric_id), ("as_of", v.as_of), ("year", int(v.as_of[:4])),
                       ("value", v.value), ("low", v.low), ("high", v.high),
                       ("qualifier", v.qualifier if reported else None), ("status", v.status),
                       ("condition", v.condition), ("uncertain", v.uncertain), ("caption", v.caption),
                       ("scope", ",".join(v.scope) or None),
                       ("source", v.source), ("via", v.via), ("locator", v.locator), ("quote", v.quote),
                       ("note", v.note), ("from_series", False), ("line", line)):
        cols[name].append(item)


def _append_series(cols: dict[str, list], eid: str, metric_id: str, s: Series, lines: dict[int, int]) -> None:
    """The rows of one series: the series' own fields repeated, each year's fields read once."""
    years, values, qualifiers, statuses, uncertain, notes = [], [], [], [], [], []
    series_note = s.note or None
    for year, point in s.values.items():
        years.append(year)
        if isinstance(point, (int, float)):
            values.append(point)
            qualifiers.append(s.qualifier)
            statuses.append("reported")
            uncertain.append(False)
            notes.append(series_note)
        else:
            values.append(point.value)
            statuses.append(point.status)
            qualifiers.append((point.qualifier or s.qualifier) if point.status == "reported" else None)
            uncertain.append(point.uncertain)
            notes.append("; ".join(n for n in (s.note, point.note) if n) or None)
    n = len(years)
    for name, same in (("entity", eid), ("metric", metric_id), ("low", None), ("high", None),
                       ("condition", None), ("caption", None), ("scope", ",".join(s.scope) or None),
                       ("source", s.source), ("via", s.via),
                       ("locator", s.locator), ("quote", None), ("from_series", True)):
        cols[name].extend([same] * n)
    for name, column in (("as_of", [str(y) for y in years]), ("year", years), ("value", values),
                         ("qualifier", qualifiers), ("status", statuses), ("uncertain", uncertain),
                         ("note", notes), ("line", [lines[y] for y in years])):
        cols[name].extend(column)


class _About(NamedTuple):
    """What a row takes from its entity."""

    name: str
    kind: str
    file: str


def _add_provenance(frame: pd.DataFrame, entities: dict[str, _About], metrics: dict[str, Metric],
                    sources: dict[str, Source], families: dict[str, Family],
                    scopes: dict[str, Scope]) -> pd.DataFrame:
    entity_fields = _lookup(frame["entity"], entities, {"entity_name": "name", "entity_kind": "kind", "file": "file"})
    metric_fields = _lookup(frame["metric"], metrics, {
        "metric_label": "label", "family": "family", "unit": "unit", "metric_caveat": "caveat",
        "metric_definition": "definition", "metric_part_of": "part_of"})
    source_fields = _lookup(frame["source"], sources, {
        "source_short": "attribution_short", "source_title": "title", "source_tier": "tier",
        "source_citation": "citation_full", "source_edition": "edition", "source_database": "database",
        "source_published": "date_published",
        "source_accessed": "date_accessed"})
    via_fields = _lookup(frame["via"], sources, {
        "via_short": "attribution_short", "via_citation": "citation_full", "via_published": "date_published"})
    frame = frame.assign(**entity_fields, **metric_fields, **source_fields, **via_fields)
    frame["family_label"] = frame["family"].map({f: fam.label for f, fam in families.items()}).fillna(frame["family"])
    frame["scope_label"] = frame["scope"].map(
        {ids: scope_label(ids, scopes) for ids in frame["scope"].dropna().unique()})
    for col in ("value", "low", "high"):
        frame[col] = frame[col].astype("float64")
    return frame


def scope_label(ids: str, scopes: dict[str, Scope]) -> str:
    """'army_only,includes_stored' -> 'army only, includes stored' (the catalogue's labels)."""
    return ", ".join(scopes[i].label if i in scopes else i for i in ids.split(","))


# NOTE: long texts repeated on thousands of rows (a citation or a definition from the registry or
# the catalogue, a series' note on each of its years) are stored once each, as categories, not
# copied into every row (a text column holds one copy per row: 0.6 GB at 10x the data). Read
# them as text (``str(x)``, ``==``, ``.dropna()``, ``isinstance(x, str)``); a fill
# (``fillna("")``) needs ``.astype(object)`` first, as a category refuses a new value.
LONG_TEXT = ("metric_definition", "metric_caveat", "source_title", "source_citation", "via_citation", "note")


def _shared_text(found: list[str | None], codes: np.ndarray) -> pd.Series:
    """``found[code]`` per row as a categorical column (code -1 or a None: missing)."""
    distinct = list(dict.fromkeys(f for f in found if f is not None))
    position = {text: i for i, text in enumerate(distinct)}
    remap = np.array([position[f] if f is not None else -1 for f in found] + [-1])
    return pd.Series(pd.Categorical.from_codes(remap[codes], categories=pd.Index(distinct, dtype=object)))


def _lookup(key: pd.Series, table: dict, fields: dict[str, str]) -> dict[str, pd.Series]:
    """Columns ``name: table[key].field`` for each row: the key column is factorised once and each
    field taken by position (no dict per field and row; a key not in ``table`` gives None)."""
    codes, uniques = pd.factorize(key)
    out = {}
    for name, field in fields.items():
        found = [getattr(table[u], field) if u in table else None for u in uniques]
        if name in LONG_TEXT:
            out[name] = _shared_text(found, codes).set_axis(key.index)
        elif any(isinstance(f, str) for f in found) and all(f is None or isinstance(f, str) for f in found):
            out[name] = _text_by_code(found, codes).set_axis(key.index)
        else:
            # NOTE: the extra last item is what code -1 (a missing key, such as no via) takes
            out[name] = pd.Series(np.array(found + [None], dtype=object)[codes], index=key.index).infer_objects()
    return out


def _rank_keys(frame: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """The sort keys of the default rule (module docstring), one column per step."""
    reported = frame["status"] == "reported"
    newest = frame["year"].where(reported).groupby([frame[g] for g in groups]).transform("max")
    return frame.assign(
        _status=(~reported).astype(int),
        _old=(reported & (frame["year"] < newest - RECENT_YEARS)).astype(int),
        _scope=frame["scope"].notna().astype(int),
        _tier=frame["source_tier"].map(TIER_ORDER).fillna(len(TIER_ORDER)),
        # NOTE: each qualifier's rank, a range's and a row's without a figure: forcedata/figure.py
        _precision=precision_ranks(frame["qualifier"], ranges=reported & frame["value"].isna()),
        _digits=_digits_of(frame["value"]),
        _published=frame["via_published"].fillna(frame["source_published"]).fillna(""),
        _order=range(len(frame)),
    )


RULE = ["_status", "_old", "_scope", "_tier", "year", "_precision", "_digits", "_published", "_order"]
RULE_ASCENDING = [True, True, True, True, False, True, False, False, True]

# NOTE: the rule in words for readers (the sources page), a step per group of RULE's keys, kept
# beside RULE: tests/test_default_rule.py fails when a key of RULE has no step here
RULE_FOR_READERS = (
    (("_status",), '**Latest available**: a reported figure comes before "not known". An older figure '
                   'is drawn with its year and "no *source* figure since *year*", not replaced by a '
                   'newer "not known".'),
    (("_old",), f"**Recent**: a figure more than {RECENT_YEARS} years older than the newest reported one "
                "for the same country and measure comes after every recent one."),
    (("_scope",), "**Counted as defined**: a figure counted as the measure's definition says comes before "
                  "one whose count differs (army only, includes stored, all tank types), whatever its "
                  "source: comparable before complete. A figure that differs is drawn with its scope."),
    (("_tier",), "**Tier before precision**: official figures, then reference works (IISS, SIPRI, …), "
                 'then alternative indices, then aggregators; so IISS\'s "> 6,000" comes before an '
                 "index's exact count."),
    (("year",), "**Newest year.**"),
    (("_precision", "_digits"), "**Most precise**: exact, then estimate, then about, then open-ended "
                                "bounds (at least, more than, up to), then ranges; among equals, the "
                                'figure with more significant digits (1,475,750 before "about 1.5 million").'),
    (("_published",), "**Most recently published** report."),
    (("_order",), "**Order in the data file.**"),
)
LIKE_FOR_LIKE_FOR_READERS = (
    "A chart first compares like with like: when one edition of one source has a recent figure for "
    "every country or actor drawn, that edition is used for all of them (counted as defined first). "
    "When sources must be mixed, the subtitle says so and each bar carries a source mark (a, b, …) "
    "keyed in the footnote; a figure whose count differs from the definition carries its scope "
    "(\"Air Force only\"). Every other report stays listed beside the one drawn."
)
ONE_SOURCE_FOR_READERS = (
    "\"One source for all\" draws each measure from a single source edition, the one that covers most "
    "of the countries compared, so that every bar of a panel is counted the same way; a country that "
    "edition does not cover is written \"not in\" that source rather than filled from another."
)
BASES = ("best", "one")  # best available per entity; one source for all


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


def default_values(frame: pd.DataFrame, entities: list[str], metrics: list[str] | None = None,
                   basis: str = "best") -> pd.DataFrame:
    """The row per (entity, metric) a chart of ``entities`` draws, in metric then entity order.

    Like for like first: for each metric, if one source edition has a recent reported figure for
    every selected entity that has any, those rows are used for all (figures counted as defined
    first, then highest tier, then newest edition). Otherwise each entity's default row is used
    and the metric's rows get ``source_mixed`` True, so a chart marks each bar with its source.
    ``scope_mixed`` is True where the drawn figures of a metric are not all counted the same way.
    ``since_note`` says when a newer "not known" exists ("no SIPRI figure since 2021").

    With ``basis="one"`` (one source for all), each family's rows all come from the one source
    edition with reported figures for most (entity, metric) pairs of the family (ties: fewer
    figures with a scope, tier, newest edition): one edition per chart. An entity or metric
    without a figure in it has no row, and ``basis_source`` names the edition on every row (None
    with the default ``"best"``).
    """
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}: expected one of {', '.join(BASES)}")
    if basis == "best":
        return _default_best(frame, entities, metrics)
    rows = frame[frame["entity"].isin(entities)]
    if metrics is not None:
        rows = rows[rows["metric"].isin(metrics)]
    picked = [_pick_one_source(group) for _, group in rows.groupby("family", sort=False)]
    picked = [p for p in picked if len(p)]
    out = (pd.concat(picked) if picked
           else rows.iloc[0:0].assign(source_mixed=False, scope_mixed=False, since_note=None, basis_source=None))
    return _in_chart_order(out, entities)


def records(rows: pd.DataFrame, columns: Iterable[str] | None = None) -> list[dict]:
    """``rows.to_dict("records")`` (of ``columns`` only, when given), the same values and types.

    NOTE: a comparison's views read their few dozen rows as plain records many times; pandas'
    to_dict and itertuples select every column of the wide frame row by row, which was a large
    share of drawing a new comparison (P2n). One object array of the rows is several times faster.
    """
    frame = rows if columns is None else rows[[c for c in columns if c in rows]]
    cols = list(frame.columns)
    return [dict(zip(cols, values)) for values in frame.to_numpy(dtype=object).tolist()]


def _in_chart_order(out: pd.DataFrame, entities: list[str]) -> pd.DataFrame:
    order = {e: i for i, e in enumerate(entities)}
    return out.assign(_e=out["entity"].map(order)).sort_values(["metric_order", "_e"]).drop(columns="_e")


# --- the default pick as a lookup ------------------------------------------------------------------
# NOTE: every key of the default rule depends only on a row and the other rows of its entity and
# metric, never on the selection: the rule's order is computed once per frame (``_picks``), and a
# selection's default rows are a few small group-bys over its own rows, not a sort of every row
# per metric (P2n in benchmarks/ measures a new comparison; tests/test_default_rule.py guards
# every step; the old per-metric code gave identical rows for 378 random selections).


class _Picks(NamedTuple):
    """The default rule precomputed over one frame, by row position."""

    keys: dict[str, np.ndarray]  # entity, metric, source, live (reported and recent), scoped, tier, pub, rank
    since: np.ndarray  # since_note of each row (None: no newer "not known" from its source)
    by_entity: dict[str, np.ndarray]  # entity -> positions of its rows


_PICKS: dict[int, tuple[pd.DataFrame, _Picks]] = {}
_PICKS_LOCK = threading.Lock()
_PICKS_KEPT = 4  # NOTE: frames whose picks are kept (the app holds one or two datasets at a time)


def _picks(frame: pd.DataFrame) -> _Picks:
    """The precomputed default rule of ``frame``, made once per frame object (kept while it lives
    in the small table above; a frame must not be changed in place after use, as the app's
    read-only frame cannot be)."""
    with _PICKS_LOCK:
        found = _PICKS.get(id(frame))
        if found is not None and found[0] is frame:
            return found[1]
    picks = _build_picks(frame)
    with _PICKS_LOCK:
        _PICKS[id(frame)] = (frame, picks)
        while len(_PICKS) > _PICKS_KEPT:
            del _PICKS[next(iter(_PICKS))]
    return picks


def _build_picks(frame: pd.DataFrame) -> _Picks:
    ranked = _rank_keys(frame.reset_index(drop=True), ["entity", "metric"])
    order = ranked[["entity", "metric", *RULE]].sort_values(
        ["entity", "metric", *RULE], ascending=[True, True, *RULE_ASCENDING], kind="stable").index.to_numpy()
    rank = np.empty(len(frame), dtype=np.int64)
    rank[order] = np.arange(len(frame))
    source_pub = ranked["source_published"].astype(object)
    pub_order = {p: i for i, p in enumerate(sorted(set(source_pub.dropna()) | {None}, key=_neg))}
    entity = ranked["entity"].to_numpy(dtype=object)
    reported = (ranked["status"] == "reported").to_numpy()
    keys = {
        "entity": entity, "metric": ranked["metric"].to_numpy(dtype=object),
        "source": ranked["source"].to_numpy(dtype=object),
        "live": reported & (ranked["_old"] == 0).to_numpy(), "scoped": ranked["_scope"].to_numpy(),
        "tier": ranked["_tier"].to_numpy(dtype=float),
        "pub": source_pub.map(lambda p: pub_order[p if isinstance(p, str) else None]).to_numpy(dtype=np.int64),
        "rank": rank,
    }
    newest_unknown = (ranked[ranked["status"] == "not_known"].groupby(["entity", "metric", "source"])["year"].max())
    key = pd.MultiIndex.from_arrays([ranked["entity"], ranked["metric"], ranked["source"]])
    later = newest_unknown.reindex(key).to_numpy()
    years = ranked["year"].to_numpy()
    shorts = ranked["source_short"].astype(object).to_numpy()
    since = np.array([f"no {shorts[i]} figure since {years[i]}" if reported[i] and later[i] > years[i] else None
                      for i in range(len(frame))], dtype=object) if len(frame) else np.array([], dtype=object)
    by_entity = {e: np.flatnonzero(entity == e) for e in pd.unique(entity)}
    return _Picks(keys, since, by_entity)


def _default_best(frame: pd.DataFrame, entities: list[str], metrics: list[str] | None) -> pd.DataFrame:
    """``default_values`` with ``basis="best"``, as lookups over ``_picks``.

    NOTE: a selection has a few hundred rows: plain loops over them cost less than the pandas
    group-bys they replace (P2n); tests/test_default_rule.py checks the rows against the rule
    written as per-metric group-bys for random selections.
    """
    picks = _picks(frame)
    found = [picks.by_entity[e] for e in dict.fromkeys(entities) if e in picks.by_entity]
    pos = np.concatenate(found) if found else np.array([], dtype=np.int64)
    keys = picks.keys
    if metrics is not None and len(pos):
        pos = pos[np.isin(keys["metric"][pos], np.array(list(metrics), dtype=object))]
    if not len(pos):
        return frame.iloc[0:0].assign(source_mixed=False, scope_mixed=False, since_note=None, basis_source=None)
    ent, met, src, live, scoped, tier, pub, rank = (
        keys[name][pos].tolist() for name in ("entity", "metric", "source", "live", "scoped", "tier", "pub", "rank"))
    positions = pos.tolist()
    own: dict[tuple[str, str], tuple[int, int]] = {}  # (metric, entity) -> (rank, position): its own default
    best: dict[tuple[str, str, str], tuple[int, int]] = {}  # (metric, source, entity) -> (rank, i), recent only
    for i, position in enumerate(positions):
        key = (met[i], ent[i])
        if key not in own or rank[i] < own[key][0]:
            own[key] = (rank[i], position)
        if live[i]:
            edition = (met[i], src[i], ent[i])
            if edition not in best or rank[i] < best[edition][0]:
                best[edition] = (rank[i], i)
    # like for like: per metric, the edition with a recent figure for every entity that has one
    # (more than one), counted as defined first, then tier, newest edition, source id
    with_figures: dict[str, set[str]] = {}
    cover: dict[tuple[str, str], list] = {}  # (metric, source) -> [rows i]
    for (m, s, e), (_, i) in best.items():
        with_figures.setdefault(m, set()).add(e)
        cover.setdefault((m, s), []).append(i)
    winners: dict[str, tuple[tuple, list[int]]] = {}
    for (m, s), rows in cover.items():
        if len(rows) == len(with_figures[m]) > 1:
            order = (sum(scoped[i] for i in rows), tier[rows[0]], pub[rows[0]], s)
            if m not in winners or order < winners[m][0]:
                winners[m] = (order, rows)
    for m, (_, rows) in winners.items():
        for i in rows:
            own[(m, ent[i])] = (rank[i], positions[i])
    chosen = np.fromiter((p for _, p in own.values()), dtype=np.int64, count=len(own))
    chosen.sort()
    out = frame.iloc[chosen]
    sources: dict[str, set] = {}
    scopes: dict[str, set] = {}
    for m, status, source, scope in zip(out["metric"].tolist(), out["status"].tolist(), out["source"].tolist(),
                                        out["scope"].astype(object).tolist()):
        if status == "reported":  # NOTE: as nunique: a missing source is not one; a missing scope is ""
            sources.setdefault(m, set()).update([source] if isinstance(source, str) else [])
            scopes.setdefault(m, set()).add(scope if isinstance(scope, str) else "")
    metric = out["metric"].tolist()
    out = out.assign(
        source_mixed=np.array([len(sources.get(m, ())) > 1 for m in metric], dtype=bool),
        scope_mixed=np.array([len(scopes.get(m, ())) > 1 for m in metric], dtype=bool),
        since_note=pd.Series(picks.since[chosen], index=out.index, dtype=object), basis_source=None)
    return _in_chart_order(out, list(entities))


def _finish(chosen: pd.DataFrame, rows: pd.DataFrame, *, basis_source: str | None) -> pd.DataFrame:
    """The picked rows of one metric with what a chart says about them."""
    drawn = chosen[chosen["status"] == "reported"]
    chosen = chosen.assign(
        source_mixed=drawn["source"].nunique() > 1,
        scope_mixed=drawn["scope"].astype(object).fillna("").nunique() > 1,
        since_note=[_since_note(rows, r) for r in chosen.itertuples()],
        basis_source=basis_source,
    )
    return chosen.drop(columns=[c for c in chosen.columns if c.startswith("_")])


def _pick_one_source(rows: pd.DataFrame) -> pd.DataFrame:
    """One source for all: the rows of one family from the single source edition with reported
    figures for most (entity, metric) pairs (ties: fewer with a scope, tier, newest edition)."""
    ranked = _rank_keys(rows, ["entity", "metric"])
    reported = ranked[ranked["status"] == "reported"]
    if reported.empty:
        return _finish(ranked.iloc[0:0], rows, basis_source=None)
    candidates = []
    for source, group in reported.groupby("source", sort=False):
        best = group.sort_values(RULE, ascending=RULE_ASCENDING, kind="stable").drop_duplicates(["entity", "metric"])
        first = group.iloc[0]
        candidates.append((-len(best), int(best["_scope"].sum()), first["_tier"],
                           _neg(first["source_published"]), source, best))
    chosen = min(candidates, key=lambda c: c[:5])
    source, best = chosen[4], chosen[5]
    return pd.concat([_finish(group, rows[rows["metric"] == metric], basis_source=source)
                      for metric, group in best.groupby("metric", sort=False)])


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
