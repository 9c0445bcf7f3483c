"""Cross-outlet alignment: which sentences of different articles report the same thing.

Each sentence of each article is matched against the sentences of every other article. A pair's
**evidence score** adds lexical and entity evidence to the cosine of their MiniLM embeddings,
because the embedding alone rates every sentence of one story as fairly similar (they share the
topic) and misses little but wording, while words, names and figures shared beyond the topic are
what tell "the same report" apart from "the same story"::

    score = cosine
          + LEXICAL_WEIGHT * (½ content-lemma Dice + ½ rescaled token_set_ratio)
          + ENTITY_BONUS per shared named entity (up to two)
          + NUMBER_BONUS per shared number (up to two)

Numbers that differ never lower the score: "8,000 evacuated" and "more than 11,000 evacuated"
are the same topic; telling the figures apart is the conflicts module's job.

Two sentences are **linked** when ``cosine >= strong`` (near-paraphrase or translation on the
embedding alone), or when ``cosine >= floor`` and ``score >= link``. Groups are then formed by
constrained average-linkage agglomeration: linked pairs are taken best first, and two groups
merge only when they share no article (a group holds at most one sentence per article) and the
mean score over all their cross pairs is at least ``average``, which stops chains of weak links
(A~B, B~C, A≁C) from gluing distinct facts together.

Thresholds were chosen before measuring any result, from the cosine distribution of MiniLM on
news (paraphrases and machine translations of one sentence mostly score 0.70 to 0.95; sentences
of the same story about different facts mostly 0.40 to 0.65), and are parameters
(``AlignParams``):

=============  =====  ==========================================================
``strong``     0.80   cosine that links on its own
``floor``      0.55   cosine under which nothing links, whatever the words share
``link``       0.75   evidence score that links a pair above the floor
``average``    0.70   mean evidence score two groups need to merge
=============  =====  ==========================================================

Wire copies (``duplicate_of``) are aligned like any article, so that their sentences join
their original's groups and are cited, but a group's ``support`` counts independent outlets: a
copy and its original count once.

Sentences too short to carry a statement (under ``min_words`` words) are left out, and so is
what an article has beyond its first ``max_sentences`` alignable sentences. Only pairs of
sentences of different articles are scored (a block of scores per pair of articles). The features
and embeddings come from each article's ``AnalyzedArticle`` (read once, at analysis time); an
article without one has its lemmas, entities and numbers approximated from the raw words
(``analyze.features.features_text``) and its sentences embedded here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from synoptic.analyze.embed import Embedder
from synoptic.analyze.features import MIN_WORDS, SentenceFeatures, features_text
from synoptic.analyze.features import WORD as _WORD
from synoptic.deadline import check, checked
from synoptic.dedup import near_copies, sentence_changes
from synoptic.lang import fold
from synoptic.model import Article, Copy, Sentence, Story
from synoptic.outlets.detect import independent_outlets
from synoptic.unionfind import UnionFind

if TYPE_CHECKING:  # the record module imports spaCy-free code only, but keep startup lean
    from synoptic.analyze.record import AnalyzedArticle

# Sentences of one article aligned at most. News bodies have a few hundred; what an article has
# beyond it (an input analysed in part, 8,000 sentences of short quotes) is not compared across
# outlets, so two such articles cost 2,000 x 2,000 pairs at most (16 MB of scores), not their
# sentences squared. Those sentences still feed the timeline, the quotes and the entities.
MAX_SENTENCES = 2_000
LEXICAL_WEIGHT = 0.20
ENTITY_BONUS = 0.03
NUMBER_BONUS = 0.04


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Thresholds of the alignment (see the module docstring for how they were chosen)."""

    strong: float = 0.80
    floor: float = 0.55
    link: float = 0.75
    average: float = 0.70
    min_words: int = MIN_WORDS
    max_sentences: int = MAX_SENTENCES


