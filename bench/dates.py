"""Benchmark date resolution: calendar dates of date phrases against hand annotation.

Data, two sets, each scored on its own:

* ``seeds``: the five real scraped reports in ``../shared/seeds/`` (one story; only 003 has a
  dateline, and, as in the tests, this script supplies its ``published`` value
  ``2022-01-11T12:23:00+05:30``, which the residue cleaner reads from the dateline in the real
  flow), gold in ``tests/gold/seeds_dates.json``;
* ``examples``: the team's fictional corpus ``examples/`` read through ``synoptic.ingest`` and
  ``synoptic.extract`` (HTML pages included), grouped into the gold stories, gold ``dates`` in
  ``bench/gold/examples_gold.json``.

Each gold entry is a snippet holding the phrase (located in the article's cleaned text, repeated
snippets in order) and the calendar date it means. The system's answer for an entry is the date
of the mention (``extract_dates`` with the anchors of ``infer_anchor``) that overlaps the
snippet most, ``None`` when no mention does; it is right when it equals the gold date (a gold
``null``: the report does not fix the date, so right means unresolved). "Next week" style gold
dates are the Monday of the week, which is also what ``extract_dates`` gives at week precision.

Baseline, in the same run: dateparser alone (``search_dates`` over the snippet, its default
``PREFER_DATES_FROM``) with ``RELATIVE_BASE`` set to the article's publication date, else the
story's earliest publication date; the first date found, at dateparser's reported period (day,
week as its Monday, month, year). With no base date at all the baseline answers only phrases
that hold a year. Accuracy is printed for both, with the ratio system/baseline.

An ablation is printed beside it: the same extraction with every undated article anchored on
the story's earliest publication date (``infer_anchor`` without its event pinning).

Mentions the system resolved that overlap no gold snippet are counted as ``extra`` (for the
seeds, whose gold lists every date phrase of the report bodies, these are false finds or
residue; for the examples the gold is not exhaustive).

Run: ``.venv/bin/python bench/dates.py [--verbose]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synoptic.analyze.dates import DateMention, extract_dates, infer_anchor, published_date
from synoptic.analyze.nlp import Analyzer
from synoptic.evaluate.dates import locate
from synoptic.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DATELINE = {"003": "2022-01-11T12:23:00+05:30"}  # supplied here; the cleaner reads it


@dataclass
class Score:
    n: int = 0
    ours: int = 0
    unpinned: int = 0
    base: int = 0
    extra: int = 0
    unlocated: int = 0

    def line(self, name: str) -> str:
        acc = self.ours / self.n if self.n else 0.0
        bacc = self.base / self.n if self.n else 0.0
        ratio = f"{acc / bacc:.2f}x" if bacc else "n/a"
        return (
            f"{name:<10} n={self.n:<3} synoptic {acc:.3f} ({self.ours}/{self.n})   "
            f"dateparser baseline {bacc:.3f} ({self.base}/{self.n})   ratio {ratio}   "
            f"[without event pinning {self.unpinned / max(1, self.n):.3f}]   "
            f"extra mentions {self.extra}"
            + (f"   gold snippets not found {self.unlocated}" if self.unlocated else "")
        )


def _baseline(snippet: str, base: dt.date | None) -> str | None:
    """dateparser alone on the snippet, relative to ``base``."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    settings: dict[str, Any] = {}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day, 12, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(snippet, languages=["en"], settings=settings)
    if not found:
        return None
    matched, value = found[0]
    if base is None and not re.search(r"\d{4}", matched):
        return None
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(matched)
    period = (data.period if data and data.date_obj else None) or "day"
    day = value.date()
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    return day.isoformat()


