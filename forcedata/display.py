"""How values read in labels, tables and footnotes: "> 6,000", "≥ 6 †", "0 — no fighter jets".

A qualifier's marks, words and arithmetic are forcedata/figure.py's; this module composes them
with the numbers, conditions, captions and scopes into what a reader sees.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Mapping

import pandas as pd

from forcedata import figure
from forcedata.frame import records

CONDITION_WORDS = {
    "unknown": "condition unknown", "doubtful": "serviceability in doubt", "in_store": "in store",
}
TIER_WORDS = {"official": "official", "reference": "reference work", "alternative": "alternative index",
              "aggregator": "page naming no source"}
STATUS_LABEL = {"not_known": "not known", "not_applicable": "not applicable"}
NOT_REPORTED = "not reported"
DAGGER = "†"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def format_number(x: float, unit: str = "") -> str:
    """Thousands separators; decimals only where the number has them (2.7 % of GDP)."""
    if unit.startswith("%"):
        return f"{x:.1f} %"
    if float(x).is_integer() or abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def format_stored(x: float) -> str:
    """A number exactly as stored, never rounded, with thousands separators: 660,000; 10,165.95
    (change reports, where a reviewer must see every digit that changed)."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{Decimal(repr(float(x))):,f}"


def value_label(row: Mapping, *, exact: bool = False, scope: bool = True) -> str:
    """The label drawn next to a bar: qualifier mark, number, condition mark, caption and scope
    ("261 · Air Force only"; without ``scope`` when the scope is said once for several values).

    With ``exact``, numbers are written as stored (``format_stored``) instead of rounded for
    display: the same marks and words, for change reports (diff, importers).
    """
    status = _get(row, "status")
    if status in STATUS_LABEL:
        return STATUS_LABEL[status]
    unit = _get(row, "unit") or ""

    def number(x: float) -> str:
        return format_stored(x) if exact else format_number(x, unit)

    spec = figure.qualifier(_get(row, "qualifier"))
    value, low, high = (_num(row.get(k)) for k in ("value", "low", "high"))
    if value is None and low is not None and high is not None:
        text = f"{number(low)}{figure.RANGE_DASH}{number(high)}"
    elif value is None:
        return NOT_REPORTED
    else:
        text = spec.mark + number(value)
    text += _suffix(row, spec)
    if _get(row, "uncertain"):
        text += " (highly uncertain)"
    if _get(row, "condition"):
        text += f" {DAGGER}"
    if _get(row, "caption"):
        text += " — " + str(_get(row, "caption"))
    if scope and _get(row, "scope_label"):
        text += SCOPE_SEP + str(_get(row, "scope_label"))
    return text


STORED_FIELDS = ("value", "low", "high", "qualifier", "status", "condition", "uncertain")


def stored_label(value: Mapping) -> str:
    """A value as a data file holds it, every stored digit kept, for change reports (the
    importers', the scaffold's), which describe values before they are validated: a qualifier
    the schema does not know is written out as the file has it, for validation to name."""
    fields = {k: value.get(k) for k in STORED_FIELDS}
    try:
        return value_label(fields, exact=True)
    except figure.UnknownQualifier as err:
        return value_label({**fields, "qualifier": None}, exact=True) + f" (unknown qualifier {err.qualifier!r})"


def _suffix(row: Mapping, spec: figure.QualifierSpec) -> str:
    """The mark after a figure: its qualifier's (" est."), or the estimate's where the source flags
    the figure as highly uncertain."""
    return figure.qualifier(figure.UNCERTAIN_READS_AS).suffix if _get(row, "uncertain") else spec.suffix


def marked_estimate(row: Mapping) -> bool:
    """Whether ``value_label`` marks the figure as an estimate (" est."): charts hatch its bar."""
    return bool(_suffix(row, figure.qualifier(_get(row, "qualifier"))))


SCOPE_SEP = " · "  # NOTE: "261 · Air Force only": the scope travels with the value wherever it is written


