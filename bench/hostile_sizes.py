"""Time the per-article extractors on large generated articles: work must grow with size only.

Issue 17 found number extraction quadratic in an article's length (100 KB of prose with about
600 figures: 347 s, most of it in ``analyze/quantities.py``, which walked the document's
sentences and entities again for every figure) and date finding slow on 1 MB of dates. This
bench generates prose of growing size (10 KB, 100 KB, 1 MB by default) from a fixed seed:

* ``figures``: news-like sentences, about one figure per 170 characters (counts, money,
  percentages, ranges, durations, hedged and rising tolls) with named places, people and
  organisations around them;
* ``dates``: date-dense sentences, about one date phrase per 40 characters (weekdays with
  tense, calendar dates, "last month", "three weeks ago", seasons, years).

Each text is parsed once with the project's spaCy pipeline (``nlp.max_length`` raised for the
1 MB text; ``Analyzer`` would cut it at ``MAX_CHARS``; parsing is not timed: its cost is
spaCy's, linear, and dominates) and then ``extract_quantities`` on the figures text and
``date_evidence`` + ``resolve_dates`` on the dates text are timed. The figure to read is the
time per KB at each size: flat means linear growth. Measured on a loaded 2-core machine: the old
number extractor took 583 ms/KB at 10 KB and 1,463 ms/KB at 30 KB (quadratic; 100 KB was not
waited for), the linear one 19 ms/KB at 10 KB and 28 ms/KB at 100 KB; the old date finder 33
ms/KB at 10 KB and 69 at 100 KB, the new one 28 and 12.

``--only parens`` times the tokenizer instead on nested parentheses (half ``(``, a word, half
``)``): on ``analyze.nlp.parse_view`` (punctuation runs cut, offsets kept), beside the raw text
(the previous method) at the sizes where that finishes (``--raw-max``, 8 KB by default). The
raw text's ms/KB grows with size (quadratic); the view's stays flat. Measured on a loaded
2-core machine: raw 2, 4, 8 KB: 1,614, 2,993, 6,300 ms/KB; the view 0.47, 0.20, 0.17 ms/KB
there and 2.5, 3.1 ms/KB at 20 and 200 KB (100,000 nested parentheses: 0.6 s).

``--only quotes`` times quote finding (``scan_quotes``) on one paragraph of ``He said "word
N". `` repeated (sizes in thousands of quotes; the parse covers the first
``MAX_ANALYSIS_CHARS``, as in a run, and is not timed), beside the quote finder as it was
before issue 17's fix (``--before REV``: the package is read from git at that commit, loaded
under another name, and run on the same parse, up to ``--before-max`` thousand quotes) and
checks that both find the same quotes. The figure is ms per thousand quotes: flat is linear.
Measured on a loaded 2-core machine (``--sizes 1,2,4,8,16,32,64``): before 1,143 / 2,323 /
4,886 / 9,885 ms per 1k quotes at 1 / 2 / 4 / 8 thousand quotes (doubling with the count:
quadratic; 79 s for 8,000), after 69 / 68 / 100 / 70, then 64 / 49 / 83 at 16 / 32 / 64
thousand (5.3 s for 64,000; past 9,576 quotes the text is beyond the parse: found, not
attributed); the same quotes at every size both ran.

``--only stories`` measures grouping many tiny articles (issue 17's 10,000 tiny TREC documents
in one file: 185 CPU s and 5.95 GB, the peak in ``cluster.similarity``, which held seven
n-by-n matrices): the peak memory traced by ``tracemalloc`` (numpy's arrays included) in
``cluster.similarity`` and in the whole of ``cluster.cluster_cuts``, and their CPU seconds,
beside ``cluster.py`` as it was at ``--before`` (read from git, loaded under another name),
checking that both give the same matrix and partitions. Sizes in thousands of articles
(``Word N.``, embeddings on). Grouping is average linkage over all pairs, so its memory and
time stay quadratic; the in-place sums lower the factor only. Measured (``--sizes 1,2,4``):
similarity 31 / 107 / 378 MB beside 56 / 221 / 877 before, the whole grouping 31 / 123 / 490
MB beside 56 / 221 / 877 (its peak is now in the agglomeration's copies), CPU 1.0 / 2.3 /
7.7 s beside 0.9 / 2.5 / 8.7; same matrices and partitions.

``--only merge`` times ``synthesize.quotes.merge_quotes`` on the mentions of issue 17's short
quotes (``"We will stay," she said. "It is over," he said.`` repeated; sizes in thousands of
quotes), beside ``synthesize/quotes.py`` before its fix (``MERGE_BEFORE``) up to
``--before-max`` thousand, checking both give the same quotes.

``--only dedup`` times ``dedup.mark_duplicates`` on ``n`` tiny documents (``Word N.``, sizes in
thousands), beside ``dedup.py`` before short texts used shingle postings (``DEDUP_BEFORE``).

Run: ``.venv/bin/python bench/hostile_sizes.py [--sizes 10,100,1000] [--only figures|dates]``
(sizes in KB; the 1 MB parse takes a few minutes and about 2 GB); ``--only parens --sizes
2,4,8,20,200``; ``--only quotes --sizes 1,2,4,8,16,32,64 [--before-max 8]``; ``--only stories
--sizes 1,2,4``; ``--only merge --sizes 1,2,4,8,100 --before-max 4``; ``--only dedup --sizes
1,2,4,8``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from synoptic.analyze.dates import date_evidence, resolve_dates  # noqa: E402
from synoptic.analyze.nlp import load_nlp, parse_view  # noqa: E402
from synoptic.analyze.quantities import extract_quantities  # noqa: E402
from synoptic.model import Article  # noqa: E402
from synoptic.settings import MAX_ANALYSIS_CHARS  # noqa: E402

T = TypeVar("T")
# The last commit before issue 17's fixes of quote finding and grouping memory.
BEFORE = "5b8692b"
QUOTES_PACKAGE = "src/synoptic/analyze/quotes"
# merge_quotes before its pairs were blocked (issue 17): the commit before the fix.
MERGE_BEFORE = "324c19b"
# dedup.py before short texts used shingle postings (issue 17).
DEDUP_BEFORE = "6ccd77b"

PLACES = ["Geneva", "Kellen", "Oska", "Brussels", "Nairobi", "Lima", "Osaka", "Valparaiso"]
PEOPLE = ["Maria Ostrova", "John Keller", "Amina Diallo", "Pedro Alves", "Chen Wei"]
ORGS = ["the Red Cross", "Oska Hydro", "the World Bank", "Reuters", "the Health Ministry"]
NOUNS = ["people", "troops", "residents", "workers", "homes", "vehicles", "schools"]
FIGURE_SENTENCES = [
    "{place} officials said {n} {noun} were killed and about {m} injured.",
    "The death toll has risen to {n}, {org} said.",
    "{person} said the dam held {x} million cubic metres of water before it failed.",
    "Prices rose {p} percent in {place} last year, up from {q}%.",
    "Between {n} and {m} {noun} were evacuated, according to {org}.",
    "The talks lasted {h} hours, and {person} said another {k} rounds might follow.",
    "More than {n} {noun} remain without power in {place}.",
    "{org} pledged ${x} million in aid, nearly {p} percent more than in {year}.",
    "If {n} {noun} lose their jobs, {person} said, the town would not recover.",
    "A magnitude {mag} earthquake struck {k} kilometres from {place}.",
]
DATE_SENTENCES = [
    "Talks ended on {weekday} and will resume next {weekday2}.",
    "The vote was held on {d} {month} {year}, three weeks ago.",
    "Officials met last month and plan to meet again next week.",
    "The dam was built in {year} and repaired last summer.",
    "By {month} {d}, {n} days ago, the water had reached the town.",
    "Yesterday the minister said the report is due on {weekday}.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def generate(kind: str, size: int, seed: int = 17) -> str:
    """Return about ``size`` characters of generated prose of ``kind`` (figures or dates)."""
    rng = random.Random(seed)
    templates = FIGURE_SENTENCES if kind == "figures" else DATE_SENTENCES
    parts: list[str] = []
    length = 0
    while length < size:
        paragraph = " ".join(
            rng.choice(templates).format(
                place=rng.choice(PLACES),
                person=rng.choice(PEOPLE),
                org=rng.choice(ORGS),
                noun=rng.choice(NOUNS),
                n=f"{rng.randint(2, 90_000):,}",
                m=rng.randint(2, 900),
                k=rng.randint(2, 12),
                x=rng.randint(2, 90),
                p=rng.randint(1, 40),
                q=f"{rng.randint(1, 99) / 10:.1f}",
                h=rng.randint(2, 30),
                mag=f"{rng.randint(40, 89) / 10:.1f}",
                year=rng.randint(1990, 2023),
                weekday=rng.choice(WEEKDAYS),
                weekday2=rng.choice(WEEKDAYS),
                month=rng.choice(MONTHS),
                d=rng.randint(1, 28),
            )
            for _ in range(rng.randint(3, 6))
        )
        parts.append(paragraph)
        length += len(paragraph) + 1
    return "\n".join(parts)


def parens(sizes: list[int], raw_max: int) -> None:
    """Tokenizer time per KB on nested parentheses: the parse view beside the raw text."""
    tokenizer = load_nlp().tokenizer
    print("data: generated nested parentheses; spaCy tokenizer (en_core_web_sm)")
    print(f"{'size':>9} {'view ms/KB':>11} {'raw ms/KB':>10} {'raw / view':>10}")
    for size in sizes:
        half = (size - 4) // 2
        text = "(" * half + "word" + ")" * half
        t0 = time.perf_counter()
        tokenizer(parse_view(text, limit=len(text)))
        view = 1000 * (time.perf_counter() - t0) / (size / 1000)
        raw = "-"
        ratio = "-"
        if size <= raw_max:
            t0 = time.perf_counter()
            tokenizer(text)
            took = 1000 * (time.perf_counter() - t0) / (size / 1000)
            raw, ratio = f"{took:.1f}", f"{took / view:.0f}"
        print(f"{size:>9,} {view:>11.2f} {raw:>10} {ratio:>10}", flush=True)


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout


def _package_at(rev: str, into: Path) -> ModuleType:
    """Load the quote package as it was at ``rev`` (from git) as ``quotes_before``."""
    package = into / "quotes_before"
    package.mkdir()
    for name in _git("ls-tree", "--name-only", f"{rev}:{QUOTES_PACKAGE}").split():
        blob = _git("show", f"{rev}:{QUOTES_PACKAGE}/{name}")
        (package / name).write_text(blob.replace("synoptic.analyze.quotes", "quotes_before"))
    sys.path.insert(0, str(into))
    return importlib.import_module("quotes_before")


def _traced(run: Callable[[], T]) -> tuple[T, float, float]:
    """``run()``'s result, peak traced memory (MB) and CPU seconds."""
    tracemalloc.start()
    t0 = time.process_time()
    try:
        out = run()
        took = time.process_time() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return out, peak, took


