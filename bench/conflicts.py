"""Numeric conflict finding: precision and recall against hand-annotated gold, beside a baseline.

Run from the repository root::

    .venv/bin/python bench/conflicts.py              # seeds and examples
    .venv/bin/python bench/conflicts.py --ecbplus    # and every ECB+ story (about 4 min cold)

Data (each part is skipped, with a message, when its files are absent):

* ``../shared/seeds/*.txt``: five real reports of one event, raw scraped text, against
  ``tests/gold/seeds_conflicts.json`` (one story, two conflicts).
* ``examples/`` (the team's fictional corpus), read with the project's own ingest and extract
  stages, grouped into stories as ``bench/gold/examples_gold.json`` lists them, against its
  ``conflicts`` (and its ``updates``: rising tolls that must not be called conflicts).
* ``--ecbplus``: ``../shared/data/ecbplus/ecbplus.jsonl``, 982 real texts in 86 stories (the
  ``story`` field), undated. Prints how many conflicts each system flags on all stories, on the
  odd topics (where the detector's rules were developed) and on the even topics (held out),
  scores both against ``bench/gold/ecbplus_conflicts.json`` (10 held-out stories annotated by
  hand: the true conflicts, and notes on the figures that differ without disagreeing), and
  prints a fixed random sample of the flagged conflicts for reading. Every conflict flagged on
  any of the 86 stories is judged by hand in ``bench/gold/ecbplus_conflict_verdicts.json``
  (story, values, ``real``): precision over all stories is printed from it, and apart for the
  odd and the even topics (flags not judged yet are listed with ``?``). Verdicts whose note says
  "held out" were written for flags first seen after the rules were fixed. ``--dump FILE`` writes
  every flagged conflict as JSON.

Both systems read the same quantities (``extract_quantities``), so the comparison is about
``find_conflicts`` alone. Articles are dated as ``synoptic brief`` dates them
(``analyze.dates.infer_anchor``), so rising counts can be told from conflicts. The baseline is
the naive rule: within a story, every unit given with two or more different values by
different articles is one conflict, every value a side.

Scores:

* **conflict P/R/F1**: a predicted conflict is correct when it covers at least two of one gold
  conflict's values (same value, at least one shared source); updates marked as such by
  ``find_conflicts`` count as updates, not conflicts.
* **side P/R/F1**: over (value, source) pairs of all conflicts: a side the gold does not list
  (a compatible wording, an unrelated figure, a rising toll) costs precision.

Claim contradictions (``synthesize.claims.find_claim_conflicts``, ``kind: "claim"``) are scored
on the same corpora after the brief's own alignment (wire copies marked first), beside a naive
baseline: every pair of sentences of one alignment group, from different outlets, where exactly
one holds a negation ("not", "n't", "never", "no"). Each side is a set of files; a flagged claim
conflict is correct when two of its sides each share a file with a different side of one gold
claim conflict. The examples gold lists them (``conflicts`` entries with ``kind: "claim"``); the
seeds hold none (by reading); ECB+ has no claim gold, so every claim conflict flagged there is
judged by hand in ``bench/gold/ecbplus_claims.json`` (story, the two sentences, ``real``), and
precision is over the judged flags; flags not yet judged are printed as such, for reading. For
the baseline, a fixed random sample of its ECB+ flags is judged.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spacy.tokens import Doc  # noqa: E402
from spacy.tokens import Span as SpacySpan  # noqa: E402

from synoptic.analyze.batch import analyze_docs  # noqa: E402
from synoptic.analyze.dates import infer_anchor  # noqa: E402
from synoptic.analyze.embed import Embedder  # noqa: E402
from synoptic.analyze.nlp import Analyzer  # noqa: E402
from synoptic.analyze.quantities import Quantity, extract_quantities  # noqa: E402
from synoptic.dedup import mark_duplicates  # noqa: E402
from synoptic.evaluate.conflicts import (  # noqa: E402
    ConflictScore,
    Side,
    claim_covers,
    covers,
    gold_sides,
    prf,
)
from synoptic.model import Article, Conflict  # noqa: E402
from synoptic.model import Story as BriefStory  # noqa: E402
from synoptic.render.common import conflict_value_display  # noqa: E402
from synoptic.synthesize.align import Group, align  # noqa: E402
from synoptic.synthesize.claims import find_claim_conflicts  # noqa: E402
from synoptic.synthesize.conflicts import UPDATE_SUFFIX, find_conflicts  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
SEEDS_GOLD = ROOT / "tests" / "gold" / "seeds_conflicts.json"
EXAMPLES_GOLD = ROOT / "bench" / "gold" / "examples_gold.json"
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
ECBPLUS_GOLD = ROOT / "bench" / "gold" / "ecbplus_conflicts.json"
ECBPLUS_CLAIMS = ROOT / "bench" / "gold" / "ecbplus_claims.json"
ECBPLUS_VERDICTS = ROOT / "bench" / "gold" / "ecbplus_conflict_verdicts.json"
NAIVE_CLAIM_SAMPLE = 25  # baseline flags judged by hand on ECB+


@dataclass
class Story:
    name: str
    articles: list[Article]
    file_of: dict[str, str]  # article id -> gold file name
    gold_conflicts: list[list[Side]]
    gold_updates: list[list[Side]]
    annotated: bool = True  # whether the gold lists this story's conflicts
    dates: dict[str, str | None] = field(default_factory=dict)  # as ``synoptic brief`` dates
    found: list[Conflict] = field(default_factory=list)  # ours, after ``score``
    gold_claims: list[list[frozenset[str]]] = field(default_factory=list)  # each side's files
    claims: list[Conflict] = field(default_factory=list)  # ours, after ``run_claims``
    naive_claims: list[tuple[str, str, str, str]] = field(default_factory=list)  # art, text x2


def ours(quantities: Sequence[Quantity], story: Story) -> tuple[list[list[Side]], list[list[Side]]]:
    """Return (conflicts, updates) as sides, from ``find_conflicts``."""
    conflicts: list[list[Side]] = []
    updates: list[list[Side]] = []
    story.found = list(find_conflicts(quantities, story.articles, dates=story.dates))
    for c in story.found:
        sides = [(v.value or 0.0, frozenset(story.file_of[s] for s in v.sources)) for v in c.values]
        (updates if c.topic.endswith(UPDATE_SUFFIX) else conflicts).append(sides)
    return conflicts, updates


def naive(
    quantities: Sequence[Quantity], story: Story
) -> tuple[list[list[Side]], list[list[Side]]]:
    """Same unit, different values from different articles: a conflict (no updates)."""
    by_unit: dict[str, dict[float, set[str]]] = defaultdict(lambda: defaultdict(set))
    for q in quantities:
        if q.unit is not None:
            by_unit[q.unit][round(q.value, 9)].add(story.file_of[q.article])
    conflicts = []
    for values in by_unit.values():
        files = set().union(*values.values())
        if len(values) >= 2 and len(files) >= 2:
            conflicts.append([(v, frozenset(f)) for v, f in values.items()])
    return conflicts, []


def score(
    system: str, stories: Sequence[Story], quantities: dict[str, list[Quantity]]
) -> ConflictScore:
    total = ConflictScore()
    run = ours if system == "ours" else naive
    for story in stories:
        conflicts, updates = run(quantities[story.name], story)
        if story.annotated:
            total.add(conflicts, updates, story.gold_conflicts, story.gold_updates)
    return total


def load_seeds() -> list[Story]:
    if not SEEDS.is_dir():
        print(f"seeds: skipped ({SEEDS} not found)")
        return []
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    articles = [
        Article(id=p.name, source=str(p), text=p.read_text(encoding="utf-8"))
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    conflicts = [gold_sides(c["values"]) for c in gold["conflicts"]]
    # No claim gold: by reading, the five reports contradict each other on no claim.
    return [Story("seeds", articles, {a.id: a.id for a in articles}, conflicts, [])]


def load_examples() -> list[Story]:
    if not EXAMPLES_GOLD.is_file():
        print(f"examples: skipped ({EXAMPLES_GOLD} not found)")
        return []
    gold = json.loads(EXAMPLES_GOLD.read_text(encoding="utf-8"))
    if "conflicts" not in gold or "stories" not in gold:
        print("examples: skipped (gold has no 'conflicts' or 'stories')")
        return []
    try:
        from synoptic.ingest import read_inputs
        from synoptic.pipeline import extract_all
    except ImportError as exc:  # the reading stages are someone else's work in progress
        print(f"examples: skipped (cannot import the reading stages: {exc})")
        return []
    files = sorted({f for s in gold["stories"] for f in s["files"]})
    paths = sorted({str(ROOT / f.split(":")[0]) for f in files})
    articles = extract_all(read_inputs(paths))
    by_file: dict[str, Article] = {}
    for a in articles:
        rel = a.source
        if rel.startswith(str(ROOT) + "/"):
            rel = rel[len(str(ROOT)) + 1 :]
        by_file[rel] = a
    stories = []
    for s in gold["stories"]:
        members = [by_file[f] for f in s["files"] if f in by_file]
        missing = [f for f in s["files"] if f not in by_file]
        if missing:
            print(f"examples: {s['name']}: {len(missing)} file(s) not read: {missing}")
        file_of = {
            a.id: f
            for f, a in by_file.items()
            if a in members  # dataclass equality: the same article
        }
        in_story = set(s["files"])

        def keep(entry: dict[str, object], in_story: set[str] = in_story) -> bool:
            values = entry.get("values") or []
            assert isinstance(values, list)
            return any(set(v.get("files") or []) & in_story for v in values)

        numeric = [c for c in gold["conflicts"] if c.get("kind", "number") == "number"]
        conflicts = [gold_sides(c["values"]) for c in numeric if keep(c)]
        updates = [gold_sides(u["values"]) for u in gold.get("updates", []) if keep(u)]
        claims = [
            [frozenset(v["files"]) for v in c["values"]]
            for c in gold["conflicts"]
            if c.get("kind") == "claim" and keep(c)
        ]
        story = Story(s["name"], members, file_of, conflicts, updates)
        story.gold_claims = claims
        stories.append(story)
    return stories


def _line(label: str, s: ConflictScore) -> tuple[float, float]:
    p, r, f = s.conflicts()
    sp, sr, sf = s.sides()
    updates = (
        f"  updates recognised {s.updates_found}/{s.updates_gold}, "
        f"called conflicts {s.updates_as_conflicts}/{s.updates_gold}"
        if s.updates_gold
        else ""
    )
    print(
        f"  {label:<8} conflicts P {p:.2f} R {r:.2f} F1 {f:.2f} ({s.tp}/{s.predicted} predicted, "
        f"{s.gold} gold)   sides P {sp:.2f} R {sr:.2f} F1 {sf:.2f}{updates}"
    )
    return f, sf


def load_ecbplus() -> list[Story]:
    """Every ECB+ story; those in ``ecbplus_conflicts.json`` carry their gold conflicts."""
    if not ECBPLUS.is_file():
        print(f"ECB+: skipped ({ECBPLUS} not found)")
        return []
    rows = [json.loads(line) for line in ECBPLUS.open(encoding="utf-8") if line.strip()]
    gold = (
        json.loads(ECBPLUS_GOLD.read_text(encoding="utf-8"))["stories"]
        if ECBPLUS_GOLD.is_file()
        else {}
    )
    members: dict[str, list[Article]] = defaultdict(list)
    for r in rows:
        members[r["story"]].append(Article(id=r["id"], source=f"ecbplus:{r['id']}", text=r["text"]))
    stories = []
    for name in sorted(members, key=lambda n: (int(n.split("-")[0]), n)):
        arts = members[name]
        entry = gold.get(name, {})
        conflicts = [
            [(float(v["value"]), frozenset(v["articles"])) for v in c["values"]]
            for c in entry.get("conflicts", [])
        ]
        stories.append(
            Story(name, arts, {a.id: a.id for a in arts}, conflicts, [], annotated=name in gold)
        )
    return stories


def _topic_number(story: Story) -> int:
    return int(story.name.split("-")[0])


def _describe(c: Conflict, story: Story) -> list[str]:
    by_id = {a.id: a for a in story.articles}
    lines = [f"  [{story.name}] {c.topic}"]
    for v in c.values:
        phrases = sorted({by_id[s.article].text[s.start : s.end] for s in v.spans})
        arts = ", ".join(story.file_of[a] for a in v.sources)
        lines.append(f"      {conflict_value_display(v):<24} {arts}: {'; '.join(phrases)[:90]}")
    return lines


def judged_report(flagged: Sequence[tuple[Story, Conflict]]) -> None:
    """Print the precision of every flagged conflict on all stories, from the hand verdicts."""
    if not ECBPLUS_VERDICTS.is_file():
        return
    rows = json.loads(ECBPLUS_VERDICTS.read_text(encoding="utf-8"))["judged"]
    verdicts = {(r["story"], tuple(r["values"])): bool(r["real"]) for r in rows}
    real = false = 0
    halves = {"odd": [0, 0], "even": [0, 0]}  # real, false
    unjudged = []
    for story, c in flagged:
        if c.topic.endswith(UPDATE_SUFFIX):
            continue
        key = (story.name, tuple(sorted(v.value or 0.0 for v in c.values)))
        half = halves["odd" if _topic_number(story) % 2 else "even"]
        if key not in verdicts:
            unjudged.append(f"    ? [{story.name}] {c.topic}: {key[1]}")
        elif verdicts[key]:
            real += 1
            half[0] += 1
        else:
            false += 1
            half[1] += 1
    shown = f"{real / (real + false):.2f}" if real + false else "n/a"
    print(
        f"  judged on all stories (bench/gold/ecbplus_conflict_verdicts.json): {real} real, "
        f"{false} false, {len(unjudged)} not judged: precision {shown}"
    )
    for label, (r, f) in (
        ("odd topics (development)", halves["odd"]),
        ("even topics (held out)", halves["even"]),
    ):
        print(
            f"    {label:<26} {r} real, {f} false: precision "
            + (f"{r / (r + f):.2f}" if r + f else "n/a")
        )
    print("\n".join(unjudged))


def ecbplus_report(
    stories: Sequence[Story], quantities: dict[str, list[Quantity]], sample: int
) -> list[dict[str, object]]:
    """Print flagged counts by half, the annotated stories' verdicts and a sample."""
    print("  flagged conflicts (ours / naive):")
    for label, keep in (
        ("all stories", lambda s: True),
        ("odd topics (development)", lambda s: _topic_number(s) % 2 == 1),
        ("even topics (held out)", lambda s: _topic_number(s) % 2 == 0),
    ):
        part = [s for s in stories if keep(s)]
        n_ours = sum(len(s.found) for s in part)
        n_naive = sum(len(naive(quantities[s.name], s)[0]) for s in part)
        print(f"    {label:<26} {n_ours:>4} / {n_naive:>4}   ({len(part)} stories)")
    print("  annotated stories, each flagged conflict (+ true, - false) and each missed one:")
    for story in stories:
        if not story.annotated:
            continue
        found = [[(v.value or 0.0, frozenset(v.sources)) for v in c.values] for c in story.found]
        for c, sides in zip(story.found, found, strict=True):
            mark = "+" if any(covers(sides, g) for g in story.gold_conflicts) else "-"
            print(
                f"    {mark} [{story.name}] {c.topic}: "
                + " vs ".join(conflict_value_display(v) for v in c.values)
            )
        for g in story.gold_conflicts:
            if not any(covers(p, g) for p in found):
                values = " vs ".join(f"{v:g}" for v, _ in g)
                print(f"    missed [{story.name}] {values}")
    flagged = [(s, c) for s in stories for c in s.found]
    judged_report(flagged)
    rng = random.Random(0)
    picked = sorted(
        rng.sample(range(len(flagged)), min(sample, len(flagged))),
    )
    print(f"  sample of {len(picked)} of the {len(flagged)} conflicts flagged on all stories:")
    for i in picked:
        print("\n".join(_describe(flagged[i][1], flagged[i][0])))
    return [
        {
            "story": s.name,
            "annotated": s.annotated,
            "topic": c.topic,
            "values": [
                {
                    "display": conflict_value_display(v),
                    "value": v.value,
                    "unit": v.unit,
                    "articles": list(v.sources),
                    "sentence": v.text,
                }
                for v in c.values
            ],
        }
        for s, c in flagged
    ]


