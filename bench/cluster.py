"""Story clustering quality: B-cubed precision, recall and F1, ours beside a TF-IDF baseline.

Data:

* **ECB+** (``../shared/data/ecbplus/ecbplus.jsonl``): 982 news texts, 43 topics, each topic two
  different real events of one kind, 86 gold stories (field ``story``). No dates, no titles.
* **Examples** (``examples/``): the team's fictional corpus, two stories (dam: 7 reports,
  one of them ``feeds/ebn.jsonl``; museum: 2), read with ``read_inputs`` + ``extract`` and
  deduplicated as ``synoptic brief`` does.
* **Seeds** (``../shared/seeds``): five real reports of one event.

Protocol (settings fixed in advance): every setting of ``synoptic.cluster`` was chosen on the
*odd* ECB+ topics (development half) and none on the even topics (held-out half). The figures
below are for the held-out half alone, the development half alone, and the whole set in one
batch; plus "each topic alone", which is what the store's small candidate sets look like (two
similar events and nothing else), and the held-out half cut to 3 or 2 reports a story (news
batches hold many small stories; a fixed shuffle picks the reports).

History, for honesty: a first configuration (7 shared neighbours without the relative cut,
no ghost documents, distance 0.78) was scored on the held-out half twice, with 300- and then
200-character leads (B-cubed F1 0.963 and 0.960 there, 0.948 and 0.950 on all 982). Unit
tests then showed it merging two similar small stories, and the development half cut to 3
reports a story confirmed it (F1 0.82). The final settings were chosen again on the
development half only, with the small-story and single-topic conditions in the criterion;
the held-out figures played no part in either choice.

Baseline, in the same process: TF-IDF cosine (scikit-learn ``TfidfVectorizer`` with sublinear
TF, English stop words, ``min_df=2``) and scikit-learn's average-linkage agglomerative
clustering cut at distance 0.75 (B-cubed F1 0.887 on the whole set). Also its best threshold
found by sweeping on the very data it is scored on, labelled as such: an upper bound the
baseline could not reach with a setting fixed in advance.

Run: ``.venv/bin/python bench/cluster.py [--ablations] [--no-cache]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ECB = SHARED / "data" / "ecbplus" / "ecbplus.jsonl"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "src"))

import synoptic.cluster as cl  # noqa: E402
from synoptic.analyze.embed import Embedder  # noqa: E402
from synoptic.dedup import mark_duplicates  # noqa: E402
from synoptic.model import Article  # noqa: E402
from synoptic.pipeline import extract_all  # noqa: E402

BASELINE_THRESHOLD = 0.75
SWEEP = [round(0.5 + 0.025 * i, 3) for i in range(19)]


def bcubed(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> tuple[float, float, float]:
    """Return B-cubed precision, recall and F1 of ``pred`` against ``gold`` (id -> label)."""
    pc: dict[Any, set[str]] = defaultdict(set)
    gc: dict[Any, set[str]] = defaultdict(set)
    for i, lab in pred.items():
        pc[lab].add(i)
    for i, lab in gold.items():
        gc[lab].add(i)
    p = r = 0.0
    for i in gold:
        c, g = pc[pred[i]], gc[gold[i]]
        inter = len(c & g)
        p += inter / len(c)
        r += inter / len(g)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def labels(groups: Sequence[Sequence[Article]]) -> dict[str, int]:
    return {a.id: k for k, g in enumerate(groups) for a in g}


def baseline_similarity(articles: Sequence[Article]) -> np.ndarray:
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2)
    m = vec.fit_transform([a.text for a in articles])
    sim: np.ndarray = cosine_similarity(m)
    return sim


def baseline_cut(articles: Sequence[Article], sim: np.ndarray, t: float) -> dict[str, int]:
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=t
    )
    lab = model.fit_predict(dist)
    return {a.id: int(x) for a, x in zip(articles, lab, strict=True)}


def per_topic(
    articles: Sequence[Article], topic: Mapping[str, int], run: Callable[..., Any]
) -> dict[str, str]:
    by: dict[int, list[Article]] = defaultdict(list)
    for a in articles:
        by[topic[a.id]].append(a)
    out: dict[str, str] = {}
    for t, arts in sorted(by.items()):
        out.update({i: f"{t}-{k}" for i, k in run(arts).items()})
    return out


def cut(items: Sequence[Article], gold: Mapping[str, str], m: int) -> list[Article]:
    """Keep ``m`` reports of each story (a fixed shuffle): many small stories, as in news."""
    import random

    rng = random.Random(0)
    by: dict[str, list[Article]] = defaultdict(list)
    for a in sorted(items, key=lambda a: a.id):
        by[gold[a.id]].append(a)
    out: list[Article] = []
    for story in sorted(by):
        members = by[story]
        rng.shuffle(members)
        out.extend(members[:m])
    return out


def fmt(prf: tuple[float, float, float]) -> str:
    return "P {:.3f}  R {:.3f}  F1 {:.3f}".format(*prf)


def ecb(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    arts = [Article(id=r["id"], source=f"ecbplus:{r['id']}", text=r["text"]) for r in rows]
    gold = {r["id"]: r["story"] for r in rows}
    topic = {r["id"]: int(r["topic"]) for r in rows}
    dev = [a for a in arts if topic[a.id] % 2 == 1]
    held = [a for a in arts if topic[a.id] % 2 == 0]
    print(f"ECB+ ({ECB}): {len(arts)} articles, {len(set(gold.values()))} stories, ", end="")
    print(f"{len(set(topic.values()))} topics; development = odd topics ({len(dev)} articles),")
    print(f"held out = even topics ({len(held)} articles). Settings fixed on development only.")
    print(
        f"ours: words {cl.WEIGHT_WORDS} / names {cl.WEIGHT_NAMES} / meaning "
        f"{cl.WEIGHT_MEANING}, {cl.NEIGHBOURS} shared neighbours (mix {cl.NEIGHBOUR_MIX}), "
        f"distance {cl.THRESHOLD}"
    )
    embedder = Embedder(use_cache=not args.no_cache)

    def ours(items: Sequence[Article], **kw: Any) -> dict[str, int]:
        return labels(cl.cluster_auto(items, embedder=embedder, **kw))

    # First run of the process, step by step: features, embeddings (computed afresh with
    # --no-cache), then the clustering itself (which finds both in the in-process caches).
    t0 = time.perf_counter()
    feats = [cl.article_features(a) for a in arts]
    t_feat = time.perf_counter() - t0
    t0 = time.perf_counter()
    embedder.encode([f.lead for f in feats])
    t_emb = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred_all = ours(arts)
    t_rest = time.perf_counter() - t0
    t_ours = t_feat + t_emb + t_rest
    t0 = time.perf_counter()
    ours(arts)
    t_warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    bsim = baseline_similarity(arts)
    base_all = baseline_cut(arts, bsim, BASELINE_THRESHOLD)
    t_base = time.perf_counter() - t0

    def sub(pred: Mapping[str, Any], items: Sequence[Article]) -> dict[str, Any]:
        return {a.id: pred[a.id] for a in items}

    def gsub(items: Sequence[Article]) -> dict[str, str]:
        return {a.id: gold[a.id] for a in items}

    print()
    print(f"{'run':44s} {'ours':28s} {'baseline @0.75':28s} F1 ratio")
    table: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, str]]] = []
    for name, items in (
        ("held-out topics, one batch", held),
        ("development topics, one batch", dev),
    ):
        b = baseline_cut(items, baseline_similarity(items), BASELINE_THRESHOLD)
        table.append((name, ours(items), b, gsub(items)))
    table.append(("all 982 in one batch", pred_all, base_all, gold))
    table.append(
        ("  of which held-out topics", sub(pred_all, held), sub(base_all, held), gsub(held))
    )

    def base_run(items: Sequence[Article]) -> dict[str, int]:
        return baseline_cut(items, baseline_similarity(items), BASELINE_THRESHOLD)

    table.append(
        (
            "held-out, each topic alone (store-like)",
            per_topic(held, topic, ours),
            per_topic(held, topic, base_run),
            gsub(held),
        )
    )
    table.append(
        (
            "all, each topic alone (store-like)",
            per_topic(arts, topic, ours),
            per_topic(arts, topic, base_run),
            gold,
        )
    )
    for m in (3, 2):
        few = cut(held, gold, m)
        table.append(
            (f"held-out, {m} reports a story, one batch", ours(few), base_run(few), gsub(few))
        )
    for name, p, b, g in table:
        po, pb = bcubed(p, g), bcubed(b, g)
        print(f"{name:44s} {fmt(po):28s} {fmt(pb):28s} {po[2] / pb[2]:.3f}")

    sweep = [(t, bcubed(baseline_cut(arts, bsim, t), gold)) for t in SWEEP]
    t_best, best = max(sweep, key=lambda x: x[1][2])
    po = bcubed(pred_all, gold)
    print(
        f"{'baseline best threshold (swept on ECB+ itself)':44s} {'':28s} "
        f"{fmt(best):28s} {po[2] / best[2]:.3f}  (distance {t_best})"
    )
    print(
        f"\ntime, 982 articles: ours {t_ours:.1f}s first run (features {t_feat:.1f}s, "
        f"embeddings {t_emb:.1f}s {'computed' if args.no_cache else 'from cache where present'}"
        f", similarity and clustering {t_rest:.1f}s), {t_warm:.1f}s again in the same "
        f"process; baseline {t_base:.1f}s"
    )
    if args.ablations:
        ablations(arts, gold, held, embedder)


def ablations(
    arts: Sequence[Article], gold: Mapping[str, str], held: Sequence[Article], embedder: Embedder
) -> None:
    """Each part's contribution at the fixed threshold (reported, not used to choose)."""
    print("\nablations (all 982 in one batch / held-out topics in one batch), fixed distance")
    saved = (cl.WEIGHT_WORDS, cl.WEIGHT_NAMES, cl.WEIGHT_MEANING)
    hg = {a.id: gold[a.id] for a in held}
    variants: list[tuple[str, tuple[float, float, float], dict[str, Any]]] = [
        ("full", saved, {}),
        ("no shared neighbours", saved, {"neighbours": 0}),
        ("no embeddings", saved, {"embed": False}),
        ("words view only", (1.0, 0.0, 0.0), {}),
        ("names view only", (0.0, 1.0, 0.0), {}),
        ("meaning view only", (0.0, 0.0, 1.0), {}),
    ]
    try:
        for name, weights, kw in variants:
            cl.WEIGHT_WORDS, cl.WEIGHT_NAMES, cl.WEIGHT_MEANING = weights
            if weights[0] == 0.0:
                cl.WEIGHT_WORDS = 1e-9  # the words view is the one every pair has
            a = bcubed(labels(cl.cluster_auto(arts, embedder=embedder, **kw)), gold)
            h = bcubed(labels(cl.cluster_auto(held, embedder=embedder, **kw)), hg)
            print(f"  {name:24s} {fmt(a)}   /   {fmt(h)}")
    finally:
        cl.WEIGHT_WORDS, cl.WEIGHT_NAMES, cl.WEIGHT_MEANING = saved


