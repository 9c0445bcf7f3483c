"""Quote extraction quality and speed, against hand-made gold, beside spaCy's own time.

Figures, per data set:

1. precision and recall of the quote mentions (a prediction matches a gold quote of the same
   article when their normalised wordings are equal or nearly so: rapidfuzz ratio >= 90);
   speaker accuracy over the matched quotes (``same_speaker``: Sergei = Sergey, a missing speaker
   only matches a missing one); partial-flag accuracy where the gold has it; quoted titles and
   labels wrongly kept; and pairwise precision/recall of ``merge_quotes`` against the gold's
   utterance groups (``key``, else identical wording from the same speaker), counting pairs whose
   gold wordings overlap (the pieces of a split quote are separate Quotes by design; the recall
   over all key pairs is printed beside it);
2. time per article of ``extract_quotes`` beside the time per article of the spaCy pipeline that
   produced its parse, in the same process, as a ratio (the parse is the floor every quote
   extractor built on spaCy pays).

Data: ``../shared/seeds/*.txt`` as raw scraped text with ``tests/gold/seeds_quotes.json``; and,
when present, ``examples/`` (read and cleaned by ``ingest`` + ``extract``) with the quotes of
``bench/gold/examples_gold.json``.

With ``--marks``: ECB+ articles whose straight quotes pair up on every line, rewritten in each
common convention (``wire ````...''``, “...”, ‘...’, «...», „...“, ‹...›, ‚...‘); the recall of
the quotes found with straight marks, and how many keep the same speaker.

Run: ``.venv/bin/python bench/quotes.py [--marks]``
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from synoptic.analyze.nlp import load_nlp  # noqa: E402
from synoptic.analyze.quotes import QuoteMention, extract_quotes, normalize_quote  # noqa: E402
from synoptic.evaluate.quotes import match_wordings  # noqa: E402
from synoptic.model import Article, RawDocument  # noqa: E402
from synoptic.synthesize.quotes import merge_quotes, same_speaker  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
SEEDS_GOLD = ROOT / "tests" / "gold" / "seeds_quotes.json"
EXAMPLES = ROOT / "examples"
EXAMPLES_GOLD = ROOT / "bench" / "gold" / "examples_gold.json"


@dataclass
class Gold:
    """One gold quote, normalised for matching."""

    file: str
    text: str
    speaker: str | None
    partial: bool | None
    key: str | None
    norm: str = field(init=False)

    def __post_init__(self) -> None:
        self.norm = normalize_quote(self.text)


@dataclass
class DataSet:
    name: str
    articles: list[Article]
    file_of: dict[str, str]  # article id -> gold file name
    quotes: list[Gold]
    not_speech: list[Gold]


def _seeds() -> DataSet | None:
    if not SEEDS.is_dir() or not SEEDS_GOLD.is_file():
        return None
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    articles = [
        Article(id=p.name, source=str(p), text=p.read_text(encoding="utf-8"))
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    return DataSet(
        "seeds (../shared/seeds, raw scraped text, 5 reports)",
        articles,
        {a.id: a.id for a in articles},
        [
            Gold(q["file"], q["text"], q["speaker"], q["partial"], q.get("key"))
            for q in gold["quotes"]
        ],
        [Gold(q["file"], q["text"], None, None, None) for q in gold["not_speech"]],
    )


def _examples() -> DataSet | None:
    if not EXAMPLES.is_dir() or not EXAMPLES_GOLD.is_file():
        return None
    from synoptic.extract.core import extract
    from synoptic.ingest.files import read_inputs

    gold = json.loads(EXAMPLES_GOLD.read_text(encoding="utf-8"))
    articles: list[Article] = []
    file_of: dict[str, str] = {}
    for doc in read_inputs([str(EXAMPLES)]):
        if isinstance(doc, RawDocument):
            art = extract(doc)
            articles.append(art)
            file_of[art.id] = str(Path(doc.source).resolve().relative_to(ROOT))
    quotes = [
        Gold(
            q["file"],
            q["text"],
            q.get("speaker"),
            (q["kind"] == "partial") if "kind" in q else None,
            q.get("key"),
        )
        for q in gold.get("quotes", [])
    ]
    labels = [Gold(q["file"], q["text"], None, None, None) for q in gold.get("not_quotes", [])]
    return DataSet(
        f"examples ({EXAMPLES.relative_to(ROOT)}/, cleaned by ingest+extract, "
        f"{len(articles)} reports)",
        articles,
        file_of,
        quotes,
        labels,
    )


def _match(preds: list[QuoteMention], golds: list[Gold]) -> dict[int, int]:
    """Greedy one-to-one matching of predictions to gold quotes of one article."""
    return match_wordings([normalize_quote(m.text) for m in preds], [g.norm for g in golds])


def _ratio(a: int, b: int) -> str:
    return f"{a / b:6.1%} ({a}/{b})" if b else "   n/a"


def evaluate(ds: DataSet, nlp: Any, verbose: bool) -> None:
    texts = [a.text for a in ds.articles]
    # spaCy's own pipeline time on these texts (a warm-up first: lazy init is not the parse).
    list(nlp.pipe(texts[:1]))
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts))
    t_spacy = time.perf_counter() - t0
    runs = []
    mentions: list[QuoteMention] = []
    for _ in range(5):
        t0 = time.perf_counter()
        mentions = [m for a, d in zip(ds.articles, docs, strict=True) for m in extract_quotes(a, d)]
        runs.append(time.perf_counter() - t0)
    t_quotes = statistics.median(runs)
    t0 = time.perf_counter()
    merged = merge_quotes(mentions, ds.articles)
    t_merge = time.perf_counter() - t0

    n_pred = n_match = n_speaker = n_partial = n_partial_known = 0
    n_gold = len(ds.quotes)
    leaked = 0
    matched: dict[int, Gold] = {}  # id(mention) -> gold
    misses: list[str] = []
    for art in ds.articles:
        fname = ds.file_of[art.id]
        preds = [m for m in mentions if m.article == art.id]
        golds = [g for g in ds.quotes if g.file == fname]
        labels = [g for g in ds.not_speech if g.file == fname]
        n_pred += len(preds)
        pairing = _match(preds, golds)
        n_match += len(pairing)
        for i, j in pairing.items():
            m, g = preds[i], golds[j]
            matched[id(m)] = g
            if same_speaker(m.speaker, g.speaker):
                n_speaker += 1
            else:
                misses.append(
                    f"  speaker {fname}: {g.text[:50]!r} gold={g.speaker} got={m.speaker}"
                )
            if g.partial is not None:
                n_partial_known += 1
                n_partial += m.partial == g.partial
        unmatched = [m for i, m in enumerate(preds) if i not in pairing]
        leaked += len(_match(unmatched, labels))
        for m in unmatched:
            misses.append(f"  extra   {fname}: {m.text[:60]!r} ({m.speaker})")
        for j, g in enumerate(golds):
            if j not in pairing.values():
                misses.append(f"  missed  {fname}: {g.text[:60]!r} ({g.speaker})")

    # Merge: pairs of matched gold quotes sharing a key should share a merged Quote.
    quote_of: dict[tuple[str, int, int], int] = {}
    for qi, q in enumerate(merged):
        for s in q.spans:
            quote_of[(s.article, s.start, s.end)] = qi
    items = [
        (found, quote_of.get((m.article, m.start, m.end)))
        for m in mentions
        if (found := matched.get(id(m))) is not None
    ]

    # Gold groups: the key, else identical wording from the same speaker. Pieces of one split
    # quote share a key but are separate mentions (and separate Quotes) by design, so the main
    # figure counts only pairs whose gold wordings overlap; "all key pairs" counts every pair.
    def group(g: Gold) -> str:
        return g.key or f"{g.norm}|{g.speaker}"

    def overlap(g1: Gold, g2: Gold) -> bool:
        return (
            fuzz.partial_ratio(g1.norm, g2.norm) >= 60
            or fuzz.token_set_ratio(g1.norm, g2.norm) >= 60
        )

    same_gold = same_pred = both = all_gold = all_both = 0
    for (g1, q1), (g2, q2) in combinations(items, 2):
        sg_any = group(g1) == group(g2)
        sg = sg_any and overlap(g1, g2)
        sp = q1 is not None and q1 == q2
        all_gold += sg_any
        all_both += sg_any and sp
        same_gold += sg
        same_pred += sp
        both += sg and sp
        if sg and not sp:
            misses.append(f"  apart   {group(g1)[:30]}: {g1.text[:40]!r} / {g2.text[:40]!r}")
        elif sp and not sg:
            misses.append(f"  joined  {g1.text[:45]!r} / {g2.text[:45]!r}")

    n = len(ds.articles)
    print(f"\ndata: {ds.name}")
    print(f"  gold quotes {n_gold}, predicted mentions {n_pred}, merged quotes {len(merged)}")
    print(f"  precision          {_ratio(n_match, n_pred)}")
    print(f"  recall             {_ratio(n_match, n_gold)}")
    print(f"  speaker accuracy   {_ratio(n_speaker, n_match)}   (over matched quotes)")
    print(f"  partial flag       {_ratio(n_partial, n_partial_known)}")
    print(f"  titles/labels kept {leaked} of {len(ds.not_speech)} marked not-speech")
    merge = f"precision {_ratio(both, same_pred)}  recall {_ratio(both, same_gold)}"
    print(f"  merge pairs        {merge}")
    print(f"  (all key pairs, split pieces included: recall {_ratio(all_both, all_gold)})")
    per_spacy = t_spacy / n * 1000
    per_quotes = t_quotes / n * 1000
    print(
        f"  time per article   extract_quotes {per_quotes:6.2f} ms   spaCy pipeline "
        f"{per_spacy:6.2f} ms   ratio {per_quotes / per_spacy:5.3f}   "
        f"(merge_quotes {t_merge * 1000:.2f} ms for all)"
    )
    if verbose and misses:
        print("\n".join(misses))


ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
CONVENTIONS = {
    "straight": ('"', '"'),
    "wire ``''": ("``", "''"),
    "curly “”": ("“", "”"),
    "single ‘’": ("‘", "’"),
    "guillemets «»": ("«", "»"),
    "low-high „“": ("„", "“"),
    "single guillemets ‹›": ("‹", "›"),
    "single low-high ‚‘": ("‚", "‘"),
}


def _rewrite(text: str, opening: str, closing: str) -> str | None:
    """``text`` with its straight double quotes written in another convention, or ``None``
    when a line holds an odd number of them (the pairing would be a guess)."""
    lines = []
    for line in text.split("\n"):
        parts = line.split('"')
        if len(parts) % 2 == 0:
            return None
        out = parts[0]
        for k, part in enumerate(parts[1:]):
            out += (opening if k % 2 == 0 else closing) + part
        lines.append(out)
    return "\n".join(lines)


def marks(nlp: Any, limit: int) -> None:
    """Recall of the quotes found in ECB+ articles written with straight marks, when the same
    articles are written in each other convention (same words, same speakers expected)."""
    if not ECBPLUS.is_file():
        print(f"no data: {ECBPLUS} not found")
        return
    texts = []
    for line in ECBPLUS.open(encoding="utf-8"):
        text = json.loads(line)["text"]
        if text.count('"') >= 2 and _rewrite(text, '"', '"') is not None:
            texts.append(text)
        if len(texts) == limit:
            break
    results: dict[str, list[list[QuoteMention]]] = {}
    for name, (o, c) in CONVENTIONS.items():
        variants = [_rewrite(t, o, c) or t for t in texts]
        arts = [Article(id=f"e{i}", source=f"e{i}", text=t) for i, t in enumerate(variants)]
        docs = nlp.pipe(variants)
        results[name] = [list(extract_quotes(a, d)) for a, d in zip(arts, docs, strict=True)]
    ref = results["straight"]
    n_ref = sum(len(r) for r in ref)
    print(f"ECB+ quote marks: {len(texts)} articles with paired straight quotes, {n_ref} quotes")
    for name, found in results.items():
        hit = same = 0
        for want, got in zip(ref, found, strict=True):
            pairs = match_wordings(
                [normalize_quote(m.text) for m in got], [normalize_quote(m.text) for m in want]
            )
            hit += len(pairs)
            same += sum(same_speaker(got[p].speaker, want[g].speaker) for p, g in pairs.items())
        print(f"  {name:22} recall {_ratio(hit, n_ref)}  same speaker {_ratio(same, hit)}")


def main() -> None:
    verbose = "-v" in sys.argv
    nlp = load_nlp()
    if "--marks" in sys.argv:
        marks(nlp, 150)
        return
    sets = [ds for ds in (_seeds(), _examples()) if ds is not None]
    if not sets:
        print("no data: neither ../shared/seeds nor examples/ with its gold were found")
        return
    for ds in sets:
        evaluate(ds, nlp, verbose)


if __name__ == "__main__":
    main()
