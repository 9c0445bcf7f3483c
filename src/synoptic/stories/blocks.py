"""Candidate blocking: the story engine over many articles without comparing every pair.

``cluster.cluster_auto`` compares every pair of articles (n-by-n matrices), which a large batch
or an archive cannot afford. Blocking splits the articles into *components* no story crosses,
and runs the exact engine inside each:

1. **Terms propose.** Each original is keyed by the store's index keys (``key_terms``: its
   rarest names and numbers, topped up with the words that name its event when it names
   little, so a short note without names is keyed too). Within the time window (dated
   articles are cut into ``window_days`` slices; a pair within the window lies in one slice or
   two neighbouring ones, and undated articles go with every slice), two articles sharing a
   term are a candidate pair, scored by the IDF of the terms they share; each article keeps
   its ``TOP_K`` best-scored candidates. A term carried by more than ``MAX_DF`` articles of a
   slice pair names a topic, not an event: it proposes only each carrier's neighbour by day
   (a chain, linear in its carriers), so reports that share nothing rarer still meet. All of
   it is sparse matrix products and sorts, never a loop over pairs.
2. **The engine decides.** Each candidate pair's *direct* similarity is computed as
   ``cluster.similarity`` computes it (the same views and weights, IDF over all the articles,
   the leads' embeddings), for those pairs only. A pair reaching ``LINK_FLOOR`` is a link.
3. **Components.** Linked articles form components. A component larger than
   ``MAX_COMPONENT`` is split again on its links at a floor raised by ``FLOOR_STEP`` (at most
   to ``MAX_FLOOR``), so one chain of weak links cannot make one quadratic component. Where
   that shatters it into lone reports (links all alike: templated notes), or no floor splits
   it, it is cut into slices of ``MAX_COMPONENT`` with a logged line: the bound always holds.
4. **The exact engine inside each component** (``cluster.cluster_auto``, with IDF over the
   whole batch: ``features.Frequencies``), and the groups listed as ``cluster_auto`` lists them.

A story the exact engine forms is kept whole when its members are joined by a chain of
candidate links. The agreement with the exact engine is measured in
``bench/blocking.py`` and held in ``tests/test_stories_blocks.py``. Batch runs block above
``Settings.block_above`` originals (below it the exact engine runs as before); Spark runs the
same rules over shuffles (``spark.blocking``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from synoptic.analyze.embed import Embedder
from synoptic.cluster import (
    GHOST_DOCS,
    MEANING_FLOOR,
    THRESHOLD,
    WEIGHT_MEANING,
    WEIGHT_NAMES,
    WEIGHT_WORDS,
    WINDOW_DAYS,
    _ghosts,
    _tfidf,
    cluster_auto,
    group_articles,
    lead_vectors,
    make_story,
    originals_of,
)
from synoptic.model import Article, Story
from synoptic.store.index import index_terms
from synoptic.stories.batch import story_ids
from synoptic.stories.features import Features, Frequencies, article_features

log = logging.getLogger(__name__)

# Terms an article is keyed by (``article_terms``' default).
TERMS = 20
# A term carried by more articles than this within a slice pair proposes nothing.
MAX_DF = 100
# Candidates an article keeps, best shared-term score first.
TOP_K = 20
# Direct similarity a candidate pair needs to link two articles into one component. Chosen on
# ECB+ (982 texts, undated) and the 2,000-report stream of bench/throughput.py: agreement with
# the exact engine is the same from 0.1 to 0.2 (B-cubed F1 0.998 and 1.000) while the largest
# component falls (ECB+: 766, 95, 52 at 0.1, 0.15, 0.2; stream: 150 and 48 at 0.15 and 0.2);
# at 0.25 the stream's agreement starts to fall (0.998).
LINK_FLOOR = 0.2
# Components larger than this are split again on their links at a higher floor...
MAX_COMPONENT = 1500
# ...raised this much at a time, never above this.
FLOOR_STEP = 0.05
MAX_FLOOR = 0.6
# Candidate pairs verified at once (the rows of their sparse products).
PAIR_BLOCK = 50_000


@dataclass(frozen=True, slots=True)
class Blocking:
    """How a set of articles was split: component member indices and the counts.

    Attributes:
        components: Indices into the given articles, one list per component, each sorted.
        candidates: Candidate pairs the terms proposed.
        links: Candidate pairs the direct similarity verified.
    """

    components: list[list[int]]
    candidates: int
    links: int

    def to_dict(self) -> dict[str, int]:
        """Return the counts (components, largest component, candidates, links)."""
        return {
            "candidates": self.candidates,
            "links": self.links,
            "components": len(self.components),
            "largest_component": max((len(c) for c in self.components), default=0),
        }


def _slices(days: Sequence[int | None], window: float) -> list[np.ndarray]:
    """Index sets within which every pair at most ``window`` days apart lies together."""
    n = len(days)
    undated = np.array([i for i in range(n) if days[i] is None], dtype=np.int64)
    dated = [i for i in range(n) if days[i] is not None]
    if not dated:
        return [undated]
    day = np.array([days[i] for i in dated], dtype=np.float64)
    width = max(window, 1.0)
    slot = np.floor((day - day.min()) / width).astype(np.int64)
    ids = np.array(dated, dtype=np.int64)
    slots = np.unique(slot)
    out = []
    for s in slots:
        pick = ids[(slot == s) | (slot == s + 1)]
        out.append(np.concatenate((pick, undated)))
    return out


def slot_of(day: int, first: int, window: float) -> int:
    """The window slice of a day (``first``: the batch's first day), as ``_slices`` cuts."""
    return int(np.floor((day - first) / max(window, 1.0)))


def term_weight(slice_size: int, df: int) -> float:
    """A shared term's score in a slice pair of ``slice_size`` articles, ``df`` carrying it."""
    return float(np.log((1.0 + slice_size) / (1.0 + df)) + 1.0)


def candidate_pairs(
    terms: Sequence[Sequence[str]],
    days: Sequence[int | None],
    *,
    window_days: float = WINDOW_DAYS,
    max_df: int = MAX_DF,
    top_k: int = TOP_K,
) -> tuple[np.ndarray, np.ndarray]:
    """Return candidate pairs ``(i, j)``, ``i < j``: articles sharing a rare term in the window.

    Args:
        terms: Each article's key terms.
        days: Each article's day (``None``: undated, paired with any day).
        window_days: Dated pairs further apart than this are not proposed.
        max_df: Terms carried by more articles of a slice pair propose only chains
            (``_chains``), outside the top ``top_k``.
        top_k: Candidates kept per article, best shared-term score first (ties: lower index).
    """
    n = len(terms)
    vocab: dict[str, int] = {}
    cols = [vocab.setdefault(t, len(vocab)) for ts in terms for t in dict.fromkeys(ts)]
    lengths = [len(dict.fromkeys(ts)) for ts in terms]
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    inc = csr_matrix(
        (np.ones(len(cols)), np.array(cols, dtype=np.int64), indptr), shape=(n, len(vocab))
    )
    day = np.array([np.nan if d is None else d for d in days], dtype=np.float64)
    found_i, found_j, found_s = [], [], []
    chained: list[np.ndarray] = []
    for idx in _slices(days, window_days):
        if len(idx) < 2:
            continue
        sub = inc[idx]
        df = np.asarray(sub.sum(axis=0)).ravel()
        chained.append(_chains(sub[:, np.flatnonzero(df > max_df)], idx, day, window_days))
        keep = np.flatnonzero((df >= 2) & (df <= max_df))
        if not len(keep):
            continue
        weight = np.log((1.0 + len(idx)) / (1.0 + df[keep])) + 1.0
        w = sub[:, keep].multiply(weight[None, :]).tocsr()
        shared = (w @ w.T).tocoo()
        i, j = idx[shared.row], idx[shared.col]
        with np.errstate(invalid="ignore"):
            near = ~(np.abs(day[i] - day[j]) > window_days)
        ok = (i < j) & near
        found_i.append(i[ok])
        found_j.append(j[ok])
        found_s.append(shared.data[ok])
    chain = np.concatenate(chained) if chained else np.zeros(0, dtype=np.int64)
    if not found_i:
        code = np.unique(chain)
        return code // n, code % n
    i, j, s = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)
    # A pair met in two slice pairs keeps its best score.
    order = np.lexsort((-s, j, i))
    i, j, s = i[order], j[order], s[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
    i, j, s = i[first], j[first], s[first]
    # Each article's top_k: rank the pairs from both ends.
    rows, other = np.concatenate((i, j)), np.concatenate((j, i))
    score = np.concatenate((s, s))
    order = np.lexsort((other, -score, rows))
    rows, other = rows[order], other[order]
    start = np.searchsorted(rows, rows, side="left")
    rank = np.arange(len(rows)) - start
    kept = rank < top_k
    lo = np.minimum(rows[kept], other[kept])
    hi = np.maximum(rows[kept], other[kept])
    code = np.unique(np.concatenate((lo * n + hi, chain)))
    return code // n, code % n


def _chains(common: csr_matrix, idx: np.ndarray, day: np.ndarray, window: float) -> np.ndarray:
    """Pairs (coded ``i * n + j``, ``i < j``) of consecutive carriers of each common term.

    A term too common to propose every pair still proposes each carrier's neighbour in order
    of day, then index (undated last): two reports of one event that share nothing rarer
    (short notes, a topic's words) are then a candidate chain, and the engine's direct
    similarity decides each link, so a common term no longer leaves them unproposed, nor
    chains unrelated reports together. Linear in the carriers (``chain_pairs`` is the same
    rule over one term's carriers, for Spark).
    """
    n = len(day)
    coo = common.tocoo()
    if not coo.nnz:
        return np.zeros(0, dtype=np.int64)
    who = idx[coo.row]
    when = day[who]
    undated = np.isnan(when)
    order = np.lexsort((who, np.where(undated, 0.0, when), undated, coo.col))
    col, who, when = coo.col[order], who[order], when[order]
    same = col[1:] == col[:-1]
    with np.errstate(invalid="ignore"):
        near = ~(np.abs(when[1:] - when[:-1]) > window)
    a, b = who[:-1][same & near], who[1:][same & near]
    return np.minimum(a, b) * n + np.maximum(a, b)


def chain_pairs(
    members: Sequence[tuple[str, int | None]], window: float = WINDOW_DAYS
) -> list[tuple[str, str]]:
    """``_chains`` over one common term's carriers ``(id, day)``: each with the next by day,
    then id (undated last), when within ``window`` days. Pairs ordered (lower id first)."""
    listed = sorted(members, key=lambda m: (m[1] is None, m[1] or 0, m[0]))
    out = []
    for (a, da), (b, db) in pairwise(listed):
        if da is None or db is None or abs(da - db) <= window:
            out.append((min(a, b), max(a, b)))
    return out


def direct_pairs(
    articles: Sequence[Article],
    left: np.ndarray,
    right: np.ndarray,
    *,
    vectors: np.ndarray | None,
    collection: int | None = None,
    features: Sequence[Features] | None = None,
) -> np.ndarray:
    """Direct similarity of the pairs ``(left[k], right[k])``, as ``cluster.similarity`` weighs
    its views before the shared-neighbour term (IDF over all ``articles``).

    Args:
        articles: The articles (their order is the indices').
        left: First article of each pair.
        right: Second article of each pair.
        vectors: The leads' embeddings (rows in the articles' order), or ``None``.
        collection: As for ``cluster.cluster_auto``.
        features: The articles' features, when read already (a batch larger than the
            features' cache would read every article again).
    """
    feats = list(features) if features is not None else [article_features(a) for a in articles]
    words = _tfidf([f.words for f in feats], GHOST_DOCS)
    names = _tfidf([f.names for f in feats], _ghosts(len(feats), collection))
    has_names = np.array([bool(f.names) for f in feats])
    out = np.empty(len(left))
    for lo in range(0, len(left), PAIR_BLOCK):
        a, b = left[lo : lo + PAIR_BLOCK], right[lo : lo + PAIR_BLOCK]
        both = has_names[a] & has_names[b]
        total = WEIGHT_WORDS * np.asarray(words[a].multiply(words[b]).sum(axis=1)).ravel()
        cos_names = np.asarray(names[a].multiply(names[b]).sum(axis=1)).ravel()
        total += np.where(both, WEIGHT_NAMES * cos_names, 0.0)
        weight = np.where(both, WEIGHT_WORDS + WEIGHT_NAMES, WEIGHT_WORDS)
        if vectors is not None:
            dot = np.einsum("ij,ij->i", vectors[a], vectors[b])
            total += WEIGHT_MEANING * np.clip((dot - MEANING_FLOOR) / (1.0 - MEANING_FLOOR), 0, 1)
            weight += WEIGHT_MEANING
        out[lo : lo + len(a)] = total / weight
    return out


def key_terms(article: Article, features: Features | None = None) -> list[str]:
    """The terms an article proposes candidates by: the store's index keys
    (``store.index.index_terms``: its names and numbers, topped up with the words that name
    its event when it names little), so that a short note without names is proposed too."""
    return index_terms(article, TERMS, features=features)


def _split(
    members: np.ndarray, left: np.ndarray, right: np.ndarray, sims: np.ndarray, floor: float
) -> list[np.ndarray]:
    """Components of ``members`` over the links among them that reach ``floor``; a component
    over ``MAX_COMPONENT`` is split again at a higher floor (up to ``MAX_FLOOR``)."""
    local = np.full(int(members.max()) + 1, -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    inside = (left <= members.max()) & (right <= members.max())
    inside[inside] = (local[left[inside]] >= 0) & (local[right[inside]] >= 0)
    keep = inside & (sims >= floor)
    a, b = local[left[keep]], local[right[keep]]
    m = len(members)
    graph = csr_matrix((np.ones(len(a)), (a, b)), shape=(m, m))
    _, label = connected_components(graph, directed=False)
    out: list[np.ndarray] = []
    for comp in _groups(label):
        part = members[comp]
        if len(part) <= MAX_COMPONENT:
            out.append(part)
            continue
        if floor + FLOOR_STEP <= MAX_FLOOR + 1e-9:
            sub = keep.copy()
            parts = _split(part, left[sub], right[sub], sims[sub], floor + FLOOR_STEP)
            # A higher floor splits weak chains between stories; when it shatters the
            # component into lone reports instead, its links were all alike (templated notes):
            # slices keep them together.
            if sum(len(p) == 1 for p in parts) * 2 <= len(part):
                out.extend(parts)
                continue
        # Thousands of reports alike at every floor (none a copy) would make the engine inside
        # quadratic again. The bound holds: slices of MAX_COMPONENT in index order (the
        # caller's canonical order), each grouped on its own, and a line says so.
        log.warning(
            "blocking: %d articles alike at link floor %.2f; grouped in slices of %d (a story "
            "may be split at a slice's edge)",
            len(part),
            floor,
            MAX_COMPONENT,
        )
        out.extend(part[lo : lo + MAX_COMPONENT] for lo in range(0, len(part), MAX_COMPONENT))
    return out


def _groups(label: np.ndarray) -> list[np.ndarray]:
    """Indices of each label, groups ordered by their first index."""
    order = np.argsort(label, kind="stable")
    cuts = np.flatnonzero(np.diff(label[order])) + 1
    parts = np.split(order, cuts)
    return sorted(parts, key=lambda p: int(p[0]))


def block(
    articles: Sequence[Article],
    *,
    vectors: np.ndarray | None,
    window_days: float = WINDOW_DAYS,
    floor: float = LINK_FLOOR,
    features: Sequence[Features] | None = None,
) -> Blocking:
    """Split original articles into components no story of the engine is expected to cross.

    Args:
        articles: Originals (no copies), in any order; indices refer to it.
        vectors: Their leads' embeddings (``cluster.lead_vectors``), or ``None``.
        window_days: The engine's time window.
        floor: Direct similarity a candidate pair needs to link.
        features: The articles' features, when read already.
    """
    n = len(articles)
    if n == 0:
        return Blocking([], 0, 0)
    feats = list(features) if features is not None else [article_features(a) for a in articles]
    terms = [key_terms(a, f) for a, f in zip(articles, feats, strict=True)]
    left, right = candidate_pairs(terms, [f.day for f in feats], window_days=window_days)
    sims = direct_pairs(articles, left, right, vectors=vectors, features=feats)
    parts = _split(np.arange(n), left, right, sims, floor)
    comps = sorted((sorted(p.tolist()) for p in parts), key=lambda p: p[0])
    return Blocking(comps, len(left), int((sims >= floor).sum()))


class _Known(Embedder):
    """The run's embedder, serving the vectors blocking already computed (no second encode
    of a lead the in-memory cache has let go since)."""

    def __init__(self, known: Mapping[str, np.ndarray], base: Embedder) -> None:
        super().__init__(use_cache=False, on_error=base.on_error)
        self.known = known
        self.base = base

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return the known vectors of ``texts`` (the base embedder encodes any other)."""
        if all(t in self.known for t in texts):
            return np.array([self.known[t] for t in texts], dtype=np.float32)
        return self.base.encode(texts)


def cluster_blocked(
    articles: Sequence[Article],
    *,
    threshold: float = THRESHOLD,
    window_days: float = WINDOW_DAYS,
    embed: bool = True,
    embedder: Embedder | None = None,
    floor: float = LINK_FLOOR,
) -> tuple[list[list[Article]], Blocking]:
    """``cluster.cluster_auto``'s groups, computed per component of ``block``.

    Groups are listed as ``cluster_auto`` lists them: by their first member in the input,
    members in input order, copies (``duplicate_of``) after their original.

    Returns:
        The groups, and the blocking they were computed in.
    """
    canon = sorted(originals_of(articles), key=lambda a: a.id)
    # Read once: past the features' cache size every pass would read every article again.
    feats = [article_features(a) for a in canon]
    leads = [f.lead for f in feats]
    vectors = lead_vectors(leads, embedder) if embed else None
    frequencies = Frequencies.of(feats)
    blocking = block(canon, vectors=vectors, window_days=window_days, floor=floor, features=feats)
    del feats
    known = embedder
    if vectors is not None and embedder is not None:
        known = _Known(dict(zip(leads, vectors.astype(np.float32), strict=True)), embedder)
    comp_of = {canon[i].id: c for c, comp in enumerate(blocking.components) for i in comp}
    inputs: list[list[Article]] = [[] for _ in blocking.components]
    for a in articles:
        home = a.duplicate_of if a.duplicate_of in comp_of else a.id
        if home in comp_of:
            inputs[comp_of[home]].append(a)
    groups: list[list[Article]] = []
    for part in inputs:
        groups.extend(
            cluster_auto(
                part,
                threshold=threshold,
                window_days=window_days,
                embed=embed,
                embedder=known,
                frequencies=frequencies,
            )
        )
    position = {id(a): k for k, a in enumerate(articles)}
    groups.sort(key=lambda g: position[id(g[0])])
    return groups, blocking


def group_auto(
    articles: Sequence[Article], *, embedder: Embedder | None, block_above: int
) -> list[Story]:
    """The ``auto`` story policy: the exact engine up to ``block_above`` originals, blocked
    above (``cluster_blocked``); stories named as ``cluster.group_articles`` names them."""
    if sum(a.duplicate_of is None for a in articles) <= block_above:
        return group_articles(articles, "auto", embedder=embedder)
    groups, _ = cluster_blocked(articles, embedder=embedder)
    return [make_story(g, sid) for g, sid in zip(groups, story_ids(groups), strict=True)]


@dataclass(frozen=True, slots=True)
class Profile:
    """One article's side of a direct similarity, for verifying pairs one at a time (Spark):
    its TF-IDF rows (IDF over the whole batch, L2-normalised) and its lead's embedding.

    Attributes:
        words: Weight of each content-word stem.
        names: Weight of each name or number (empty: the article has none).
        vector: The lead's embedding, or ``None`` without a model.
    """

    words: Mapping[str, float]
    names: Mapping[str, float]
    vector: np.ndarray | None

    @classmethod
    def of(cls, article: Article, frequencies: Frequencies, vector: np.ndarray | None) -> Profile:
        """The profile ``direct_pairs`` compares, for one article of the batch counted."""
        f = article_features(article)
        docs = frequencies.documents
        words = _weights(f.words, frequencies.words, docs)
        return cls(words, _weights(f.names, frequencies.names, docs), vector)

    def direct(self, other: Profile) -> float:
        """The direct similarity of the two articles, as ``direct_pairs`` gives it."""
        total = WEIGHT_WORDS * _dot(self.words, other.words)
        weight = WEIGHT_WORDS
        if self.names and other.names:
            total += WEIGHT_NAMES * _dot(self.names, other.names)
            weight += WEIGHT_NAMES
        if self.vector is not None and other.vector is not None:
            dot = float(np.dot(self.vector, other.vector))
            total += WEIGHT_MEANING * min(
                1.0, max(0.0, (dot - MEANING_FLOOR) / (1 - MEANING_FLOOR))
            )
            weight += WEIGHT_MEANING
        return total / weight


def _weights(bag: Mapping[str, int], df: Mapping[str, int], docs: int) -> dict[str, float]:
    """``cluster._tfidf``'s row of one bag, with IDF over ``docs`` articles of frequencies
    ``df`` (the same function, so the profile's weights are the batch's)."""
    row = _tfidf([bag], GHOST_DOCS, df, docs)
    terms = sorted(bag)  # _tfidf's columns: the bag's terms in sorted order
    return {terms[j]: float(v) for j, v in zip(row.indices, row.data, strict=True)}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def split(
    ids: Sequence[str], links: Sequence[tuple[str, str, float]], floor: float = LINK_FLOOR
) -> list[list[str]]:
    """Components of ``ids`` over the ``links`` (id, id, direct similarity) that reach
    ``floor``, split again above ``MAX_COMPONENT`` as ``block`` does; each sorted, ordered by
    first member."""
    order = sorted(set(ids))
    index = {k: i for i, k in enumerate(order)}
    left = np.array([index[a] for a, _, _ in links], dtype=np.int64)
    right = np.array([index[b] for _, b, _ in links], dtype=np.int64)
    sims = np.array([s for _, _, s in links], dtype=np.float64)
    if not order:
        return []
    parts = _split(np.arange(len(order)), left, right, sims, floor)
    comps = sorted((sorted(p.tolist()) for p in parts), key=lambda p: p[0])
    return [[order[i] for i in c] for c in comps]


__all__ = [
    "LINK_FLOOR",
    "MAX_COMPONENT",
    "MAX_DF",
    "TOP_K",
    "Blocking",
    "Profile",
    "block",
    "candidate_pairs",
    "chain_pairs",
    "cluster_blocked",
    "direct_pairs",
    "group_auto",
    "key_terms",
    "slot_of",
    "split",
    "term_weight",
]
