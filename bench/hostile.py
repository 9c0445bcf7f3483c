"""Hostile inputs: how many the CLI handles as documented, and what the big ones cost.

Part 1 runs every case of the generated corpus (tests/hostile_corpus.py) through
``synoptic brief BAD GOOD`` in one process and counts inputs tried / handled as documented /
failures. Part 2 runs ``synoptic brief`` in a fresh process on each shaped input of ``--size``
bytes (nested parentheses, dates, one-character lines, one long line, no spaces) and on
normal prose of the same size, printing wall seconds and peak memory (the child's max RSS).

    PYTHONPATH=src python bench/hostile.py [--size 20000] [--skip-corpus]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
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


def run() -> None:
    """Parse the arguments and print both parts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-sizes", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not args.skip_corpus:
            corpus(tmp)
        if not args.skip_sizes:
            sizes(tmp, args.size)


if __name__ == "__main__":
    run()
