"""Hostile inputs: how many the CLI handles as documented, and what the big ones cost.

Part 1 runs every case of the generated corpus (tests/hostile_corpus.py) through
``synoptic brief BAD GOOD`` in one process and counts inputs tried / handled as documented /
failures. Part 2 runs ``synoptic brief`` in a fresh process on each shaped input of ``--size``
bytes (nested parentheses, dates, one-character lines, one long line, no spaces) and on
normal prose of the same size, printing wall seconds and peak memory (the child's max RSS).
Part 3 (``--store``) kills ``synoptic ingest`` with SIGKILL at seeded random moments on SQLite
and PostgreSQL (when a server answers on 127.0.0.1:5432) and counts runs / lossless (every
article the store reported before the kill still there, ``verify`` clean, the rerun complete),
then runs two ingests into one store at once and counts articles lost.

    PYTHONPATH=src python bench/hostile.py [--size 20000] [--skip-corpus] [--skip-sizes]
        [--store --kills 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_corpus import BODY, GOOD_TEXT, Case, all_cases
from synoptic.cli import main
from synoptic.errors import escape


def _handled(case: Case, root: Path, good: str) -> bool:
    """Whether ``brief BAD GOOD`` did what the README promises for this case."""
    built = case.make(root)
    err, out = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    if built.stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(built.stdin))
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["brief", *built.args, good, *case.extra, "-f", "json", "-q"])
    except BaseException as exc:  # a crash (even SystemExit) is what is being counted
        print(f"  {case.id}: raised {type(exc).__name__}: {exc}"[:200])
        return False
    finally:
        sys.stdin = stdin
        if built.cleanup:
            built.cleanup()
    lines = [x for x in err.getvalue().splitlines() if x.startswith("synoptic: skipped ")]
    prefix = f"synoptic: skipped {escape(built.name)}"
    sources = [a["source"] for s in json.loads(out.getvalue())["stories"] for a in s["articles"]]
    if case.code is None:
        ok = code == 0 and not lines
    else:
        ok = code == 2 and any(x.startswith(prefix) and x.endswith(f"[{case.code}]") for x in lines)
    if not (ok and good in sources):
        print(f"  {case.id}: exit {code}, lines {lines}"[:200])
        return False
    return True


def corpus(tmp: Path) -> None:
    """Part 1: every corpus case beside the good report."""
    os.environ.setdefault("SYNOPTIC_CACHE_DIR", str(tmp / "cache"))
    good = tmp / "good-report.txt"
    good.write_text(GOOD_TEXT)
    cases = all_cases()
    handled = 0
    for i, case in enumerate(cases):
        root = tmp / f"case{i:03d}"
        root.mkdir()
        handled += _handled(case, root, str(good))
    print(f"corpus: inputs tried {len(cases)} / handled as documented {handled} / "
          f"failures {len(cases) - handled}")  # fmt: skip


def _shapes(size: int) -> dict[str, str]:
    """Hostile texts of about ``size`` characters, and normal prose of the same size."""
    dates = "On 3 March 2024, on 4 March 2024 and on Tuesday, 5 March. "
    half = size // 2
    return {
        "normal prose": "Talks in Geneva\n\n" + (BODY + " ") * (size // (len(BODY) + 1)),
        "nested parentheses": "Title\n\n" + "(" * half + "word" + ")" * half,
        "dates": "Dates\n\n" + dates * (size // len(dates)),
        "one-char lines": "Lines\n\n" + "a\n" * half,
        "one long line": "Line\n\n" + ("word " * (size // 5)).strip(),
        "no spaces": "Blob\n\n" + "x" * size,
    }


def _measure(path: Path) -> tuple[float, float, int]:
    """Run ``synoptic brief`` on ``path`` in a fresh process: seconds, peak MB, exit status."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "synoptic", "brief", str(path), "-f", "json", "-q", "--no-cache"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - start, usage.ru_maxrss / 1024, proc.returncode


def sizes(tmp: Path, size: int) -> None:
    """Part 2: time and peak memory of each shaped text against normal prose."""
    print(f"shaped text inputs of {size:,} characters (brief, fresh process, --no-cache):")
    for name, text in _shapes(size).items():
        path = tmp / (name.replace(" ", "-") + ".txt")
        path.write_text(text)
        seconds, mb, code = _measure(path)
        print(f"  {name:20s} {seconds:7.1f} s  {mb:7.0f} MB peak  exit {code}")


