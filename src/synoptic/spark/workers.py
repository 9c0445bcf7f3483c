"""What runs inside Spark's tasks: the pipeline's own stage functions over one partition.

Every function here takes an iterator of one partition's rows and yields rows, so that it can be
handed to ``mapPartitions``; none raises on a bad record: a record that fails becomes a
problem row (input, code, reason), and the task goes on.

Models load once per executor Python process, not once per task: the run context is a
module-level singleton built on first use (``context()``). Spark reuses its Python workers
between tasks (``spark.python.worker.reuse``, on by default), so spaCy and MiniLM are loaded
once per worker and reused by every partition it runs. Caches are off in executors: nothing is
written to the executor's disk, and a rerun recomputes (the outputs are the cache).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from synoptic.errors import InputError, Problem
from synoptic.model import Article, Origin
from synoptic.settings import Settings
from synoptic.spark.identity import read_key

if TYPE_CHECKING:
    from synoptic.context import RunContext
    from synoptic.model import Story

# Row tags of the mixed streams the read and analyse steps yield.
ARTICLE = "article"
PROBLEM = "problem"

_lock = threading.Lock()
_context: RunContext | None = None


def context(settings: Settings) -> RunContext:
    """Return this process's run context for ``settings`` (with caches off), built once and
    kept while the settings stay the same; its models load lazily, on first use."""
    global _context
    wanted = settings.with_(use_cache=False)
    with _lock:
        if _context is None or _context.settings != wanted:
            from synoptic.context import RunContext

            _context = RunContext(wanted)
        return _context


def source_name(uri: str, inputs: Sequence[str] = ()) -> str:
    """Name a file Spark listed as ``read_inputs`` names it: a local file by the input
    argument it was found under joined with its path below that (so ``examples`` gives
    ``examples/dam/a.txt``, as on one machine), else relative to the working folder; any
    other URI as it is."""
    if not uri.startswith("file:"):
        return uri
    path = uri[len("file:") :]
    while path.startswith("//"):
        path = path[1:]
    for arg in inputs:
        if "://" in arg or arg.startswith("file:"):
            continue
        base = os.path.abspath(arg)
        if path == base:
            return arg
        if path.startswith(base.rstrip(os.sep) + os.sep):
            return os.path.join(arg, os.path.relpath(path, base))
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def read_files(
    files: Iterable[tuple[str, bytes]], *, max_bytes: int, inputs: Sequence[str] = ()
) -> Iterator[tuple[str, Any]]:
    """Read and extract one partition of ``(path, bytes)`` files.

    Yields:
        ``(ARTICLE, (read key, (Article, origin dict)))`` and ``(PROBLEM, Problem)`` rows; the
        read key (``identity.read_key``) sorts records as a one-machine walk reads them.
    """
    from synoptic.extract import extract
    from synoptic.ingest import read_bytes
    from synoptic.ingest.clean import display_name
    from synoptic.ingest.options import ReadOptions

    options = ReadOptions(max_bytes=max_bytes)
    for uri, data in files:
        name = source_name(uri, inputs)
        group = display_name(os.path.normpath(os.path.dirname(name)))
        try:
            items = list(read_bytes(Origin("file", name), data, group=group, options=options))
        except Exception as exc:  # a reader bug must not fail the task
            yield PROBLEM, _failed(name, exc)
            continue
        for index, item in enumerate(items):
            if isinstance(item, Problem):
                yield PROBLEM, item
                continue
            origin = item.origin.to_dict() if item.origin is not None else None
            try:
                article = extract(item)
            except InputError as exc:
                yield PROBLEM, exc.problem(item.source)
                continue
            except Exception as exc:
                yield PROBLEM, _failed(item.source, exc)
                continue
            yield ARTICLE, (read_key(name, inputs, index), (article, origin))


def _failed(source: str, exc: Exception) -> Problem:
    reason = (str(exc).strip().splitlines() or [""])[0][:200] or "no message"
    return InputError("E013", source, reason=f"{type(exc).__name__}: {reason}").problem()


def analyze_partition(articles: Iterable[Article], settings: Settings) -> Iterator[tuple[str, Any]]:
    """Analyse one partition with the pipeline's ``analyze_each`` (an article that fails is an
    ``E302`` problem).

    Yields:
        ``(ARTICLE, (id, analysis dict))`` and ``(PROBLEM, Problem)`` rows.
    """
    from synoptic.pipeline import analyze_each

    batch = list(articles)
    if not batch:
        return
    problems: list[Problem] = []
    analyses = analyze_each(batch, context(settings), problems=problems)
    for a_id, analysis in analyses.items():
        yield ARTICLE, (a_id, analysis.to_dict())
    for p in problems:
        yield PROBLEM, p


def synthesize_partition(
    groups: Iterable[tuple[Story, list[dict[str, Any]]]], settings: Settings
) -> Iterator[tuple[str, Any]]:
    """Write the brief of each story from its members' stored analyses (no parse).

    Yields:
        ``(ARTICLE, (story id, Brief JSON v1 story dict))`` and ``(PROBLEM, Problem)`` rows.
    """
    from synoptic.analyze.record import AnalyzedArticle
    from synoptic.pipeline import synthesize_story

    for story, dicts in groups:
        analyses = {}
        for d in dicts:
            record = AnalyzedArticle.from_dict(d)
            analyses[record.article] = record
        problems: list[Problem] = []
        brief = synthesize_story(story, analyses, context(settings), problems=problems)
        if brief is not None:
            yield ARTICLE, (story.id, brief.contract_dict())
        for p in problems:
            yield PROBLEM, p


__all__ = [
    "ARTICLE",
    "PROBLEM",
    "analyze_partition",
    "context",
    "read_files",
    "source_name",
    "synthesize_partition",
]
