"""The Spark job: inputs to Parquet tables of articles, analyses, stories, briefs and problems.

The driver only wires Spark steps together; every step calls the pipeline's own stage
functions inside tasks (``synoptic.spark.workers``), wire copies are found by the archive-wide
dedup (``synoptic.spark.dedup``) and stories by blocking plus the story engine
(``synoptic.spark.blocking``). Each step is materialised once (``persist``) and timed, so the run
report can say where the time went.

Output folder ``DIR`` (each table a Parquet folder, written in overwrite mode, so a rerun over
the same folder replaces it whole):

* ``articles``: the cleaned articles with ids, provenance (``origin`` JSON) and ``duplicate_of``;
* ``analyses``: ``id`` and ``analysis`` (``AnalyzedArticle.to_dict`` as JSON);
* ``stories``: ``id``, ``headline``, ``article_ids``, ``first_published``, ``last_published``,
  ``outlets``;
* ``briefs``: ``story_id`` and ``brief`` (one story of Brief JSON v1, as JSON);
* ``problems``: ``input``, ``code``, ``reason`` and the ``stage`` that met it;
* ``report.json``: counts per stage, problems per code, seconds per stage.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from synoptic.errors import Problem
from synoptic.model import Article, Story
from synoptic.settings import Settings
from synoptic.spark import workers
from synoptic.spark.blocking import find_stories
from synoptic.spark.cpu import tree_cpu
from synoptic.spark.dedup import find_copies
from synoptic.spark.identity import current_articles

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

TABLES = ("articles", "analyses", "stories", "briefs", "problems")


# Articles per task past the first two tasks per core: a task's analyses (~40 KB each) stay in
# memory until written, and a slow partition should be minutes, not hours.
ARTICLES_PER_TASK = 1000


def partitions_for(articles: int, parallelism: int) -> int:
    """Return how many partitions ``articles`` are spread over: two per core at least (a slow
    task then leaves the other cores busy), more when that would put over
    ``ARTICLES_PER_TASK`` articles in one."""
    return max(2 * parallelism, -(-articles // ARTICLES_PER_TASK))


@dataclass
class Report:
    """What a run did: counts per stage, problems per code, seconds per stage (wall; and in
    local mode ``cpu_seconds``, the CPU time of the driver, its JVM and its Python workers)."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        out: dict[str, Any] = {
            "counts": self.counts,
            "problems": self.problems,
            "seconds": self.seconds,
        }
        if self.cpu_seconds:
            out["cpu_seconds"] = self.cpu_seconds
        return out


class _Clock:
    """Wall seconds per stage, and in local mode CPU seconds of the whole job per stage."""

    def __init__(self, report: Report, local: bool) -> None:
        self.report = report
        self.local = local
        self.last = time.perf_counter()
        self.last_cpu = tree_cpu() if local else None

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.seconds[stage] = round(now - self.last, 3)
        self.last = now
        cpu = tree_cpu() if self.local else None
        if cpu is not None and self.last_cpu is not None:
            self.report.cpu_seconds[stage] = round(cpu - self.last_cpu, 3)
        self.last_cpu = cpu


def session(master: str = "local[*]", app: str = "synoptic") -> SparkSession:
    """Return a Spark session for the job (folders read recursively, no web UI)."""
    from pyspark.sql import SparkSession

    # Tasks run the interpreter the driver runs (its venv), unless spark-submit said otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _listed(uri: str, inputs: Sequence[str]) -> bool:
    """Whether a file Spark listed is one a folder walk reads (or was named itself)."""
    from synoptic.ingest.walk import walked_format

    name = workers.source_name(uri, inputs)
    if name in inputs:
        return True
    return walked_format(name) is not None


