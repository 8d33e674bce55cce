"""``python -m forcedata``: the maintainers' command line."""

from forcedata.cli import main

raise SystemExit(main())