def scope_line(rows: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """'Counted differently from the definition: main battle tanks: all tank types (United
    States, China); artillery pieces: army only (Russia).' for the drawn rows whose count has a
    scope, grouped by measure and scope; "" when none has."""
    if "scope_label" not in rows:
        return ""
    scoped = rows[(rows["status"] == "reported") & rows["scope_label"].notna()]
    groups: dict[tuple[str, str], list[str]] = {}
    for r in records(scoped, ["metric_label", "scope_label", "entity", "entity_name"]):
        who = groups.setdefault((str(r["metric_label"]).lower(), str(r["scope_label"])), [])
        name = (names or {}).get(r["entity"], r["entity_name"])
        if name not in who:
            who.append(name)
    parts = [f"{metric}: {scope} ({', '.join(who)})" for (metric, scope), who in groups.items()]
    return ("Counted differently from the definition: " + "; ".join(parts) + ".") if parts else ""


def headline_parts(rows: pd.DataFrame, metric: str, ids: list[str], parts: Mapping[str, str],
                   labels: Mapping[str, str]) -> list[str]:
    """One text per entity for a headline card of ``metric``.

    Where an entity has no figure for the metric but one for a narrower metric that is part of
    it (fighters for combat-capable aircraft), the card says "not reported" and gives that
    figure with its own label ("not reported (fighter aircraft: 0 — no fighter jets)"); it is
    never passed off as the wider count.

    Args:
        rows: the default rows of the selection.
        metric: the headline metric id.
        ids: the entities, in card order.
        parts: narrower metric id -> the metric it is part of.
        labels: metric id -> label.
    """
    every = records(rows)
    wanted = set(ids)
    shown = [r for r in every if r["entity"] in wanted and r["metric"] == metric and r["status"] == "reported"]
    years = [r["year"] for r in shown if _get(r, "year") is not None]
    newest = max(years) if years else None
    # NOTE: a scope every figure of the card shares is said once, in the card's basis line
    scopes = {r.get("scope_label") for r in shown}
    shared_scope = len(shown) > 1 and len(scopes) == 1 and isinstance(next(iter(scopes)), str)
    out = []
    for e in ids:
        own = next((r for r in every if r["entity"] == e and r["metric"] == metric), None)
        narrower = [r for r in every if r["entity"] == e and parts.get(r["metric"]) == metric]
        if own is not None:
            older = own["status"] == "reported" and newest is not None and own["year"] < newest
            out.append(value_label(own, scope=not shared_scope) + (f" ({own['year']})" if older else ""))
        elif narrower:
            # NOTE: a narrower count never stands in for the wider one: "not reported" first
            first = min(narrower, key=lambda r: r["metric_order"])
            out.append(f"{NOT_REPORTED} ({labels[first['metric']].lower()}: {value_label(first)})")
        else:
            out.append(NOT_REPORTED)
    return out


def _shared(rows: pd.DataFrame, column: str) -> str | None:
    """The one value every row has in ``column`` (None when they differ or it is missing)."""
    values = rows[column].astype(object).dropna().unique() if column in rows else []
    return str(values[0]) if len(values) == 1 and rows[column].notna().all() else None


def headline_basis(rows: pd.DataFrame, metric: str, ids: list[str]) -> str:
    """What a like-for-like headline card's figures are, said once: 'FlightGlobal, World Air
    Forces 2020 · as of 2019 · excludes armed trainers'; "" when the card has no figure.

    Only meaningful when ``unlike_values`` is "" (one source, one year, one scope)."""
    shown = rows[rows["entity"].isin(ids) & (rows["metric"] == metric) & (rows["status"] == "reported")]
    if shown.empty:
        return ""
    first = shown.iloc[0]
    parts = [source_label(str(first["source_short"]), str(first["source_title"])), f"as of {int(first['year'])}"]
    scope = _shared(shown, "scope_label") if len(shown) > 1 else None
    return " · ".join(parts + ([scope] if scope else []))


def unlike_values(rows: pd.DataFrame, metric: str, ids: list[str], parts: Mapping[str, str]) -> str:
    """Why the figures of a headline card are not comparable, in words for the card ("different
    sources and years: see the chart"), or "" when every entity with a figure has one from the
    same source edition, year and scope (the like-for-like case: a ratio may be computed).

    Args:
        rows: the default rows of the selection.
        metric: the headline metric id.
        ids: the entities of the card.
        parts: narrower metric id -> the metric it is part of (a narrower figure standing in
            for an entity is "a different measure").
    """
    wanted = set(ids)
    every = records(rows, ["entity", "metric", "status", "source", "year", "scope"])
    own = [r for r in every if r["entity"] in wanted and r["metric"] == metric and r["status"] == "reported"]
    reasons = []
    # NOTE: as pandas' nunique: a missing source or year is not a value; a missing scope is ""
    if len({r["source"] for r in own if _get(r, "source") is not None}) > 1:
        reasons.append("sources")
    if len({r["year"] for r in own if _get(r, "year") is not None}) > 1:
        reasons.append("years")
    if "scope" in rows and len({r["scope"] if isinstance(r["scope"], str) else "" for r in own}) > 1:
        reasons.append("counting rules")
    present = {r["entity"] for r in every if r["metric"] == metric}
    narrower = {r["entity"] for r in every if parts.get(r["metric"]) == metric}
    if any(e not in present and e in narrower for e in ids):
        reasons.append("measures")
    if not reasons:
        return ""
    listed = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
    return f"different {listed}: see the chart"


def qualifier_text(row: Mapping) -> str:
    """Qualifier and condition in words, for hovers and tables."""
    if _get(row, "status") in STATUS_LABEL:
        return STATUS_LABEL[_get(row, "status")]
    parts = [figure.qualifier(_get(row, "qualifier")).words]
    if _get(row, "uncertain"):
        parts.append("highly uncertain")
    if _get(row, "condition"):
        parts.append(CONDITION_WORDS[_get(row, "condition")])
    return ", ".join(p for p in parts if p)


def format_date(text: str | None) -> str:
    """'2025-10' -> 'Oct 2025'; '2025-06-17' -> '17 Jun 2025'; '2025' stays."""
    if not text or not isinstance(text, str):
        return ""
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def source_label(short: str, title: str) -> str:
    """'IISS, The Military Balance 2025'; the title alone when it already names the producer."""
    return title if short in title else f"{short}, {title}"


def source_marks(rows: pd.DataFrame) -> dict[str, str]:
    """Source id -> letter (a, b, ...) for a chart whose rows mix sources within a metric; {}
    when every metric is drawn like for like (one source edition for all entities)."""
    if "source_mixed" not in rows or not rows["source_mixed"].fillna(False).astype(bool).any():
        return {}
    drawn = rows.loc[rows["status"] == "reported", "source"]
    return {src: chr(ord("a") + i) for i, src in enumerate(dict.fromkeys(drawn))}


def sources_line(rows: pd.DataFrame) -> str:
    """'Sources: IISS, The Military Balance 2025 (via Reuters, Oct 2025; Arab News, 2025); ...'

    Where the chart mixes sources within a metric, each source is keyed by its mark:
    'Sources: (a) IISS, ...; (b) Global Firepower 2025 (alternative index)'.

    Args:
        rows: frame rows actually drawn (provenance columns of the tidy frame).
    """
    marks = source_marks(rows)
    columns = ["source", "source_short", "source_title", "source_tier", "via", "via_short", "via_published"]
    by_source: dict[str, tuple[dict, dict[str, str]]] = {}
    for r in records(rows, columns):
        if not isinstance(r["source"], str):
            continue
        _, vias = by_source.setdefault(r["source"], (r, {}))
        if isinstance(r.get("via"), str) and r["via"] not in vias:
            vias[r["via"]] = f"{r['via_short']}, {format_date(r['via_published'])}"
    parts = []
    for source, (first, vias) in by_source.items():
        label = source_label(first["source_short"], first["source_title"])
        if first.get("source_tier") in ("alternative", "aggregator"):
            label += f" ({TIER_WORDS[first['source_tier']]})"
        if source in marks:
            label = f"({marks[source]}) {label}"
        parts.append(f"{label} (via {'; '.join(vias.values())})" if vias else label)
    return "Sources: " + "; ".join(parts) + "." if parts else ""


def qualifier_legend(rows: pd.DataFrame) -> str:
    """A legend of only the marks that appear among ``rows``."""
    # NOTE: a range is written "4,000–5,000" whatever its qualifier: a mark before the number
    # appears on single numbers only, a mark after it (" est.") on ranges too.
    on_numbers = {figure.qualifier(q).id for q in rows.loc[rows["value"].notna(), "qualifier"].dropna().unique()}
    on_any = {figure.qualifier(q).id for q in rows["qualifier"].dropna().unique()}
    if rows["uncertain"].any():
        on_any.add(figure.UNCERTAIN_READS_AS)
    marks = [s.legend for s in figure.QUALIFIERS.values()
             if s.legend and (s.id in on_numbers or (s.suffix and s.id in on_any))]
    if rows["condition"].notna().any():
        marks.append(f"{DAGGER} serviceability in doubt or unknown")
    if rows["low"].notna().any():
        marks.append(figure.RANGE_LEGEND)
    return " · ".join(marks)


def _get(row: Mapping, key: str) -> object:
    """row[key], with pandas' missing markers (NaN, None) read as None."""
    x = row.get(key)
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def _num(x: object) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def _ratio(a: Mapping, b: Mapping) -> tuple[str, str, str] | None:
    """(mark, words, number) of the ratio a/b: ('>', 'more than ', '6.0') where a bound makes it
    one-sided; None where no honest ratio exists (a figure missing, a range or 0, both one-sided
    the same way, or figures of different years: 2024 spending over 2021 spending is no ratio)."""
    ya, yb = _get(a, "year"), _get(b, "year")
    if ya is not None and yb is not None and ya != yb:
        return None
    if _num(_get(a, "value")) is None or _num(_get(b, "value")) is None:
        return None
    ia, ib = figure.interval(a), figure.interval(b)
    ratio = ia.over(ib) if ia is not None and ib is not None else None
    row = ratio.as_row() if ratio is not None else None
    if row is None or row["value"] is None:
        return None  # e.g. "> 6,000" vs "> 4,000": the ratio could be anything
    mark, words = figure.ratio_mark(row["qualifier"])
    number = f"{row['value']:.1f}" if row["value"] < 100 else f"{row['value']:,.0f}"
    return mark, words, number


def ratio_text(a: Mapping, b: Mapping) -> str:
    """'3.8 : 1' for a/b, with '>' or '<' where a bound makes the ratio one-sided and '≈' where a
    figure is approximate; "" when no honest ratio exists (see ``_ratio``)."""
    ratio = _ratio(a, b)
    return f"{ratio[0]} {ratio[2]} : 1".strip() if ratio else ""


def nuclear_status(row: Mapping | None) -> str:
    """'Nuclear-armed: 170 warheads (est., Jan 2025)', 'Not nuclear-armed', or 'not reported'."""
    if row is None:
        return "Nuclear status not reported"
    value = _num(_get(row, "value"))
    if _get(row, "status") != "reported" or value is None:
        return "Nuclear status not known"
    if value == 0:
        return "Not nuclear-armed"
    return f"Nuclear-armed: {value_label(row)} warheads ({format_date(str(_get(row, 'as_of')))})"


def cite_text(rows: pd.DataFrame, *, title: str, data_version: str, permalink: str,
              accessed: str) -> str:
    """Ready-to-paste citation of a chart: what it shows, where, when, and every source drawn.

    Args:
        rows: frame rows drawn in the chart (provenance columns of the tidy frame).
        title: the chart's title.
        data_version: the data's version stamp.
        permalink: the link that reproduces the view.
        accessed: the date the reader looked at it, YYYY-MM-DD.

    Returns:
        Plain text: one line for the chart, then one line per source with its full citation and
        the reports it was read in.
    """
    lines = [f"“{title}”. Military-balance dashboard, data version {data_version}. "
             f"{permalink} (accessed {format_date(accessed)}).", "Sources:"]
    by_source: dict[str, tuple[str, dict[str, str]]] = {}  # source -> (citation, via -> its citation)
    for r in records(rows, ["source", "source_citation", "via", "via_citation"]):
        if not isinstance(r["source"], str):
            continue
        _, vias = by_source.setdefault(r["source"], (r["source_citation"], {}))
        if isinstance(r["via"], str):
            vias.setdefault(r["via"], r["via_citation"])
    for citation, vias in by_source.values():
        line = f"- {' '.join(str(citation).split())}"
        if vias:
            line += " Read in: " + " ".join(" ".join(str(c).split()) for c in vias.values())
        lines.append(line)
    return "\n".join(lines)


# Words for a chart: its text description (alt text, SVG <desc>, the page's expander) -------

def value_words(row: Mapping | None) -> str:
    """A value as a sentence reads it: 'more than 6,000', 'at least 6 (condition unknown)',
    '40,000 to 50,000 (estimate)', 'not known'; None (no row) is 'not reported'."""
    if row is None:
        return NOT_REPORTED
    status = _get(row, "status")
    if status in STATUS_LABEL:
        return STATUS_LABEL[status]
    unit = _get(row, "unit") or ""
    value, low, high = (_num(row.get(k)) for k in ("value", "low", "high"))
    spec = figure.qualifier(_get(row, "qualifier"))
    if value is None and low is not None and high is not None:
        text = spec.say_range + format_number(low, unit) + figure.RANGE_WORD + format_number(high, unit)
    elif value is None:
        return NOT_REPORTED
    else:
        text = spec.say + format_number(value, unit)
    extras = [spec.note] if spec.note else []
    if _get(row, "uncertain"):
        extras.append("highly uncertain")
    if _get(row, "condition"):
        extras.append(CONDITION_WORDS.get(_get(row, "condition"), str(_get(row, "condition"))))
    if _get(row, "caption"):
        extras.append(str(_get(row, "caption")))
    if _get(row, "scope_label"):
        extras.append(str(_get(row, "scope_label")))
    return text + (f" ({', '.join(extras)})" if extras else "")


def ratio_sentence(a: Mapping, b: Mapping, name_a: str, name_b: str) -> str:
    """'Pakistan has 3.8 times as many as Afghanistan.', larger first, with 'more than',
    'less than' or 'about' where a qualifier bounds the ratio; "" when ``ratio_text`` finds no
    honest ratio."""
    va, vb = _num(_get(a, "value")), _num(_get(b, "value"))
    if va is None or vb is None:
        return ""
    if va < vb:
        a, b, name_a, name_b = b, a, name_b, name_a
    ratio = _ratio(a, b)
    if ratio is None:
        return ""
    words = ratio[1] + ratio[2]
    unit = str(_get(a, "unit") or "")
    if unit.startswith(("US$", "%")):
        return f"{name_a}'s figure is {words} times {name_b}'s."
    return f"{name_a} has {words} times as many as {name_b}."


def source_phrase(rows: pd.DataFrame | list[Mapping]) -> str:
    """'IISS, The Military Balance 2025, via Reuters and Arab News' for the rows' sources."""
    sources: dict[str, tuple[str, list[str]]] = {}
    for r in records(rows) if isinstance(rows, pd.DataFrame) else rows:
        if _get(r, "source") is None:
            continue
        label, vias = sources.setdefault(
            str(r["source"]), (source_label(str(r["source_short"]), str(r["source_title"])), []))
        via = _get(r, "via_short")
        if via is not None and str(via) not in vias:
            vias.append(str(via))
    parts = []
    for label, vias in sources.values():
        if vias:
            label += ", via " + (" and ".join(vias) if len(vias) < 3 else ", ".join(vias[:-1]) + " and " + vias[-1])
        parts.append(label)
    return "; ".join(parts)


def _by_metric(rows: pd.DataFrame) -> list[tuple[dict, dict[str, dict]]]:
    """(first row, entity -> row) per metric, in catalogue order (first row per entity kept)."""
    metrics: dict[str, tuple[dict, dict[str, dict]]] = {}
    for r in records(rows):
        _, values = metrics.setdefault(r["metric"], (r, {}))
        values.setdefault(r["entity"], r)
    return sorted(metrics.values(), key=lambda m: _num(_get(m[0], "metric_order")) or 0.0)


def describe_family(rows: pd.DataFrame, names: Mapping[str, str]) -> str:
    """The text description of one family's chart, written from the rows it draws.

    One sentence per metric (entities in the chart's order, every qualifier in words, "not
    reported" for an entity without a figure, the sources in brackets), and, for two entities,
    a ratio sentence only where ``ratio_text`` finds an honest one.

    Args:
        rows: the default frame rows of one family (one per entity and metric).
        names: entity id -> display name, in the chart's order.

    Returns:
        Plain text, e.g. "Personnel: Pakistan vs Afghanistan, figures as of 2025. Active
        personnel: Pakistan 660,000; Afghanistan 172,000 (IISS, The Military Balance 2025, via
        Reuters). Pakistan has 3.8 times as many as Afghanistan."
    """
    if rows.empty:
        return ""
    years = sorted({int(y) for y in rows["year"].dropna()})
    span = "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    head = f"{rows['family_label'].iloc[0]}: {' vs '.join(names.values())}"
    sentences = [head + (f", figures as of {span}." if span else ".")]
    ids = list(names)
    for metric, values in _by_metric(rows):
        as_of = {str(_get(r, "as_of")) for r in values.values() if _get(r, "as_of") is not None}
        parts = []
        for e in ids:
            row = values.get(e)
            text = f"{names[e]} {value_words(row)}"
            if row is not None and len(as_of) > 1 and _get(row, "as_of") is not None:
                text += f" (as of {format_date(str(_get(row, 'as_of')))})"
            parts.append(text)
        sentence = f"{metric['metric_label']}{_unit_words(metric['unit'])}: " + "; ".join(parts)
        sources = source_phrase([values[e] for e in ids if e in values])
        sentences.append(sentence + (f" ({sources})." if sources else "."))
        if len(ids) == 2 and all(e in values for e in ids):
            ratio = ratio_sentence(values[ids[0]], values[ids[1]], names[ids[0]], names[ids[1]])
            if ratio:
                sentences.append(ratio)
    return " ".join(sentences)


def _unit_words(unit: object) -> str:
    """', in US$ m (current)' for money and shares; nothing for counts (the label says what)."""
    return f", in {unit}" if str(unit).startswith(("US$", "%")) else ""


def chart_table(rows: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The values a chart draws as a plain table (the accessible twin of the chart): one row
    per metric and entity, 'not reported' where an entity has no figure."""
    out = []
    for metric, values in _by_metric(rows):
        for e, name in names.items():
            row = values.get(e)
            out.append({
                "Metric": f"{metric['metric_label']} ({metric['unit']})", "Entity": name,
                "Value": value_label(row) if row is not None else NOT_REPORTED,
                "Qualifier": qualifier_text(row) if row is not None else "",
                "As of": str(_get(row, "as_of") or "") if row is not None else "",
                "Source": source_phrase([row]) if row is not None else "",
            })
    return pd.DataFrame(out, columns=["Metric", "Entity", "Value", "Qualifier", "As of", "Source"])


def value_interval(row: Mapping | None) -> tuple[float, float, bool] | None:
    """What a reported figure says about the true number, as (low, high, low_open): a single
    number (exact, about, estimate) (v, v, False); "at least" (v, inf, False); "more than" (v, inf,
    True: strictly above v); "up to" (0, v, False); a range (low, high, False) whatever its
    qualifier. None for no figure (not reported, not known, not applicable).

    NOTE: ``forcedata.figure.interval`` (the one home of a qualified figure's arithmetic) as a tuple.
    """
    if row is None or _get(row, "status") != "reported":
        return None
    span = figure.interval(row)
    return None if span is None else (span.low, span.high, span.low_open)
