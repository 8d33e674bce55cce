"""``python -m forcedata``: the maintainers' command line."""

from forcedata.cli import main
from forcedata.outputs import run_quietly

raise SystemExit(run_quietly(main))
