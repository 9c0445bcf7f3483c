"""Crash safety of batched ingest: ``Ingestor.add_all`` commits a batch of placements at a
time and reports articles only once their batch committed, so a ``kill -9`` at any moment loses
nothing it reported, and a rerun finishes with the store a one-article-per-transaction run
gives (placement does not depend on where batches start)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from synoptic.store import Ingestor, Store, StoreSettings
from test_store_crash import corpus
from test_store_fixtures import Db

pytest_plugins = ["test_store_fixtures"]

# A child that ingests in batches of BATCH and prints the running count it is told is stored.
CHILD = """
import sys
from synoptic.store import Store, StoreSettings, ingest_paths

url, src, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(url)
done = [0]

def progress(stage, advance, total):
    if stage == "ingest":
        done[0] += advance
        print(done[0], flush=True)

ingest_paths(store, [src], settings=StoreSettings(batch=batch, batch_seconds=60.0),
             progress=progress)
print("finished", flush=True)
"""


def _child(url: str, src: Path, batch: int, env: dict[str, str]) -> subprocess.Popen[str]:
    argv = [sys.executable, "-c", CHILD, url, str(src), str(batch)]
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_store_crash_batches_kill_loses_nothing_reported_and_rerun_equals_unbatched(
    db: Db, tmp_path: Path
) -> None:
    src = tmp_path / "stream.jsonl"
    total = corpus(src, events=12, per_event=6)
    env = {**os.environ, "SYNOPTIC_CACHE_DIR": str(tmp_path / "cache")}
    store = db.open()
    rng = random.Random(5)
    kills = 0
    for _ in range(3):
        proc = _child(db.cli_url, src, 8, env)
        assert proc.stdout is not None
        # Wait for a report, then kill at a random moment of the next batch.
        line = proc.stdout.readline().strip()
        if line in ("", "finished"):
            break
        reported = int(line)
        time.sleep(rng.random() * 0.5)
        if proc.poll() is not None:
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        stored = store.count_articles()
        # Articles read back by id across runs: the count only grows from run to run.
        assert stored >= reported, "an article the store had reported was lost"
        assert stored % 8 == 0 or stored == total, "a batch was committed in part"
        assert store.verify() == []
    assert kills >= 1, "the ingests ended before they could be killed"
    rerun = _child(db.cli_url, src, 8, env)
    out, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0 and out.strip().endswith("finished")
    assert store.count_articles() == total
    assert store.verify() == []

    # The same stream placed one article per transaction gives the same stories.
    one = Store(f"sqlite:///{tmp_path / 'one.db'}")
    once = _child(one.url, src, 1, env)
    out, _ = once.communicate(timeout=600)
    assert once.returncode == 0 and out.strip().endswith("finished")
    assert store.snapshot() == one.snapshot()
    one.close()
    store.close()


def test_store_crash_batches_a_failed_batch_stores_none_of_it(tmp_path: Path) -> None:
    src = tmp_path / "stream.jsonl"
    corpus(src, events=2, per_event=3)
    from synoptic.ingest import read_inputs
    from synoptic.pipeline import extract_all

    articles = list(extract_all(read_inputs([str(src)])))
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    ingestor = Ingestor(store, StoreSettings(batch=4))
    # The fourth article of the first batch cannot be placed: the batch rolls back whole.
    broken = [*articles[:3], None, *articles[3:]]
    with pytest.raises(AttributeError):
        ingestor.add_all(broken)  # type: ignore[arg-type]
    assert store.count_articles() == 0
    result = ingestor.add_all(articles)
    assert result.new == len(articles) and store.count_articles() == len(articles)
    assert store.verify() == []
    store.close()
