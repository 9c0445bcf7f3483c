"""The records of number extraction: a figure (``Quantity``) and a number left out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from synoptic.model import Record

Approx = Literal["exact", "about", "over", "under", "range"]

INF = math.inf
ABOUT_TOLERANCE = 0.10
NEARLY_TOLERANCE = 0.05
VAGUE_WIDENING = 20.0


@dataclass(frozen=True, slots=True)
class Quantity(Record):
    """A figure in one article: value, admitted interval, unit and context.

    Attributes:
        article: The article id.
        start: Start of the whole quantity phrase in ``Article.text`` ("about 70,000 troops",
            "seven-and-a-half-hour consultation", "Tens of thousands of Russian troops").
        end: End of the phrase (exclusive).
        text: ``Article.text[start:end]``.
        value: The figure as stated (70000.0, 7.5); the midpoint of an explicit range; the lower
            bound of a vague plural ("hundreds" -> 100).
        low: The lowest value the wording admits.
        high: The highest value the wording admits (``math.inf`` for "more than").
        approx: How the figure is stated: exact, about, over, under or range.
        unit: The normalised unit or counted thing ("troops", "hour", "dead", "dollar",
            "percent", "people"), or ``None`` when nothing counted could be found.
        head: The lemma of the counted noun as written ("troop", "soldier", "hour"), or
            ``None`` (a currency symbol, a verb-derived unit as in "Thousands have been killed").
        sentence: The ``(start, end)`` span of the sentence holding the figure.
        about: The lemma of the thing measured when the unit is a measure of something else
            ("talk" in "eight-hour talks", "water" in "40 million cubic metres of water").
        context: Stems of the sentence's content words outside the phrase, nearest first,
            used to tell whether two figures measure the same thing.
        entities: The named people, places, organisations and groups of the sentence (the
            stem of each name's last word: "ryabkov", "russian", "ukraine"), nearest first.
            Names that only attribute the figure ("..., the agency said", "according to
            Reuters") are left out: a source is not what the figure is about.
        subject: The stem of the named subject of the clause giving the figure ("manning" in
            "Manning completed 17 passes", "sox" in "the Red Sox offered eight years"), or
            ``None`` when the subject is not a name (a pronoun, a common noun, the figure).
        hedged: Whether the figure is only a possibility: under a modal verb ("there might
            have been two people killed") or in a condition ("if 40 people die").
        rising: Whether the figure is given as the new level of a growing count ("the death
            toll has risen to five", "rose to 10", "now stands at 12").

    In ``to_dict`` an open upper bound (``high == math.inf``) is written as ``None``, so the
    dictionary is valid JSON; ``from_dict`` reads ``None`` back as ``math.inf``.
    """

    article: str
    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    approx: Approx
    unit: str | None
    head: str | None
    sentence: tuple[int, int]
    about: str | None = None
    context: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    subject: str | None = None
    hedged: bool = False
    rising: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the quantity as JSON-ready data (an open ``high`` becomes ``None``)."""
        data = Record.to_dict(self)
        if not math.isfinite(self.high):
            data["high"] = None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Quantity:
        """Build a quantity from ``to_dict`` output (``high: None`` is an open bound)."""
        if data.get("high", 0.0) is None:
            data = {**data, "high": INF}
        return super(Quantity, cls).from_dict(data)

    def compatible(self, other: Quantity) -> bool:
        """Return whether the two intervals overlap (the figures can both be true)."""
        return intervals_overlap((self.low, self.high), (other.low, other.high))


@dataclass(frozen=True, slots=True)
class RejectedNumber:
    """A number the extractor did not keep as a quantity, with the reason why."""

    start: int
    end: int
    text: str
    reason: str


def intervals_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Return whether closed intervals ``a`` and ``b`` overlap (with float slack)."""
    slack = 1e-9 * max(1.0, abs(a[0]), abs(b[0]))
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack
