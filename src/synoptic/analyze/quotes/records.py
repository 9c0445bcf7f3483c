"""The records quote extraction returns: quoted pieces, and marked text that is not speech."""

from __future__ import annotations

from dataclasses import dataclass

from synoptic.model import Record


@dataclass(frozen=True, slots=True)
class QuoteMention(Record):
    """One quoted piece in one article.

    Attributes:
        article: The article id.
        start: Start of the quoted text inside the marks (into ``Article.text``).
        end: End of the quoted text inside the marks.
        text: ``article.text[start:end]``: the verbatim words, without the marks.
        speaker: The canonical full name when resolvable ("Wendy Sherman"), else the best
            mention ("the minister", "Russia"), else ``None``.
        speaker_span: Where the attributing mention is, or ``None``.
        cue: The verb or phrase that attributes the quote ("said", "told", "according to").
        partial: True for a few words woven into the reporter's sentence.
        relayed_by: For a quote inside a quote, who relayed it (then ``speaker`` is the
            original speaker when known).
    """

    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_span: tuple[int, int] | None
    cue: str | None
    partial: bool
    relayed_by: str | None = None


@dataclass(frozen=True, slots=True)
class RejectedQuote(Record):
    """Text in quote marks that is not speech, with the reason it was left out."""

    article: str
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class QuoteScan(Record):
    """Everything ``scan_quotes`` found: the quotes and the marked text it rejected."""

    mentions: tuple[QuoteMention, ...]
    rejected: tuple[RejectedQuote, ...]
