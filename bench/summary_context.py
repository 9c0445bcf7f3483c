"""Summary sentences that lean on context: the previous method beside the current, same run.

Data: the 16 ECB+ stories of ``bench/rouge.py --ecbplus`` (``../shared/data/ecbplus``), with the
team's references (``bench/gold/ecbplus_summaries.json``), and the publication dates the Event
StoryLine layer gives (``../shared/data/ecbplus-esc``, where present). All methods run over the
same analyses and alignment: *previous* is ``summarize(..., people=None)`` (no test for a
person told by role or pronoun before any name), *people* passes the ``PERSON`` mentions,
*current* also the figures a later-dated report updates (``superseded_figures`` of the story's
conflicts), as ``synthesize.brief`` does. Printed for each: ROUGE-1/2 recall (100 words), the
summary sentences that read a person by role or pronoun before any sentence names one, and
the summary items that say or cite a superseded figure (``--verbose`` prints the summaries
that differ).

Run: ``PYTHONPATH=src .venv/bin/python bench/summary_context.py [--verbose]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import rouge as R
from synoptic.analyze.batch import AnalysisCache, analyze_all
from synoptic.analyze.embed import Embedder
from synoptic.cluster import group_articles
from synoptic.dedup import mark_duplicates
from synoptic.evaluate.rouge import rouge_recall
from synoptic.model import Article
from synoptic.synthesize.align import align
from synoptic.synthesize.conflicts import find_conflicts
from synoptic.synthesize.summary import summarize, superseded_figures, unnamed_description

ESC = R.ECB.parent.parent / "ecbplus-esc" / "articles.jsonl"


def _esc_dates() -> dict[str, str]:
    """Publication dates by ECB+ article id, from the Event StoryLine layer (if present)."""
    if not ESC.exists():
        return {}
    out = {}
    for line in ESC.open(encoding="utf-8"):
        row = json.loads(line)
        if row.get("published"):
            out[row["id"].removeprefix("ecbplus-")] = row["published"]
    return out


def _stale(summary: tuple, superseded: dict[str, list[tuple[int, int]]]) -> int:
    """Summary items whose wording or citations give a superseded figure."""
    return sum(
        any(
            s.start <= a and b <= s.end
            for s in item.spans
            for a, b in superseded.get(s.article, ())
        )
        for item in summary
    )


def _leaning(texts: list[str], people_names: set[str]) -> int:
    """Sentences telling a person by role before any sentence names one (text-level check)."""
    named = False
    count = 0
    for t in texts:
        has_name = any(n in t for n in people_names)
        if not named and unnamed_description(t, has_name):
            count += 1
        named = named or has_name
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not R.ECB.exists():
        raise SystemExit(f"ECB+ not found at {R.ECB}")
    rows = [json.loads(line) for line in R.ECB.open(encoding="utf-8") if line.strip()]
    gold = json.loads(R.ECB_GOLD.read_text(encoding="utf-8"))["stories"]
    dates = _esc_dates()
    articles = mark_duplicates(
        [
            Article(
                id=r["id"],
                source=f"ecbplus:{r['id']}",
                text=r["text"],
                group=r["story"],
                published=dates.get(r["id"]),
            )
            for r in rows
            if r["story"] in gold
        ]
    )
    embedder = Embedder()
    stories = group_articles(articles, "per-dir", embedder=embedder)
    analyses = analyze_all(articles, embedder=embedder, cache=AnalysisCache())
    methods = ("previous", "people", "current")
    totals = {k: [0.0, 0.0, 0, 0, 0] for k in methods}
    for story in stories:
        name = story.articles[0].group or story.id
        recs = {a.id: analyses[a.id] for a in story.articles if a.id in analyses}
        sents = {aid: r.sentences for aid, r in recs.items()}
        groups = align(story, sents, recs)
        people = {
            aid: [(m.start, m.end) for m in r.mentions if m.type == "PERSON"]
            for aid, r in recs.items()
        }
        names = {m.text for r in recs.values() for m in r.mentions if m.type == "PERSON"}
        refs = [gold[name][k] for k in sorted(gold[name])]
        when = {a.id: a.published for a in story.articles if a.id in recs}
        quantities = [q for r in recs.values() for q in r.quantities]
        conflicts = find_conflicts(quantities, list(story.articles), dates=when)
        stale = superseded_figures(conflicts, when, {a.id: a.text for a in story.articles})
        out = {}
        for key, p, sup in (
            ("previous", None, None),
            ("people", people, None),
            ("current", people, stale),
        ):
            summary = summarize(
                story, sents, max_words=100, groups=groups, people=p, superseded=sup
            )
            texts = [c.text for c in summary]
            joined = " ".join(texts)
            t = totals[key]
            t[0] += rouge_recall(joined, refs, 1)
            t[1] += rouge_recall(joined, refs, 2)
            t[2] += len(texts)
            t[3] += _leaning(texts, names)
            t[4] += _stale(summary, stale)
            out[key] = texts
        if args.verbose and len({tuple(v) for v in out.values()}) > 1:
            print(f"== {name}")
            for key in out:
                print(f"  {key}:")
                print("\n".join(f"    {i}. {s[:140]}" for i, s in enumerate(out[key])))
    n = len(stories)
    dated = sum(1 for a in articles if a.published)
    print(
        f"data: ECB+ {R.ECB} ({n} stories of bench/rouge.py --ecbplus, 100-word summaries; "
        f"{dated} of {len(articles)} articles dated from {ESC.name if dates else 'nothing'})"
    )
    for key, (r1, r2, sentences, leaning, stale_items) in totals.items():
        print(
            f"  {key:<9} ROUGE-1 {r1 / n:.4f}  ROUGE-2 {r2 / n:.4f}   "
            f"a person told by role before any name: {leaning}/{sentences} sentences; "
            f"saying or citing a superseded figure: {stale_items}"
        )
    base, cur = totals["previous"], totals["current"]
    if base[1]:
        print(f"  ratio current/previous: ROUGE-2 x{cur[1] / base[1]:.3f}")


if __name__ == "__main__":
    main()
