"""``python -m components.exports``: the batch export command line (components/exports/cli.py)."""

import sys

from components.exports.cli import main

sys.exit(main())
