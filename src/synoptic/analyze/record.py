"""The analysis record: all that synthesis needs from one article, read from its parse once.

``AnalyzedArticle`` holds an article's sentences, the per-sentence features and claims that
alignment and contradiction read, its quotes, quantities, date evidence and entity mentions, and
its sentence embeddings. It holds no spaCy object, so it pickles small, converts losslessly to
JSON-ready data (``to_dict``/``from_dict``, vectors as base64 float32), and can be cached by
content hash or shipped to a worker. ``ANALYSIS_VERSION`` changes whenever what an extractor
puts in the record changes, so records from an older analysis are never reused.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from synoptic.analyze.claims import Claim
from synoptic.analyze.dates import DateEvidence
from synoptic.analyze.embed import DIM
from synoptic.analyze.entities import Mention
from synoptic.analyze.features import SentenceFeatures
from synoptic.analyze.quantities import Quantity
from synoptic.analyze.quotes import QuoteMention
from synoptic.model import Record, Sentence

# Bump when any extractor's output (or the record's shape) changes.
ANALYSIS_VERSION = "16"  # 16: the lowercase sentence glue bounded (nlp.GLUE_TOKENS)
# 15: quotes of the analysed part only; texts over 50,000 parsed in pieces
# 14: job titles (producer, host ...), possessive and headline glue cut
# 13: "the 40,000-pound module" weighs (lb)
# 12: "front", "alliance", "coalition" end organisation names
# 11: entity mentions: given names alone, "X and Y" split, glued words
# 10: no sentence cut before a lowercase word (heading + paragraph)
# 9: entity mentions: glue cut, org heads, datelines (8 misread names)


@dataclass(frozen=True, slots=True)
class AnalyzedArticle(Record):
    """One article's analysis, by article id (see the module docstring).

    Attributes:
        article: The article id every span inside refers to.
        content_hash: The hash of the text analysed (``Article.content_hash``).
        version: ``ANALYSIS_VERSION`` when it was made.
        sentences: The sentences with their spans (``analyze.nlp.sentences``).
        features: One ``SentenceFeatures`` per sentence, in sentence order.
        claims: Main-clause claims (``analyze.claims``), each naming its sentence's index.
        quotes: Quote mentions with speakers (``analyze.quotes.extract_quotes``).
        quantities: Figures (``analyze.quantities.extract_quantities``).
        dates: Date evidence, resolved per story once anchors are known.
        mentions: Entity mentions with roles and pronouns (``analyze.entities``).
        vector_data: The sentence embeddings, ``len(sentences) x DIM`` float32, row-major
            (see ``vectors``).
    """

    article: str
    content_hash: str
    version: str
    sentences: tuple[Sentence, ...]
    features: tuple[SentenceFeatures, ...]
    claims: tuple[Claim, ...]
    quotes: tuple[QuoteMention, ...]
    quantities: tuple[Quantity, ...]
    dates: DateEvidence
    mentions: tuple[Mention, ...]
    vector_data: bytes = dataclasses.field(repr=False)

    def vectors(self) -> np.ndarray:
        """Return the sentence embeddings as a read-only ``n x DIM`` float32 array."""
        return np.frombuffer(self.vector_data, dtype=np.float32).reshape(-1, DIM)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as JSON-ready data (vectors as base64 little-endian float32)."""
        return {
            "article": self.article,
            "content_hash": self.content_hash,
            "version": self.version,
            "sentences": [s.to_dict() for s in self.sentences],
            "features": [f.to_dict() for f in self.features],
            "claims": [c.to_dict() for c in self.claims],
            "quotes": [q.to_dict() for q in self.quotes],
            "quantities": [q.to_dict() for q in self.quantities],
            "dates": self.dates.to_dict(),
            "mentions": [m.to_dict() for m in self.mentions],
            "vectors": base64.b64encode(self.vector_data).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, data: Any) -> AnalyzedArticle:
        """Build the record from ``to_dict`` output."""
        return cls(
            article=data["article"],
            content_hash=data["content_hash"],
            version=data["version"],
            sentences=tuple(Sentence.from_dict(s) for s in data["sentences"]),
            features=tuple(SentenceFeatures.from_dict(f) for f in data["features"]),
            claims=tuple(Claim.from_dict(c) for c in data["claims"]),
            quotes=tuple(QuoteMention.from_dict(q) for q in data["quotes"]),
            quantities=tuple(Quantity.from_dict(q) for q in data["quantities"]),
            dates=DateEvidence.from_dict(data["dates"]),
            mentions=tuple(Mention.from_dict(m) for m in data["mentions"]),
            vector_data=base64.b64decode(data["vectors"]),
        )

    def for_article(self, article_id: str) -> AnalyzedArticle:
        """Return the same analysis for another article with the same text (a wire copy).

        Analyses are cached by text; every ``article`` field inside (sentences, spans, quotes,
        mentions...) is rewritten to ``article_id``.
        """
        if article_id == self.article:
            return self
        return cast(AnalyzedArticle, _retarget(self, self.article, article_id))


def _retarget(value: Any, old: str, new: str) -> Any:
    """Return ``value`` with every dataclass field named ``article`` equal to ``old`` set to new."""
    if isinstance(value, tuple):
        return tuple(_retarget(v, old, new) for v in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        v = getattr(value, f.name)
        if f.name == "article" and v == old:
            changes[f.name] = new
        elif isinstance(v, tuple) or dataclasses.is_dataclass(v):
            w = _retarget(v, old, new)
            if w is not v:
                changes[f.name] = w
    return dataclasses.replace(value, **changes) if changes else value


__all__ = ["ANALYSIS_VERSION", "AnalyzedArticle"]
