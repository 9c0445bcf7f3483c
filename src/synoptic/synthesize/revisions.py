"""Figures a report itself withdraws: an outlet's own correction is an update, not a conflict.

"Police earlier had reported 65 dead, but backed off that figure": the 65 is superseded by the
report that says so. A figure is superseded when its sentence says so: an earlier-figure cue
before it ("earlier had reported", list ``earlier_figure_cues``), a withdrawal cue after it
("backed off", list ``withdrawal_cues``), or, with a later figure of the same unit in the
sentence, either cue anywhere in it ("revised from 65 to 80": the 80 stands).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from synoptic import lang
from synoptic.analyze.quantities import Quantity


@cache
def _pattern(concept: str) -> re.Pattern[str]:
    phrases = sorted(lang.entries(concept), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


def _says(concept: str, text: str) -> bool:
    return bool(_pattern(concept).search(lang.fold(text)))


def superseded(text: str, quantities: Sequence[Quantity]) -> set[int]:
    """Return the ``id`` of each quantity that its own sentence withdraws.

    Args:
        text: The article's text (the quantities' spans index into it).
        quantities: The quantities of that article.

    Returns:
        The ids (``id(q)``) of the superseded quantities.
    """
    last: dict[tuple[tuple[int, int], str | None], int] = {}
    for q in quantities:
        key = (q.sentence, q.unit)
        last[key] = max(last.get(key, q.start), q.start)
    out: set[int] = set()
    for q in quantities:
        s, e = q.sentence
        before, after = text[s : q.start], text[q.end : e]
        if last[(q.sentence, q.unit)] != q.start:
            if _says("earlier_figure_cues", text[s:e]) or _says("withdrawal_cues", text[s:e]):
                out.add(id(q))
        elif _says("earlier_figure_cues", before) or _says("withdrawal_cues", after):
            out.add(id(q))
    return out
