"""Issue 17's hostile inputs at the issue's own sizes: time and peak memory beside a normal one.

Each input is written to a temporary folder and read by ``synoptic brief INPUT -f json -q
--no-cache`` in a fresh process, one at a time (the machine is shared); the wall time, the
child's CPU seconds and peak RSS (``wait4``) are printed beside a normal news article of the
same format, run the same way, as ratios (CPU time is compared, not wall time: the machine is
shared). A fresh process pays the model loading (a few seconds, a few hundred MB) in both
columns, which is what a user pays too. An input still running after ``--timeout``
seconds is killed and reported as over it.

Inputs (sizes from the issue): 100 KB of prose with ~600 figures, 5 MB of prose, 1 MB of dates,
100,000 nested parentheses, a 19 MB line, 5 MB with no spaces, a million one-character lines,
100,000 short quotes, 300,000 ``<p>``s, 10,000 tiny TREC documents, 5,000 tiny files, and a gzip
bomb of JSON lines (1.6 million records inflating to 22 MB).

Run: ``PYTHONPATH=src .venv/bin/python bench/hostile_issue.py [--only NAME,...] [--timeout 900]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
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


def measure(path: Path, timeout: float) -> tuple[float, float, float, int | None, str]:
    """Run ``synoptic brief`` on ``path`` in a fresh process: wall and CPU seconds, peak MB,
    exit status (``None`` when killed at ``timeout``) and its stderr lines in short."""
    argv = [sys.executable, "-m", "synoptic", "brief", str(path), "-f", "json", "-q", "--no-cache"]
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        code: int | None = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - start > timeout:
                os.kill(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.2)
        proc.returncode = -9 if code is None else code
        err.seek(0)
        lines = err.read().decode(errors="replace").splitlines()
    skips = [x for x in lines if x.startswith("synoptic:")]
    summary = f"{len(skips)} lines; last: {skips[-1][:110]}" if skips else "no lines"
    cpu = usage.ru_utime + usage.ru_stime
    return time.monotonic() - start, cpu, usage.ru_maxrss / 1024, code, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", help="comma-separated case names (substrings)")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    baselines: dict[str, tuple[float, float]] = {}
    print("data: generated in the process (bench/hostile_issue.py); synoptic brief, --no-cache")
    print(
        f"{'input':28} {'bytes':>11} {'wall s':>7} {'CPU s':>7} {'x normal':>8} {'MB':>6} "
        f"{'x normal':>8} exit"
    )
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for case, (fmt, make) in CASES.items():
            if wanted and not any(w in case for w in wanted):
                continue
            if fmt not in baselines:
                base = _mkdir(tmp / f"base-{fmt.replace('.', '-')}")
                secs, cpu, mb, _, _ = measure(BASELINES[fmt](base), args.timeout)
                baselines[fmt] = (cpu, mb)
                label = f"normal article ({fmt})"
                print(f"{label:28} {'':>11} {secs:7.1f} {cpu:7.1f} {'':>8} {mb:6.0f}", flush=True)
            root = _mkdir(tmp / f"case-{len(os.listdir(tmp))}")
            path = make(root)
            size = (
                sum(p.stat().st_size for p in path.rglob("*"))
                if path.is_dir()
                else path.stat().st_size
            )
            secs, cpu, mb, code, summary = measure(path, args.timeout)
            base_cpu, base_mb = baselines[fmt]
            status = "killed (over --timeout)" if code is None else str(code)
            print(
                f"{case:28} {size:>11,} {secs:7.1f} {cpu:7.1f} {cpu / base_cpu:8.1f} {mb:6.0f} "
                f"{mb / base_mb:8.1f} {status}  ({summary})",
                flush=True,
            )


if __name__ == "__main__":
    main()
