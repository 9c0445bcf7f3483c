"""``python -m synoptic``: the same as the ``synoptic`` command."""

import sys

from synoptic.cli import main

sys.exit(main())
