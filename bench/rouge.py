"""ROUGE-1/2 recall of Synoptic's summaries beside lead, LexRank, TextRank and LSA, in one run.

Usage::

    .venv/bin/python bench/rouge.py [ROOT] [--words 100]
    .venv/bin/python bench/rouge.py --ecbplus [--words 100]

``ROOT`` (default ``bench/fixtures/duc_examples``) holds topics in a DUC-like layout. Accepted:

1. ``ROOT/docs/<topic>/*`` with references in ``ROOT/models/``, ``ROOT/refs/``,
   ``ROOT/summaries/`` or ``ROOT/eval/models/<n>/`` (searched recursively), where a reference
   belongs to a topic when its lower-cased name starts with the topic name, or with the topic
   name less its last letter (DUC 2004: docs ``d30001t/``, references ``D30001.M.100.T.A``);
2. ``ROOT/<topic>/docs/*`` with references in ``ROOT/<topic>/refs/`` (or ``models/``,
   ``summaries/``).

A topic without a reference is skipped, and said so. Documents are read by Synoptic's own
readers (``.txt``, ``.html``, JSON lines, or sniffed when extensionless).

Systems, all over the same articles (after Synoptic's extraction):

* **synoptic**: ``build_briefs(topics, stories="per-dir", summary_words=N)``: exactly the stages
  ``synoptic brief DIR... --stories per-dir --summary-words N --format json`` runs;
* **lead**: the first N words of the most recent document (the DUC baseline; the first
  document when none is dated);
* **lexrank** (Erkan & Radev 2004): TF-IDF cosine graph over all sentences, edges at cosine
  >= 0.1, PageRank with damping 0.85, sentences by rank;
* **textrank** (Mihalcea & Tarau 2004): sentence similarity ``|common words| / (log|a| +
  log|b|)``, PageRank with damping 0.85, sentences by rank;
* **lsa** (Steinberger & Ježek 2004): binary term-sentence matrix, SVD, a sentence scores
  ``sqrt(sum_k sigma_k^2 v_ki^2)`` over the top three dimensions, sentences by score;
* **icsisumm** (Gillick & Favre 2009, the concept model of ICSISumm, 38.4 / 9.8 on DUC 2004):
  an integer program over stemmed bigrams weighted by document frequency, within N words.
  It anchors our figures to a published system run in the same process.

Ranking baselines take whole sentences in rank order and are cut at N words, as DUC scoring
does (ROUGE ``-l N``); Synoptic's and icsisumm's summaries are within N words already and are
scored as they are.
Scores: ROUGE-N recall, N = 1, 2, with Porter stemming of tokens over three characters and no
stop-word removal (ROUGE-1.5.5 ``-m -n 2``), pooled over a topic's references (``-f A``), and
averaged over topics. The Porter (1980) stemmer is Snowball's (``snowballstemmer``);
neither ``rouge-score`` nor ``nltk`` is installed.

The default data is fictional (the team's ``examples/`` stories with references we wrote), so
its figures only show that the harness runs; real DUC 2004 figures come from running it on
DUC data.

``--ecbplus``: a real-news stand-in for DUC 2004, with the same systems and scores. The topics
are 16 stories of ECB+ (``../shared/data/ecbplus/ecbplus.jsonl``, skipped with a message when
absent), chosen by a fixed rule: stories with at least 6 articles and 1,500 words in all (72 of
86), sorted by (topic number, ``ecb`` before ``ecbplus``), every k-th from the first with
k = floor(72 / 16) = 4, at most one story per ECB+ topic. The references are
``bench/gold/ecbplus_summaries.json``: two abstractive ~100-word summaries per story written
by the team after reading every article, as DUC assessors did (A: the event; B: the event with
more weight on consequences and reactions); the run checks that the rule still picks the
stories they were written for. Articles are read as ``bench/cluster.py`` reads ECB+ (text
only: no dates, no titles), one group per story, and go through the stages ``build_briefs``
runs after reading (copies marked, ``per-dir`` grouping, parse, synthesis). With no dates,
**lead** is the first N words of the story's lowest-numbered article (``1_1ecb`` before
``1_2ecb``), past the page-URL line that opens the ``ecbplus`` texts. The ``ecbplus`` texts
keep their headline and dateline lines, which every system sees. Sixteen topics is few: the
per-topic win counts printed beside the means say how consistent a difference is.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from synoptic.evaluate.rouge import porter, rouge_recall, truncate
from synoptic.evaluate.rouge import words as rouge_words

if TYPE_CHECKING:
    from synoptic.analyze.record import AnalyzedArticle
    from synoptic.model import Article, Brief

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "bench" / "fixtures" / "duc_examples"
REF_DIRS = ("models", "refs", "summaries", "eval")
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
ECB_GOLD = ROOT / "bench" / "gold" / "ecbplus_summaries.json"
ECB_MIN_ARTICLES = 6
ECB_MIN_WORDS = 1500
ECB_STORIES = 16

# --- data layout ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    name: str
    docs: Path
    refs: tuple[Path, ...]


def _ref_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def discover(root: Path) -> tuple[list[Topic], list[str]]:
    """Find topics and their references under ``root`` (layouts in the module docstring)."""
    topics: list[Topic] = []
    skipped: list[str] = []
    if (root / "docs").is_dir():
        refs = [p for d in REF_DIRS if (root / d).is_dir() for p in _ref_files(root / d)]
        for folder in sorted(p for p in (root / "docs").iterdir() if p.is_dir()):
            name = folder.name.lower()
            keys = {name, name[:-1]} if len(name) > 3 else {name}
            mine = tuple(r for r in refs if any(r.name.lower().startswith(k) for k in keys))
            if mine:
                topics.append(Topic(folder.name, folder, mine))
            else:
                skipped.append(f"{folder.name}: no reference summary")
        return topics, skipped
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        docs = folder / "docs"
        refs_dir = next((folder / d for d in REF_DIRS if (folder / d).is_dir()), None)
        if not docs.is_dir():
            continue
        if refs_dir is None or not _ref_files(refs_dir):
            skipped.append(f"{folder.name}: no reference summary")
            continue
        topics.append(Topic(folder.name, docs, tuple(_ref_files(refs_dir))))
    return topics, skipped


# --- baselines ------------------------------------------------------------------------------


def _fill(sentences: Sequence[str], order: Sequence[int], words: int) -> str:
    out: list[str] = []
    count = 0
    for i in order:
        out.append(sentences[i])
        count += len(sentences[i].split())
        if count >= words:
            break
    return truncate(" ".join(out), words)


def _pagerank(weights: np.ndarray, damping: float = 0.85, iters: int = 100) -> np.ndarray:
    n = weights.shape[0]
    rows = weights.sum(axis=1, keepdims=True)
    trans = np.divide(weights, rows, out=np.full_like(weights, 1.0 / n), where=rows > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(iters):
        new = (1 - damping) / n + damping * trans.T @ rank
        if np.abs(new - rank).sum() < 1e-8:
            return new
        rank = new
    return rank


def lexrank(sentences: Sequence[str], words: int, threshold: float = 0.1) -> str:
    """LexRank with a thresholded TF-IDF cosine graph."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    tfidf = TfidfVectorizer().fit_transform(sentences)
    sim = (tfidf @ tfidf.T).toarray()
    graph = (sim >= threshold).astype(float)
    rank = _pagerank(graph)
    return _fill(sentences, np.argsort(-rank, kind="stable").tolist(), words)


