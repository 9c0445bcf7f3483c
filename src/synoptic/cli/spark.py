"""The ``synoptic spark`` command: the pipeline over an archive, on Apache Spark.

Exit status: 0 when every input was read and every story written, 2 when some were skipped
(the ``problems`` table lists them; their count per code is printed), 1 on a usage error.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from synoptic.cli.common import (
    EXIT_SKIPPED,
    MAX_BYTES,
    MaxBytesOption,
    require_inputs,
)
from synoptic.settings import SUMMARY_WORDS, Settings

app = typer.Typer()


@app.command()
def spark(
    out: Annotated[
        str, typer.Option("--out", "-o", help="Output folder of the Parquet tables (replaced).")
    ],
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders or globs; local paths or Hadoop URIs (s3a://...)."),
    ] = None,
    master: Annotated[
        str, typer.Option(help="Spark master URL (spark-submit's own when run under it).")
    ] = "local[*]",
    summary_words: Annotated[
        int, typer.Option(min=0, help="Word budget of each story's summary.")
    ] = SUMMARY_WORDS,
    max_bytes: MaxBytesOption = MAX_BYTES,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Also bulk-load the result into the store at this database URL."),
    ] = None,
) -> None:
    """Read an archive on Spark into Parquet tables: articles, analyses, stories, briefs."""
    paths = require_inputs(paths)
    # Imported here: PySpark and the NLP stack are heavy and `--help` must not load them.
    from synoptic.spark.job import run, session

    spark_session = session(master)
    try:
        report = run(
            spark_session, paths, out, Settings(summary_words=summary_words, max_bytes=max_bytes)
        )
        if db is not None:
            report.counts.update(_load(spark_session, out, db))
    finally:
        spark_session.stop()
    print(json.dumps(report.to_dict(), indent=2, sort_keys=True), file=sys.stderr)
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


def _load(spark_session: object, out: str, db: str) -> dict[str, int]:
    from synoptic.cli.store import open_store
    from synoptic.spark.job import stored_run
    from synoptic.spark.load import load

    articles, story_of = stored_run(spark_session, out)  # type: ignore[arg-type]
    with open_store(db) as store:
        counts = load(store, articles, story_of)
    return {f"db_{k}": v for k, v in counts.items()}