@dataclass(frozen=True, slots=True)
class Member:
    """One sentence in an alignment group, with the features the later stages read.

    Attributes:
        sentence: The sentence.
        outlet: The independent outlet it counts for: the article's id, or its original's id
            for a wire copy.
        position: Relative position in its article (0 = first sentence, 1 = last).
        entities: Normalised named entities (a person's surname is added beside the full name).
        numbers: Normalised numbers it states.
        content: Content lemmas (nouns, proper nouns, verbs, adjectives, numbers).
        has_verb: Whether it has a verb (a statement rather than a label or a fragment).
        vector: Its unit-length MiniLM embedding.
    """

    sentence: Sentence
    outlet: str
    position: float
    entities: frozenset[str]
    numbers: frozenset[str]
    content: frozenset[str]
    has_verb: bool
    vector: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Group:
    """Sentences of different articles that report the same thing.

    Attributes:
        members: At most one sentence per article, in story article order.
        cohesion: Mean evidence score over member pairs (1.0 for a single sentence).
        outside: Best evidence score between a member and any sentence outside the group from
            another independent outlet (0.0 when there is none): how close the nearest
            unaligned report comes.
    """

    members: tuple[Member, ...]
    cohesion: float = 1.0
    outside: float = 0.0

    @property
    def support(self) -> int:
        """Independent outlets reporting it (a wire copy and its original count once)."""
        return len({m.outlet for m in self.members})

    @property
    def articles(self) -> tuple[str, ...]:
        """Ids of the articles with a member, in member order."""
        return tuple(m.sentence.article for m in self.members)

    @property
    def position(self) -> float:
        """Mean relative position of the members in their articles."""
        return float(np.mean([m.position for m in self.members]))


def _binary(sets: Sequence[frozenset[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for i, items in enumerate(sets):
        for x in items:
            rows.append(i)
            cols.append(vocab.setdefault(x, len(vocab)))
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), max(1, len(vocab))))


def _shared(rows: Sequence[frozenset[str]], cols: Sequence[frozenset[str]]) -> np.ndarray:
    """How many items each of ``rows`` shares with each of ``cols``."""
    vocab: dict[str, int] = {}
    a, b = _binary(rows, vocab), _binary(cols, vocab)
    a.resize(a.shape[0], max(1, len(vocab)))
    b.resize(b.shape[0], max(1, len(vocab)))
    return np.asarray((a @ b.T).todense(), dtype=np.float32)


def members(
    story: Story,
    sentences: Mapping[str, Sequence[Sentence]],
    analyses: Mapping[str, AnalyzedArticle] | None = None,
    *,
    embedder: Embedder | None = None,
    min_words: int = MIN_WORDS,
    outlet_of: Mapping[str, str] | None = None,
    max_sentences: int = MAX_SENTENCES,
) -> list[Member]:
    """Return the alignable sentences of ``story`` with their features and embeddings: of
    each article, its first ``max_sentences`` sentences of at least ``min_words`` words.

    Features and vectors come from each article's analysis; only sentences of an article with
    none are embedded here (with ``embedder``, a default one when omitted).
    """
    out: list[tuple[Sentence, str, float, SentenceFeatures, np.ndarray | None]] = []
    outlet_of = outlets(story) if outlet_of is None else outlet_of
    for a in story.articles:
        sents = sentences.get(a.id, ())
        outlet = outlet_of[a.id]
        rec = analyses.get(a.id) if analyses is not None else None
        vectors = rec.vectors() if rec is not None else None
        kept = 0
        for s in sents:
            if kept >= max_sentences:
                break
            if len(_WORD.findall(s.text)) < min_words:
                continue
            kept += 1
            feats = rec.features[s.index] if rec is not None else features_text(s.text)
            vec = vectors[s.index] if vectors is not None else None
            pos = s.index / max(1, len(sents) - 1)
            out.append((s, outlet, pos, feats, vec))
    if not out:
        return []
    todo = [i for i, item in enumerate(out) if item[4] is None]
    if todo:
        if embedder is None:
            # Stages never build a model of their own: the run's embedder is passed in.
            raise ValueError("align: sentences without an analysis need the run's embedder")
        fresh = embedder.encode([out[i][0].text for i in todo])
        for k, i in enumerate(todo):
            out[i] = (*out[i][:4], fresh[k])
    result = []
    for s, outlet, pos, f, vec in out:
        assert vec is not None
        result.append(
            Member(
                s,
                outlet,
                pos,
                frozenset(f.entities),
                frozenset(f.numbers),
                frozenset(f.content),
                f.has_verb,
                vec,
            )
        )
    return result


