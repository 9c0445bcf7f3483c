"""Issue 17's hostile inputs at the issue's own sizes: time and peak memory beside a normal one.

Each input is written to a temporary folder and read beside a normal news article of the same
format (``synoptic brief BAD GOOD -f json -q --no-cache``, as the issue ran them) in a fresh
process, one at a time (the machine is shared). Printed per input: its size, the wall time, the
child's CPU seconds and peak RSS (``wait4``), each beside the normal article run alone the same
way and as a ratio (CPU time is compared, not wall time: the machine is shared), the exit
status, the codes of the lines naming the hostile input (E306 with the stage it was stopped
in), and whether the normal article's brief is in the output (the batch went on). A fresh
process pays the model loading (a few seconds, a few hundred MB) in both columns, which is what
a user pays too. An input still running after ``--timeout`` seconds is killed and reported.

Inputs (sizes from the issue): 100 KB of prose with ~600 figures, 5 MB of prose, 1 MB of dates,
100,000 nested parentheses, a 19 MB line, 5 MB with no spaces, a million one-character lines,
100,000 short quotes, 300,000 ``<p>``s, 10,000 tiny TREC documents, 5,000 tiny files in a
folder, and a gzip bomb of JSON lines (1.6 million records inflating to 22 MB; the ratio cap
stops it with E019).

Run: ``PYTHONPATH=src .venv/bin/python bench/hostile_issue.py [--only NAME,...] [--timeout 900]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from hostile_sizes import generate  # noqa: E402

TITLE = "Dam spillway opened as reservoir rises"
PARAGRAPH = (
    "Engineers opened the spillway of the Velmar dam on Tuesday after three days of rain. "
    "Governor Aurel Stanek ordered the evacuation of about 12,000 residents from three villages "
    "below the dam, and officials said 40 people had been moved to shelters in Kellen. "
    '"We will not take any risk with people\'s lives," Stanek told reporters on Wednesday.'
)
# A normal article: a title and eight paragraphs, about 3 KB.
NORMAL = TITLE + "\n\n" + "\n\n".join([PARAGRAPH] * 8) + "\n"


def _html(body: str) -> str:
    head = f"<!doctype html><html><head><title>{TITLE}</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def _trec(docno: str, text: str) -> str:
    return f"<DOC>\n<DOCNO> {docno} </DOCNO>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"


def _write(name: str, data: str | bytes) -> Callable[[Path], Path]:
    def make(root: Path) -> Path:
        path = root / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    return make


def _files(count: int, text: str) -> Callable[[Path], Path]:
    def make(root: Path) -> Path:
        folder = root / "many"
        folder.mkdir()
        for i in range(count):
            (folder / f"f{i:05d}.txt").write_text(text.format(i=i))
        return folder

    return make


def _lazy(name: str, build: Callable[[], str | bytes]) -> Callable[[Path], Path]:
    return lambda root: _write(name, build())(root)


def _quotes() -> str:
    line = '"We will stay," she said. "It is over," he said. '
    return TITLE + "\n\n" + line * 50_000


def _bomb() -> bytes:
    return gzip.compress(b'{"text": "a"}\n' * 1_600_000, 9)


# name -> (format of the baseline, how to make the input)
CASES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "1 MB of dates": ("text", _lazy("dates.txt", lambda: generate("dates", 1_000_000))),
    "100,000 nested parentheses": (
        "text",
        _lazy("parens.txt", lambda: TITLE + "\n\n" + "(" * 100_000 + "word" + ")" * 100_000),
    ),
    "a 19 MB line": ("text", _lazy("line.txt", lambda: TITLE + "\n\n" + "word " * 3_800_000)),
    "5 MB with no spaces": ("text", _lazy("blob.txt", lambda: TITLE + "\n\n" + "x" * 5_000_000)),
    "a million 1-char lines": ("text", _lazy("lines.txt", lambda: TITLE + "\n\n" + "a\n" * 10**6)),
    "100,000 short quotes": ("text", _lazy("quotes.txt", _quotes)),
    "300,000 <p>s": ("html", _lazy("paras.html", lambda: _html("<p>a</p>" * 300_000))),
    "10,000 tiny TREC docs": (
        "trec",
        _lazy("tiny.sgml", lambda: "".join(_trec(f"D{i}", f"Word {i}.") for i in range(10_000))),
    ),
    "5,000 tiny files": ("folder", _files(5_000, "Note {i}\n\nWord {i}.\n")),
    "gzip bomb of JSON lines": ("jsonl.gz", _lazy("bomb.jsonl.gz", _bomb)),
    "600 figures in 100 KB": ("text", _lazy("figures.txt", lambda: generate("figures", 100_000))),
    "5 MB of prose": ("text", _lazy("prose.txt", lambda: generate("figures", 5_000_000))),
}

BASELINES: dict[str, Callable[[Path], Path]] = {
    "text": _write("normal.txt", NORMAL),
    "html": _write(
        "normal.html", _html(f"<h1>{TITLE}</h1>" + "".join(f"<p>{PARAGRAPH}</p>" for _ in range(8)))
    ),
    "trec": _write("normal.sgml", _trec("N1", NORMAL)),
    "folder": lambda root: _write("normal.txt", NORMAL)(_mkdir(root / "one")).parent,
    "jsonl.gz": _write(
        "normal.jsonl.gz", gzip.compress(json.dumps({"title": TITLE, "text": NORMAL}).encode())
    ),
}


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


class Run:
    """One ``synoptic brief`` process: what it cost and what it said."""

    def __init__(self, paths: list[Path], timeout: float) -> None:
        argv = [sys.executable, "-m", "synoptic", "brief", *map(str, paths)]
        argv += ["-f", "json", "-q", "--no-cache"]
        start = time.monotonic()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(argv, stdout=out, stderr=err)
            self.code: int | None = None
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    self.code = os.waitstatus_to_exitcode(status)
                    break
                if time.monotonic() - start > timeout:
                    os.kill(proc.pid, signal.SIGKILL)
                    _, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.2)
            proc.returncode = -9 if self.code is None else self.code
            err.seek(0)
            self.lines = err.read().decode(errors="replace").splitlines()
            out.seek(0)
            try:
                stories = json.loads(out.read())["stories"]
            except ValueError:  # killed, or no output
                stories = []
        self.sources = [a["source"] for s in stories for a in s["articles"]]
        self.wall = time.monotonic() - start
        self.cpu = usage.ru_utime + usage.ru_stime
        self.mb = usage.ru_maxrss / 1024

    def codes(self, path: Path) -> str:
        """The codes of the lines naming ``path`` (or an input inside it), E306 with its stage."""
        found: list[str] = []
        for line in self.lines:
            if str(path) not in line or not line.rstrip().endswith("]"):
                continue
            code = line.rstrip()[-5:-1]
            stage = re.search(r"\(in (\w+);", line) if code == "E306" else None
            label = f"{code} in {stage.group(1)}" if stage else code
            if label not in found:
                found.append(label)
        count = sum(str(path) in x for x in self.lines)
        return (", ".join(found) or "none") + (f" ({count:,} lines)" if count > 1 else "")

    def briefed(self, path: Path) -> bool:
        """Whether an article read from ``path`` (or from inside it) is in the briefs."""
        return any(s.startswith(str(path)) for s in self.sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", help="comma-separated case names (substrings)")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    normal: dict[str, tuple[Path, Run]] = {}
    print("data: generated in the process (bench/hostile_issue.py); synoptic brief BAD GOOD")
    print("--no-cache; 'normal' is GOOD alone; CPU s and peak MB of the child process")
    print(
        f"{'input':26} {'bytes':>11} {'wall s':>7} {'CPU s':>7} {'normal':>6} {'x':>5} "
        f"{'MB':>6} {'normal':>6} {'x':>5} exit  good  codes naming the input"
    )
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for case, (fmt, make) in CASES.items():
            if wanted and not any(w in case for w in wanted):
                continue
            if fmt not in normal:
                good = BASELINES[fmt](_mkdir(tmp / f"base-{fmt.replace('.', '-')}"))
                alone = Run([good], args.timeout)
                normal[fmt] = (good, alone)
                print(
                    f"{'normal article (' + fmt + ')':26} {'':>11} {alone.wall:7.1f} "
                    f"{alone.cpu:7.1f} {'':>6} {'':>5} {alone.mb:6.0f}   exit {alone.code}",
                    flush=True,
                )
            good, alone = normal[fmt]
            root = _mkdir(tmp / f"case-{len(os.listdir(tmp))}")
            path = make(root)
            size = (
                sum(p.stat().st_size for p in path.rglob("*"))
                if path.is_dir()
                else path.stat().st_size
            )
            run = Run([path, good], args.timeout)
            status = "kill" if run.code is None else str(run.code)
            print(
                f"{case:26} {size:>11,} {run.wall:7.1f} {run.cpu:7.1f} {alone.cpu:6.1f} "
                f"{run.cpu / alone.cpu:5.1f} {run.mb:6.0f} {alone.mb:6.0f} "
                f"{run.mb / alone.mb:5.1f} {status:>4}  {'yes' if run.briefed(good) else 'NO':>4}  "
                f"{run.codes(path)}",
                flush=True,
            )
            shutil.rmtree(root)  # the large inputs do not pile up in /tmp


if __name__ == "__main__":
    main()
