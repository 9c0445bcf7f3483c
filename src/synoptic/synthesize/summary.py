"""The extractive summary: the best-supported, most central reports, each citing every outlet.

Units are the alignment groups of ``synthesize.align`` (every report, in every outlet's words),
not single sentences, so that a report three outlets carry counts three times and is said once:

1. **wording**: each group speaks through one member sentence, verbatim: the clearest wording
   (``facts.clarity``) among members that read like a statement (``MIN_WORDS`` to
   ``MAX_WORDS`` words, a capital start, terminal punctuation, not a question, not the title).
   Members opening with a pronoun ("He said...") are taken only when the group has no other
   wording, and then with a penalty; wire copies lend their wording only to reports their
   original does not carry;
2. **score**: ``centrality`` (cosine of the wording's MiniLM embedding to the story centroid)
   + ``SUPPORT_WEIGHT`` × the share of independent outlets reporting it + ``LEAD_WEIGHT`` × a
   lead bonus (news puts the gist first: ``1/sqrt(1 + index)`` of its earliest member), less
   ``QUOTE_PENALTY`` for a wording that opens with a direct quote;
3. **selection**: greedy MMR within ``max_words``: the best score minus ``MMR_LAMBDA`` × the
   highest cosine to a sentence already chosen, skipping any candidate over the remaining
   budget or as similar as ``REDUNDANCY`` to one already chosen;
4. **order**: by the group's mean relative position in the articles that carry it, then by
   the earliest publication date among them. Lead-first rather than chronological: most
   inputs carry no date (four of five real scraped reports we hold do not), while every
   sentence has a position, and the outlets' shared placement (majority ordering, as in
   Barzilay et al. 2002) puts what happened before background and reaction;
5. **citations**: every member of the group, the wording's own span first.

Text is never rewritten: each summary item is a span of a source article.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from synoptic.analyze.embed import Embedder
from synoptic.model import Cited, Sentence, Story
from synoptic.synthesize.align import Group, Member, align, independent
from synoptic.synthesize.facts import cite_group, clarity, starts_badly
from synoptic.synthesize.facts import word_count as _facts_word_count

DEFAULT_SUMMARY_WORDS = 120
MIN_WORDS = 10
MAX_WORDS = 60
SUPPORT_WEIGHT = 0.5
LEAD_WEIGHT = 0.3
BAD_START_PENALTY = 0.3
# A sentence that opens with a direct quote: summaries report speech rather than quote it, and
# a quote is the wording outlets vary most (a paraphrase elsewhere is then the better pick).
QUOTE_PENALTY = 0.15
MMR_LAMBDA = 0.5
# Two wordings this similar (MiniLM cosine) say the same thing for the redundancy cut.
REDUNDANCY = 0.72

_END = re.compile(r"[.!?…]['\"”’)\]]*$")
_QUOTES = ('"', "“", "‘", "„", "'")


def word_count(text: str) -> int:
    """Count words the way the summary budget does."""
    return _facts_word_count(text)


def _statement(member: Member, titles: Mapping[str, str | None]) -> bool:
    text = member.sentence.text
    words = word_count(text)
    if not MIN_WORDS <= words <= MAX_WORDS:
        return False
    title = titles.get(member.sentence.article)
    if title and text.strip() == title.strip():
        return False
    if text.lstrip("\"“‘'„([")[:1].islower():
        return False
    stripped = text.rstrip()
    return bool(_END.search(stripped)) and not stripped.rstrip("\"”’' ").endswith("?")


@dataclass(frozen=True, slots=True)
class _Unit:
    group: Group
    wording: Member
    score: float
    words: int
    dates: tuple[str, ...]


def _wording(group: Group, titles: Mapping[str, str | None]) -> tuple[Member, bool] | None:
    """Pick the group's summary wording; the flag says it opens badly (no better choice)."""
    ok = [m for m in group.members if _statement(m, titles)]
    if not ok:
        return None
    originals = [m for m in ok if m.outlet == m.sentence.article]
    pool = originals or ok
    clean = [m for m in pool if not starts_badly(m.sentence.text)]
    best = max(clean or pool, key=lambda m: (clarity(m, group), -m.position))
    return best, not clean


def summarize(
    story: Story,
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    max_words: int = DEFAULT_SUMMARY_WORDS,
    groups: Sequence[Group] | None = None,
    embedder: Embedder | None = None,
) -> tuple[Cited, ...]:
    """Return the story's summary as cited verbatim sentences.

    Args:
        story: The story; a wire copy's sentences are cited with its original's.
        sentences: Each article's sentences, by article id.
        max_words: The word budget; the summary never exceeds it.
        groups: The story's alignment (``align(...)``); computed from the sentences alone
            (no spaCy features) when omitted.
        embedder: The embedder for computing the alignment.

    Returns:
        Summary sentences in reading order, each citing every article that reports it.
    """
    if max_words <= 0 or not any(sentences.get(a.id) for a in story.articles):
        return ()
    if groups is None:
        groups = align(story, sentences, embedder=embedder)
    if not groups:
        return ()
    titles = {a.id: a.title for a in story.articles}
    published = {a.id: a.published or "" for a in story.articles}
    n_outlets = max(1, independent(story))
    vectors = np.stack([m.vector for g in groups for m in g.members])
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)

    units: list[_Unit] = []
    for g in groups:
        picked = _wording(g, titles)
        if picked is None:
            continue
        m, bad = picked
        centrality = float(m.vector @ centroid)
        share = (g.support - 1) / (n_outlets - 1) if n_outlets > 1 else 0.0
        lead = max(1.0 / math.sqrt(1.0 + x.sentence.index) for x in g.members)
        score = centrality + SUPPORT_WEIGHT * share + LEAD_WEIGHT * lead
        score -= BAD_START_PENALTY if bad else 0.0
        score -= QUOTE_PENALTY if m.sentence.text.lstrip().startswith(_QUOTES) else 0.0
        dates = tuple(sorted(d for x in g.members if (d := published[x.sentence.article])))
        units.append(_Unit(g, m, score, word_count(m.sentence.text), dates))
    if not units:
        return ()

    unit_vecs = np.stack([u.wording.vector for u in units])
    sim = unit_vecs @ unit_vecs.T
    chosen: list[int] = []
    budget = max_words
    remaining = set(range(len(units)))
    while remaining:
        best, best_value = -1, -math.inf
        for i in remaining:
            u = units[i]
            if u.words > budget:
                continue
            redundancy = max((float(sim[i, j]) for j in chosen), default=0.0)
            if redundancy >= REDUNDANCY:
                continue
            value = u.score - MMR_LAMBDA * redundancy
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        remaining.discard(best)
        budget -= units[best].words
    chosen.sort(key=lambda i: (units[i].group.position, units[i].dates[:1] or ("~",)))
    return tuple(cite_group(units[i].group, units[i].wording) for i in chosen)


__all__ = ["DEFAULT_SUMMARY_WORDS", "summarize", "word_count"]
