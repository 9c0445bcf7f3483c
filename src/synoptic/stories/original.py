"""Which report of a group of wire copies is the original, and which stored text one copies.

One rule for the batch (``synoptic.dedup.mark_duplicates``) and the store
(``synoptic.store.ingest``): the original is the earliest *published* member, compared as
instants (parsed timestamps, so ``2024-10-14T23:30-05:00`` is later than
``2024-10-15T01:00Z``, which comparing the strings would get backwards), else the longest,
else the first by source. Undated members come after dated ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from synoptic.model import Article, published_timestamp

# Containment of the shorter text's shingles in the longer one for a copy.
CONTAINMENT = 0.8


def original_rank(article: Article) -> tuple[bool, float, int, str]:
    """Sort key of the original rule: the lowest key of a group of copies is its original."""
    ts = published_timestamp(article.published)
    return (ts is None, ts if ts is not None else 0.0, -len(article.text), article.source)


def arrival_rank(article: Article) -> tuple[bool, float, str]:
    """Sort key of the order a batch counts as its arrival order (earliest published first).

    A batch has no ingest order; it is named as if its articles had reached the store in
    publication order (undated last, ties by id), so batch story ids are a function of the
    set of articles and equal the store's when the store ingests them in that order.
    """
    ts = published_timestamp(article.published)
    return (ts is None, ts if ts is not None else 0.0, article.id)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Return the share of the smaller set found in the larger one."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def best_copy(
    shingle_set: frozenset[str],
    candidates: Iterable[tuple[str, frozenset[str]]],
    threshold: float = CONTAINMENT,
) -> str | None:
    """Return the candidate a text copies: highest containment at or above ``threshold``.

    Candidates are compared in id order and ties go to the last, so the answer does not
    depend on the order a look-up returned them in.

    Args:
        shingle_set: The new text's shingles.
        candidates: (id, shingles) of the texts it may copy.
        threshold: Minimum containment for a copy.
    """
    return best_scored(((k, containment(shingle_set, o)) for k, o in candidates), threshold)


def best_scored(scored: Iterable[tuple[str, float]], threshold: float = CONTAINMENT) -> str | None:
    """Return the key of the highest containment at or above ``threshold`` among
    ``(key, containment)`` pairs, ties to the last in id order (``best_copy``'s choice, for
    callers that scored the pairs elsewhere, such as Spark's verification step)."""
    best, best_score = None, threshold
    for key, score in sorted(scored, key=lambda c: c[0]):
        if score >= best_score:
            best, best_score = key, score
    return best
