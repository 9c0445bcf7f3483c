"""``python -m synoptic.spark INPUT... --out DIR``: the ``synoptic spark`` command, for
``spark-submit`` (which runs a module or a file, not a console script)."""

from __future__ import annotations

import sys

from synoptic.cli import main

if __name__ == "__main__":
    sys.exit(main(["spark", *sys.argv[1:]]))
