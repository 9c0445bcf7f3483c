"""Count the lines of one source file executed by a call: work measured without timing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any


def lines_run(filename: str, call: Callable[[], object]) -> int:
    """Return how many lines of ``filename`` ran during ``call()`` (``sys.settrace`` events)."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if frame.f_code.co_filename != filename:
            return None  # other modules (and C code) are not counted
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return count
