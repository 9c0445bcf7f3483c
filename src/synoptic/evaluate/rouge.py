"""ROUGE-N recall as ROUGE-1.5.5 computes it (``-m -n 2 -f A``), without Perl.

Tokens are lower-case alphanumeric runs, Porter-stemmed when over three characters (ROUGE's
``-m``; the Porter (1980) stemmer is Snowball's), with no stop-word removal; recall is pooled
over the references (``-f A``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import snowballstemmer

# ROUGE-1.5.5's Porter (1980) stemmer, from Snowball's implementation of it.
_PORTER = snowballstemmer.stemmer("porter")
_TOKEN = re.compile(r"[a-z0-9]+")


def porter(word: str) -> str:
    """Return the Porter (1980) stem of a lower-case word."""
    return str(_PORTER.stemWord(word))


def words(text: str) -> list[str]:
    """Return the lower-case alphanumeric runs of ``text`` (ROUGE's tokens before stemming)."""
    return _TOKEN.findall(text.lower())


def rouge_tokens(text: str) -> list[str]:
    """ROUGE-1.5.5 tokens: lower-case alphanumeric runs, Porter-stemmed when over 3 chars."""
    return [porter(t) if len(t) > 3 else t for t in words(text)]


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    """Return the multiset of ``n``-grams of ``tokens``."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_recall(summary: str, references: Sequence[str], n: int) -> float:
    """ROUGE-N recall of ``summary`` pooled over ``references`` (ROUGE ``-f A``)."""
    peer = ngrams(rouge_tokens(summary), n)
    hits = total = 0
    for ref in references:
        model = ngrams(rouge_tokens(ref), n)
        hits += sum(min(c, peer[g]) for g, c in model.items())
        total += sum(model.values())
    return hits / total if total else 0.0


def truncate(text: str, words: int) -> str:
    """Cut ``text`` to its first ``words`` whitespace-separated words (ROUGE ``-l``)."""
    return " ".join(text.split()[:words])
