"""Safe YAML loading: LibYAML speed, no surprises (NO stays 'NO', dates stay text), duplicate
keys rejected, and an index from every path in the document to its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from forcedata.problems import Problem, display_path, format_path

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

LineIndex = dict[tuple, int]


class StrictLoader(yaml.CSafeLoader):
    """CSafeLoader with YAML 1.2 booleans only (true/false) and no implicit timestamps.

    NOTE: YAML 1.1 reads NO (Norway), yes, on and off as booleans and 2025-01-01 as a date;
    ids and dates here are text that the schema checks, so those resolvers are removed.
    """


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class YamlFileError(Exception):
    """A file that cannot be read as YAML at all."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def load_yaml(path: Path) -> tuple[Any, LineIndex]:
    """Parse one YAML file; return the data and a path -> line index.

    Raises:
        YamlFileError: unreadable bytes, a syntax error, a duplicate key or an empty file.
    """
    shown = display_path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlFileError(Problem(
            shown, line, "", f"not valid UTF-8 (byte 0x{raw[err.start]:02x})",
            "save the file as UTF-8 in your editor",
        )) from None
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlFileError(Problem(
                shown, 1, "", "the file is empty", "fill it in or delete it (see data/forces/PAK.yaml)",
            ))
        index: LineIndex = {(): node.start_mark.line + 1}
        _index_node(loader, node, (), index, shown)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        line = min(mark.line + 1, max(last_line, 1)) if mark else 1
        message = " ".join(str(p) for p in (err.context, err.problem) if p)
        raise YamlFileError(Problem(
            shown, line, "", f"YAML syntax error: {message}",
            "check indentation, colons and quotes on this line or the one before",
        )) from None
    finally:
        loader.dispose()
    return data, index


def _index_node(loader: StrictLoader, node: yaml.Node, path: tuple, index: LineIndex, shown: str) -> None:
    if isinstance(node, yaml.MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise YamlFileError(Problem(
                    shown, line, format_path(path + (key,)),
                    f"duplicate key '{key}' (first at line {first_line[key]}); YAML would keep only the last",
                    "remove one of the two, or merge them",
                ))
            first_line[key] = line
            index[path + (key,)] = line
            _index_node(loader, value_node, path + (key,), index, shown)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            index[path + (i,)] = item.start_mark.line + 1
            _index_node(loader, item, path + (i,), index, shown)


def line_of(index: LineIndex, path: tuple) -> int:
    """The line of the longest prefix of ``path`` that the document has."""
    for end in range(len(path), -1, -1):
        if path[:end] in index:
            return index[path[:end]]
    return 1
