"""A bridge to the two-step date interface until ``analyze.dates`` provides it.

CONTRACTS.md splits dates into ``date_evidence`` (per article, from the parse), ``infer_anchors``
(story level) and ``resolve_dates``; the ``numbers`` helper is building them in
``analyze.dates``. Until that lands, this module offers the same three functions over
``analyze.dates``'s current internals, with the same results as ``infer_anchor(articles, docs)``
and ``extract_dates(article, doc, anchor=...)``. Delete it once ``analyze.dates`` exports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from synoptic.analyze import dates as _dates
from synoptic.model import Article, Record

if TYPE_CHECKING:  # spaCy is slow to import; only its type is needed here
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class DateEvidence(Record):
    """All that anchor inference and date resolution need from one article's parse.

    Attributes:
        article: The article id.
        found: The article's date phrases, parsed but not yet resolved against an anchor.
    """

    article: str
    found: tuple[_dates._Found, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as JSON-ready data."""
        return {
            "article": self.article,
            "found": [
                {**asdict(f), "sentence": list(f.sentence), "expr": asdict(f.expr)}
                for f in self.found
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DateEvidence:
        """Build the evidence from ``to_dict`` output."""
        found = tuple(
            _dates._Found(
                start=f["start"],
                end=f["end"],
                text=f["text"],
                sentence=(f["sentence"][0], f["sentence"][1]),
                expr=_dates._Expr(**f["expr"]),
                tense=f["tense"],
            )
            for f in data["found"]
        )
        return cls(article=data["article"], found=found)


def date_evidence(article: Article, doc: Doc) -> DateEvidence:
    """Return the date evidence of one article from its parse."""
    return DateEvidence(article.id, tuple(_dates._find(article, doc)))


def resolve_dates(
    article: Article, evidence: DateEvidence, anchor: dt.date | None
) -> tuple[_dates.DateMention, ...]:
    """Return the article's date mentions resolved against ``anchor`` (its own date if none)."""
    if anchor is None:
        anchor = _dates.published_date(article.published)
    return tuple(_dates._mention(article, f, anchor) for f in evidence.found)


def infer_anchors(
    articles: Sequence[Article], evidence: Mapping[str, DateEvidence]
) -> dict[str, dt.date | None]:
    """Return, per article id, the day its relative date phrases are relative to.

    The same rule as ``analyze.dates.infer_anchor``, read from evidence instead of parses.
    """
    own = {a.id: _dates.published_date(a.published) for a in articles}
    anchors: dict[str, dt.date | None] = dict(own)
    found = {a.id: list(evidence[a.id].found) for a in articles if a.id in evidence}
    by_id = {a.id: a for a in articles}
    terms: dict[tuple[str, tuple[int, int]], frozenset[str]] = {}
    for aid, fs in found.items():
        for f in fs:
            key = (aid, f.sentence)
            if key not in terms:
                terms[key] = _dates.content_terms(by_id[aid].text[f.sentence[0] : f.sentence[1]])
    weights = _dates.TermWeights(terms.values())
    pinned: set[str] = {aid for aid, d in own.items() if d is not None}
    dated = [d for d in own.values() if d is not None]
    fallback = min(dated) if dated else None
    while True:
        pool: list[_dates._Dated] = []
        for aid in sorted(pinned):
            for f in found.get(aid, ()):
                r = _dates._resolve(f.expr, anchors[aid], f.tense, f.text)
                if r and r[1] == "day":
                    day = dt.date.fromisoformat(r[0])
                    pool.append(_dates._Dated(aid, day, terms[(aid, f.sentence)]))
        progress = False
        for a in articles:
            if a.id in pinned or a.id not in found:
                continue
            anchor = _dates._pin(a, found[a.id], pool, weights, fallback)
            if anchor is not None:
                anchors[a.id] = anchor
                pinned.add(a.id)
                progress = True
        if not progress:
            break
    for a in articles:
        if a.id not in pinned:
            anchors[a.id] = fallback
    return anchors


__all__ = ["DateEvidence", "date_evidence", "infer_anchors", "resolve_dates"]
