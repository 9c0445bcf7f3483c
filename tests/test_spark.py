"""The Spark job at ``local[2]``: the same stories and briefs as one machine, bad records as
problem rows, reruns that replace their output, and the archive-wide dedup and blocking against
their one-machine counterparts. One Spark session serves the whole module."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no java on PATH: the Spark job needs Java 17", allow_module_level=True)

from synoptic.cluster import group_articles
from synoptic.dedup import mark_duplicates
from synoptic.evaluate.partition import bcubed
from synoptic.ingest import read_inputs
from synoptic.model import Article
from synoptic.pipeline import build_briefs, extract_all
from synoptic.render.jsonfmt import dumps
from synoptic.spark.blocking import find_stories
from synoptic.spark.dedup import find_copies
from synoptic.spark.identity import current_articles
from synoptic.spark.job import partitions_for, read_table, run, session, stored_run
from synoptic.spark.load import load
from synoptic.spark.workers import context
from synoptic.store.repository import Store
from test_store_fixtures import _make_db
from warc_build import gz, request, response

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
# Two ECB+ topics (two events each), small enough to cluster in seconds.
ECB_TOPICS = (23, 38)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    s = session("local[2]", app="synoptic-tests")
    yield s
    s.stop()


def _stories(spark: Any, out: Path) -> dict[str, list[str]]:
    return {r["id"]: sorted(r["article_ids"]) for r in read_table(spark, str(out), "stories")}


def test_spark_job_examples_agree_with_one_machine(spark: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = run(spark, [str(EXAMPLES)], str(out))
    one = build_briefs([str(EXAMPLES)], use_cache=False)
    assert _stories(spark, out) == {
        b.story.id: sorted(a.id for a in b.story.articles) for b in one.briefs
    }
    briefs = {r["story_id"]: json.loads(r["brief"]) for r in read_table(spark, str(out), "briefs")}
    assert briefs == {b.story.id: json.loads(dumps(b.contract_dict())) for b in one.briefs}
    articles = {r["id"]: r for r in read_table(spark, str(out), "articles")}
    assert {a.id: a.duplicate_of for a in one.articles} == {
        k: r["duplicate_of"] for k, r in articles.items()
    }
    assert all(json.loads(r["origin"])["kind"] == "file" for r in articles.values())
    assert report.counts["articles"] == len(one.articles)
    # The analysis spreads over two tasks per core, whatever the files' splits were.
    assert report.counts["partitions_analyze"] == 2 * spark.sparkContext.defaultParallelism
    assert json.loads((out / "report.json").read_text())["counts"]["briefs"] == len(one.briefs)


def test_spark_partitions_two_per_core_then_a_thousand_articles_each() -> None:
    assert partitions_for(10, 2) == 4
    assert partitions_for(4_000, 2) == 4
    assert partitions_for(4_001, 2) == 5
    assert partitions_for(5_000_000, 200) == 5_000


def _bad_inputs(folder: Path) -> None:
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Dam holds after record rain\n\nEngineers said on Monday that the Kellen dam held "
        "after three days of record rain, and the river fell by evening.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "feed.jsonl").write_text('{"text": "fine"\n[1, 2]\n', encoding="utf-8")
    (folder / "broken.txt.gz").write_bytes(gzip.compress(b"some text " * 50)[:-20])
    html = (
        b"<html><head><title>Ferry service resumes on the Amsel</title></head><body><article>"
        b"<h1>Ferry service resumes on the Amsel</h1><p>The harbour board said on Tuesday that "
        b"the ferry between Port Amsel and Oska runs again after repairs to its landing stage, "
        b"with six crossings a day until the end of October.</p></article></body></html>"
    )
    (folder / "crawl.warc.gz").write_bytes(
        gz([request("https://ledger.test/ferry"), response("https://ledger.test/ferry", html)])
    )


def test_spark_job_bad_records_become_problems_rerun_replaces_and_load_serves(
    spark: Any, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    _bad_inputs(inputs)
    out = tmp_path / "out"
    first = run(spark, [str(inputs)], str(out))
    problems = sorted(
        (r["input"].rsplit("/", 1)[-1], r["code"]) for r in read_table(spark, str(out), "problems")
    )
    codes = {code for _, code in problems}
    assert {"E003", "E004", "E005", "E007"} <= codes, problems
    assert first.counts["articles"] == 2 and first.counts["briefs"] == first.counts["stories"]
    origins = [json.loads(r["origin"]) for r in read_table(spark, str(out), "articles")]
    assert [o["url"] for o in origins if o.get("record_id")] == ["https://ledger.test/ferry"]
    tables = {
        t: sorted(map(str, read_table(spark, str(out), t)))
        for t in ("articles", "stories", "problems")
    }
    second = run(spark, [str(inputs)], str(out))
    assert second.counts == first.counts
    assert {t: sorted(map(str, read_table(spark, str(out), t))) for t in tables} == tables
    # --db: the store's own rows, served as any store; a second load adds nothing.
    articles, story_of = stored_run(spark, str(out))
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        stories = set(story_of.values())
        assert load(store, articles, story_of) == {
            "articles": 2,
            "existing": 0,
            "stories": len(stories),
        }
        assert load(store, articles, story_of)["existing"] == 2
        assert {s.id for s in store.list_stories()} == stories
        served = {a.id for sid in stories for a in store.story_articles(sid)}
        assert served == {a.id for a in articles}
        assert store.verify() == []


def _copies(articles: list[Article], seed: int) -> list[Article]:
    """Wire copies of some articles: trimmed, extended, re-dated, and some short texts."""
    rng = random.Random(seed)
    made = []
    for k, a in enumerate(articles):
        words = a.text.split()
        if rng.random() < 0.5:
            cut = words[: max(3, int(len(words) * rng.uniform(0.5, 1.0)))]
            text = " ".join(cut) + (" Local officials added a note." if k % 2 else "")
            made.append(replace(a, id=f"{a.id}-copy{k}", text=text, source=f"copy{k}.txt"))
        if k % 5 == 0:
            made.append(replace(a, id=f"{a.id}-short{k}", text=" ".join(words[:9]), source=f"s{k}"))
    return made


def _ecb(topics: tuple[int, ...]) -> tuple[list[Article], dict[str, str]]:
    from synoptic.extract import extract
    from synoptic.ingest import read_bytes

    articles, gold = [], {}
    for line in ECBPLUS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["topic"] in topics:
            for doc in read_bytes(f"{rec['id']}.txt", rec["text"].encode("utf-8")):
                a = extract(doc)  # type: ignore[arg-type]
                articles.append(a)
                gold[a.id] = rec["story"]
    return articles, gold


def test_spark_dedup_matches_mark_duplicates(spark: Any) -> None:
    """Ids, versions and copies settled as on one machine: some generated copies keep their
    original's URL, so they are versions of that page (the newest kept), not wire copies."""
    base = extract_all(read_inputs([str(EXAMPLES)]))
    if ECBPLUS.exists():
        base += _ecb((23,))[0]
    articles = base + _copies(base, seed=7)
    batch = mark_duplicates(articles)
    expected = {a.id: a.duplicate_of for a in batch if a.duplicate_of}
    reads = [((0, (), k), (a, None)) for k, a in enumerate(articles)]
    current, counts = current_articles(spark.sparkContext.parallelize(reads, 3))
    assert sorted(r[1][0].id for r in current.collect()) == sorted(a.id for a in batch)
    assert counts["superseded"] == len(articles) - len(batch) > 0
    copies, stats = find_copies(current.map(lambda r: r[1][0]))
    assert dict(copies.collect()) == expected
    assert len(expected) > 5 and stats["verified_pairs"] >= len(expected)