def run(
    spark: SparkSession, inputs: Sequence[str], out: str, settings: Settings | None = None
) -> Report:
    """Run the job over ``inputs`` (files, folders, globs, Hadoop URIs) into folder ``out``.

    Args:
        spark: The session to run in.
        inputs: What to read; anything ``binaryFiles`` lists (local paths, ``s3a://``, ``hdfs://``).
        out: The output folder (a local path or a Hadoop URI).
        settings: The run's settings (``summary_words``, ``max_bytes``); caches are off in tasks.

    Returns:
        The run report (also written to ``out/report.json``).
    """
    settings = settings if settings is not None else Settings()
    report = Report()
    sc = spark.sparkContext
    clock = _Clock(report, local=(sc.master or "").startswith("local"))
    names = list(inputs)
    files = sc.binaryFiles(",".join(inputs)).filter(lambda f: _listed(f[0], names))
    max_bytes = settings.max_bytes
    read = files.mapPartitions(
        lambda p: workers.read_files(p, max_bytes=max_bytes, inputs=names)
    ).persist()
    problems: list[RDD[tuple[str, Problem]]] = [_problems(read, "read")]
    reads = read.filter(lambda r: r[0] == workers.ARTICLE).map(lambda r: r[1])
    # Ids and versions settled in read order, as the batch does, before copies are looked for.
    current, identity_stats = current_articles(reads)
    report.counts["files"] = files.count()
    report.counts["articles"] = current.count()
    # Every later step inherits this partitioning; the read's own splits follow the files (one
    # input file is one split; the report gives both counts), else one big file is one task.
    parts = partitions_for(report.counts["articles"], sc.defaultParallelism)
    unique = current.map(lambda r: (r[1][0].id, r[1])).partitionBy(parts).persist()
    report.counts["partitions_read"] = files.getNumPartitions()
    report.counts.update(identity_stats)
    clock.lap("read")

    copies, dedup_stats = find_copies(unique.map(lambda kv: kv[1][0]))
    # PySpark's joins otherwise take the sum of their inputs' partitions: name the count.
    marked = unique.leftOuterJoin(copies, parts).map(_mark).persist()
    report.counts["copies"] = marked.filter(lambda r: r[0].duplicate_of is not None).count()
    report.counts.update({f"dedup_{k}": v for k, v in dedup_stats.items()})
    clock.lap("dedup")

    articles = marked.map(lambda r: r[0]).persist()
    stories, block_stats = find_stories(articles, settings)
    stories = stories.persist()
    report.counts["stories"] = stories.count()
    report.counts.update({f"blocking_{k}": v for k, v in block_stats.items()})
    clock.lap("stories")

    report.counts["partitions_analyze"] = articles.getNumPartitions()
    analyzed = articles.mapPartitions(lambda p: workers.analyze_partition(p, settings)).persist()
    problems.append(_problems(analyzed, "analyze"))
    analyses = analyzed.filter(lambda r: r[0] == workers.ARTICLE).map(lambda r: r[1])
    report.counts["analyses"] = analyses.count()
    clock.lap("analyze")

    members = stories.flatMap(lambda s: [(a.id, s.id) for a in s.articles])
    per_story = members.join(analyses, parts).map(lambda kv: kv[1]).groupByKey(parts)
    written = (
        stories.map(lambda s: (s.id, s))
        .join(per_story, parts)
        .map(lambda kv: (kv[1][0], list(kv[1][1])))
        .mapPartitions(lambda p: workers.synthesize_partition(p, settings))
        .persist()
    )
    problems.append(_problems(written, "synthesize"))
    briefs = written.filter(lambda r: r[0] == workers.ARTICLE).map(lambda r: r[1])
    report.counts["briefs"] = briefs.count()
    clock.lap("synthesize")

    all_problems = sc.union(problems).coalesce(max(1, sc.defaultParallelism))
    _write(spark, out, marked, analyses, stories, briefs, all_problems)
    report.problems = dict(sorted(Counter(all_problems.map(lambda r: r[1].code).collect()).items()))
    report.counts["problems"] = sum(report.problems.values())
    clock.lap("write")
    _write_report(spark, out, report)
    return report


def _problems(rows: RDD[tuple[str, Any]], stage: str) -> RDD[tuple[str, Problem]]:
    return rows.filter(lambda r: r[0] == workers.PROBLEM).map(lambda r: (stage, r[1]))


def _mark(kv: tuple[str, tuple[tuple[Article, Any], str | None]]) -> tuple[Article, Any]:
    (article, origin), original = kv[1]
    if original is not None:
        from dataclasses import replace

        article = replace(article, duplicate_of=original)
    return article, origin