def textrank(sentences: Sequence[str], words: int) -> str:
    """TextRank with the word-overlap similarity of Mihalcea and Tarau."""
    toks = [set(rouge_words(s)) for s in sentences]
    n = len(sentences)
    weights = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            li, lj = len(toks[i]), len(toks[j])
            if li > 1 and lj > 1:
                w = len(toks[i] & toks[j]) / (math.log(li) + math.log(lj))
                weights[i, j] = weights[j, i] = w
    rank = _pagerank(weights)
    return _fill(sentences, np.argsort(-rank, kind="stable").tolist(), words)


def lsa(sentences: Sequence[str], words: int, dims: int = 3) -> str:
    """LSA sentence selection after Steinberger and Ježek."""
    from sklearn.feature_extraction.text import CountVectorizer

    try:
        matrix = CountVectorizer(binary=True, stop_words="english").fit_transform(sentences)
    except ValueError:
        return _fill(sentences, range(len(sentences)), words)
    _, sigma, vt = np.linalg.svd(matrix.T.toarray().astype(float), full_matrices=False)
    k = min(dims, len(sigma))
    score = np.sqrt(((sigma[:k, None] ** 2) * (vt[:k] ** 2)).sum(axis=0))
    return _fill(sentences, np.argsort(-score, kind="stable").tolist(), words)


