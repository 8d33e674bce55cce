"""`python -m forcedata scaffold SOURCE`: the worklist of a new edition entered by hand (IISS's
Military Balance every February), written into the entity files.

For each entity and metric with an observation citing the previous edition of SOURCE's database
(the newest earlier edition the data cites, by the registry's ``database:``), a stub value citing
SOURCE is put right after the last such observation:

      # new edition <SOURCE>: fill in its figure, qualifier, via and quote, or delete this value
      # (<previous edition> said 660,000 as of <its year> via <the report it was read in>)
      - value:
        as_of: <the edition's year>
        source: <SOURCE>
        via:
        quote:

NOTE: a stub has no figure, so it does not validate: `python -m forcedata validate` names each
one left (FILE:LINE) until its figure, qualifier, via and quote are filled in or it is deleted.
Nothing is ever filled in from the previous edition: a figure nobody read stays out. Comments and
every other value stay as they are; a second run adds no stub where the new edition is cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from forcedata.display import stored_label
from forcedata.importers.editions import earlier_editions
from forcedata.importers.writer import dump, make_yaml, plain
from forcedata.schema import Source
from forcedata.yamlio import YamlFileError, load_yaml


class ScaffoldRejected(Exception):
    """The source cannot be scaffolded (unknown, not an edition of a database, nothing earlier)."""


@dataclass
class Stubs:
    entity: str
    file: Path
    metrics: list[str] = field(default_factory=list)
    text: str = ""


def as_of_for(source: Source) -> str:
    """The year a new edition's figures describe: its edition when that is a year, else the year
    of publication (the Military Balance of a year counts forces as of that year, as the data does)."""
    return source.edition if source.edition and re.fullmatch(r"\d{4}", source.edition) else source.date_published[:4]


def scaffold(data_dir: Path, sources: dict[str, Source], source_id: str,
             entities: list[str] | None = None, as_of: str | None = None) -> tuple[str, list[Stubs]]:
    """The stubs for ``source_id`` (not written): the previous edition they follow, and per entity
    file the metrics stubbed and the file's new text.

    Raises:
        ScaffoldRejected: with what to fix.
    """
    source = sources.get(source_id)
    if source is None:
        raise ScaffoldRejected(f"{source_id!r} is not in data/sources.yaml; add the new edition's entry first")
    if source.kind != "primary" or source.database is None:
        raise ScaffoldRejected(f"{source_id!r} is not an edition of a database: give its registry entry "
                               "database: (the id every edition of it shares, e.g. iiss-mb)")
    earlier = earlier_editions(sources, source)
    files = sorted((data_dir / "forces").glob("*.yaml"))
    if entities is not None:
        wanted = set(entities)
        files = [p for p in files if p.stem in wanted]
    docs = {}
    for path in files:
        try:
            data, _ = load_yaml(path)
        except YamlFileError:
            continue  # NOTE: a broken file is validate's to report; it gets no stubs
        if isinstance(data, dict) and isinstance(data.get("observations"), dict):
            docs[path] = data["observations"]
    cited = {v.get("source") for obs in docs.values() for v in _values(obs)}
    previous = next((e for e in reversed(earlier) if e in cited), None)
    if previous is None:
        raise ScaffoldRejected(f"no observation cites an earlier edition of {source.database} "
                               f"({', '.join(earlier) or 'none in the registry'}): enter the figures by hand, "
                               "as MAINTAINING.md says")
    year = as_of or as_of_for(source)
    y = make_yaml()
    out = []
    for path, observations in docs.items():
        metrics = [f"{family}.{metric}" for family, metric, lst in _lists(observations)
                   if any(v.get("source") == previous for v in lst if isinstance(v, dict))
                   and not any(v.get("source") == source_id for v in lst if isinstance(v, dict))]
        if not metrics:
            continue
        doc = y.load(path.read_text(encoding="utf-8"))
        for metric in metrics:
            family, name = metric.split(".")
            _add_stub(doc["observations"][family][name], previous, source_id, year)
        out.append(Stubs(path.stem, path, metrics, dump(y, doc)))
    return previous, out


def _values(observations: dict):
    for _, _, lst in _lists(observations):
        yield from (v for v in lst if isinstance(v, dict))


def _lists(observations: dict):
    for family, metrics in observations.items():
        if isinstance(metrics, dict):
            for metric, lst in metrics.items():
                if isinstance(lst, list):
                    yield family, metric, lst


def _add_stub(lst: CommentedSeq, previous: str, source_id: str, year: str) -> None:
    last = max(i for i, v in enumerate(lst) if isinstance(v, dict) and v.get("source") == previous)
    said = _said(plain(lst[last]))
    stub = CommentedMap([("value", None), ("as_of", int(year) if year.isdigit() else year),
                         ("source", source_id), ("via", None), ("quote", None)])
    lst.insert(last + 1, stub)
    lst.yaml_set_comment_before_after_key(
        last + 1, before=f"new edition {source_id}: fill in its figure, qualifier, via and quote, or delete this value\n"
                         f"({previous} said {said})", indent=6)


def _said(value: dict[str, Any]) -> str:
    text = stored_label(value)
    via = f" via {value['via']}" if value.get("via") else ""
    return f"{text} as of {value.get('as_of')}{via}"


def write(stubs: list[Stubs]) -> None:
    for s in stubs:
        s.file.write_text(s.text, encoding="utf-8")
