"""Wire copies across a whole archive: ``synoptic.dedup``'s rule as Spark shuffles.

The one-machine index (``dedup.DuplicateIndex``) adds articles in the order of the original
rule and, for each, looks up the earlier ones it may copy: by LSH band collision (MinHash over
5-word shingles) for a text of ``MIN_SHINGLES`` shingles or more, by any shared shingle for a
shorter one; the best candidate at containment ``CONTAINMENT`` or more (``best_copy``) makes
it a copy of that candidate's original. Here the same steps run as shuffles:

1. signatures: each article's shingles and MinHash (``dedup.shingles``, ``dedup.minhash``);
2. candidates: the MinHash is cut into the bands ``DuplicateIndex``'s LSH uses for the same
   threshold and number of permutations, and (band, band hash) is a shuffle key: two articles
   collide in Spark exactly when they collide in the index. Short texts key on their shingles
   too (and the long texts' shingles that some short text has). Only ids travel with the keys:
   a shingle set is ~15 KB and there are 37 bands, so shuffling the sets with the keys moved
   every article's shingles 37 times;
3. verification: the distinct candidate pairs are joined to their two shingle sets (one join
   per side) and each pair's containment is computed once on the exact sets;
4. components of verified pairs (union-find), and in each component the index's sequential
   rule replayed in original-rule order, so every copy names the same original as
   ``mark_duplicates`` would on one machine. Components are small (a wire story and its
   copies), so only they are ever handled whole.

Nothing is quadratic in the archive: a band bucket holds the articles whose band hashes are
equal, which past wire copies of one text is rare.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from synoptic.dedup import LSH_THRESHOLD, MIN_SHINGLES, NUM_PERM, minhash, shingles
from synoptic.minhash import lsh_bands
from synoptic.model import Article
from synoptic.stories.original import CONTAINMENT, best_scored, containment, original_rank
from synoptic.unionfind import UnionFind

if TYPE_CHECKING:
    from pyspark import RDD

# A signature: (id, original-rule rank, shingles, is-short); bands travel separately.
Signature = tuple[str, tuple[Any, ...], frozenset[str], bool]
# A bucket member: (id, is-short); a candidate pair: ((id_a, id_b), tags) with id_a < id_b.
Member = tuple[str, bool]
Candidate = tuple[tuple[str, str], frozenset[str]]
# A verified pair: ((id_a, id_b), (containment, tags)) with id_a < id_b and tags "b" (band
# collision) and/or "s" (a shared shingle where one side is short).
Pair = tuple[tuple[str, str], tuple[float, frozenset[str]]]


def bands(threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM) -> list[tuple[int, int]]:
    """Return the (start, end) ranges of the MinHash that ``DuplicateIndex``'s LSH bands on."""
    b, r = lsh_bands(threshold, num_perm)
    return [(i * r, (i + 1) * r) for i in range(b)]


def signatures(
    articles: Iterable[Article], ranges: list[tuple[int, int]]
) -> Iterator[tuple[Signature, list[tuple[int, bytes]]]]:
    """Yield each article's signature and band keys (none for an empty text)."""
    for a in articles:
        sh = shingles(a.text)
        if not sh:
            continue
        hv = minhash(sh)
        keys = [(i, hv[s:e].tobytes()) for i, (s, e) in enumerate(ranges)]
        yield (a.id, original_rank(a), sh, len(sh) < MIN_SHINGLES), keys


def bucket_pairs(members: Iterable[Member], tag: str) -> Iterator[Candidate]:
    """Yield the candidate pairs of one bucket, each as ((smaller id, larger id), tags): every
    pair of a band bucket, and in a shingle (``s``) bucket only the pairs with a short text."""
    group = sorted(set(members))
    if tag == "s":
        ids = [m[0] for m in group]
        for short in (m[0] for m in group if m[1]):
            for other in ids:
                if other != short:
                    yield (min(short, other), max(short, other)), frozenset(tag)
        return
    for i, (a, _) in enumerate(group):
        for b, _ in group[i + 1 :]:
            yield (a, b), frozenset(tag)


