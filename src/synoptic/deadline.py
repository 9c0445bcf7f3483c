"""A per-input time budget, checked between the stages of an input and inside their long loops.

Every other budget bounds what an input can make a stage do (bytes, records, characters
analysed); this one bounds what is left: an input whose own stages run past
``Settings.input_seconds`` is abandoned at the next check with ``DeadlineExceeded``, reported
as ``E306`` naming it, and the rest of the batch goes on. Python cannot stop a running C call,
so the checks sit where our own code runs: between one article's extractors and every few
hundred iterations of the loops over its sentences, figures, dates and blocks. The parse itself
is bounded by ``Settings.max_analysis_chars`` (spaCy's time is linear in it).

The budget is counted in CPU seconds of the thread doing the work (``time.thread_time``), not
on the wall clock: on a busy machine (2 cores, eight jobs) a normal input's wall time grows
tenfold and a wall-clock budget dropped inputs that cost 30 s of work, while what the budget
must stop, work that grows faster than the input, is CPU work. The budget lives in a context
variable, so threads (the server) and nested calls each see the budget of the input they work
on, and code run outside any budget never stops.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from synoptic.errors import Errors, Problem

T = TypeVar("T")

_END: ContextVar[float | None] = ContextVar("synoptic_deadline", default=None)
_SECONDS: ContextVar[float] = ContextVar("synoptic_deadline_seconds", default=0.0)


class DeadlineExceeded(Exception):
    """An input's stages ran past its budget.

    Attributes:
        seconds: The budget, in seconds.
        stage: The stage that was running when the check found the budget spent.
    """

    def __init__(self, seconds: float, stage: str) -> None:
        super().__init__(f"over the budget of {seconds:g} CPU seconds per input (in {stage})")
        self.seconds = seconds
        self.stage = stage

    def problem(self, source: str) -> Problem:
        """Return the ``E306`` problem naming ``source``, the input that ran over."""
        return Problem(source, "E306", Errors.E306.format(seconds=self.seconds, stage=self.stage))


@contextmanager
def budget(seconds: float | None, *, of: float | None = None) -> Iterator[None]:
    """Run the block under a budget of ``seconds`` (``None`` or 0: no budget).

    ``of`` is the whole budget this block's ``seconds`` are what is left of (the figure an
    error names); a budget already running (an outer input) keeps the earlier of the two ends.
    """
    if not seconds or seconds <= 0:
        yield
        return
    end = time.thread_time() + seconds
    outer = _END.get()
    tokens = (_END.set(end if outer is None else min(end, outer)), _SECONDS.set(of or seconds))
    try:
        yield
    finally:
        _END.reset(tokens[0])
        _SECONDS.reset(tokens[1])


def check(stage: str) -> None:
    """Raise ``DeadlineExceeded`` when the current input's budget is spent.

    Cheap (a context-variable read and a clock read): call it between stages and every few
    hundred iterations of a loop whose length the input decides.
    """
    end = _END.get()
    if end is not None and time.thread_time() > end:
        raise DeadlineExceeded(_SECONDS.get(), stage)


def checked(items: Iterable[T], stage: str, step: int = 256) -> Iterator[T]:
    """Yield ``items``, checking the budget every ``step`` items."""
    for i, item in enumerate(items):
        if i % step == 0:
            check(stage)
        yield item


__all__ = ["DeadlineExceeded", "budget", "check", "checked"]
