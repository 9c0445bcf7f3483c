"""Near-duplicate (wire copy) detection: MinHash over word shingles.

A wire story republished by several outlets, under a new headline, trimmed at the end or with a
local paragraph added, is one report: it is marked ``duplicate_of`` its original, listed among
the outlets that carry the story, and counts once for support.

Two steps, for speed and then for precision:

1. candidates from MinHash LSH (``synoptic.minhash``: datasketch's MinHash and LSH bands, bit for
   bit, without its import cost) over 5-word shingles, at a low Jaccard threshold,
   so that a copy trimmed to half its length is still found;
2. verification on the exact shingle sets: the share of the shorter text's shingles found in the
   longer one (containment), which stays high for trimmed or extended copies while Jaccard
   falls.

The original of a group is chosen by ``synoptic.stories.original`` (the store's rule too): the
earliest published member (compared as instants, whatever the offsets), else the longest, else
the first by source; every copy points at that original directly.

Near-copies below the copy threshold (``near_copies``: most sentences shared verbatim or with a
few words edited) are not marked, so that the store, the batch and Spark keep one copy rule;
the brief counts them as one source (``synthesize.align.outlets``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz, process

from synoptic import lang
from synoptic.minhash import BandIndex, signature
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

# Near-copies (``near_copies``): a report whose sentences are, for at least ``NEAR_COPY`` of
# the shorter one's, found in another report verbatim or with a few words edited (rapidfuzz
# ratio at least ``NEAR_SENTENCE``) is the same wire story republished: a new headline, a
# trimmed ending, an edited word. Below ``CONTAINMENT`` it is not marked a copy (the rule the
# store and Spark share), but it is one source when support is counted. On ECB+ such pairs
# reach 0.7 to 1.0 of shared sentences, independent reports of one event share under 0.35.
NEAR_COPY = 0.7
NEAR_SENTENCE = 90
# Sentences shorter than this carry too little to tell a copy ("He said.", a byline).
NEAR_MIN_WORDS = 6
# A report needs this many such sentences to be judged a near-copy at all.
NEAR_MIN_SENTENCES = 2
# A sentence found in more reports than this is boilerplate (a sign-off, a standard line): it
# proposes no candidates (copies of one text are marked by ``mark_duplicates`` anyway).
NEAR_MAX_POSTING = 200
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+|\n+")
# An edit that changes what a sentence states is a disagreement, never a copy-editor's touch:
# a figure or a negation among the words that differ, or an opposite-outcome pair
# ("confirmed" / "denied") across them. Lemmas match as stems (``_stem``): texts are not parsed.
_NEGATIONS = lang.words("negations")
_NUMBER_WORDS = frozenset(lang.mapping("number_words")) | frozenset(lang.mapping("scale_words"))
_OUTCOMES = tuple(lang.mapping("antonym_outcomes").items())


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """Return the set of ``size``-word shingles of ``text`` (lower-cased word tokens)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def minhash(sh: frozenset[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """Return the MinHash signature of a shingle set (the one the index, the store's band keys
    and Spark's banding all use)."""
    return signature((s.encode("utf-8") for s in sh), num_perm)


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
        self.lsh_ = BandIndex(lsh_threshold, num_perm)
        self.shingles_: dict[str, frozenset[str]] = {}
        self.original_: dict[str, str] = {}
        # Texts with the same shingles are indexed once: the first such id stands for them in
        # the LSH, and ``top_`` keeps the last id of each such group in id order, the one
        # ``best_copy`` would choose among them. So a flood of identical reports costs one
        # look-up each instead of one per identical report already seen.
        self.rep_: dict[frozenset[str], str] = {}
        self.top_: dict[str, str] = {}
        # Shingle -> ids of the indexed texts (representatives) holding it, for the short texts
        # MinHash cannot judge: they are compared with every indexed text sharing a shingle,
        # found here instead of by a scan of all indexed texts (quadratic over a batch of
        # short texts). Built at the first short text only, so a batch of long texts pays
        # nothing; the keys are the strings the shingle sets already hold.
        self.posting_: dict[str, list[str]] | None = None

    def _minhash(self, sh: frozenset[str]) -> np.ndarray:
        return minhash(sh, self.num_perm)

    def _post(self, sh: frozenset[str], rep: str) -> None:
        """Add the representative ``rep`` of shingle set ``sh`` to the shingle postings."""
        if self.posting_ is not None:
            for s in sh:
                self.posting_.setdefault(s, []).append(rep)

    def _sharing(self, sh: frozenset[str]) -> set[str]:
        """The representatives sharing a shingle with ``sh`` (the candidates of a short text)."""
        if self.posting_ is None:
            self.posting_ = {}
            for v, k in self.rep_.items():
                self._post(v, k)
        return {k for s in sh for k in self.posting_.get(s, ())}

    def find(self, article: Article) -> str | None:
        """Return the id of the indexed original ``article`` copies, or ``None``."""
        sh = shingles(article.text)
        if not sh:
            return None
        long_text = len(sh) >= MIN_SHINGLES
        reps = self.lsh_.query(self._minhash(sh)) if long_text else self._sharing(sh)
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
            self._post(sh, article.id)
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


def _sentence_keys(text: str) -> list[str]:
    """The text's sentences of ``NEAR_MIN_WORDS`` words or more, as lower-case word runs."""
    out = []
    for part in _SENTENCE_END.split(text):
        words = _WORD.findall(part.lower())
        if len(words) >= NEAR_MIN_WORDS:
            out.append(" ".join(words))
    return out


def _sentence_ends(key: str) -> tuple[str, str]:
    """The first and the last ``NEAR_MIN_WORDS`` words of a sentence key."""
    words = key.split(" ")
    return "^" + " ".join(words[:NEAR_MIN_WORDS]), " ".join(words[-NEAR_MIN_WORDS:]) + "$"


def _stem(lemma: str) -> str:
    """A lemma's stem for matching inflected forms ("deny" -> "den": denies, denied)."""
    return lemma[:-1] if len(lemma) > 3 and lemma[-1] in "ey" else lemma


def _changes_meaning(s: str, t: str) -> bool:
    """Whether the words that differ between two near sentences state something else."""
    ws, wt = Counter(s.split(" ")), Counter(t.split(" "))
    only_s, only_t = ws - wt, wt - ws
    for word in only_s + only_t:
        if any(c.isdigit() for c in word) or word in _NEGATIONS or word in _NUMBER_WORDS:
            return True

    def has(words: Counter[str], lemma: str) -> bool:
        stem = _stem(lemma)
        return any(w.startswith(stem) and len(w) <= len(lemma) + 3 for w in words)

    return any(
        (has(only_s, a) and has(only_t, b)) or (has(only_s, b) and has(only_t, a))
        for a, b in _OUTCOMES
    )


def _shared_share(a: Sequence[str], b: Sequence[str]) -> float:
    """The share of the shorter list's sentences found in the other, verbatim or near it.

    A near sentence whose edit changes what it states (``_changes_meaning``) is not shared.
    """
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    exact = set(large)
    hits = 0
    for s in small:
        if s in exact:
            hits += 1
            continue
        near = process.extract(s, large, scorer=fuzz.ratio, score_cutoff=NEAR_SENTENCE, limit=3)
        if any(not _changes_meaning(s, m) for m, _score, _i in near):
            hits += 1
    return hits / len(small)


def near_copies(articles: Sequence[Article]) -> list[tuple[str, str]]:
    """Return the pairs of article ids that are near-copies of each other (see ``NEAR_COPY``).

    Candidates share the opening or the closing words of a sentence (an inverted index, so a
    story of many reports is not compared pair by pair); each is verified on all its
    sentences. Copies
    already marked (``duplicate_of``) are included when they qualify; byte-identical texts
    always do.
    """
    keys = {a.id: _sentence_keys(a.text) for a in articles}
    posting: dict[str, list[str]] = {}
    for a in articles:
        # A sentence's opening and closing words both index it, so that one edited word
        # (anywhere but both ends) still finds its copy.
        ends = (e for k in keys[a.id] for e in _sentence_ends(k))
        for k in dict.fromkeys(ends):
            posting.setdefault(k, []).append(a.id)
    candidates: set[tuple[str, str]] = set()
    for ids in posting.values():
        if len(ids) > NEAR_MAX_POSTING:
            continue
        for i, x in enumerate(ids):
            for y in ids[i + 1 :]:
                if x != y:
                    candidates.add((x, y) if x < y else (y, x))
    text = {a.id: a.text for a in articles}
    out = []
    for x, y in sorted(candidates):
        kx, ky = keys[x], keys[y]
        enough = min(len(kx), len(ky)) >= NEAR_MIN_SENTENCES
        if text[x] == text[y] or (enough and _shared_share(kx, ky) >= NEAR_COPY):
            out.append((x, y))
    return out


def _split_headline(text: str) -> tuple[str, str]:
    """(headline, body): a first line without a full stop, set apart from the text after it."""
    first, sep, rest = text.strip().partition("\n")
    if sep and rest.strip() and not first.rstrip().endswith((".", "!", "?", "…")):
        return first.strip(), rest
    return "", text


def sentence_changes(copy: str, original: str) -> tuple[int, int, int, bool]:
    """Return (edited, added, dropped, retitled): how a near-copy differs from its original.

    Edited: the copy's sentences not in the original but near one of its sentences (rapidfuzz
    ratio at least ``NEAR_SENTENCE``); added: the copy's with none near; dropped: the
    original's with none in the copy, verbatim or near; retitled: a headline (a first line
    without a full stop) other than the original's. Sentences shorter than ``NEAR_MIN_WORDS``
    words are not counted.
    """
    head_copy, body_copy = _split_headline(copy)
    head_original, body_original = _split_headline(original)
    mine, theirs = _sentence_keys(body_copy), _sentence_keys(body_original)

    def unmatched(keys: Sequence[str], others: Sequence[str]) -> list[str]:
        exact = set(others)
        return [k for k in keys if k not in exact]

    def near(key: str, others: Sequence[str]) -> bool:
        found = process.extractOne(key, others, scorer=fuzz.ratio, score_cutoff=NEAR_SENTENCE)
        return found is not None

    new = unmatched(mine, theirs)
    edited = sum(1 for k in new if near(k, theirs))
    dropped = sum(1 for k in unmatched(theirs, mine) if not near(k, mine))
    retitled = bool(head_copy) and bool(head_original) and head_copy != head_original
    return edited, len(new) - edited, dropped, retitled


__all__ = [
    "CONTAINMENT",
    "NEAR_COPY",
    "DuplicateIndex",
    "containment",
    "mark_duplicates",
    "minhash",
    "near_copies",
    "sentence_changes",
    "shingles",
]
