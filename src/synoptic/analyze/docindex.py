"""One parsed document, indexed once: its text, sentences and entities, looked up by bisection.

spaCy's own accessors walk the document on every call: ``Doc.text`` joins every token,
``Span.ents`` builds every entity of the document, and ``Token.sent`` scans to the sentence
bounds. Called once per figure, they made number extraction quadratic in the article's length
(100 KB of prose with 600 figures: 347 s), and sentence features, claims and quotes quadratic
too (1 MB of dates: over 300 s in the features alone). ``DocIndex`` computes each once, lazily
(a document without figures never needs its sentences), and answers each question in
logarithmic time; ``index_of`` keeps one per parse, shared by every extractor.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property

from spacy.tokens import Doc, Span, Token


class DocIndex:
    """A parsed document with its text, sentences and entities indexed for lookups."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    @cached_property
    def text(self) -> str:
        """The document's text (``Doc.text``, built once)."""
        return self.doc.text

    @cached_property
    def _sentences(self) -> tuple[list[int], list[Span]]:
        sents = list(self.doc.sents)
        return [s.start for s in sents], sents

    @cached_property
    def _entities(self) -> tuple[list[int], list[Span]]:
        ents = list(self.doc.ents)
        return [e.start for e in ents], ents

    @cached_property
    def _line_starts(self) -> list[int]:
        text = self.text
        starts = [0]
        at = text.find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        return starts

    def sent(self, tok: Token) -> Span:
        """The sentence holding ``tok`` (the same span as ``tok.sent``)."""
        starts, sents = self._sentences
        return sents[bisect_right(starts, tok.i) - 1]

    def ents(self, span: Span) -> list[Span]:
        """The entities inside ``span``, as ``span.ents`` lists them.

        Like spaCy: entities from the first one starting in the span, up to the first one that
        runs past its end.
        """
        starts, ents = self._entities
        out: list[Span] = []
        for k in range(bisect_left(starts, span.start), len(ents)):
            if ents[k].end > span.end:
                break
            out.append(ents[k])
        return out

    def ent_at(self, i: int) -> Span | None:
        """The entity holding token ``i``, if any (the first such in ``doc.ents``)."""
        starts, ents = self._entities
        k = bisect_right(starts, i) - 1
        return ents[k] if k >= 0 and ents[k].start <= i < ents[k].end else None

    def line_start(self, pos: int) -> int:
        """The offset where the line holding ``pos`` starts (``text.rfind("\\n", 0, pos) + 1``)."""
        return self._line_starts[bisect_right(self._line_starts, pos) - 1]


_KEY = "synoptic.docindex"


def index_of(doc: Doc) -> DocIndex:
    """Return the one ``DocIndex`` of ``doc`` (kept in ``doc.user_data``, which no cache stores)."""
    index = doc.user_data.get(_KEY)
    if not isinstance(index, DocIndex) or index.doc is not doc:
        index = DocIndex(doc)
        doc.user_data[_KEY] = index
    return index


__all__ = ["DocIndex", "index_of"]