# Claim contradictions ---------------------------------------------------------------------------


def _negated(span: SpacySpan) -> bool:
    return any(t.dep_ == "neg" or t.lower_ in ("never", "no") for t in span)


def naive_claims(
    groups: Sequence[Group], docs: Mapping[str, Doc]
) -> list[tuple[str, str, str, str]]:
    """Aligned sentences of different outlets where exactly one is negated: (art, text) x 2."""
    out = []
    for g in groups:
        neg = {}
        for m in g.members:
            doc = docs[m.sentence.article]
            span = doc.char_span(m.sentence.start, m.sentence.end, alignment_mode="expand")
            neg[id(m)] = span is not None and _negated(span)
        for i, a in enumerate(g.members):
            for b in g.members[i + 1 :]:
                if a.outlet != b.outlet and neg[id(a)] != neg[id(b)]:
                    out.append(
                        (a.sentence.article, a.sentence.text, b.sentence.article, b.sentence.text)
                    )
    return out


def run_claims(stories: Sequence[Story], docs: Mapping[str, Doc], embedder: Embedder) -> None:
    """Align each story as ``synoptic brief`` does and record ours and the naive claim flags."""
    for story in stories:
        arts = mark_duplicates(story.articles)
        brief_story = BriefStory(id=story.name, headline=story.name, articles=tuple(arts))
        mine = {a.id: docs[a.id] for a in arts}
        recs = analyze_docs(arts, mine, embedder=embedder)
        sents = {a.id: recs[a.id].sentences for a in arts}
        groups = align(brief_story, sents, recs)
        claims = {k: r.claims for k, r in recs.items()}
        story.claims = list(find_claim_conflicts(brief_story, groups, claims))
        story.naive_claims = naive_claims(groups, mine)


