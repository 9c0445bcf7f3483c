"""Near-duplicate (wire copy) detection: MinHash over word shingles.

A wire story republished by several outlets, under a new headline, trimmed at the end or with a
local paragraph added, is one report: it is marked ``duplicate_of`` its original, listed among
the outlets that carry the story, and counts once for support.

Two steps, for speed and then for precision:

1. candidates from MinHash LSH (datasketch) over 5-word shingles, at a low Jaccard threshold,
   so that a copy trimmed to half its length is still found;
2. verification on the exact shingle sets: the share of the shorter text's shingles found in the
   longer one (containment), which stays high for trimmed or extended copies while Jaccard
   falls.

The original of a group is chosen by ``synoptic.stories.original`` (the store's rule too): the
earliest published member (compared as instants, whatever the offsets), else the longest, else
the first by source; every copy points at that original directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from datasketch import MinHash, MinHashLSH

from synoptic.model import Article
from synoptic.stories.identity import current_versions
from synoptic.stories.original import CONTAINMENT, best_copy, containment, original_rank

SHINGLE_WORDS = 5
NUM_PERM = 128
# LSH recall threshold on estimated Jaccard: low, since verification decides.
LSH_THRESHOLD = 0.3
# Texts shorter than this many shingles are compared exactly only (MinHash is noisy on them).
MIN_SHINGLES = 8

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """Return the set of ``size``-word shingles of ``text`` (lower-cased word tokens)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def minhash(sh: frozenset[str], num_perm: int = NUM_PERM) -> MinHash:
    """Return the MinHash of a shingle set (the one the index and Spark's banding both use)."""
    m = MinHash(num_perm=num_perm)
    m.update_batch([s.encode("utf-8") for s in sorted(sh)])
    return m


class DuplicateIndex:
    """An online index of articles seen so far; ``add`` marks a copy of an indexed article.

    Args:
        containment: Minimum containment for a copy.
        lsh_threshold: Jaccard threshold of the LSH candidate search.
        num_perm: MinHash permutations.
    """

    def __init__(
        self,
        containment: float = CONTAINMENT,
        lsh_threshold: float = LSH_THRESHOLD,
        num_perm: int = NUM_PERM,
    ) -> None:
        self.containment = containment
        self.lsh_threshold = lsh_threshold
        self.num_perm = num_perm
        self.lsh_ = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
        self.shingles_: dict[str, frozenset[str]] = {}
        self.original_: dict[str, str] = {}
        # Texts with the same shingles are indexed once: the first such id stands for them in
        # the LSH, and ``top_`` keeps the last id of each such group in id order, the one
        # ``best_copy`` would choose among them. So a flood of identical reports costs one
        # look-up each instead of one per identical report already seen.
        self.rep_: dict[frozenset[str], str] = {}
        self.top_: dict[str, str] = {}

    def _minhash(self, sh: frozenset[str]) -> MinHash:
        return minhash(sh, self.num_perm)

    def find(self, article: Article) -> str | None:
        """Return the id of the indexed original ``article`` copies, or ``None``."""
        sh = shingles(article.text)
        if not sh:
            return None
        if len(sh) >= MIN_SHINGLES:
            reps = set(self.lsh_.query(self._minhash(sh)))
        else:
            reps = {k for v, k in self.rep_.items() if v & sh}
        candidates = ((self.top_[k], self.shingles_[k]) for k in reps)
        best = best_copy(sh, candidates, self.containment)
        return None if best is None else self.original_[best]

    def add(self, article: Article) -> Article:
        """Index ``article``; return it marked ``duplicate_of`` its original if it is a copy."""
        if article.id in self.shingles_:
            return article
        original = self.find(article)
        sh = shingles(article.text)
        self.shingles_[article.id] = sh
        self.original_[article.id] = original or article.id
        rep = self.rep_.get(sh)
        if rep is not None:
            self.top_[rep] = max(self.top_[rep], article.id)
        elif sh:
            self.rep_[sh] = self.top_[article.id] = article.id
            self.lsh_.insert(article.id, self._minhash(sh))
        return replace(article, duplicate_of=original) if original else article


def mark_duplicates(articles: Sequence[Article]) -> list[Article]:
    """Mark wire copies in a batch, keeping the input order; an id read twice is kept once.

    Versions come first (``stories.identity``): of a page read with different contents only
    the newest version is kept (a revised report, not a copy of itself). Members are then
    indexed in the order of the original rule (``stories.original.original_rank``: earliest
    published, then longest), so that the original of a group is the one that appeared
    first, whatever order the files were read in.
    """
    unique: dict[str, Article] = {}
    for a in articles:
        unique.setdefault(a.id, a)
    # A page read twice with new content is one article in a new version, not a copy.
    current, _ = current_versions(list(unique.values()))
    unique = {a.id: a for a in current}
    index = DuplicateIndex()
    marked = {a.id: index.add(a) for a in sorted(unique.values(), key=original_rank)}
    return [marked[a_id] for a_id in unique]


__all__ = [
    "CONTAINMENT",
    "DuplicateIndex",
    "containment",
    "mark_duplicates",
    "minhash",
    "shingles",
]