def _norm(m: Member) -> str:
    return " ".join(_WORD.findall(fold(m.sentence.text)))


def scores(
    rows: Sequence[Member],
    cols: Sequence[Member],
    norms: tuple[Sequence[str], Sequence[str]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the cosine and evidence-score matrices of ``rows`` against ``cols`` (see the
    module docstring); ``norms`` are their folded words, when the caller has them."""
    vr, vc = (np.stack([m.vector for m in ms]) for ms in (rows, cols))
    cos = vr @ vc.T
    n_rows = np.array([len(m.content) for m in rows], dtype=np.float32)
    n_cols = np.array([len(m.content) for m in cols], dtype=np.float32)
    inter = _shared([m.content for m in rows], [m.content for m in cols])
    denom = n_rows[:, None] + n_cols[None, :]
    dice = np.divide(2 * inter, denom, out=np.zeros_like(inter), where=denom > 0)
    a, b = norms or ([_norm(m) for m in rows], [_norm(m) for m in cols])
    tsr = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=1)
    # token_set_ratio sits near 40-50 for unrelated sentences of one story: count what is above.
    tsr_part = np.clip((tsr - 50.0) / 50.0, 0.0, 1.0)
    lexical = 0.5 * dice + 0.5 * tsr_part
    ents = np.minimum(_shared([m.entities for m in rows], [m.entities for m in cols]), 2)
    nums = np.minimum(_shared([m.numbers for m in rows], [m.numbers for m in cols]), 2)
    score = cos + LEXICAL_WEIGHT * lexical + ENTITY_BONUS * ents + NUMBER_BONUS * nums
    return cos, score


# Rows of a block scored at once: bounds the temporary matrices of two long articles.
_CHUNK = 256


class _Pairs:
    """Evidence scores between sentences of different articles, a block per pair of articles.

    A sentence is never linked with one of its own article, so those pairs are not scored: a
    story's cost is its cross-article pairs, and one long article (8,000 sentences of short
    quotes; issue 17) costs its sentences times the other articles', not its sentences squared.
    ``ms`` holds each article's sentences together, in story order. The blocks lie in one flat
    array: block ``(x, y)``, ``x < y``, at ``offset[x, y]``, row by row.
    """

    def __init__(self, ms: Sequence[Member], p: AlignParams) -> None:
        art = [m.sentence.article for m in ms]
        self.lo = np.array([i for i in range(len(ms)) if i == 0 or art[i] != art[i - 1]])
        self.size = np.diff([*self.lo, len(ms)])
        self.block = np.repeat(np.arange(len(self.lo)), self.size)
        self.offset = np.zeros((len(self.lo), len(self.lo)), dtype=np.int64)
        total = 0
        for x, y in combinations(range(len(self.lo)), 2):
            self.offset[x, y] = self.offset[y, x] = total
            total += int(self.size[x] * self.size[y])
        self.flat = np.zeros(total, dtype=np.float32)
        norm = [_norm(m) for m in ms]
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for x, y in combinations(range(len(self.lo)), 2):
            cols = slice(self.lo[y], self.lo[y] + self.size[y])
            for r in range(self.lo[x], self.lo[x] + self.size[x], _CHUNK):
                check("align")
                rows = slice(r, min(self.lo[x] + self.size[x], r + _CHUNK))
                cos, score = scores(ms[rows], ms[cols], (norm[rows], norm[cols]))
                i, j = np.nonzero((cos >= p.strong) | ((cos >= p.floor) & (score >= p.link)))
                found.append((i + r, j + self.lo[y], score[i, j]))
                at = self.offset[x, y] + (r - self.lo[x]) * self.size[y]
                self.flat[at : at + score.size] = score.ravel()
        if found:
            i, j, s = (np.concatenate(k) for k in zip(*found, strict=True))
            # Best first; ties in the order of the pairs (first sentence, then second).
            order = np.lexsort((j, i, -s))
            self.first, self.second = i[order], j[order]
        else:
            self.first = self.second = np.zeros(0, dtype=np.int64)

    def links(self, step: int = 65_536) -> Iterator[tuple[int, int]]:
        """The linked pairs ``(i, j)``, ``i < j``, best first (the budget checked as it goes)."""
        for lo in range(0, len(self.first), step):
            check("align")
            yield from zip(
                self.first[lo : lo + step].tolist(),
                self.second[lo : lo + step].tolist(),
                strict=True,
            )

    def sub(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        """The scores of ``rows`` against ``cols`` (0 for two sentences of one article)."""
        r, c = np.asarray(rows)[:, None], np.asarray(cols)[None, :]
        x, y = self.block[r], self.block[c]
        first = x < y  # the block is (x, y), else (y, x): the sentences change places
        i, j = np.where(first, r, c), np.where(first, c, r)
        bx, by = np.minimum(x, y), np.maximum(x, y)
        at = self.offset[bx, by] + (i - self.lo[bx]) * self.size[by] + (j - self.lo[by])
        return np.where(x != y, self.flat[np.where(x != y, at, 0)] if self.flat.size else 0, 0)

    def best_outside(self, idx: Sequence[int], outlet: Sequence[str]) -> float:
        """Best score between a member of ``idx`` and a sentence outside it of another
        outlet (0.0 when there is none)."""
        best = 0.0
        inside = {int(self.block[i]): i for i in idx}
        for i in idx:
            x = int(self.block[i])
            row = i - self.lo[x]
            for y in range(len(self.lo)):
                if y == x or outlet[self.lo[y]] == outlet[i]:
                    continue
                at, nx, ny = self.offset[x, y], self.size[x], self.size[y]
                vals = (
                    self.flat[at + row * ny : at + (row + 1) * ny]
                    if x < y
                    else self.flat[at + row : at + ny * nx : nx]
                )
                if y in inside:
                    vals = vals.copy()
                    vals[inside[y] - self.lo[y]] = 0.0
                best = max(best, float(vals.max(initial=0.0)))
        return best


def align(
    story: Story,
    sentences: Mapping[str, Sequence[Sentence]],
    analyses: Mapping[str, AnalyzedArticle] | None = None,
    *,
    embedder: Embedder | None = None,
    params: AlignParams | None = None,
    outlet_of: Mapping[str, str] | None = None,
) -> tuple[Group, ...]:
    """Group the sentences of a story's articles that report the same thing.

    Args:
        story: The story; wire copies (``duplicate_of``) join their original's groups.
        sentences: Each article's sentences, by article id.
        analyses: Each article's analysis (sentence features and embeddings), by article id;
            an article without one is read from its raw words and embedded here.
        embedder: Embeds the sentences of articles without an analysis (required when
            some article has none).
        params: Thresholds; ``AlignParams()`` when omitted.
        outlet_of: ``outlets(story)``, when the caller has it (computed here when omitted).

    Returns:
        Every alignable sentence in exactly one group (single-sentence groups included), groups
        ordered by support (most first), then by mean position in the articles.
    """
    p = params or AlignParams()
    ms = members(
        story,
        sentences,
        analyses,
        embedder=embedder,
        min_words=p.min_words,
        outlet_of=outlet_of,
        max_sentences=p.max_sentences,
    )
    if not ms:
        return ()
    pairs = _Pairs(ms, p)
    n = len(ms)
    art = [m.sentence.article for m in ms]
    outlet = [m.outlet for m in ms]
    cluster = list(range(n))
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    for first, second in pairs.links():
        a, b = cluster[first], cluster[second]
        if a == b:
            continue
        ga, gb = groups[a], groups[b]
        if {art[i] for i in ga} & {art[j] for j in gb}:
            continue
        if float(pairs.sub(ga, gb).mean()) < p.average:
            continue
        ga.extend(gb)
        for j in gb:
            cluster[j] = a
        del groups[b]
    out: list[Group] = []
    story_order = {a.id: i for i, a in enumerate(story.articles)}
    for idx in checked(groups.values(), "align"):
        idx.sort(key=lambda i: (story_order[art[i]], ms[i].sentence.index))
        k = len(idx)
        cohesion = float(pairs.sub(idx, idx).sum() / (k * (k - 1))) if k > 1 else 1.0
        out.append(Group(tuple(ms[i] for i in idx), cohesion, pairs.best_outside(idx, outlet)))
    out.sort(key=lambda g: (-g.support, g.position, story_order[g.articles[0]]))
    return tuple(out)


def outlets(story: Story, near: Sequence[tuple[str, str]] | None = None) -> dict[str, str]:
    """Map each article of ``story`` to the independent outlet it counts for, stood for by an
    article id: its own, its original's for a wire copy whose original is in the story, or the
    first article of its agency, outlet or parent (``outlets.independent_outlets``).

    Near-copies (``dedup.near_copies``: one wire story republished with a new headline, a
    trimmed ending, a few words edited) count as one source too, stood for by the first of
    them in story order: they stay in the story and are cited, but support counts them once.
    ``near``: those pairs, when the caller has them.
    """
    base = independent_outlets(story)
    joined = UnionFind(base.values())
    for x, y in near_copies(story.articles) if near is None else near:
        joined.union(base[x], base[y])
    order = {a.id: i for i, a in enumerate(story.articles)}
    first: dict[str, str] = {}
    for v in sorted(set(base.values()), key=lambda v: order.get(v, len(order))):
        first.setdefault(joined.find(v), v)
    return {k: first[joined.find(v)] for k, v in base.items()}


def copies(story: Story, near: Sequence[tuple[str, str]] | None = None) -> tuple[Copy, ...]:
    """Return the story's copies, each with the report it copies and what differs.

    A report marked ``duplicate_of`` an article of the story copies that one; near-copies
    (``dedup.near_copies``, or ``near`` when the caller has them) are grouped, and every
    member copies the group's first report in story order not marked a copy. What differs:
    the sentences edited, added and dropped (``dedup.sentence_changes``), and whether the
    headline is new.
    """
    pairs = near_copies(story.articles) if near is None else near
    joined = UnionFind(a.id for a in story.articles)
    for x, y in pairs:
        joined.union(x, y)
    by_id = {a.id: a for a in story.articles}
    # A group's original: its first report in story order not itself marked a copy.
    first: dict[str, Article] = {}
    for a in sorted(story.articles, key=lambda a: a.duplicate_of is not None):
        first.setdefault(joined.find(a.id), a)
    out: list[Copy] = []
    for a in story.articles:
        original = by_id.get(a.duplicate_of or "") or first[joined.find(a.id)]
        if original is a:
            continue
        edited, added, dropped, retitled = sentence_changes(a.text, original.text)
        retitled = retitled or bool(a.title and original.title and a.title != original.title)
        kind = "duplicate" if a.duplicate_of == original.id else "near-copy"
        out.append(Copy(a.id, original.id, kind, edited, added, dropped, retitled))
    return tuple(out)


def independent(story: Story) -> int:
    """Return the number of independent outlets in ``story`` (wire copies count once)."""
    return len(set(outlets(story).values()))


__all__ = [
    "MIN_WORDS",
    "AlignParams",
    "Group",
    "Member",
    "align",
    "copies",
    "independent",
    "members",
    "outlets",
    "scores",
]
