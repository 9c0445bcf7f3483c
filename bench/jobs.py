"""Extraction across processes: ``extract_all(..., jobs=N)`` for N = 1 and 2, as a ratio.

Data: the HTML pages of ../shared/data/article-extraction-benchmark (trafilatura's work) and
the first ``--stream`` reports of ``bench/throughput.py``'s ECB+ stream (text: cleaning and
language identification). Each is extracted with 1 job (this process, the baseline) and with
2 worker processes, alternately ``--repeat`` times; the figure is the median wall time and the
speed-up 1 -> 2. Wall time is the figure here (the point is to use a second core), so the
machine's other load weighs on it: the CPU time of this process and its children is printed
beside it. The articles are checked equal across job counts.

Run: ``.venv/bin/python bench/jobs.py`` (``--stream 2000 --repeat 3``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput
from synoptic.ingest import read_inputs
from synoptic.pipeline import extract_all

PAGES = throughput.ROOT.parent / "shared" / "data" / "article-extraction-benchmark" / "html"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pages(tmp: Path) -> Path:
    out = tmp / "pages"
    out.mkdir()
    for p in sorted(PAGES.iterdir()):
        data = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
        (out / p.name.removesuffix(".gz")).write_bytes(data)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stream", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        stream = tmp / "stream.jsonl"
        records = throughput.build_stream(args.stream)
        stream.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        sets = {"ECB+ stream (text)": stream}
        if PAGES.is_dir():
            sets[f"benchmark HTML pages ({len(list(PAGES.iterdir()))})"] = _pages(tmp)
        for name, path in sets.items():
            times: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
            seen: dict[int, list[str]] = {}
            for _ in range(args.repeat):
                for jobs in (1, 2):
                    c0, t0 = _cpu(), time.perf_counter()
                    arts = extract_all(read_inputs([str(path)], max_bytes=1 << 30), jobs=jobs)
                    times[jobs].append((time.perf_counter() - t0, _cpu() - c0))
                    seen[jobs] = [a.id for a in arts]
            assert seen[1] == seen[2], "the articles differ across job counts"
            n = len(seen[1])
            w1 = statistics.median(w for w, _ in times[1])
            w2 = statistics.median(w for w, _ in times[2])
            c1 = statistics.median(c for _, c in times[1])
            c2 = statistics.median(c for _, c in times[2])
            print(f"{name}: {n} articles")
            print(f"  1 job : {n / w1:7.1f} articles/s wall ({c1 / n * 1000:.1f} ms CPU each)")
            print(f"  2 jobs: {n / w2:7.1f} articles/s wall ({c2 / n * 1000:.1f} ms CPU each)")
            print(f"  speed-up 1 -> 2 jobs: {w1 / w2:.2f}x wall")


if __name__ == "__main__":
    main()