def stories(sizes: list[int], rev: str) -> None:
    """Grouping ``n`` tiny articles: peak memory and CPU, beside ``cluster.py`` at ``rev``."""
    from synoptic import cluster
    from synoptic.analyze.embed import Embedder

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cluster_before.py").write_text(_git("show", f"{rev}:src/synoptic/cluster.py"))
        sys.path.insert(0, tmp)
        old = importlib.import_module("cluster_before")
    embedder = Embedder(use_cache=False)
    print(f"data: generated articles 'Word N.' (one TREC document each); before: {rev}")
    print(
        f"{'articles':>8} {'sim MB':>7} {'before':>7} {'ratio':>6} {'group MB':>9} {'before':>7} "
        f"{'group s':>8} {'before':>7} same"
    )
    for count in sizes:
        arts = [Article(id=f"D{i}", source="tiny.sgml", text=f"Word {i}.") for i in range(count)]
        embedder.encode([a.text for a in arts])  # the model and the vectors, outside the figures
        sim, peak, _ = _traced(partial(cluster.similarity, arts, embedder=embedder))
        was, old_peak, _ = _traced(partial(old.similarity, arts, embedder=embedder))
        same = bool((sim == was).all())
        del sim, was
        cuts = [0.5, 0.7]
        parts, group, took = _traced(partial(cluster.cluster_cuts, arts, cuts, embedder=embedder))
        before, old_group, old_took = _traced(
            partial(old.cluster_cuts, arts, cuts, embedder=embedder)
        )
        same = same and parts == before
        print(
            f"{count:>8,} {peak:>7.0f} {old_peak:>7.0f} {old_peak / peak:>6.1f} {group:>9.0f} "
            f"{old_group:>7.0f} {took:>8.1f} {old_took:>7.1f} {same}",
            flush=True,
        )


