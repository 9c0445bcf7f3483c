"""JSON rendering: the Brief JSON v1 document, exactly as ``model.briefs_document`` builds it.

Keys keep the order the model's ``contract_dict`` methods give them (the contract's reading
order, stable across runs) rather than being sorted; non-ASCII text is written as is.
Rejected inputs are not part of the document: the CLI prints them on standard error.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from synoptic.model import Brief, briefs_document


def render_json(briefs: Sequence[Brief]) -> str:
    """Return the Brief JSON v1 document for ``briefs``, indented, ending with a newline.

    Args:
        briefs: The briefs, one per story.

    Returns:
        ``json.dumps(briefs_document(briefs), indent=2, ensure_ascii=False)`` plus a newline.
    """
    return json.dumps(briefs_document(briefs), indent=2, ensure_ascii=False) + "\n"
