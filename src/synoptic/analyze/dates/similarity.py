"""Sentence similarity for dated events: do two sentences report the same thing?

The stemmed content words of a sentence (``content_terms``: stop words and date words left out)
compared by an IDF-weighted Dice overlap (``sentence_similarity``) over a story's sentences
(``TermWeights``). Used to pin undated articles (``anchor``) and to merge timeline events.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from synoptic.analyze.dates.phrases import MONTHS, SEASONS, WEEKDAYS
from synoptic.lang import words

_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_STOP = words("date_similarity_stop_words")
_DATE_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(SEASONS)


def _stem(word: str) -> str:
    w = word.lower().strip("’'-")
    w = re.sub(r"[’']s$", "", w)
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: len(w) - len(suffix)] + repl
            break
    return w[:6]


def content_terms(text: str) -> frozenset[str]:
    """Return the stemmed content words of a sentence (stop words and date words dropped)."""
    out = set()
    for raw in _TOKEN.findall(text):
        for part in raw.split("-"):
            low = part.lower().strip("’'")
            if len(low) < 3 or low in _STOP or low in _DATE_WORDS:
                continue
            out.add(_stem(low))
    return frozenset(out)


class TermWeights:
    """Inverse document frequency of terms over a set of sentences (a story's)."""

    def __init__(self, term_sets: Iterable[frozenset[str]]) -> None:
        sets = list(term_sets)
        self.n = len(sets)
        self.df: Counter[str] = Counter()
        for s in sets:
            self.df.update(s)

    def weight(self, term: str) -> float:
        """Smoothed IDF: terms every sentence shares weigh little, rare ones a lot."""
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0


def sentence_similarity(a: frozenset[str], b: frozenset[str], weights: TermWeights) -> float:
    """IDF-weighted Dice overlap of two sentences' content terms, in [0, 1]."""
    if not a or not b:
        return 0.0
    shared = sum(weights.weight(t) for t in a & b)
    total = sum(weights.weight(t) for t in a) + sum(weights.weight(t) for t in b)
    return 2.0 * shared / total if total else 0.0