def quotes(sizes: list[int], before_max: int, rev: str) -> None:
    """Quote finding per thousand quotes at growing counts, beside the finder at ``rev``."""
    from synoptic.analyze.quotes import scan_quotes

    nlp = load_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        old = _package_at(rev, Path(tmp))
        print(f"data: generated 'He said \"word N\". ' x N in one paragraph; before: {rev}")
        print(
            f"{'quotes':>7} {'chars':>9} {'found':>6} {'parse s':>8} {'after s':>8} "
            f"{'before s':>9} {'after ms/1k':>12} {'before ms/1k':>13} {'ratio':>6} same"
        )
        for count in sizes:
            text = "Title\n\n" + "".join(f'He said "word {i}". ' for i in range(count))
            article = Article(id=f"q{count}", source="generated", text=text)
            t0 = time.perf_counter()
            doc = nlp(parse_view(text, MAX_ANALYSIS_CHARS))
            parsed = time.perf_counter() - t0
            t0 = time.process_time()
            scan = scan_quotes(article, doc)
            after = time.process_time() - t0
            row = f"{count:>7,} {len(text):>9,} {len(scan.mentions):>6,} {parsed:>8.1f} "
            row += f"{after:>8.2f} "
            if count <= before_max:
                t0 = time.process_time()
                was = old.scan_quotes(article, doc)
                before = time.process_time() - t0
                same = was.to_dict() == scan.to_dict()
                row += f"{before:>9.2f} {1e6 * after / count:>12.1f} "
                row += f"{1e6 * before / count:>13.1f} {before / after:>6.0f} {same}"
            else:
                row += f"{'-':>9} {1e6 * after / count:>12.1f} {'-':>13} {'-':>6} -"
            print(row, flush=True)