def claim_line(label: str, stories: Sequence[Story]) -> None:
    """Print claim P/R of ours and the naive baseline against the stories' claim gold."""
    scores: dict[str, float | None] = {}
    for system in ("ours", "naive"):
        tp = predicted = gold_tp = gold = 0
        for story in stories:
            if system == "ours":
                flagged = [
                    [frozenset(story.file_of[a] for a in v.sources) for v in c.values]
                    for c in story.claims
                ]
            else:
                flagged = [
                    [frozenset({story.file_of[a]}), frozenset({story.file_of[b]})]
                    for a, _, b, _ in story.naive_claims
                ]
            predicted += len(flagged)
            gold += len(story.gold_claims)
            tp += sum(any(claim_covers(f, g) for g in story.gold_claims) for f in flagged)
            gold_tp += sum(any(claim_covers(f, g) for f in flagged) for g in story.gold_claims)
        p, r, f1 = prf(tp, predicted, gold_tp, gold)
        scores[system] = p if predicted else None
        shown = f"{p:.2f}" if predicted else "n/a"
        print(
            f"  {label} claims {system:<5} P {shown} R {r:.2f} F1 {f1:.2f} "
            f"({tp}/{predicted} predicted, {gold} gold)"
        )
    ours, base = scores["ours"], scores["naive"]
    ratio = f"x{ours / base:.2f}" if ours is not None and base else "n/a (a side flags nothing "
    ratio += "or is never right)" if ratio.startswith("n/a") else ""
    print(f"  ratio ours/naive: claim precision {ratio}")


