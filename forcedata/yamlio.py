"""Safe YAML loading: LibYAML speed, YAML 1.2 core-schema numbers and booleans only, no
surprises (NO stays 'NO', dates stay text), and an index from every path to its line.

Every hostile or ambiguous input becomes a located ``Problem``, never an exception or a silent
reinterpretation: files too big or not regular, bytes that are not UTF-8, control characters,
anchors, aliases, merge keys and tags (data files need none), duplicate or non-text keys, and
YAML 1.1 number forms (010, 0x10, 1:30, 1_000, .inf) that would change a figure.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from forcedata.problems import Problem, brief, display_path, format_path

LineIndex = dict[tuple, int]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32  # NOTE: data files nest 6 levels at most; deeper means a broken or hostile file
MAX_NODES = 50_000  # NOTE: the biggest data file holds about 4,000 keys and values


def max_file_bytes() -> int:
    """The per-file size cap: $FORCEDATA_MAX_FILE_BYTES if set, else 5 MB."""
    try:
        return int(os.environ.get("FORCEDATA_MAX_FILE_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


# --- the resolver: YAML 1.2 core schema, minus what the core schema reads as surprising numbers ---

_INT = "tag:yaml.org,2002:int"
_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_AMBIGUOUS = "tag:forcedata,2026:ambiguous-number"

_DECIMAL_INT = r"[-+]?(?:0|[1-9][0-9]*)"
_DECIMAL_FLOAT = r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)"

# (pattern, what YAML 1.1 or 1.2 would read, what to write instead)
_AMBIGUOUS_FORMS = [
    (r"[-+]?0[0-9]+", "a number with a leading zero, which YAML 1.1 reads as octal ({v} would become {octal})",
     "write the number without the leading zero, or quote it if it is text"),
    (r"[-+]?0[xX][0-9a-fA-F_]+", "a hexadecimal number", "write it in decimal"),
    (r"[-+]?0[oO]?[0-7_]+", "an octal number", "write it in decimal"),
    (r"[-+]?0[bB][01_]+", "a binary number", "write it in decimal"),
    (r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?",
     "a base-60 (sexagesimal) number in YAML 1.1 ({v} would become {sexagesimal})",
     "write the number itself, or quote it if it is text"),
    (r"[-+]?(?:[0-9][0-9_]*)?_[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?[0-9_]+\.[0-9_]*_[0-9_]*",
     "a number with underscores", "write the digits without underscores (1000000, not 1_000_000)"),
    (r"[-+]?\.(?:inf|Inf|INF)", "infinity", "write the figure itself, or status: not_known"),
    (r"\.(?:nan|NaN|NAN)", "'not a number'", "write the figure itself, or status: not_known"),
]
_AMBIGUOUS_RX = re.compile("^(?:" + "|".join(f"(?:{p})" for p, _, _ in _AMBIGUOUS_FORMS) + ")$")


class AmbiguousNumber(str):
    """A plain scalar that some YAML reader would take for a number other than it looks.

    It stays text (YAML 1.2 core reads most of these as text); a number field that receives one
    reports ``explain()`` instead of a generic type error.
    """

    def explain(self) -> tuple[str, str]:
        text = str(self)
        for pattern, reading, fix in _AMBIGUOUS_FORMS:
            if re.fullmatch(pattern, text):
                return f"{brief(text)} is read as text, not a number: it looks like {_fill(reading, text)}", fix
        if re.fullmatch(_DECIMAL_FLOAT, text):
            return f"{brief(text)} is too large to be a number (it overflows to infinity)", "check the number and its unit"
        return f"{brief(text)} is not a plain decimal number", "write digits only, e.g. 660000"


def _fill(reading: str, text: str) -> str:
    octal = sexagesimal = "?"
    digits = text.lstrip("+-")
    if re.fullmatch(r"0[0-7]+", digits):
        # NOTE: str() of an int over 4,300 digits raises; a figure that long is nonsense anyway
        octal = str(int(digits, 8)) if len(digits) <= 40 else "a very large number"
    elif re.fullmatch(r"0[0-9]+", digits):
        octal = "an error (not octal digits)"
    if ":" in digits:
        try:
            total = 0.0
            for part in digits.replace("_", "").split(":"):
                total = total * 60 + float(part)
            sexagesimal = f"{total:g}"
        except ValueError:
            pass
    shown = text if len(text) <= 40 else text[:39] + "…"
    return reading.format(v=shown, octal=octal, sexagesimal=sexagesimal)


class StrictLoader(yaml.CSafeLoader):
    """CSafeLoader resolving plain scalars by the YAML 1.2 core schema, more strictly:

    - booleans are true/false only (YAML 1.1's yes/no/on/off and NO for Norway stay text);
    - numbers are plain decimals only; 010, 0x10, 1:30, 1_000, .inf and .nan become
      ``AmbiguousNumber`` text that number fields refuse with an explanation;
    - no implicit dates (2025-01-01 stays text; the schema checks it).
    """


StrictLoader.yaml_implicit_resolvers = {}
for _tag, _rx, _first in (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_INT, f"^{_DECIMAL_INT}$", list("-+0123456789")),
    (_FLOAT, f"^{_DECIMAL_FLOAT}$", list("-+0123456789.")),
    (_MERGE, r"^<<$", ["<"]),
    (_AMBIGUOUS, _AMBIGUOUS_RX.pattern, list("-+0123456789.")),
):
    StrictLoader.add_implicit_resolver(_tag, re.compile(_rx), _first)
StrictLoader.add_constructor(_AMBIGUOUS, lambda loader, node: AmbiguousNumber(node.value))


def _construct_float(loader: StrictLoader, node: yaml.ScalarNode) -> float | AmbiguousNumber:
    value = float(node.value)  # NOTE: the resolver passes plain decimals only
    return value if math.isfinite(value) else AmbiguousNumber(node.value)


StrictLoader.add_constructor(_FLOAT, _construct_float)


def _construct_int(loader: StrictLoader, node: yaml.ScalarNode) -> int | float | AmbiguousNumber:
    if len(node.value) > 300:  # NOTE: int() refuses over 4,300 digits; no count has 300
        return _construct_float(loader, node)
    return int(node.value)  # NOTE: the resolver passes plain decimals only


StrictLoader.add_constructor(_INT, _construct_int)


class YamlFileError(Exception):
    """A file that cannot be read as YAML at all (one or more located problems)."""

    def __init__(self, problem: Problem | list[Problem]):
        self.problems = problem if isinstance(problem, list) else [problem]
        self.problem = self.problems[0]
        super().__init__("\n".join(map(str, self.problems)))


def read_text(path: Path, shown: str | None = None, *, max_bytes: int | None = None) -> str:
    """The text of a data file, checked before any parsing.

    Raises:
        YamlFileError: not a regular file (a symlink, a device, a folder), bigger than the cap,
            not UTF-8, or holding control characters YAML forbids.
    """
    shown = shown or display_path(path)
    cap = max_file_bytes() if max_bytes is None else max_bytes
    try:
        info = os.lstat(path)
    except OSError as err:
        raise YamlFileError(Problem(shown, 1, "", f"cannot read the file: {err.strerror}",
                                    "check that it exists and is readable")) from None
    if stat.S_ISLNK(info.st_mode):
        raise YamlFileError(Problem(shown, 1, "", "is a symbolic link; data files must be regular files",
                                    "replace the link with the file itself"))
    if not stat.S_ISREG(info.st_mode):
        raise YamlFileError(Problem(shown, 1, "", "is not a regular file",
                                    "replace it with a regular file, or remove it from the data folder"))
    if info.st_size > cap:
        raise YamlFileError(Problem(
            shown, 1, "", f"is {info.st_size:,} bytes, above the {cap:,}-byte limit per data file",
            "split it, or raise FORCEDATA_MAX_FILE_BYTES if it really is that big"))
    with open(path, "rb") as handle:
        raw = handle.read(cap + 1)
    if len(raw) > cap:  # NOTE: the file grew after lstat
        raise YamlFileError(Problem(shown, 1, "", f"is larger than the {cap:,}-byte limit per data file",
                                    "split it, or raise FORCEDATA_MAX_FILE_BYTES"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise YamlFileError(Problem(
            shown, line, "", f"column {column}: not valid UTF-8 (byte 0x{raw[err.start]:02x})",
            "save the file as UTF-8 in your editor",
        )) from None
    bad = _BAD_CHAR.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise YamlFileError(Problem(
            shown, line, "", f"column {column}: {_char_name(bad.group())} is not allowed in a data file",
            "delete it (it is invisible in most editors; retype the line if unsure)"))
    return text


# YAML 1.2 printable characters: tab, LF, CR, x20-x7E, x85, xA0-xD7FF, xE000-xFFFD, astral.
# A byte-order mark is allowed only at the very start.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]|(?<!^)\ufeff")
_CHAR_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x0B: "VT", 0x0C: "form feed (FF)", 0x1B: "ESC", 0x7F: "DEL",
               0xFEFF: "byte-order mark"}


def _char_name(ch: str) -> str:
    code = ord(ch)
    name = _CHAR_NAMES.get(code, "control character")
    return f"{name} (U+{code:04X})" if name != "control character" else f"control character U+{code:04X}"


def load_yaml(path: Path, shown: str | None = None) -> tuple[Any, LineIndex]:
    """Parse one YAML file; return the data and a path -> line index.

    Args:
        path: the file.
        shown: how to name it in messages (default: relative to the working directory).

    Raises:
        YamlFileError: unreadable bytes, a syntax error, anchors/aliases/tags, a duplicate key,
            an empty file, or nesting deeper than any data file needs.
    """
    shown = shown or display_path(path)
    text = read_text(path, shown)
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, LineIndex]:
    """``load_yaml`` on text already read (see there)."""
    _refuse_too_many_nodes(text, shown)
    if any(c in text for c in "&*!"):  # NOTE: fast path: most files hold none of these
        _refuse_anchors_and_tags(text, shown)
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlFileError(Problem(
                shown, 1, "", "the file is empty", "fill it in or delete it (see data/forces/PAK.yaml)",
            ))
        index: LineIndex = {(): node.start_mark.line + 1}
        data = _build(loader, node, (), index, shown, 0)
    except yaml.MarkedYAMLError as err:
        raise YamlFileError(_syntax_problem(err, text, shown)) from None
    except (ValueError, OverflowError, RecursionError) as err:  # NOTE: belt and braces; none is known
        raise YamlFileError(Problem(shown, 1, "", f"could not be read: {brief(str(err))}",
                                    "check the file's numbers and nesting")) from None
    finally:
        loader.dispose()
    return data, index


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    context = str(err.context or "")
    # NOTE: an unclosed quote is found only where the file ends or the next quote pairs up;
    # the quote that opened it is where the fix goes.
    mark = err.context_mark if "quoted scalar" in context and err.context_mark else err.problem_mark
    mark = mark or err.context_mark
    last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
    line = min(mark.line + 1, max(last_line, 1)) if mark else 1
    if "quoted scalar" in context:
        return Problem(shown, line, "", f"column {mark.column + 1}: a quote opened here is never closed",
                       "close the quote on this line (and escape quotes inside it)")
    opened = _swallowing_quote(text, err.problem_mark)
    if opened is not None:
        return Problem(shown, opened.line + 1, "", f"column {opened.column + 1}: a quote opened here is "
                       "never closed: it runs on to the next quote, swallowing the lines between",
                       "close the quote on this line (and escape quotes inside it)")
    if _tab_at(text, err.problem_mark) or "tab character" in str(err.problem or ""):
        return Problem(shown, line, "", "a tab character where YAML expects spaces (tabs cannot indent YAML)",
                       "replace the tab with spaces")
    if "simple key" in context and err.context_mark:  # NOTE: the key that lacks its ':' starts here
        if _line_length(text, err.context_mark.line) > 1024:
            return Problem(shown, err.context_mark.line + 1, "", "a key longer than 1,024 characters (YAML's "
                           "limit for a key), or a very long line missing its ':'", "shorten the key, or add the ':'")
        return Problem(shown, err.context_mark.line + 1, "", "expected `key: value`, but this line has no ':' "
                       "after its key", "add the ':' (and a space after it), or indent the line if it continues "
                       "the one before")
    problem = str(err.problem or "")
    start = err.context_mark
    if "did not find expected key" in problem and start:
        return Problem(shown, line, "", f"indentation: this line does not line up with the keys of the mapping "
                       f"that starts on line {start.line + 1} (column {start.column + 1})",
                       "indent it like the lines it belongs with (spaces only), or fix the line before")
    if "expected '-' indicator" in problem and start:
        return Problem(shown, line, "", f"indentation: this line does not line up with the list that starts on "
                       f"line {start.line + 1}, whose items each start with '- ' in column {start.column + 1}",
                       "indent it like the lines it belongs with (spaces only), or fix the line before")
    if "expected <document start>" in problem:
        return Problem(shown, line, "", "this line is outside the file's top level, which ended before it (the "
                       "file starts indented, or holds a single value)",
                       "start the top-level keys (id:, name:, ...) in column 1, with no spaces before them")
    if "cannot start any token" in problem and err.problem_mark:
        char = _char_at(text, err.problem_mark)
        return Problem(shown, line, "", f"column {err.problem_mark.column + 1}: {char!r} cannot start a value or "
                       "a key in YAML", "quote the text ('...'), or remove the character")
    if "block sequence entries are not allowed" in problem:
        return Problem(shown, line, "", "a list item ('- ') where a value on the same line was expected",
                       "start the list on the next line, indented under its key")
    if "mapping values are not allowed" in problem:
        return Problem(shown, line, "", "unexpected ':': this line is indented deeper than the key above it, or "
                       "a value holds ': '", "line the key up with the keys above it, or quote the value")
    message = " ".join(str(p) for p in (err.context, err.problem) if p)
    return Problem(shown, line, "", f"YAML syntax error: {message}",
                   "check indentation, colons and quotes on this line or the one before")


_SWALLOWED_KEY = re.compile(r"(?:^|\s)[A-Za-z_][\w-]*:(?:\s|$)")


def _swallowing_quote(text: str, at: yaml.Mark | None) -> yaml.Mark | None:
    """Where a quote opens that pairs with a quote on a later line, swallowing a `key:` between
    (the syntax error then shows up lines later, where the stray closing quote leaves text)."""
    if at is None or ('"' not in text and "'" not in text):
        return None
    try:
        for n, token in enumerate(yaml.scan(text, Loader=yaml.CSafeLoader)):
            if token.start_mark.line > at.line or n > 4 * MAX_NODES:
                break
            # NOTE: the error shows where the stray closing quote leaves text: on its line or the next
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line and token.end_mark.line >= at.line - 1
                    and _SWALLOWED_KEY.search(token.value)):
                return token.start_mark
    except yaml.MarkedYAMLError:
        pass
    return None


def _line_length(text: str, line: int) -> int:
    lines = text.split("\n", line + 1)
    return len(lines[line]) if line < len(lines) else 0


def _char_at(text: str, at: yaml.Mark) -> str:
    lines = text.split("\n", at.line + 1)
    return lines[at.line][at.column:at.column + 1] if at.line < len(lines) else ""


def _tab_at(text: str, at: yaml.Mark | None) -> bool:
    return at is not None and _char_at(text, at) == "\t"


def _refuse_too_many_nodes(text: str, shown: str) -> None:
    """Refuse a file with more keys and values than any data file has, in bounded time and memory:
    5 MB of `[0,0,0,...]` would otherwise become millions of Python objects."""
    # NOTE: every node starts after one of these characters (or at the top), at most two per
    # character; so most files are cleared without parsing them twice.
    if 2 * sum(text.count(c) for c in "\n,[{:-?") + 2 <= MAX_NODES:
        return
    count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                count += 1
                if count > MAX_NODES:
                    raise YamlFileError(Problem(
                        shown, event.start_mark.line + 1, "", f"holds more than {MAX_NODES:,} keys and values "
                        "(counted up to here); the biggest data file holds a few thousand",
                        "split it, or check that it is a data file at all"))
    except yaml.MarkedYAMLError as err:
        raise YamlFileError(_syntax_problem(err, text, shown)) from None


def _refuse_anchors_and_tags(text: str, shown: str) -> None:
    """Data files need no anchors, aliases, merge keys or tags: refuse them before composing
    (so an alias bomb or a self-referencing alias costs one pass over the events)."""
    problems = []
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            line = event.start_mark.line + 1
            column = event.start_mark.column + 1
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(shown, line, "", f"column {column}: alias '*{event.anchor}' — "
                                        "anchors and aliases are not allowed in data files",
                                        "write the value out in full"))
            elif getattr(event, "anchor", None):
                problems.append(Problem(shown, line, "", f"column {column}: anchor '&{event.anchor}' — "
                                        "anchors and aliases are not allowed in data files",
                                        "remove the anchor and write values out in full"))
            elif getattr(event, "tag", None) and not _implicit(event):
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(Problem(shown, line, "", f"column {column}: tag '{tag}' is not allowed "
                                        "in data files", "remove the tag; write plain values"))
            if len(problems) >= 20:
                break
    except yaml.MarkedYAMLError as err:
        raise YamlFileError(_syntax_problem(err, text, shown)) from None
    if problems:
        raise YamlFileError(problems)


def _implicit(event: yaml.Event) -> bool:
    implicit = getattr(event, "implicit", None)
    if isinstance(implicit, tuple):
        return bool(implicit[0] or implicit[1])
    return bool(implicit)


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# NOTE: the scalars nearly every node is (text and numbers) are built here; the rare others
# (true/false, null, ambiguous numbers) go through the loader's own constructors
_SCALARS = {
    _STR: lambda node: node.value,
    _INT: lambda node: _construct_int(None, node),
    _FLOAT: lambda node: _construct_float(None, node),
}


def _build(loader: StrictLoader, node: yaml.Node, path: tuple, index: LineIndex, shown: str, depth: int) -> Any:
    """The Python value of ``node``, recording the line of every key and list item below it in
    ``index`` (one walk over the nodes both indexes and builds; PyYAML's constructor would walk
    them a second time). Nodes of any other tag are left to the loader's constructors."""
    if depth > MAX_DEPTH:
        raise YamlFileError(Problem(shown, node.start_mark.line + 1, "",
                                    f"nested more than {MAX_DEPTH} levels deep", "see the file header for the layout"))
    if node.tag in _SCALARS and isinstance(node, yaml.ScalarNode):
        return _SCALARS[node.tag](node)
    if node.tag == _MAP and isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlFileError(Problem(
                    shown, line, format_path(path), "a key must be plain text, not a list or a mapping",
                    "write `name: value`; a line starting with '? ' or '[' makes a complex key"))
            if key_node.tag == _MERGE:
                raise YamlFileError(Problem(
                    shown, line, format_path(path), "merge key '<<' is not allowed in data files",
                    "write the fields out in full"))
            # NOTE: fast path: a text key is its own value (no constructor call per key)
            key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise YamlFileError(Problem(
                    shown, line, format_path(path), f"key {key_node.value!r} is read as {_kind(key)}, not a name",
                    "write a field name (see the file header); quote it if it really is text"))
            if key in first_line:
                raise YamlFileError(Problem(
                    shown, line, format_path(path + (key,)),
                    f"duplicate key {brief(key)} (first at line {first_line[key]}); YAML would keep only the last",
                    "remove one of the two, or merge them",
                ))
            first_line[key] = line
            index[path + (key,)] = line
            mapping[key] = _build(loader, value_node, path + (key,), index, shown, depth + 1)
        return mapping
    if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            index[path + (i,)] = item.start_mark.line + 1
            items.append(_build(loader, item, path + (i,), index, shown, depth + 1))
        return items
    return loader.construct_object(node, deep=True)


def _kind(value: object) -> str:
    return {type(None): "empty (null)", bool: "true/false", float: "a number"}.get(type(value), type(value).__name__)


def line_of(index: LineIndex, path: tuple) -> int:
    """The line of the longest prefix of ``path`` that the document has."""
    for end in range(len(path), -1, -1):
        if path[:end] in index:
            return index[path[:end]]
    return 1
