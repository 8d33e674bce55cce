"""Schema models for the three kinds of data file: source registry, metric catalogue, entity."""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Qualifier = Literal["exact", "about", "at_least", "more_than", "up_to", "estimate"]
Status = Literal["reported", "not_known", "not_applicable"]
Condition = Literal["unknown", "doubtful", "in_store"]
# How much a source's own counting can be checked: official statistics, reference works with a
# published method, alternative indices with their own opaque counting, and aggregator pages
# that republish figures without naming where they come from (best first).
Tier = Literal["official", "reference", "alternative", "aggregator"]

# NOTE: strict numbers: "660,000" or "lots" in quotes is an error, never silently coerced.
Number = Annotated[float, Field(strict=True, ge=0)]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
DateText = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
ENTITY_ID = re.compile(r"^([A-Z]{3}|x-[a-z0-9-]+)$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- source registry ---------------------------------------------------------------------------


class Source(Strict):
    """A publication values cite, after Our World in Data's "origins"."""

    id: SourceId
    kind: Literal["primary", "secondary"]
    tier: Tier | None = None
    producer: str
    title: str
    edition: str | None = None
    date_published: DateText
    date_accessed: DateText
    url: Annotated[str, Field(pattern=r"^https?://")]
    citation_full: str
    attribution_short: str
    terms: str
    note: str | None = None


class SourceRegistry(Strict):
    sources: list[Source]


# --- metric catalogue --------------------------------------------------------------------------


class Family(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    label: str
    order: int


class Metric(Strict):
    """One measurable quantity; its id is ``family.name``."""

    id: Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")]
    label: str
    family: str
    unit: str
    order: int
    definition: str
    caveat: str | None = None
    headline: bool = False
    part_of: str | None = None

    @model_validator(mode="after")
    def _id_in_family(self) -> Metric:
        if self.id.split(".")[0] != self.family:
            raise ValueError(f"id '{self.id}' must start with its family '{self.family}.'")
        return self


class MetricCatalogue(Strict):
    families: list[Family]
    metrics: list[Metric]


# --- entity files ------------------------------------------------------------------------------


def _as_of_text(value: object) -> object:
    """Accept a bare year (2025) as well as "2025-01"."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Value(Strict):
    """One reported figure for one metric, with its provenance."""

    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    qualifier: Qualifier = "exact"
    status: Status = "reported"
    condition: Condition | None = None
    uncertain: bool = False
    as_of: DateText
    source: SourceId
    via: SourceId | None = None
    locator: str | None = None
    quote: str | None = None
    caption: str | None = None
    note: str | None = None

    _as_of = field_validator("as_of", mode="before")(_as_of_text)

    @model_validator(mode="after")
    def _status_matches_numbers(self) -> Value:
        has_number = self.value is not None or self.low is not None or self.high is not None
        if self.status != "reported" and has_number:
            raise ValueError(f"a value with status '{self.status}' must not carry a number; "
                             "remove value/low/high or set status: reported")
        if self.status == "reported":
            if self.value is None and (self.low is None or self.high is None):
                raise ValueError("give value, or both low and high, or set status: not_known")
            if self.low is not None and self.high is not None and self.low > self.high:
                raise ValueError(f"low ({self.low:g}) is above high ({self.high:g}); swap them")
        return self


class SeriesPoint(Strict):
    """One year of a series when it needs more than a bare number."""

    value: Number | None = None
    qualifier: Qualifier | None = None
    status: Status = "reported"
    uncertain: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _status_matches_number(self) -> SeriesPoint:
        if (self.status == "reported") != (self.value is not None):
            raise ValueError("a reported year needs a value; a not_known year must have none")
        return self


Year = Annotated[int, Field(strict=True, ge=1800, le=2100)]


class Series(Strict):
    """A yearly series from one source: one provenance block, then year -> value."""

    source: SourceId
    via: SourceId | None = None
    qualifier: Qualifier = "exact"
    locator: str | None = None
    note: str | None = None
    values: dict[Year, Union[Number, SeriesPoint]]


class EntityHeader(Strict):
    """The part of an entity file that is not values."""

    id: Annotated[str, Field(pattern=ENTITY_ID.pattern)]
    name: str
    kind: Literal["state", "non_state"]
    notes: str | None = None


Observations = dict[str, dict[str, list[Value]]]
SeriesBlocks = dict[str, dict[str, list[Series]]]


class Entity(EntityHeader):
    """A whole entity file (used for the JSON Schema; loading validates it part by part)."""

    observations: Observations = {}
    series: SeriesBlocks = {}
