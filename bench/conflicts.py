"""Numeric conflict finding: precision and recall against hand-annotated gold, beside a baseline.

Run from the repository root::

    .venv/bin/python bench/conflicts.py

Data (each part is skipped, with a message, when its files are absent):

* ``../shared/seeds/*.txt``: five real reports of one event, raw scraped text, against
  ``tests/gold/seeds_conflicts.json`` (one story, two conflicts).
* ``examples/`` (the team's fictional corpus), read with the project's own ingest and extract
  stages, grouped into stories as ``bench/gold/examples_gold.json`` lists them, against its
  ``conflicts`` (and its ``updates``: rising tolls that must not be called conflicts).

Both systems read the same quantities (``extract_quantities``), so the comparison is about
``find_conflicts`` alone. The baseline is the naive rule: within a story, every unit given with
two or more different values by different articles is one conflict, every value a side.

Scores:

* **conflict P/R/F1**: a predicted conflict is correct when it covers at least two of one gold
  conflict's values (same value, at least one shared source); updates marked as such by
  ``find_conflicts`` count as updates, not conflicts.
* **side P/R/F1**: over (value, source) pairs of all conflicts: a side the gold does not list
  (a compatible wording, an unrelated figure, a rising toll) costs precision.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from synoptic.analyze.nlp import load_nlp  # noqa: E402
from synoptic.analyze.quantities import Quantity, extract_quantities  # noqa: E402
from synoptic.model import Article  # noqa: E402
from synoptic.synthesize.conflicts import UPDATE_SUFFIX, find_conflicts  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
SEEDS_GOLD = ROOT / "tests" / "gold" / "seeds_conflicts.json"
EXAMPLES_GOLD = ROOT / "bench" / "gold" / "examples_gold.json"

Side = tuple[float, frozenset[str]]  # value, the files giving it


@dataclass
class Story:
    name: str
    articles: list[Article]
    file_of: dict[str, str]  # article id -> gold file name
    gold_conflicts: list[list[Side]]
    gold_updates: list[list[Side]]


@dataclass
class Score:
    tp: int = 0  # predicted conflicts that cover a gold one
    gold_tp: int = 0  # gold conflicts covered by a prediction
    predicted: int = 0
    gold: int = 0
    side_tp: int = 0
    side_predicted: int = 0
    side_gold: int = 0
    updates_found: int = 0
    updates_as_conflicts: int = 0
    updates_gold: int = 0

    @staticmethod
    def prf(tp: int, pred: int, gold_tp: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 1.0
        r = gold_tp / gold if gold else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _covers(pred: Sequence[Side], gold: Sequence[Side]) -> bool:
    """A predicted conflict covers a gold one when it has two of its values (a shared source)."""
    hits = sum(any(_same(v, gv) and files & gfiles for v, files in pred) for gv, gfiles in gold)
    return hits >= 2


def _pairs(conflicts: Iterable[Sequence[Side]]) -> set[tuple[float, str]]:
    return {(round(v, 6), f) for sides in conflicts for v, files in sides for f in files}


def _gold_sides(values: Iterable[dict[str, object]]) -> list[Side]:
    out: list[Side] = []
    for v in values:
        files = v.get("files") or []
        value = v["value"]
        assert isinstance(files, list) and isinstance(value, (int, float))
        out.append((float(value), frozenset(str(f) for f in files)))
    return out


def ours(quantities: Sequence[Quantity], story: Story) -> tuple[list[list[Side]], list[list[Side]]]:
    """Return (conflicts, updates) as sides, from ``find_conflicts``."""
    conflicts: list[list[Side]] = []
    updates: list[list[Side]] = []
    for c in find_conflicts(quantities, story.articles):
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


def score(system: str, stories: Sequence[Story], quantities: dict[str, list[Quantity]]) -> Score:
    total = Score()
    run = ours if system == "ours" else naive
    for story in stories:
        conflicts, updates = run(quantities[story.name], story)
        gold = story.gold_conflicts
        total.predicted += len(conflicts)
        total.gold += len(gold)
        total.tp += sum(any(_covers(p, g) for g in gold) for p in conflicts)
        total.gold_tp += sum(any(_covers(p, g) for p in conflicts) for g in gold)
        total.updates_gold += len(story.gold_updates)
        total.updates_found += sum(any(_covers(p, g) for p in updates) for g in story.gold_updates)
        total.updates_as_conflicts += sum(
            any(_covers(p, g) for p in conflicts) for g in story.gold_updates
        )
        pred_pairs, gold_pairs = _pairs(conflicts), _pairs(gold)
        total.side_tp += len(pred_pairs & gold_pairs)
        total.side_predicted += len(pred_pairs)
        total.side_gold += len(gold_pairs)
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
    conflicts = [_gold_sides(c["values"]) for c in gold["conflicts"]]
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

        conflicts = [_gold_sides(c["values"]) for c in gold["conflicts"] if keep(c)]
        updates = [_gold_sides(u["values"]) for u in gold.get("updates", []) if keep(u)]
        stories.append(Story(s["name"], members, file_of, conflicts, updates))
    return stories


def _line(label: str, s: Score) -> tuple[float, float]:
    p, r, f = Score.prf(s.tp, s.predicted, s.gold_tp, s.gold)
    sp, sr, sf = Score.prf(s.side_tp, s.side_predicted, s.side_tp, s.side_gold)
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


def main() -> None:
    nlp = load_nlp()
    for corpus, stories in (("seeds", load_seeds()), ("examples", load_examples())):
        if not stories:
            continue
        started = time.perf_counter()
        quantities: dict[str, list[Quantity]] = {}
        n_quantities = 0
        for story in stories:
            docs = nlp.pipe(a.text for a in story.articles)
            quantities[story.name] = [
                q
                for a, d in zip(story.articles, docs, strict=True)
                for q in extract_quantities(a, d)
            ]
            n_quantities += len(quantities[story.name])
        n_articles = sum(len(s.articles) for s in stories)
        print(
            f"\n{corpus}: {len(stories)} stories, {n_articles} articles, "
            f"{n_quantities} quantities ({time.perf_counter() - started:.1f}s to parse+extract)"
        )
        ours_score = score("ours", stories, quantities)
        naive_score = score("naive", stories, quantities)
        f_ours, sf_ours = _line("ours", ours_score)
        f_naive, sf_naive = _line("naive", naive_score)
        ratio = f_ours / f_naive if f_naive else float("inf")
        side_ratio = sf_ours / sf_naive if sf_naive else float("inf")
        print(f"  ratio ours/naive: conflict F1 x{ratio:.2f}, side F1 x{side_ratio:.2f}")


if __name__ == "__main__":
    main()
