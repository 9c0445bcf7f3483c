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

Run: ``.venv/bin/python bench/hostile_sizes.py [--sizes 10,100,1000] [--only figures|dates]``
(sizes in KB; the 1 MB parse takes a few minutes and about 2 GB); ``--only parens --sizes
2,4,8,20,200``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from synoptic.analyze.dates import date_evidence, resolve_dates  # noqa: E402
from synoptic.analyze.nlp import load_nlp, parse_view  # noqa: E402
from synoptic.analyze.quantities import extract_quantities  # noqa: E402
from synoptic.model import Article  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10,100,1000", help="sizes in KB, comma-separated")
    parser.add_argument("--only", choices=["figures", "dates", "parens"], help="one kind only")
    parser.add_argument("--raw-max", type=int, default=8, help="parens: raw text up to (KB)")
    args = parser.parse_args()
    sizes = [int(s) * 1000 for s in args.sizes.split(",")]
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
