"""Per-article maps the attribution stages share: characters, tokens, sentences, quotes."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from synoptic.analyze.docindex import index_of
from synoptic.analyze.nlp import parse_view
from synoptic.analyze.quotes.marks import Raw, paragraphs
from synoptic.deadline import checked
from synoptic.model import Article


@dataclass(slots=True)
class Attribution:
    cue_token: int | None  # token index of the speech verb / "according"
    cue: str | None
    subject: int | None  # token index of the subject head
    how: str  # which rule found it (for debugging and rejection reasons)
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    pid: int | None = None
    first_person: bool = False


class Context:
    """Per-article maps between characters, tokens, sentences, paragraphs and quotes."""

    def __init__(self, article: Article, doc: Doc, raws: list[Raw]) -> None:
        text = article.text
        # The parse reads the text's parse view (same length, long punctuation runs blanked).
        if doc.text != text[: len(doc.text)] and doc.text != parse_view(text, len(doc.text)):
            raise ValueError(f"{article.id}: the parse does not belong to this article's text")
        self.article = article
        self.text = text
        self.doc = doc
        self.raws = raws
        self.paras = paragraphs(text)
        self.para_starts = [p[0] for p in self.paras]
        self.tok_starts = [t.idx for t in doc]
        self.sent_of = [0] * len(doc)
        self.sent_starts: list[int] = []  # first token of each sentence
        for si, sent in enumerate(doc.sents):
            self.sent_starts.append(sent.start)
            for k in range(sent.start, sent.end):
                self.sent_of[k] = si
        # innermost quote holding each token (marks included), by containment
        self.tok_quote: list[int | None] = [None] * len(doc)
        order = sorted(range(len(raws)), key=lambda k: raws[k].level)
        for qi in checked(order, "quotes"):
            r = raws[qi]
            for k in self.tokens_between(r.open_pos, r.outer_end):
                self.tok_quote[k] = qi
        # The quote tree as index intervals: nesting by containment (``marks._nest``) gives
        # every parent a lower index than its children and each quote's descendants the
        # indices right after it, so "quote qi holds token k" is one comparison and the chain
        # of quotes holding a token is never walked (one paragraph of marks that each open
        # inside the last nests as deep as it is long: walking it was quadratic, issue 17).
        n = len(raws)
        self._last = list(range(n))
        self._root = list(range(n))
        self._intervals = all(r.parent is None or r.parent < i for i, r in enumerate(raws))
        if self._intervals:
            for i in range(n - 1, -1, -1):
                p = raws[i].parent
                if p is not None and self._last[i] > self._last[p]:
                    self._last[p] = self._last[i]
            for i, r in enumerate(raws):
                if r.parent is not None:
                    self._root[i] = self._root[r.parent]
        # Where the quotes under each parent end (all, and closed ones), in order, and the
        # top-level quotes of each paragraph: the stages ask "the last sibling quote before
        # here" for every quote, and one paragraph may hold thousands of them.
        self._ends: dict[int | None, list[int]] = defaultdict(list)
        self._closed_ends: dict[int | None, list[int]] = defaultdict(list)
        self.top_of_para: dict[int, list[int]] = defaultdict(list)
        for qi, r in enumerate(raws):
            self._ends[r.parent].append(r.outer_end)
            if r.close_pos is not None:
                self._closed_ends[r.parent].append(r.outer_end)
            if r.level == 0:
                self.top_of_para[r.para].append(qi)
        for ends in (*self._ends.values(), *self._closed_ends.values()):
            ends.sort()

    def tokens_between(self, start: int, end: int) -> range:
        """Token indices whose first character lies in ``[start, end)``."""
        a = bisect.bisect_left(self.tok_starts, start)
        b = bisect.bisect_left(self.tok_starts, end)
        return range(a, b)

    def sibling_end(self, qi: int, before: int, *, closed: bool = False) -> int | None:
        """The last end (``outer_end``) at or before ``before`` of a quote sharing quote
        ``qi``'s parent (with ``closed``, of one with a closing mark); ``None`` if none."""
        ends = (self._closed_ends if closed else self._ends).get(self.raws[qi].parent, [])
        i = bisect.bisect_right(ends, before)
        return ends[i - 1] if i else None

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def quote_chain(self, k: int) -> list[int]:
        """Quotes holding token ``k``, innermost first."""
        out = []
        q = self.tok_quote[k]
        while q is not None:
            out.append(q)
            q = self.raws[q].parent
        return out

    def outermost(self, k: int) -> int | None:
        q = self.tok_quote[k]
        if q is None or not self._intervals:
            chain = self.quote_chain(k)
            return chain[-1] if chain else None
        return self._root[q]

    def in_frame(self, k: int, qi: int) -> bool:
        """Whether token ``k`` is narration at quote ``qi``'s level (outside it and its siblings).

        For a top-level quote that is the paragraph's unquoted text; for an inner quote, the
        outer quote's words outside the inner quotes.
        """
        r = self.raws[qi]
        if r.parent is None:
            return self.tok_quote[k] is None and self.para_of(self.doc[k].idx) == r.para
        # The parent in the chain and the chain as long as qi's level: the token's innermost
        # quote is the parent itself (each level holds one quote of a chain).
        return self.tok_quote[k] == r.parent

    def narration(self, k: int, qi: int) -> bool:
        """Like ``in_frame`` but in any paragraph (a subject may sit in the paragraph before)."""
        r = self.raws[qi]
        if r.parent is None:
            return self.tok_quote[k] is None
        return self.tok_quote[k] == r.parent

    def inside(self, k: int, qi: int) -> bool:
        q = self.tok_quote[k]
        if q is None:
            return False
        if self._intervals:
            return qi <= q <= self._last[qi]
        return qi in self.quote_chain(k)