def _article_row(row: tuple[Article, Any]) -> dict[str, Any]:
    a, origin = row
    out = {k: getattr(a, k) for k in _ARTICLE_COLUMNS if k not in ("meta", "origin")}
    out["meta"] = json.dumps(dict(a.meta), ensure_ascii=False, default=str)
    out["origin"] = json.dumps(origin, ensure_ascii=False) if origin is not None else None
    return out


_ARTICLE_COLUMNS = (
    "id",
    "source",
    "outlet",
    "url",
    "title",
    "byline",
    "published",
    "language",
    "group",
    "duplicate_of",
    "text",
    "meta",
    "origin",
)


def _story_row(story: Story) -> dict[str, Any]:
    dated = sorted(a.published for a in story.articles if a.published)
    return {
        "id": story.id,
        "headline": story.headline,
        "article_ids": [a.id for a in story.articles],
        "first_published": dated[0] if dated else None,
        "last_published": dated[-1] if dated else None,
        "outlets": sorted({a.outlet for a in story.articles if a.outlet}),
    }


def _write(
    spark: SparkSession,
    out: str,
    marked: RDD[tuple[Article, Any]],
    analyses: RDD[tuple[str, dict[str, Any]]],
    stories: RDD[Story],
    briefs: RDD[tuple[str, dict[str, Any]]],
    problems: RDD[tuple[str, Problem]],
) -> None:
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    def schema(*cols: str, arrays: Sequence[str] = ()) -> StructType:
        return StructType(
            [StructField(c, ArrayType(StringType()) if c in arrays else StringType()) for c in cols]
        )

    tables = {
        "articles": (marked.map(_article_row), schema(*_ARTICLE_COLUMNS)),
        "analyses": (
            analyses.map(lambda r: {"id": r[0], "analysis": json.dumps(r[1], ensure_ascii=False)}),
            schema("id", "analysis"),
        ),
        "stories": (
            stories.map(_story_row),
            schema(
                "id",
                "headline",
                "article_ids",
                "first_published",
                "last_published",
                "outlets",
                arrays=("article_ids", "outlets"),
            ),
        ),
        "briefs": (
            briefs.map(lambda r: {"story_id": r[0], "brief": json.dumps(r[1], ensure_ascii=False)}),
            schema("story_id", "brief"),
        ),
        "problems": (
            problems.map(
                lambda r: {
                    "input": r[1].source,
                    "code": r[1].code,
                    "reason": r[1].message,
                    "stage": r[0],
                }
            ),
            schema("input", "code", "reason", "stage"),
        ),
    }
    for name, (rows, struct) in tables.items():
        cols = [f.name for f in struct.fields]
        tuples = rows.map(functools.partial(_values, cols))
        spark.createDataFrame(tuples, struct).write.mode("overwrite").parquet(_join(out, name))


def _values(cols: Sequence[str], row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in cols)


def _join(out: str, name: str) -> str:
    return out.rstrip("/") + "/" + name


def _write_report(spark: SparkSession, out: str, report: Report) -> None:
    text = json.dumps(report.to_dict(), indent=2, sort_keys=True) + "\n"
    if "://" not in out or out.startswith("file:"):
        path = out[len("file:") :] if out.startswith("file:") else out
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "report.json"), "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        spark.createDataFrame([(text,)], "value string").coalesce(1).write.mode("overwrite").text(
            _join(out, "report")
        )


def read_table(spark: SparkSession, out: str, name: str) -> Iterator[dict[str, Any]]:
    """Yield the rows of one output table as dicts (for tests, loading and inspection)."""
    for row in spark.read.parquet(_join(out, name)).toLocalIterator():
        yield row.asDict(recursive=True)


def stored_run(spark: SparkSession, out: str) -> tuple[list[Article], dict[str, str]]:
    """Return a run's articles and each one's story id, read back from its tables."""
    articles = []
    for r in read_table(spark, out, "articles"):
        fields = {k: r[k] for k in _ARTICLE_COLUMNS if k not in ("meta", "origin")}
        articles.append(Article(**fields, meta=json.loads(r["meta"] or "{}")))
    story_of = {
        a_id: r["id"] for r in read_table(spark, out, "stories") for a_id in r["article_ids"]
    }
    return articles, story_of


__all__ = [
    "ARTICLES_PER_TASK",
    "TABLES",
    "Report",
    "partitions_for",
    "read_table",
    "run",
    "session",
    "stored_run",
]
