"""JSON rendering: the Brief JSON v1 document, exactly as ``model.briefs_document`` builds it.

Keys keep the order the model's ``contract_dict`` methods give them (the contract's reading
order, stable across runs) rather than being sorted; non-ASCII text is written as is.
Rejected inputs are not part of the document: the CLI prints them on standard error.

The document is always JSON: a non-finite number (``NaN``, ``Infinity``: from an input record
or a computation) is written as ``null``, never as the bare word Python's encoder would write.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from synoptic.errors import Problem
from synoptic.model import Brief, briefs_document


def finite(value: Any) -> Any:
    """Return ``value`` with every non-finite float inside it replaced by ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Return ``data`` as strict JSON (non-finite numbers as ``null``), non-ASCII as is."""
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:
        # Rare: only a record holding NaN or an infinity gets here, and pays for the copy.
        return json.dumps(finite(data), indent=indent, ensure_ascii=False, allow_nan=False)


def render_json(briefs: Sequence[Brief], problems: Sequence[Problem] = ()) -> str:
    """Return the Brief JSON v1 document for ``briefs``, indented, ending with a newline.

    Args:
        briefs: The briefs, one per story.
        problems: Ignored: rejected inputs are never part of the document.

    Returns:
        ``dumps(briefs_document(briefs))`` plus a newline.
    """
    return dumps(briefs_document(briefs)) + "\n"