def icsisumm(documents: Sequence[Sequence[str]], words: int, min_words: int = 10) -> str:
    """Concept coverage after Gillick & Favre (2009), the core of ICSISumm.

    Concepts are stemmed word bigrams, not both stop words; a concept's weight is the number of
    documents holding it, and concepts in fewer than 3 documents of 10 (30 %, at least 2) are
    dropped. An integer program (HiGHS through scipy) picks the sentences of at least
    ``min_words`` words that maximise the total weight of the concepts they cover, within
    ``words`` words.
    """
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    def bigrams(text: str) -> set[tuple[str, str]]:
        raw = rouge_words(text)
        return {
            (porter(a), porter(b))
            for a, b in pairwise(raw)
            if not (a in ENGLISH_STOP_WORDS and b in ENGLISH_STOP_WORDS)
        }

    df: Counter[tuple[str, str]] = Counter()
    for doc in documents:
        df.update(set().union(*(bigrams(t) for t in doc)) if doc else set())
    floor = max(2, math.ceil(0.3 * len(documents)))
    sents = [t for doc in documents for t in doc if len(t.split()) >= min_words]
    concept_ids = {c: i for i, c in enumerate(sorted(c for c, n in df.items() if n >= floor))}
    if not sents or not concept_ids:
        return _fill(sents, range(len(sents)), words)
    n, k = len(sents), len(concept_ids)
    occ = [(i, concept_ids[c]) for i, t in enumerate(sents) for c in bigrams(t) if c in concept_ids]
    cover = sparse.csr_matrix(
        (np.ones(len(occ)), ([i for i, _ in occ], [j for _, j in occ])), shape=(n, k)
    )
    cover.data[:] = 1.0
    weights = np.array([float(df[c]) for c in concept_ids])  # in index order
    lengths = np.array([len(t.split()) for t in sents], dtype=float)
    # x (sentences, binary), then z (concepts, in [0, 1]): z_c <= sum of the x covering c.
    length_row = sparse.hstack([sparse.csr_matrix(lengths[None, :]), sparse.csr_matrix((1, k))])
    cover_rows = sparse.hstack([-cover.T, sparse.identity(k, format="csr")])
    res = milp(
        -np.concatenate([np.zeros(n), weights]),
        integrality=np.concatenate([np.ones(n), np.zeros(k)]),
        bounds=Bounds(0.0, 1.0),
        constraints=LinearConstraint(
            sparse.vstack([length_row, cover_rows], format="csr"),
            np.full(k + 1, -np.inf),
            np.concatenate([[float(words)], np.zeros(k)]),
        ),
        options={"node_limit": 2000, "mip_rel_gap": 1e-3},
    )
    if res.x is None:
        return _fill(sents, range(len(sents)), words)
    return " ".join(t for i, t in enumerate(sents) if res.x[i] > 0.5)


def lead(articles: Sequence[tuple[str | None, str]], words: int) -> str:
    """The first ``words`` words of the most recent document (the first when none is dated)."""
    dated = [a for a in articles if a[0]]
    text = max(dated, key=lambda a: a[0] or "")[1] if dated else articles[0][1]
    return truncate(text, words)


# --- ECB+ -----------------------------------------------------------------------------------


def _story_key(story: str) -> tuple[int, str]:
    topic, half = story.split("-", 1)
    return int(topic), half


def _doc_number(article_id: str) -> int:
    """The document number of an ECB+ id (``12_3ecb`` -> 3), for the story's reading order."""
    m = re.match(r"\d+_(\d+)", article_id)
    return int(m.group(1)) if m else 0


