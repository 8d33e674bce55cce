"""Small synthetic tidy frames for unit tests: each row names only what the test is about."""

from __future__ import annotations

import pandas as pd

from forcedata.frame import COLUMNS

DEFAULTS = dict(
    entity_kind="state", family="personnel", family_label="Personnel", unit="people",
    metric_order=10, metric_caveat=None, low=None, high=None, qualifier="exact", status="reported",
    condition=None, uncertain=False, caption=None, scope=None, scope_label=None, source_tier="reference", source_edition=None,
    source_published="2025", source_accessed="2026-11-25", via=None, via_short=None,
    via_citation=None, via_published=None, locator=None, quote=None, note=None, from_series=False,
    file="forces/X.yaml", line=1, is_default=True,
)


def row(entity: str, metric: str, value: float | None, *, as_of: str = "2025", source: str = "src-a",
        **kw) -> dict:
    """One frame row; the label columns are derived from the ids unless given."""
    out = dict(DEFAULTS)
    out.update(entity=entity, entity_name=kw.pop("entity_name", entity), metric=metric,
               metric_label=kw.pop("metric_label", metric), as_of=as_of, year=int(as_of[:4]),
               value=value, source=source, source_short=kw.pop("source_short", source.upper()),
               source_title=kw.pop("source_title", f"Title {source}"),
               source_citation=kw.pop("source_citation", f"Citation of {source}."))
    if "family" not in kw:
        out["family"] = metric.split(".")[0]
    out.update(kw)
    return out


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=COLUMNS)
    for col in ("value", "low", "high"):
        out[col] = out[col].astype("float64")
    return out