def _verdicts() -> dict[tuple[str, frozenset[str]], dict[str, object]]:
    if not ECBPLUS_CLAIMS.is_file():
        return {}
    rows = json.loads(ECBPLUS_CLAIMS.read_text(encoding="utf-8"))["judged"]
    return {(r["story"], frozenset(r["sentences"])): r for r in rows}


def ecbplus_claims_report(stories: Sequence[Story]) -> None:
    """Print every claim conflict ours flags on ECB+ with its verdict, and the judged baseline."""
    verdicts = _verdicts()

    def judge(label: str, flags: Sequence[tuple[str, Sequence[str]]]) -> None:
        judged = [verdicts.get((name, frozenset(texts))) for name, texts in flags]
        real = sum(bool(v and v["real"]) for v in judged)
        n = sum(v is not None for v in judged)
        precision = (
            f"{real / n:.2f}" if n else "n/a (nothing " + ("judged)" if flags else "flagged)")
        )
        print(f"  {label}: {len(flags)} flagged, {n} judged, {real} real: precision {precision}")
        for (name, texts), v in zip(flags, judged, strict=True):
            mark = "?" if v is None else ("+" if v["real"] else "-")
            print(f"    {mark} [{name}] " + "  <->  ".join(t[:110] for t in texts))

    ours = [(s.name, [v.text for v in c.values]) for s in stories for c in s.claims]
    print(f"  claim conflicts (ours), on all {len(stories)} stories:")
    judge("ours", ours)
    naive = [(s.name, [t1, t2]) for s in stories for _, t1, _, t2 in s.naive_claims]
    rng = random.Random(0)
    picked = sorted(rng.sample(range(len(naive)), min(NAIVE_CLAIM_SAMPLE, len(naive))))
    print(f"  naive baseline: {len(naive)} flagged on all stories; a fixed sample judged:")
    judge("naive sample", [naive[i] for i in picked])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ecbplus", action="store_true", help="also run on every ECB+ story")
    parser.add_argument("--sample", type=int, default=12, help="ECB+ conflicts to print")
    parser.add_argument("--dump", type=Path, help="write every ECB+ flagged conflict here")
    parser.add_argument("--no-cache", action="store_true", help="parse afresh")
    args = parser.parse_args()
    analyzer = Analyzer(use_cache=not args.no_cache)
    embedder = Embedder(use_cache=not args.no_cache)
    corpora = [("seeds", load_seeds), ("examples", load_examples)]
    if args.ecbplus:
        corpora.append(("ECB+", load_ecbplus))
    for corpus, load in corpora:
        stories = load()
        if not stories:
            continue
        started = time.perf_counter()
        docs = analyzer.parse([a for s in stories for a in s.articles])
        quantities: dict[str, list[Quantity]] = {}
        for story in stories:
            mine = {a.id: docs[a.id] for a in story.articles}
            quantities[story.name] = [
                q for a in story.articles for q in extract_quantities(a, mine[a.id])
            ]
            anchors = infer_anchor(story.articles, mine)
            story.dates = {k: (v.isoformat() if v else None) for k, v in anchors.items()}
        n_articles = sum(len(s.articles) for s in stories)
        n_quantities = sum(len(q) for q in quantities.values())
        annotated = [s for s in stories if s.annotated]
        print(
            f"\n{corpus}: {len(stories)} stories, {n_articles} articles, "
            f"{n_quantities} quantities ({time.perf_counter() - started:.1f}s to parse+extract)"
            + (f"; gold for {len(annotated)} stories" if len(annotated) < len(stories) else "")
        )
        ours_score = score("ours", stories, quantities)
        naive_score = score("naive", stories, quantities)
        f_ours, sf_ours = _line("ours", ours_score)
        f_naive, sf_naive = _line("naive", naive_score)
        ratio = f_ours / f_naive if f_naive else float("inf")
        side_ratio = sf_ours / sf_naive if sf_naive else float("inf")
        p_ours = prf(ours_score.tp, ours_score.predicted, 0, 0)[0]
        p_naive = prf(naive_score.tp, naive_score.predicted, 0, 0)[0]
        p_ratio = p_ours / p_naive if p_naive else float("inf")
        print(
            f"  ratio ours/naive: conflict F1 x{ratio:.2f}, side F1 x{side_ratio:.2f}, "
            f"conflict precision x{p_ratio:.2f}"
        )
        if corpus == "ECB+":
            flagged = ecbplus_report(stories, quantities, args.sample)
            if args.dump:
                args.dump.write_text(json.dumps(flagged, indent=1, ensure_ascii=False))
                print(f"  wrote {len(flagged)} flagged conflicts to {args.dump}")
        run_claims(stories, docs, embedder)
        if corpus == "ECB+":
            ecbplus_claims_report(stories)
        else:
            claim_line(corpus, stories)


if __name__ == "__main__":
    main()
