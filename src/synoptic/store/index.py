"""The keys a stored article is found by: key terms (story candidates) and LSH bands (copies).

Both are pure functions of an article's content, so the rows they produce never depend on what
the store already holds (ingesting in any split gives the same rows). Both are written into
posting tables next to the article's *days*, so that a look-up reads only the postings of a
time window: its cost follows the arrival rate, not the size of the store.

* ``index_terms``: the article's names and numbers (``cluster.article_terms``), topped up by
  ``key_terms``: up to ``KEY_TERMS`` words that name the event. A fixed score stands in for
  TF-IDF (no global document frequencies, which would make the chosen terms depend on ingest
  order): sublinear term frequency, title words counted twice, capitalised words (names,
  places, organisations: the entities a story is about) weighted up, stop words and very short
  words dropped, longer words slightly preferred.
* ``dedup_keys``: the bands of the MinHash signature ``synoptic.dedup`` uses (same shingles,
  permutations and LSH threshold, so the same candidate pairs), each band hashed to a signed
  64-bit integer. Texts too short for MinHash are keyed by their shingles instead, as
  ``DuplicateIndex`` compares them exactly.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from synoptic import lang
from synoptic.model import published_timestamp

if TYPE_CHECKING:
    from synoptic.model import Article
    from synoptic.stories.features import Features

# The keys need numpy and the clusterer's features; they are imported inside the
# functions that compute keys, so that reading the store (``synoptic stories``, which uses the
# clocks below) starts without them.

KEY_TERMS = 20
MIN_TERM_CHARS = 3
DAY = 86_400.0

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|\d[\d,.]*\d", re.UNICODE)
# Words that are capitalised in news text for reasons other than naming something.
_STOP_WORDS = (
    "said says say told according reported report reports today yesterday tomorrow week year "
    "years people percent mr mrs ms dr advertisement share read more"
)
_STOP = (
    lang.words("stop_words_sklearn")
    | frozenset(_STOP_WORDS.split())
    | frozenset(lang.mapping("weekdays"))
    | lang.full_forms("months")
)


@functools.cache
def _bands() -> tuple[int, int]:
    """The (bands, rows) split of the MinHash signature that ``synoptic.dedup``'s LSH uses."""
    from synoptic.dedup import LSH_THRESHOLD, NUM_PERM
    from synoptic.minhash import lsh_bands

    return lsh_bands(LSH_THRESHOLD, NUM_PERM)


def key_terms(article: Article, limit: int = KEY_TERMS) -> list[str]:
    """Return the article's key terms, best first (ties broken alphabetically).

    Args:
        article: The article; its title counts twice.
        limit: How many terms to keep.
    """
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text, weight in ((article.title or "", 2), (article.text, 1)):
        for match in _TOKEN.finditer(text):
            word = match.group()
            low = word.lower()
            if len(low) < MIN_TERM_CHARS or low in _STOP or low.isdigit():
                continue
            counts[low[:64]] += weight
            if word[0].isupper():
                capitalised[low[:64]] += weight
    scored = []
    for term, n in counts.items():
        score = (1.0 + math.log(n)) * min(len(term), 10) / 5.0
        if capitalised[term] * 2 >= n:
            score *= 2.0
        scored.append((-score, term))
    scored.sort()
    return [t for _, t in scored[:limit]]


def index_terms(
    article: Article, limit: int = KEY_TERMS, *, features: Features | None = None
) -> list[str]:
    """Return the terms the story index keys an article by, best first.

    Its names and numbers first (``cluster.article_terms``: what two reports of one event
    share and two events of one kind do not), topped up with ``key_terms`` for articles that
    name little. Both are pure functions of the article.

    Args:
        article: The article.
        limit: How many terms to keep.
        features: The article's features, when read already (``stories.blocks`` reads a
            batch's once: past their cache's size every call would read the text again).
    """
    from synoptic.stories.features import article_features, name_terms

    names = (features or article_features(article)).names
    terms = [t[:64] for t in name_terms(names, limit)]
    if len(terms) < limit:
        for t in key_terms(article, limit):
            if t not in terms:
                terms.append(t)
                if len(terms) >= limit:
                    break
    return list(dict.fromkeys(terms))


def _signed64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def dedup_keys(shingle_set: frozenset[str]) -> list[int]:
    """Return the LSH band keys of a text's shingle set (its shingle keys when it is short)."""
    from synoptic.dedup import MIN_SHINGLES, minhash

    if not shingle_set:
        return []
    if len(shingle_set) < MIN_SHINGLES:
        return sorted({_signed64(b"s" + s.encode("utf-8")) for s in shingle_set})
    values = minhash(shingle_set)
    keys = set()
    bands, rows = _bands()
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows]
        keys.add(_signed64(b"b%d:" % band + chunk.tobytes()))
    return sorted(keys)


def parse_published(value: str | None) -> float | None:
    """Return a published ISO 8601 value as UTC epoch seconds, or ``None`` if unreadable."""
    return published_timestamp(value)


def day_of(ts: float) -> int:
    """Return the day number (days since 1970-01-01 UTC) of epoch seconds ``ts``."""
    return math.floor(ts / DAY)


def iso_of(ts: float | None) -> str | None:
    """Return epoch seconds as an ISO 8601 UTC timestamp (seconds precision)."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def day_start(value: date) -> float:
    """Return the epoch seconds of midnight UTC on ``value``."""
    return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()