_PG = "postgresql+psycopg://root@127.0.0.1:5432/test"


def _reports(path: Path, count: int, offset: int = 0) -> None:
    """Write ``count`` small distinct reports as JSON lines."""
    places = ["Velmar", "Ostrava", "Kirin", "Dalby", "Teslic", "Marov", "Lenk", "Brasca"]
    lines = []
    for i in range(offset, offset + count):
        place = places[i % len(places)]
        text = (
            f"Officials in {place} said on Monday that {100 + 7 * i} people were moved after "
            f"the flood of event {i}. Crews from district {i % 13} worked through the night."
        )
        lines.append(json.dumps({"title": f"Flood in {place}, report {i}", "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stores(tmp: Path) -> list[tuple[str, str, Callable[[], None]]]:
    """(label, URL, clean-up) for SQLite and, when a server answers, a fresh PostgreSQL schema."""
    out: list[tuple[str, str, Callable[[], None]]] = [
        ("sqlite", f"sqlite:///{tmp / 'crash.db'}", lambda: None)
    ]
    try:
        import psycopg

        dsn = _PG.replace("postgresql+psycopg://", "postgresql://")
        schema = f"synoptic_bench_{os.getpid()}"
        with psycopg.connect(dsn, connect_timeout=2, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')

        def drop() -> None:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

        out.append(("postgresql", f"{_PG}?options=-csearch_path%3D{schema}", drop))
    except Exception as exc:  # no server: SQLite only, and say so
        print(f"  (PostgreSQL skipped: {type(exc).__name__})")
    return out


def _ingest(url: str, src: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "synoptic", "ingest", str(src), "--db", url, "--no-briefs", "-q"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kills(url: str, src: Path, total: int, kills: int, seed: int) -> tuple[int, int]:
    """Kill ingests at random moments ``kills`` times; return (runs, lossless runs)."""
    from synoptic.store import Store

    rng = random.Random(seed)
    store = Store(url.split("?")[0], schema=_schema_of(url))
    runs = lossless = 0
    for _ in range(kills):
        proc = _ingest(url, src)
        time.sleep(3 + rng.random() * 20)  # a random moment: model loading, reading or writing
        reported = store.count_articles()
        if proc.poll() is not None:
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        runs += 1
        lossless += store.count_articles() >= reported and store.verify() == []
    rerun = _ingest(url, src)
    rerun.communicate()
    complete = rerun.returncode == 0 and store.count_articles() == total
    store.close()
    return runs, lossless if complete else 0


def _schema_of(url: str) -> str | None:
    return url.split("search_path%3D")[1] if "search_path%3D" in url else None


def crashes(tmp: Path, kills: int) -> None:
    """Part 3: kill -9 runs / lossless per database, then two concurrent writers."""
    from synoptic.store import Store

    src = tmp / "reports.jsonl"
    total = 80
    _reports(src, total)
    for label, url, drop in _stores(tmp):
        try:
            runs, lossless = _kills(url, src, total, kills, seed=17)
            print(f"kill -9 ({label}): runs {runs} / lossless {lossless}")
            halves = [tmp / f"{label}-a.jsonl", tmp / f"{label}-b.jsonl"]
            _reports(halves[0], 40, offset=1000)
            _reports(halves[1], 40, offset=2000)
            procs = [_ingest(url, h) for h in halves]
            errs = [p.communicate()[1].decode() for p in procs]
            store = Store(url.split("?")[0], schema=_schema_of(url))
            lost = total + 80 - store.count_articles()
            locked = sum("locked" in e.lower() for e in errs)
            clean = store.verify() == []
            store.close()
            print(
                f"concurrent writers ({label}): 2 / articles lost {lost} / "
                f"'locked' errors {locked} / verify clean {clean}"
            )
        finally:
            drop()


def run() -> None:
    """Parse the arguments and print both parts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-sizes", action="store_true")
    parser.add_argument("--store", action="store_true", help="part 3: kill -9 and two writers")
    parser.add_argument("--kills", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not args.skip_corpus:
            corpus(tmp)
        if not args.skip_sizes:
            sizes(tmp, args.size)
        if args.store:
            crashes(tmp, args.kills)


if __name__ == "__main__":
    run()