def test_spark_identity_renames_an_id_read_from_two_inputs_as_the_batch_does(
    spark: Any, tmp_path: Path
) -> None:
    """A report byte-identical in two inputs is kept twice, the later read as a copy; a page
    read twice with new text keeps its newest version (``extract_all``, ``mark_duplicates``)."""
    text = (
        "Harbour crane collapses in Port Amsel\n\nA crane at the container terminal of Port "
        "Amsel collapsed on Tuesday night, the harbour board said, injuring no one but closing "
        "two berths until engineers have inspected the quay wall.\n"
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "crane.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "crane.txt").write_text(text, encoding="utf-8")
    page = {"url": "https://ledger.test/quay", "title": "Quay wall", "published": "2024-10-15"}
    lines = [
        {**page, "text": "The quay wall held, engineers said on Tuesday after a first look."},
        {**page, "text": "The quay wall held, engineers said on Tuesday after a full survey."},
    ]
    (tmp_path / "b" / "quay.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    inputs = [str(tmp_path / "b"), str(tmp_path / "a")]
    one = build_briefs(inputs, use_cache=False).articles
    run(spark, inputs, str(tmp_path / "out"))
    rows = {r["id"]: r for r in read_table(spark, str(tmp_path / "out"), "articles")}
    assert {k: r["duplicate_of"] for k, r in rows.items()} == {a.id: a.duplicate_of for a in one}
    assert len(rows) == 3 and sum(r["duplicate_of"] is not None for r in rows.values()) == 1
    assert any("full survey" in r["text"] for r in rows.values())


def _settings() -> Any:
    from synoptic.settings import Settings

    return Settings(use_cache=False)


@pytest.mark.skipif(not ECBPLUS.exists(), reason="needs ../shared/data/ecbplus")
def test_spark_blocking_agrees_with_batch_on_ecbplus(spark: Any) -> None:
    articles, _ = _ecb(ECB_TOPICS)
    batch = group_articles(
        mark_duplicates(articles), "auto", embedder=context(_settings()).embedder
    )
    one = {a.id: s.id for s in batch for a in s.articles}
    rdd = spark.sparkContext.parallelize(mark_duplicates(articles), 3)
    stories, stats = find_stories(rdd, _settings())
    spread = {a.id: s.id for s in stories.collect() for a in s.articles}
    _, _, f1 = bcubed(spread, one)
    assert f1 >= 0.98, f1
    # Verified links keep the two topics apart (before them, common terms chained everything
    # into one component); a topic's two events of one kind may share one (19 of 36).
    assert stats["components"] >= len(ECB_TOPICS)
    assert stats["largest_component"] <= 0.6 * len(articles), stats


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_spark_load_bulk_loads_a_run_the_store_serves_and_reloads_nothing(
    kind: str, tmp_path: Path
) -> None:
    """``--db``: a run's articles and stories (as ``stored_run`` reads them back) become the
    store's own rows on SQLite and PostgreSQL, served by story; a second load adds nothing."""
    articles = mark_duplicates(extract_all(read_inputs([str(EXAMPLES)])))
    story_of = {a.id: s.id for s in group_articles(articles, "per-dir") for a in s.articles}
    stories = set(story_of.values())
    for db in _make_db(kind, tmp_path):
        with db.open() as store:
            counts = load(store, articles, story_of)
            assert counts == {
                "articles": len(articles),
                "existing": 0,
                "stories": len(set(story_of.values())),
            }
            assert load(store, articles, story_of)["existing"] == len(articles)
            assert {s.id for s in store.list_stories()} == stories
            served = {a.id for sid in stories for a in store.story_articles(sid)}
            assert served == {a.id for a in articles}
            assert store.verify() == []