def scope(ctx: Context, qi: int) -> tuple[int, int]:
    """Character range narration for quote ``qi`` may come from."""
    r = ctx.raws[qi]
    if r.parent is not None:
        p = ctx.raws[r.parent]
        return p.start, p.end
    return ctx.paras[r.para]


def ent_of(t: Token) -> SpacySpan | None:
    """The named entity holding ``t``, if any."""
    if not t.ent_type_:
        return None
    return index_of(t.doc).ent_at(t.i)  # doc.ents builds every entity of the document


def is_subject(t: Token) -> bool:
    return t.dep_ in ("nsubj", "nsubjpass")


def is_subjectish(t: Token) -> bool:
    """A subject, or a name in apposition to / in the of-phrase of a subject's title."""
    if is_subject(t):
        return True
    if t.dep_ == "appos":
        return is_subject(t.head)
    if t.dep_ == "pobj" and t.head.lower_ == "of":
        return is_subject(t.head.head)
    return False


def np_span(ctx: Context, t: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``t``, up to the head (no relative clauses)."""
    doc = ctx.doc
    first = t.i
    for c in t.lefts:
        if c.dep_ in ("punct",) or ctx.tok_quote[c.i] != ctx.tok_quote[t.i]:
            continue
        first = min(first, c.left_edge.i)
    while first < t.i and (doc[first].is_punct or doc[first].is_space):
        first += 1
    last = t
    for c in t.rights:
        if ctx.tok_quote[c.i] != ctx.tok_quote[t.i]:
            continue
        if c.dep_ == "conj":  # "Smith and Jones"
            last = c
        elif c.dep_ == "prep" and c.lower_ == "of" and t.pos_ in ("NUM", "PRON"):
            last = c.right_edge  # "one of his key lawyers"
    return doc[first].idx, last.idx + len(last.text)


def np_text(ctx: Context, t: Token) -> str:
    s, e = np_span(ctx, t)
    return ctx.text[s:e]
