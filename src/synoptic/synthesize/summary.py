"""A first extractive summary: central, non-redundant sentences that cite their articles.

The method is centroid-based selection with a redundancy cut (MMR-style), a well-understood
baseline for multi-document news summarisation:

1. candidate sentences: every sentence of every original (non-duplicate) article that reads
   like a statement, not a headline, a question or a fragment;
2. score: TF-IDF cosine to the story's centroid, plus a bonus for the number of other articles
   that carry a near-identical sentence, plus a small lead bonus (news puts the gist first);
3. greedy selection by score within the word budget, skipping any sentence too similar to one
   already chosen;
4. chosen sentences in reading order (relative position in their article, then article);
5. each sentence cites every article in which it appears verbatim or nearly so.

Text is never rewritten: every summary item is a span of a source article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from synoptic.model import Cited, Sentence, Span, Story

DEFAULT_SUMMARY_WORDS = 120
MIN_WORDS = 10
MAX_WORDS = 60
# Two sentences this similar (TF-IDF cosine) say the same thing for the redundancy cut.
REDUNDANCY = 0.5
# rapidfuzz ratio at or above which a sentence in another article counts as the same sentence.
SAME_SENTENCE = 90.0

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_END = re.compile(r"[.!?…”\"’')\]]$")


def word_count(text: str) -> int:
    """Count words the way the summary budget does."""
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: Sentence
    order: int  # article position in the story
    words: int


def _is_candidate(s: Sentence, title: str | None) -> bool:
    words = word_count(s.text)
    if not MIN_WORDS <= words <= MAX_WORDS:
        return False
    if title and s.text.strip() == title.strip():
        return False
    # A summary sentence must be a statement: starts and ends like one, and is not a question.
    # (A lower-case start marks a fragment left by a bad sentence break or a scraper's cut.)
    first = s.text.lstrip("“\"‘'([")[:1]
    if first.islower():
        return False
    return bool(_END.search(s.text)) and not s.text.rstrip("”\"’' ").endswith("?")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def summarize(
    story: Story,
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    max_words: int = DEFAULT_SUMMARY_WORDS,
) -> tuple[Cited, ...]:
    """Return the story's summary as cited verbatim sentences.

    Args:
        story: The story; duplicates (``duplicate_of`` set) are cited but not drawn from.
        sentences: Each article's sentences, by article id.
        max_words: The word budget; the summary never exceeds it.

    Returns:
        Summary sentences in reading order, each citing every article that carries it.
    """
    originals = [a for a in story.articles if a.duplicate_of is None]
    order = {a.id: i for i, a in enumerate(story.articles)}
    cands = [
        _Candidate(s, order[a.id], word_count(s.text))
        for a in originals
        for s in sentences.get(a.id, ())
        if _is_candidate(s, a.title)
    ]
    if not cands or max_words <= 0:
        return ()
    texts = [c.sentence.text for c in cands]
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        matrix = vec.fit_transform(texts)
    except ValueError:  # only stop words: nothing to rank by
        return ()
    centroid = np.asarray(matrix.mean(axis=0))
    centrality = cosine_similarity(matrix, centroid).ravel()
    pair = cosine_similarity(matrix)
    support = _support(cands)
    n_art = max(1, len(originals))
    lead = np.array([1.0 / (1.0 + c.sentence.index) for c in cands])
    score = centrality + 0.15 * (support - 1) / n_art + 0.1 * lead

    chosen: list[int] = []
    budget = max_words
    for i in np.argsort(-score, kind="stable"):
        c = cands[int(i)]
        if c.words > budget:
            continue
        if any(pair[int(i), j] >= REDUNDANCY for j in chosen):
            continue
        chosen.append(int(i))
        budget -= c.words
        if budget < MIN_WORDS:
            break
    # Reading order: by relative position in its article (news puts the gist first, context
    # later), so the leads of several outlets come before any one outlet's background.
    length = {a.id: max(1, len(sentences.get(a.id, ()))) for a in originals}
    chosen.sort(
        key=lambda i: (
            cands[i].sentence.index / length[cands[i].sentence.article],
            cands[i].order,
        )
    )
    return tuple(_cite(cands[i].sentence, sentences, story) for i in chosen)


def _support(cands: Sequence[_Candidate]) -> np.ndarray:
    """Count, per candidate, the articles carrying a near-identical sentence (itself included)."""
    norms = [_norm(c.sentence.text) for c in cands]
    same = process.cdist(norms, norms, scorer=fuzz.ratio, score_cutoff=SAME_SENTENCE) > 0
    articles = [c.sentence.article for c in cands]
    return np.array(
        [
            len({articles[j] for j in np.flatnonzero(row)} | {articles[i]})
            for i, row in enumerate(same)
        ],
        dtype=float,
    )


def _cite(sentence: Sentence, sentences: Mapping[str, Sequence[Sentence]], story: Story) -> Cited:
    """Cite the sentence's own span and its near-identical twins in other articles."""
    spans = [sentence.span]
    target = _norm(sentence.text)
    for a in story.articles:
        if a.id == sentence.article:
            continue
        best: Sentence | None = None
        best_score = SAME_SENTENCE
        for other in sentences.get(a.id, ()):
            score = fuzz.ratio(target, _norm(other.text))
            if score >= best_score:
                best, best_score = other, score
        if best is not None:
            spans.append(Span(best.article, best.start, best.end))
    return Cited(text=sentence.text, spans=tuple(spans))
