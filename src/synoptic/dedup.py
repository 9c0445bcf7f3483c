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

    def _minhash(self, sh: frozenset[str]) -> MinHash:
        return minhash(sh, self.num_perm)

    def find(self, article: Article) -> str | None:
        """Return the id of the indexed original ``article`` copies, or ``None``."""
        sh = shingles(article.text)
        if not sh:
            return None
        candidates = set(self.lsh_.query(self._minhash(sh))) if len(sh) >= MIN_SHINGLES else set()
        if len(sh) < MIN_SHINGLES:
            candidates = {k for k, v in self.shingles_.items() if v & sh}
        best = best_copy(sh, ((k, self.shingles_[k]) for k in candidates), self.containment)
        return None if best is None else self.original_[best]

    def add(self, article: Article) -> Article:
        """Index ``article``; return it marked ``duplicate_of`` its original if it is a copy."""
        if article.id in self.shingles_:
            return article
        original = self.find(article)
        sh = shingles(article.text)
        self.shingles_[article.id] = sh
        self.original_[article.id] = original or article.id
        if sh:
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
