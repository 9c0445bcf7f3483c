"""``--jobs``: extraction in worker processes gives the articles and problems one process gives,
in input order, and the store the same stories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from synoptic.errors import ErrorPolicy
from synoptic.ingest import read_inputs
from synoptic.jobs import extract_each
from synoptic.pipeline import extract_all
from synoptic.store import Store, ingest_paths
from test_store_crash import corpus

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _inputs(tmp_path: Path) -> list[str]:
    stream = tmp_path / "stream.jsonl"
    corpus(stream)  # 192 short reports: more than the slices two workers take at once
    bad = tmp_path / "empty.txt"
    bad.write_text("   \n", encoding="utf-8")  # no text: a coded problem, in its place
    return [str(EXAMPLES), str(stream), str(bad)]


@pytest.mark.slow
def test_jobs_two_workers_extract_what_one_process_does(tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    runs = []
    for jobs in (1, 2):
        problems: list = []
        articles = extract_all(
            read_inputs(paths), policy=ErrorPolicy.RECORD, problems=problems, jobs=jobs
        )
        runs.append(([a.to_dict() for a in articles], [p.to_dict() for p in problems]))
    assert len(runs[0][0]) > 200 and runs[0][1], "the corpus and the bad input were read"
    assert runs[1] == runs[0]


def test_jobs_one_job_passes_problems_through_in_order(tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    pairs = list(extract_each(read_inputs(paths), 1))
    # The empty file is rejected by its reader (the item is the problem, nothing to extract).
    outcomes = [type(i if o is None else o).__name__ for i, o in pairs]
    assert outcomes.count("Problem") == 1 and outcomes[-1] == "Problem"
    assert all(o is None for i, o in pairs if type(i).__name__ == "Problem")


@pytest.mark.slow
def test_jobs_store_ingest_with_two_workers_gives_the_same_stories(tmp_path: Path) -> None:
    snapshots = []
    for jobs in (1, 2):
        store = Store(f"sqlite:///{tmp_path / f'store{jobs}.db'}")
        ingest_paths(store, [str(EXAMPLES / "dam"), str(EXAMPLES / "museum")], jobs=jobs)
        snapshots.append(store.snapshot())
        store.close()
    assert snapshots[0]["stories"] and snapshots[1] == snapshots[0]


def _brief(paths: list[Path], jobs: int, tmp_path: Path) -> tuple[int, list[str], list[str]]:
    """Run ``synoptic brief`` as a user does: exit status, stderr lines, sources briefed."""
    argv = [sys.executable, "-m", "synoptic", "brief", *map(str, paths), "-f", "json", "-q"]
    argv += ["--no-cache", "--jobs", str(jobs), "--input-seconds", "1"]
    env = {**os.environ, "SYNOPTIC_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900)
    briefs = json.loads(run.stdout)["stories"] if run.stdout else []
    sources = [a["source"] for story in briefs for a in story["articles"]]
    return run.returncode, run.stderr.splitlines(), sources


@pytest.mark.slow
def test_jobs_workers_drop_an_input_over_its_budget_as_one_process_does(tmp_path: Path) -> None:
    # A million one-character lines: its text cleaning costs about 15 CPU seconds, far past a
    # budget of 1 (the check inside the cleaning loop stops it); the good report costs
    # milliseconds. Run with one process and with two workers: the same line, status, brief.
    slow = tmp_path / "lines.txt"
    slow.write_text("Dam spillway opened\n\n" + "a\n" * 10**6, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(
        "Dam spillway opened\n\nEngineers opened the spillway of the Velmar dam on Tuesday "
        "after heavy rain. Governor Aurel Stanek ordered the evacuation of 12,000 residents.\n",
        encoding="utf-8",
    )
    line = (
        f"synoptic: skipped {slow}: over its budget of 1 CPU seconds (in cleaning; see "
        "--input-seconds) [E306]"
    )
    for jobs in (1, 2):
        status, errors, sources = _brief([slow, good], jobs, tmp_path)
        assert (status, errors, sources) == (2, [line], [str(good)]), f"--jobs {jobs}"
