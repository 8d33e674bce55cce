"""Which registry entry an import cites: editions are data (data/sources.yaml), not code.

Each importer reads one database (``DATABASE``, e.g. "sipri-milex") of one producer
(``PRODUCER``). The registry marks each edition of a database with ``database:``. An import cites:

  1. ``--source ID`` when given: the entry must exist, be ``kind: primary``, belong to the
     importer's database and name its producer; where the release states its edition (the SIPRI
     Milex workbook: its newest data year), the entry must say the same;
  2. else the one edition of the database whose ``edition`` says what the release states (a
     release whose edition no entry states is refused: next year's data is never cited as this
     year's edition);
  3. else the database's only edition. With several, ``--source`` is required.

A series import replaces the blocks citing the database's earlier editions (published before
the one cited): SIPRI revises the whole history with each release, so the old series is not
kept beside the new one. Observations of earlier editions stay, as other reports.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Iterable

from forcedata.importers.countries import alias_key, display_name
from forcedata.importers.writer import ImportRejected, ImportResult, UnknownNames, cites_any
from forcedata.schema import Source


def editions_of(sources: dict[str, Source], database: str) -> list[Source]:
    """The registry's editions of ``database``, oldest first."""
    return sorted((s for s in sources.values() if s.database == database), key=lambda s: _date(s.date_published))


def _date(text: str) -> str:
    """A publication date as a sortable key (2025 < 2025-04 < 2025-04-28)."""
    return text.ljust(10, " ")


def resolve(kind: str, importer: ModuleType, sources: dict[str, Source], requested: str | None,
            stated: str | None) -> Source:
    """The registry entry an import of ``kind`` cites (see the module docstring).

    Raises:
        ImportRejected: with what to add to data/sources.yaml or which --source to pass.
    """
    database, producer = importer.DATABASE, importer.PRODUCER
    matches = getattr(importer, "edition_matches", None)
    editions = editions_of(sources, database)
    listed = ", ".join(f"{s.id} (edition {s.edition!r})" for s in editions) or "none"
    if requested is not None:
        source = sources.get(requested)
        if source is None:
            raise ImportRejected(f"--source {requested!r} is not in data/sources.yaml; add the new edition's "
                                 f"entry (with database: {database}) first, as MAINTAINING.md shows")
        if source.kind != "primary":
            raise ImportRejected(f"--source {requested!r} is a report quoting others (kind: secondary); --source "
                                 "names the edition of the database itself, and the report goes in --via")
        if source.database != database:
            what = f"an edition of {source.database!r}" if source.database else "not marked as an edition"
            raise ImportRejected(f"--source {requested!r} is {what}, and `import {kind}` reads {database!r}; "
                                 f"if it is an edition of it, write `database: {database}` in its registry entry "
                                 f"(editions of {database}: {listed})")
        if source.producer != producer:
            raise ImportRejected(f"--source {requested!r} names the producer {source.producer!r}, and "
                                 f"`import {kind}` reads {producer!r}'s releases; is it the right entry?")
        if stated is not None and matches is not None and not matches(source.edition or "", stated):
            raise ImportRejected(f"the release states {stated!r} ({_stated_what(importer)}), but --source "
                                 f"{requested!r} is the edition {source.edition!r}; pass the entry of this "
                                 f"release (editions of {database}: {listed})")
        return source
    if stated is not None and matches is not None:
        found = [s for s in editions if s.kind == "primary" and matches(s.edition or "", stated)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ImportRejected(f"the release states {stated!r} ({_stated_what(importer)}), and no edition of "
                                 f"{database} in data/sources.yaml says so (editions: {listed}); add this "
                                 "release's entry, as MAINTAINING.md shows, or pass --source ID")
        raise ImportRejected(f"several editions of {database} say {stated!r}: "
                             f"{', '.join(s.id for s in found)}; pass --source ID")
    if len(editions) == 1:
        return editions[0]
    if not editions:
        raise ImportRejected(f"data/sources.yaml has no edition of {database} (an entry with "
                             f"database: {database}); add the release's entry, as MAINTAINING.md shows")
    raise ImportRejected(f"data/sources.yaml holds {len(editions)} editions of {database} ({listed}): "
                         f"pass --source ID (the newest is {editions[-1].id})")


def _stated_what(importer: ModuleType) -> str:
    return getattr(importer, "STATED", "what it says of itself")


def check_via(sources: dict[str, Source], via: str | None) -> None:
    """``--via``: the report the release was read in must be in the registry.

    Raises:
        ImportRejected: it is not.
    """
    if via is not None and via not in sources:
        raise ImportRejected(f"--via {via!r} is not in data/sources.yaml; add the report's entry "
                             "(kind: secondary) first")


def earlier_editions(sources: dict[str, Source], source: Source) -> list[str]:
    """The editions of ``source``'s database published before it."""
    if source.database is None:
        return []
    return [s.id for s in editions_of(sources, source.database)
            if _date(s.date_published) < _date(source.date_published)]


def later_editions(sources: dict[str, Source], source: Source) -> list[str]:
    """The editions of ``source``'s database published after it."""
    if source.database is None:
        return []
    return [s.id for s in editions_of(sources, source.database)
            if _date(s.date_published) > _date(source.date_published)]


def cite(result: ImportResult, sources: dict[str, Source], source: Source, via: str | None,
         existing: dict[str, dict]) -> ImportResult:
    """``result`` citing ``source``: a series import also replaces the earlier editions' blocks.

    Raises:
        ImportRejected: the data already holds series of a later edition (importing an older
            release would put two series side by side).
    """
    supersedes: list[str] = []
    if result.section == "series":
        later = set(later_editions(sources, source))
        cited = sorted(eid for eid, info in existing.items()
                       if cites_any(info["data"], result.section, result.metrics, later))
        if cited:
            raise ImportRejected(f"{', '.join(cited[:8])} already hold series of a later edition of "
                                 f"{source.database} ({', '.join(sorted(later))}) than {source.id}; "
                                 "import the newest release")
        supersedes = earlier_editions(sources, source)
    return result.cite(source.id, via, supersedes)


def alias_hint(err: UnknownNames, editions: Iterable[str], existing: dict[str, dict]) -> str:
    """Which alias to add when a publisher renamed a country: the entities an edition of the
    database covers today that the release does not name, paired with the unknown names."""
    ids = set(editions)
    missing = sorted(eid for eid, info in existing.items()
                     if eid not in err.found and cites_any(info["data"], err.section, err.metrics, ids))
    if not missing:
        return ""
    names = [_name(eid, existing[eid]) for eid in missing]
    lines = [f"Cited today but not found in this release: {', '.join(f'{e} ({n})' for e, n in zip(missing, names))}."]
    if len(missing) == 1 and len(err.names) == 1:
        [name] = err.names
        lines.append(f'If the publisher renamed it, add to ALIASES:  "{alias_key(name)}": "{missing[0]}",')
    else:
        lines.append("If the publisher renamed one, add to ALIASES, for each: "
                     + "  ".join(f'"{alias_key(n)}": "<one of {", ".join(missing)}>",' for n in sorted(err.names)))
    return " ".join(lines)


def _name(eid: str, info: dict[str, Any]) -> str:
    name = info["data"].get("name") if isinstance(info.get("data"), dict) else None
    if isinstance(name, str):
        return name
    try:
        return display_name(eid)
    except KeyError:
        return eid