def verified_pairs(
    candidates: RDD[Candidate], shingle_sets: RDD[tuple[str, frozenset[str]]]
) -> RDD[Pair]:
    """Join each distinct candidate pair to its two shingle sets; keep those at containment
    ``CONTAINMENT`` or more, as ((id_a, id_b), (containment, tags))."""
    distinct = candidates.reduceByKey(lambda x, y: x | y)
    left = distinct.map(lambda p: (p[0][0], (p[0][1], p[1]))).join(shingle_sets)
    right = left.map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1]))).join(shingle_sets)
    scored = right.map(
        lambda kv: ((kv[1][0][0], kv[0]), (containment(kv[1][0][2], kv[1][1]), kv[1][0][1]))
    )
    return scored.filter(lambda p: p[1][0] >= CONTAINMENT)


def resolve(
    nodes: Mapping[str, tuple[tuple[Any, ...], bool]],
    pairs: Iterable[tuple[str, str, float, frozenset[str]]],
) -> dict[str, str]:
    """Replay the index's rule on one component; return copy id -> original id.

    Args:
        nodes: id -> (original-rule rank, is-short).
        pairs: Verified pairs (id, id, containment, tags).
    """
    adj: dict[str, list[tuple[str, float, frozenset[str]]]] = defaultdict(list)
    for a, b, score, tags in pairs:
        adj[a].append((b, score, tags))
        adj[b].append((a, score, tags))
    original: dict[str, str] = {}
    for a in sorted(nodes, key=lambda k: nodes[k][0]):
        need = "s" if nodes[a][1] else "b"
        scored = [(x, s) for x, s, tags in adj[a] if x in original and need in tags]
        best = best_scored(scored, CONTAINMENT)
        original[a] = original[best] if best is not None else a
    return {k: v for k, v in original.items() if k != v}


def find_copies(articles: RDD[Article]) -> tuple[RDD[tuple[str, str]], dict[str, int]]:
    """Return (copy id, original id) for every wire copy in ``articles`` (unique ids), and
    counts (signatures, candidate pairs, verified pairs, components)."""
    sc = articles.context
    ranges = bands()
    sigs = articles.mapPartitions(lambda part: signatures(part, ranges)).persist()
    short_shingles = sc.broadcast(
        frozenset(sigs.filter(lambda s: s[0][3]).flatMap(lambda s: s[0][2]).collect())
    )

    def shingle_keys(sig: Signature) -> Iterator[tuple[Any, Member]]:
        shared = sig[2] if sig[3] else sig[2] & short_shingles.value
        for sh in shared:
            yield ("s", sh), (sig[0], sig[3])

    banded = sigs.flatMap(lambda s: [(("b", k), (s[0][0], s[0][3])) for k in s[1]])
    keyed = banded.union(sigs.flatMap(lambda s: shingle_keys(s[0])))
    buckets = keyed.groupByKey().mapValues(list).filter(lambda kv: len(kv[1]) > 1)
    candidates = buckets.flatMap(lambda kv: bucket_pairs(kv[1], kv[0][0]))
    verified = verified_pairs(candidates, sigs.map(lambda s: (s[0][0], s[0][2]))).persist()
    uf = UnionFind()
    count = 0
    for (a, b), _ in verified.toLocalIterator():
        uf.union(a, b)
        count += 1
    component = sc.broadcast({k: uf.find(k) for k in list(uf.parent)})
    node_info = sigs.filter(lambda s: s[0][0] in component.value).map(
        lambda s: (component.value[s[0][0]], ("n", s[0][0], s[0][1], s[0][3]))
    )
    edges = verified.map(
        lambda p: (component.value[p[0][0]], ("e", p[0][0], p[0][1], p[1][0], p[1][1]))
    )
    copies = node_info.union(edges).groupByKey().flatMap(lambda kv: _resolve_rows(kv[1]))
    stats = {
        "signatures": sigs.count(),
        "verified_pairs": count,
        "components": len({uf.find(k) for k in uf.parent}),
    }
    return copies, stats


def _resolve_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[str, str]]:
    nodes = {r[1]: (r[2], r[3]) for r in rows if r[0] == "n"}
    pairs = [(r[1], r[2], r[3], r[4]) for r in rows if r[0] == "e"]
    yield from resolve(nodes, pairs).items()


__all__ = ["bands", "bucket_pairs", "find_copies", "resolve", "signatures", "verified_pairs"]