def select_ecb_stories(rows: Sequence[dict[str, Any]], n: int = ECB_STORIES) -> list[str]:
    """The ECB+ stories the references were written for (the rule in the module docstring)."""
    members: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        members[r["story"]].append(r["text"])
    eligible = sorted(
        (
            s
            for s, texts in members.items()
            if len(texts) >= ECB_MIN_ARTICLES
            and sum(len(t.split()) for t in texts) >= ECB_MIN_WORDS
        ),
        key=_story_key,
    )
    step = max(1, len(eligible) // n)
    chosen: list[str] = []
    topics: set[str] = set()
    for story in eligible[::step]:
        topic = story.split("-", 1)[0]
        if topic not in topics and len(chosen) < n:
            chosen.append(story)
            topics.add(topic)
    return chosen


_URL_LINE = re.compile(r"https?:")


def ecb_lead(articles: Sequence[Article], words: int) -> str:
    """First ``words`` words of the story's lowest-numbered article, past a leading URL line.

    ECB+ has no dates, so "most recent" cannot be taken; its ``ecbplus`` texts open with the
    page's URL (tokenised as ``http: / / ...``), which no lead paragraph contains.
    """
    first = min(articles, key=lambda a: (_doc_number(a.id), a.id))
    lines = first.text.splitlines()
    while lines and _URL_LINE.match(lines[0].strip()):
        lines.pop(0)
    return truncate(" ".join(lines), words)


# --- the run --------------------------------------------------------------------------------

SYSTEMS = ("synoptic", "lead", "lexrank", "textrank", "lsa", "icsisumm")
BASELINES = SYSTEMS[1:]


def system_outputs(
    brief: Brief, analyses: Mapping[str, AnalyzedArticle], words: int, lead_text: str
) -> dict[str, str]:
    """Each system's summary of ``brief``'s story; baselines read the same parsed sentences."""
    arts = list(brief.story.articles)
    by_doc = [[s.text for s in analyses[a.id].sentences] for a in arts]
    sents = [t for doc in by_doc for t in doc]
    return {
        "synoptic": " ".join(c.text for c in brief.summary),
        "lead": lead_text,
        "lexrank": lexrank(sents, words),
        "textrank": textrank(sents, words),
        "lsa": lsa(sents, words),
        "icsisumm": icsisumm(by_doc, words),
    }


Scores = dict[str, list[tuple[float, float]]]


def score(outputs: Mapping[str, str], refs: Sequence[str], scores: Scores) -> None:
    """Append each system's (ROUGE-1, ROUGE-2) recall against ``refs`` to ``scores``."""
    for name, text in outputs.items():
        scores[name].append((rouge_recall(text, refs, 1), rouge_recall(text, refs, 2)))


def report(scores: Scores) -> None:
    """Print mean recall per system, its ratios to each baseline, and per-topic wins."""
    means = {s: np.mean(v, axis=0) for s, v in scores.items() if v}
    head = "".join(f"{'to ' + b:>13}" for b in BASELINES)
    print(f"  {'system':<10} {'R-1 recall':>10} {'R-2 recall':>10}   ratio R-1, R-2:{head}")
    for name in SYSTEMS:
        if name not in means:
            continue
        r1, r2 = means[name]
        cells = []
        for b in BASELINES:
            base = means.get(b)
            if base is None or not base.all():
                cells.append("n/a")
            else:
                cells.append(f"{r1 / base[0]:.2f}, {r2 / base[1]:.2f}")
        row = "".join(f"{c:>13}" for c in cells)
        print(f"  {name:<10} {r1:10.4f} {r2:10.4f}   {'':15}{row}")
    ours = scores["synoptic"]
    for b in BASELINES:
        theirs = scores[b]
        w1 = sum(o[0] > t[0] for o, t in zip(ours, theirs, strict=True))
        w2 = sum(o[1] > t[1] for o, t in zip(ours, theirs, strict=True))
        print(f"  synoptic above {b:<8} in {w1}/{len(ours)} topics on R-1, {w2}/{len(ours)} on R-2")


def run_fixture(root: Path, words: int) -> None:
    """Score every topic under ``root`` (a DUC-like layout)."""
    if not root.is_dir():
        sys.exit(f"skipped: no data at {root}")
    topics, skipped = discover(root)
    for s in skipped:
        print(f"  skipped topic {s}")
    if not topics:
        sys.exit(f"skipped: no topic with documents and references under {root}")

    from synoptic.analyze.batch import AnalysisCache, analyze_all
    from synoptic.analyze.embed import Embedder
    from synoptic.pipeline import build_briefs

    t0 = time.perf_counter()
    result = build_briefs([str(t.docs) for t in topics], stories="per-dir", summary_words=words)
    elapsed = time.perf_counter() - t0
    by_topic: dict[str, Brief] = {}
    for brief in result.briefs:
        src = Path(brief.story.articles[0].source)
        for t in topics:
            if str(src).startswith(str(t.docs) + "/") or src.parent == t.docs:
                by_topic[t.name] = brief
    scores: Scores = {s: [] for s in SYSTEMS}
    embedder, cache = Embedder(), AnalysisCache()
    for t in topics:
        found = by_topic.get(t.name)
        if found is None:
            print(f"  topic {t.name}: no brief produced (inputs skipped?)")
            continue
        refs = [r.read_text(encoding="utf-8", errors="replace") for r in t.refs]
        arts = list(found.story.articles)
        lead_text = lead([(a.published, a.text) for a in arts], words)
        analyses = analyze_all(arts, embedder=embedder, cache=cache)  # cached by build_briefs
        score(system_outputs(found, analyses, words, lead_text), refs, scores)
    print(f"data: {root} ({len(scores['synoptic'])} topics, {words}-word summaries)")
    print(f"  synoptic brief stages: {elapsed:.1f} s for {len(result.articles)} articles")
    report(scores)
    if root == DEFAULT_DATA:
        print("  (fictional example stories with hand-written references: not DUC figures)")


def run_ecbplus(words: int) -> None:
    """Score the ECB+ stories of ``ECB_GOLD`` against the team's references."""
    if not ECB.exists():
        print(f"skipped: ECB+ not found at {ECB} (it lives in ../shared, absent here)")
        return
    if not ECB_GOLD.exists():
        print(f"skipped: no references at {ECB_GOLD}")
        return
    rows = [json.loads(line) for line in ECB.open(encoding="utf-8") if line.strip()]
    gold = json.loads(ECB_GOLD.read_text(encoding="utf-8"))["stories"]
    rule = select_ecb_stories(rows)
    if sorted(gold) != sorted(rule):
        print(f"  note: references are for {sorted(gold)}, the rule now picks {sorted(rule)}")
    present = {r["story"] for r in rows}
    chosen = [s for s in sorted(gold, key=_story_key) if s in present]
    if not chosen:
        print(f"skipped: none of the referenced stories is in {ECB}")
        return

    from synoptic.analyze.batch import AnalysisCache, analyze_all
    from synoptic.analyze.embed import Embedder
    from synoptic.cluster import group_articles
    from synoptic.dedup import mark_duplicates
    from synoptic.model import Article
    from synoptic.synthesize.brief import synthesize

    # Read as bench/cluster.py reads ECB+ (no dates, no titles), one group per story, then the
    # stages build_briefs(..., stories="per-dir") runs after reading: copies marked, grouped,
    # parsed, synthesized.
    t0 = time.perf_counter()
    articles = mark_duplicates(
        [
            Article(id=r["id"], source=f"ecbplus:{r['id']}", text=r["text"], group=r["story"])
            for r in rows
            if r["story"] in chosen
        ]
    )
    embedder = Embedder()
    stories = group_articles(articles, "per-dir", embedder=embedder)
    analyses = analyze_all(articles, embedder=embedder, cache=AnalysisCache())
    briefs = {
        story.articles[0].group: synthesize(story, analyses, summary_words=words)
        for story in stories
    }
    elapsed = time.perf_counter() - t0
    scores: Scores = {s: [] for s in SYSTEMS}
    for story in chosen:
        brief = briefs.get(story)
        if brief is None:
            print(f"  story {story}: no brief produced")
            continue
        refs = [gold[story][k] for k in sorted(gold[story])]
        lead_text = ecb_lead(brief.story.articles, words)
        score(system_outputs(brief, analyses, words, lead_text), refs, scores)
    print(
        f"data: ECB+ {ECB} ({len(scores['synoptic'])} stories, {len(articles)} articles, "
        f"{words}-word summaries); references: {ECB_GOLD.relative_to(ROOT)} "
        f"(2 per story, written by the team)"
    )
    print("  lead = first words of each story's lowest-numbered article (ECB+ has no dates)")
    print(f"  synoptic brief stages: {elapsed:.1f} s (analyze, align, summarize, all briefs)")
    report(scores)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("root", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument(
        "--ecbplus", action="store_true", help="run on ECB+ stories with the team's references"
    )
    args = parser.parse_args(argv)
    if args.ecbplus:
        run_ecbplus(args.words)
    else:
        run_fixture(args.root, args.words)


if __name__ == "__main__":
    main()
