"""Precision and recall of wire-copy detection, beside two baselines, on real articles.

Pairs are built from real text in ../shared/data:

* **copies** (positives): a real article republished (a) under a new headline (a headline line
  put before the body, as scraped pages carry it), (b) with its ending trimmed (the last 25-45%
  of its sentences gone), (c) with a paragraph from another article added at the end, and
  (d) new headline and trimmed at once;
* **unrelated** (negatives): two articles from different ECB+ topics, or two extraction-
  benchmark pages;
* **same topic, different article** (hard negatives): two different ECB+ articles of one topic
  (the same event reported twice, or a similar event of the same kind).

Bodies come from the ECB+ corpus (``ecbplus/ecbplus.jsonl``) and the gold ``articleBody`` of
the article-extraction benchmark (``article-extraction-benchmark/ground-truth.json``); only
bodies of at least 80 words are used.

Methods, all run here on the same pairs:

* ``synoptic``: ``DuplicateIndex`` (MinHash LSH candidates, then shingle containment >= 0.8);
  the story store's look-up uses the same bands and the same verification;
* baseline ``exact``: equal text after case and whitespace folding (hash dedup);
* baseline ``minhash-jaccard``: estimated Jaccard of the same 5-word shingles >= 0.8.

Run: ``.venv/bin/python bench/dedup.py``.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

from datasketch import MinHash

from synoptic.dedup import NUM_PERM, DuplicateIndex, shingles
from synoptic.model import Article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ECB = DATA / "ecbplus" / "ecbplus.jsonl"
AEB = DATA / "article-extraction-benchmark" / "ground-truth.json"
MIN_WORDS = 80
_SENT = re.compile(r"(?<=[.!?])\s+|\n+")

Pair = tuple[str, str, str]  # (kind, text a, text b)


def load() -> tuple[list[tuple[int, str]], list[str]]:
    """Return ECB+ (topic, text) and extraction-benchmark bodies of at least MIN_WORDS words."""
    ecb = []
    for line in ECB.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if len(row["text"].split()) >= MIN_WORDS:
            ecb.append((int(row["topic"]), row["text"]))
    gold = json.loads(AEB.read_text(encoding="utf-8"))
    aeb = [
        v["articleBody"]
        for _, v in sorted(gold.items())
        if len((v.get("articleBody") or "").split()) >= MIN_WORDS
    ]
    return ecb, aeb


def _sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text) if s.strip()]


def _headline(rng: random.Random, text: str) -> str:
    words = re.findall(r"\w+", text)
    start = rng.randrange(max(1, len(words) - 10))
    return " ".join(words[start : start + rng.randint(6, 10)]).capitalize()


def build_pairs(seed: int = 5) -> list[Pair]:
    """Return labelled pairs: ``copy-*`` kinds are positives, the rest negatives."""
    rng = random.Random(seed)
    ecb, aeb = load()
    bodies = [t for _, t in ecb] + aeb
    pairs: list[Pair] = []
    for text in bodies:
        other = rng.choice(bodies)
        while other is text:
            other = rng.choice(bodies)
        sents = _sentences(text)
        keep = max(1, round(len(sents) * rng.uniform(0.55, 0.75)))
        trimmed = " ".join(sents[:keep])
        extra = " ".join(_sentences(other)[: rng.randint(2, 4)])
        kind = rng.choice(("headline", "trimmed", "added", "headline+trimmed"))
        if kind == "headline":
            copy = f"{_headline(rng, text)}\n\n{text}"
        elif kind == "trimmed":
            copy = trimmed
        elif kind == "added":
            copy = f"{text}\n\n{extra}"
        else:
            copy = f"{_headline(rng, text)}\n\n{trimmed}"
        pairs.append((f"copy-{kind}", text, copy))
    by_topic: dict[int, list[str]] = {}
    for topic, text in ecb:
        by_topic.setdefault(topic, []).append(text)
    n_pos = len(pairs)
    for _ in range(n_pos):
        a, b = rng.sample(bodies, 2)
        pairs.append(("unrelated", a, b))
    topics = sorted(t for t, texts in by_topic.items() if len(texts) >= 2)
    for _ in range(n_pos):
        a, b = rng.sample(by_topic[rng.choice(topics)], 2)
        pairs.append(("same-topic", a, b))
    return pairs


def _article(text: str, tag: str) -> Article:
    return Article(id=Article.make_id(text, tag, None, None), source=tag, text=text)


def synoptic(a: str, b: str) -> bool:
    index = DuplicateIndex()
    first = _article(a, "a")
    index.add(first)
    return index.find(_article(b, "b")) == first.id


def exact(a: str, b: str) -> bool:
    def norm(t: str) -> str:
        return hashlib.sha256(" ".join(t.lower().split()).encode("utf-8")).hexdigest()

    return norm(a) == norm(b)


def minhash_jaccard(a: str, b: str) -> bool:
    def sig(t: str) -> MinHash:
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([s.encode("utf-8") for s in sorted(shingles(t))])
        return m

    return sig(a).jaccard(sig(b)) >= 0.8


def score(method: Callable[[str, str], bool], pairs: list[Pair]) -> dict[str, float]:
    tp = fp = fn = 0
    per_kind: dict[str, list[int]] = {}
    for kind, a, b in pairs:
        said = method(a, b)
        positive = kind.startswith("copy")
        tp += said and positive
        fp += said and not positive
        fn += (not said) and positive
        hit = per_kind.setdefault(kind, [0, 0])
        hit[0] += said
        hit[1] += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {"precision": precision, "recall": recall, "f1": f1}
    out.update({f"said copy: {k}": v[0] / v[1] for k, v in sorted(per_kind.items())})
    return out


def main() -> None:
    if not ECB.exists() or not AEB.exists():
        sys.exit(f"shared data not found under {DATA}")
    pairs = build_pairs()
    kinds: dict[str, int] = {}
    for kind, _, _ in pairs:
        kinds[kind] = kinds.get(kind, 0) + 1
    print("data: ECB+ articles and article-extraction-benchmark gold bodies (../shared/data)")
    print("pairs: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    results = {
        "synoptic": score(synoptic, pairs),
        "exact": score(exact, pairs),
        "minhash-jaccard": score(minhash_jaccard, pairs),
    }
    names = list(results)
    print(f"\n{'':32}" + "".join(f"{n:>17}" for n in names))
    for key in results["synoptic"]:
        print(f"{key:32}" + "".join(f"{results[n][key]:17.3f}" for n in names))
    mine = results["synoptic"]["f1"]
    for base in names[1:]:
        other = results[base]["f1"]
        ratio = f"{mine / other:.2f}" if other else "inf"
        print(f"F1 ratio synoptic / {base}: {ratio}")


if __name__ == "__main__":
    main()
