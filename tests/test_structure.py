"""The house's layering, read from the code: no modules import each other in a loop (function-level
imports included), no lower room imports a higher one, streamlit stays in the UI room, and no
module imports a command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# room -> the project rooms (module prefixes) it may import, besides itself
ALLOWED = {
    "components": (),  # the package's own __init__: its docstring maps the rooms
    "forcedata": (),
    "components.views": ("forcedata",),
    "components.exports": ("components.views", "forcedata"),
    "components.ui": ("components.views", "components.exports", "forcedata"),
    "components.serving": (),
    "app_pages": ("components.ui", "components.views", "forcedata"),
    "dashboard": ("components.ui", "components.serving", "forcedata"),
    "serve": ("components.serving",),
}
NO_STREAMLIT = ("forcedata", "components.views", "components.exports")
CLIS = {"forcedata.cli", "components.exports.cli"}
ENTRY_POINTS = {"forcedata.__main__", "components.exports.__main__"}


def _modules() -> dict[str, Path]:
    paths = [*ROOT.glob("forcedata/**/*.py"), *ROOT.glob("components/**/*.py"), *ROOT.glob("app_pages/*.py"),
             ROOT / "dashboard.py", ROOT / "serve.py"]
    out = {}
    for path in paths:
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


MODULES = _modules()


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function (project modules resolved)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


GRAPH = {name: {m for m in imports_of(path) if m in MODULES} - {name} for name, path in MODULES.items()}


def room_of(name: str) -> str:
    return next(room for room in sorted(ALLOWED, key=len, reverse=True) if name == room or name.startswith(room + "."))


def test_the_structure_is_read_from_every_room():
    assert {room_of(m) for m in MODULES} == set(ALLOWED)  # NOTE: guards the guard: no room read as empty
    assert len(MODULES) > 50 and sum(len(deps) for deps in GRAPH.values()) > 100


def test_no_modules_import_each_other_in_a_loop():
    def loop_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in GRAPH[node]:
                if nxt == start:
                    return path + [start]
                if nxt not in path and len(path) < len(GRAPH):
                    stack.append((nxt, path + [nxt]))
        return None

    loops = [loop for name in GRAPH if (loop := loop_from(name))]
    assert loops == [], " ; ".join(" -> ".join(loop) for loop in loops[:3])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_room_imports_only_the_rooms_below_it(name):
    room = room_of(name)
    allowed = (room, *ALLOWED[room])
    bad = sorted(m for m in GRAPH[name] if not any(m == r or m.startswith(r + ".") for r in allowed))
    assert bad == [], f"{name} ({room}) may import only {allowed}"
    if room.startswith(NO_STREAMLIT):
        assert not any(m == "streamlit" or m.startswith("streamlit.") for m in imports_of(MODULES[name])), name
    if name not in ENTRY_POINTS:
        assert not (GRAPH[name] & CLIS), f"{name} imports a command line"