def merge(sizes: list[int], before_max: int, rev: str) -> None:
    """``merge_quotes`` on the mentions of issue 17's short quotes, beside it at ``rev``."""
    from synoptic.analyze.quotes import scan_quotes
    from synoptic.synthesize.quotes import merge_quotes

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "merge_before.py"
        path.write_text(_git("show", f"{rev}:src/synoptic/synthesize/quotes.py"))
        sys.path.insert(0, tmp)
        old = importlib.import_module("merge_before")
    nlp = load_nlp()
    line = '"We will stay," she said. "It is over," he said. '
    print(f"data: generated {line!r} x N/2 (bench/hostile_issue.py's quotes); before: {rev}")
    print(f"{'mentions':>8} {'after s':>8} {'before s':>9} {'after ms/1k':>12} {'ratio':>6} same")
    for count in sizes:
        text = "Title\n\n" + line * (count // 2)
        article = Article(id=f"m{count}", source="generated", text=text)
        mentions = scan_quotes(article, nlp(parse_view(text, MAX_ANALYSIS_CHARS))).mentions
        t0 = time.process_time()
        quotes = merge_quotes(mentions, [article])
        after = time.process_time() - t0
        row = f"{len(mentions):>8,} {after:>8.2f} "
        if count <= before_max:
            t0 = time.process_time()
            was = old.merge_quotes(mentions, [article])
            before = time.process_time() - t0
            row += f"{before:>9.2f} {1e6 * after / count:>12.1f} {before / after:>6.0f} "
            row += str(was == quotes)
        else:
            row += f"{'-':>9} {1e6 * after / count:>12.1f} {'-':>6} -"
        print(row, flush=True)


def dedup(sizes: list[int], rev: str) -> None:
    """``mark_duplicates`` on ``n`` tiny documents, beside ``dedup.py`` at ``rev``."""
    from synoptic.dedup import mark_duplicates

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "dedup_before.py").write_text(_git("show", f"{rev}:src/synoptic/dedup.py"))
        sys.path.insert(0, tmp)
        old = importlib.import_module("dedup_before")
    print(f"data: generated 'Word N.' documents (issue 17's tiny TREC docs); before: {rev}")
    print(f"{'docs':>7} {'after s':>8} {'before s':>9} {'ratio':>6} same")
    for count in sizes:
        arts = [Article(id=f"D{i}", source="tiny.sgml", text=f"Word {i}.") for i in range(count)]
        t0 = time.process_time()
        marked = mark_duplicates(arts)
        after = time.process_time() - t0
        t0 = time.process_time()
        was = old.mark_duplicates(arts)
        before = time.process_time() - t0
        print(f"{count:>7,} {after:>8.2f} {before:>9.2f} {before / after:>6.1f} {was == marked}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10,100,1000", help="sizes in KB, comma-separated")
    parser.add_argument(
        "--only",
        choices=["figures", "dates", "parens", "quotes", "stories", "merge", "dedup"],
        help="one kind only",
    )
    parser.add_argument("--raw-max", type=int, default=8, help="parens: raw text up to (KB)")
    parser.add_argument("--before", default=BEFORE, help="quotes, stories: the commit compared")
    parser.add_argument("--before-max", type=int, default=8, help="quotes: before up to (1k)")
    args = parser.parse_args()
    sizes = [int(s) * 1000 for s in args.sizes.split(",")]
    if args.only == "quotes":
        quotes(sizes, args.before_max * 1000, args.before)
        return
    if args.only == "dedup":
        dedup(sizes, DEDUP_BEFORE if args.before == BEFORE else args.before)
        return
    if args.only == "merge":
        merge(sizes, args.before_max * 1000, MERGE_BEFORE if args.before == BEFORE else args.before)
        return
    if args.only == "stories":
        stories(sizes, args.before)
        return
    if args.only == "parens":
        parens(sizes, args.raw_max * 1000)
        return
    nlp = load_nlp()
    nlp.max_length = max(sizes) + 100_000
    kinds = [args.only] if args.only else ["figures", "dates"]
    print(f"{'kind':8} {'size':>9} {'found':>7} {'parse s':>8} {'extract s':>10} {'ms/KB':>8}")
    for kind in kinds:
        for size in sizes:
            text = generate(kind, size)
            article = Article(
                id=f"{kind}{size}", source="generated", text=text, published="2023-03-07"
            )
            t0 = time.perf_counter()
            doc = nlp(text)
            parsed = time.perf_counter() - t0
            t0 = time.perf_counter()
            if kind == "figures":
                found = len(extract_quantities(article, doc))
            else:
                evidence = date_evidence(article, doc)
                found = len(resolve_dates(article, evidence, dt.date(2023, 3, 7)))
            took = time.perf_counter() - t0
            per_kb = 1000 * took / (len(text) / 1000)
            print(
                f"{kind:8} {len(text):>9,} {found:>7,} {parsed:>8.1f} {took:>10.2f} {per_kb:>8.2f}",
                flush=True,
            )
            del doc


if __name__ == "__main__":
    main()