def corpus(name: str, paths: Sequence[Path], gold_of: Callable[[Article], str]) -> None:
    from synoptic.ingest import read_inputs

    arts = mark_duplicates(extract_all(read_inputs([str(p) for p in paths])))
    gold = {a.id: gold_of(a) for a in arts}
    t0 = time.perf_counter()
    groups = cl.cluster_auto(arts)
    dt = time.perf_counter() - t0
    bsim = baseline_similarity([a for a in arts]) if len(arts) > 2 else None
    print(
        f"\n{name}: {len(arts)} articles ({sum(a.duplicate_of is not None for a in arts)} ", end=""
    )
    print(f"marked copies), gold stories {dict(Counter(gold.values()))}")
    po = bcubed(labels(groups), gold)
    line = f"  ours: {len(groups)} groups, {fmt(po)}  ({dt:.1f}s)"
    if bsim is not None:
        pb = bcubed(baseline_cut(arts, bsim, BASELINE_THRESHOLD), gold)
        line += f"   baseline @0.75: {fmt(pb)}   F1 ratio {po[2] / pb[2]:.3f}"
    print(line)
    for g in groups:
        print("   -", ", ".join(sorted(a.label for a in g)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ablations", action="store_true", help="also score each part alone")
    parser.add_argument("--no-cache", action="store_true", help="compute embeddings afresh")
    args = parser.parse_args()
    if ECB.exists():
        ecb(args)
    else:
        print(f"ECB+ not found at {ECB}; skipped")
    corpus(
        "examples (examples/dam, examples/feeds, examples/museum)",
        [EXAMPLES / "dam", EXAMPLES / "feeds", EXAMPLES / "museum"],
        lambda a: "museum" if "museum" in a.source else "dam",
    )
    if SEEDS.exists():
        corpus(f"seeds ({SEEDS})", [SEEDS], lambda a: "seeds")
    else:
        print(f"seeds not found at {SEEDS}; skipped")


if __name__ == "__main__":
    main()