def score_story(
    articles: Sequence[Article],
    gold: Sequence[dict[str, Any]],
    file_of: dict[str, str],
    analyzer: Analyzer,
    score: Score,
    verbose: bool,
) -> None:
    """Score one story's gold entries (``file_of``: article id -> gold file name)."""
    docs = analyzer.parse(articles)
    anchors = infer_anchor(articles, docs)
    mentions: dict[str, tuple[DateMention, ...]] = {
        a.id: extract_dates(a, docs[a.id], anchor=anchors[a.id]) for a in articles
    }
    dated = [d for d in (published_date(a.published) for a in articles) if d is not None]
    story_base = min(dated) if dated else None
    # Ablation: every undated article anchored on the story's earliest date (no pinning).
    unpinned: dict[str, tuple[DateMention, ...]] = {
        a.id: extract_dates(a, docs[a.id], anchor=published_date(a.published) or story_base)
        for a in articles
    }
    by_file = {file_of[a.id]: a for a in articles}
    used: set[tuple[str, int]] = set()
    seen: Counter[tuple[str, str]] = Counter()
    for g in gold:
        article = by_file.get(g["file"])
        if article is None:
            continue
        nth = seen[(g["file"], g["text"])]
        seen[(g["file"], g["text"])] += 1
        score.n += 1
        pos = locate(article.text, g["text"], nth)
        if pos is None:
            score.unlocated += 1
            if verbose:
                print(f"  not found in cleaned text: {g['file']}: {g['text']!r}")
            continue
        end = pos + len(g["text"])
        overlapping = [m for m in mentions[article.id] if m.start < end and m.end > pos]
        best = max(overlapping, key=lambda m: min(m.end, end) - max(m.start, pos), default=None)
        ours = best.date if best else None
        plain = next((m.date for m in unpinned[article.id] if best and m.start == best.start), None)
        score.unpinned += plain == g["date"]
        if best:
            used.add((article.id, best.start))
        base_date = published_date(article.published) or story_base
        theirs = _baseline(g["text"], base_date)
        score.ours += ours == g["date"]
        score.base += theirs == g["date"]
        if verbose and (ours != g["date"] or theirs != g["date"]):
            print(
                f"  {g['file']}: {g['text']!r} gold={g['date']} synoptic={ours} "
                f"baseline={theirs} anchor={anchors[article.id]}"
            )
    for aid, ms in mentions.items():
        for m in ms:
            if m.date is not None and (aid, m.start) not in used:
                score.extra += 1
                if verbose:
                    print(f"  extra: {file_of[aid]}: {m.text!r} -> {m.date}")


def run_seeds(analyzer: Analyzer, verbose: bool) -> Score | None:
    seeds = SHARED / "seeds"
    gold_path = ROOT / "tests" / "gold" / "seeds_dates.json"
    if not seeds.is_dir():
        print(f"seeds: skipped ({seeds} is absent)")
        return None
    articles, file_of = [], {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        a = Article(
            id=path.stem, source=str(path), text=text, published=SEED_DATELINE.get(path.name[:3])
        )
        articles.append(a)
        file_of[a.id] = path.name
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["dates"]
    score = Score()
    score_story(articles, gold, file_of, analyzer, score, verbose)
    return score


def run_examples(analyzer: Analyzer, verbose: bool) -> Score:
    from synoptic.extract import extract
    from synoptic.ingest import read_inputs
    from synoptic.model import RawDocument

    gold = json.loads((ROOT / "bench" / "gold" / "examples_gold.json").read_text("utf-8"))
    by_source: dict[str, Article] = {}
    for item in read_inputs([str(ROOT / "examples")]):
        if isinstance(item, RawDocument):
            article = extract(item)
            rel = str(Path(article.source).resolve().relative_to(ROOT))
            line = re.search(r":\d+$", article.source)
            if line and not rel.endswith(line.group(0)):
                rel += line.group(0)
            by_source[rel] = article
    score = Score()
    for story in gold["stories"]:
        articles = [by_source[f] for f in story["files"] if f in by_source]
        file_of = {a.id: f for f in story["files"] for a in articles if by_source[f] is a}
        entries = [g for g in gold["dates"] if g["file"] in story["files"]]
        score_story(articles, entries, file_of, analyzer, score, verbose)
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    analyzer = Analyzer(use_cache=False)
    started = time.perf_counter()
    results = []
    seeds = run_seeds(analyzer, args.verbose)
    if seeds:
        results.append(seeds.line("seeds"))
    results.append(run_examples(analyzer, args.verbose).line("examples"))
    print("Date resolution accuracy (calendar date of each gold date phrase)")
    print("data: ../shared/seeds (5 real reports, 1 dated) and examples/ (fictional, 9 reports)")
    for line in results:
        print(line)
    print(f"({time.perf_counter() - started:.1f}s)")


if __name__ == "__main__":
    main()
