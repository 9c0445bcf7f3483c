"""Extraction across processes: ``--jobs N`` runs ``extract`` in N worker processes.

Extraction is pure (a ``RawDocument`` in, an ``Article`` or a coded rejection out) and costs
milliseconds per document (trafilatura on HTML, language identification on text), so it spreads
over cores as is. Documents travel as ``to_dict`` data (plain, picklable) in slices of
``SLICE``, and one slice is extracted ahead while the caller works on the previous one, so the
reading and the caller (the store's placement, the brief's analysis) overlap. Results come back
in input order: the ids, the copies and the stories do not depend on ``jobs``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from synoptic.deadline import DeadlineExceeded, budget
from synoptic.errors import InputError, Problem
from synoptic.model import Article, RawDocument

# Documents per task slice: large enough that pickling and scheduling stay a small share of a
# slice's work, small enough that a slow source's first articles arrive soon.
SLICE = 64

Outcome = Article | Problem


def _start_worker(outlets_file: str | None) -> None:
    """Worker start: use the run's outlet registry (bylines and datelines name outlets)."""
    if outlets_file is None:
        return
    from synoptic.outlets.registry import using
    from synoptic.settings import Settings

    using(Settings(outlets_file=Path(outlets_file)).outlets()).__enter__()  # for the worker's life


def extract_one(doc: RawDocument, seconds: float | None) -> Outcome:
    """Extract one document under its budget: the article, or its coded problem.

    The one place an extraction's outcome is decided, in this process (``jobs`` 1) and in a
    worker alike: the same ``E306`` line names an input that ran past ``seconds``.
    """
    from synoptic.extract import extract

    try:
        with budget(seconds):
            return extract(doc)
    except InputError as exc:
        return exc.problem(doc.source)
    except DeadlineExceeded as exc:
        return exc.problem(doc.source)


def _extract_dicts(
    docs: list[dict[str, Any]], seconds: float | None
) -> list[tuple[bool, dict[str, Any]]]:
    """Worker: extract each document; ``(True, article)`` or ``(False, problem)`` as data."""
    out: list[tuple[bool, dict[str, Any]]] = []
    for data in docs:
        outcome = extract_one(RawDocument.from_dict(data), seconds)
        out.append((isinstance(outcome, Article), outcome.to_dict()))
    return out


def _outcomes(rows: list[tuple[bool, dict[str, Any]]]) -> Iterator[Outcome]:
    for ok, data in rows:
        yield Article.from_dict(data) if ok else Problem(**data)


def extract_each(
    documents: Iterable[RawDocument | Problem],
    jobs: int,
    outlets_file: Path | None = None,
    seconds: float | None = None,
) -> Iterator[tuple[RawDocument | Problem, Outcome | None]]:
    """Yield each input with its extraction (``None`` for an input that is already a problem).

    Args:
        documents: The inputs, as the readers yield them.
        jobs: Worker processes (1: extract in this process, one document at a time).
        outlets_file: The run's outlet registry file (``Settings.outlets_file``), which the
            workers load; this process's registry is the caller's to set.
        seconds: Each document's extraction budget in CPU seconds (``synoptic.deadline``;
            over it: an ``E306`` problem naming it), in this process or in the worker that
            extracts it.
    """
    if jobs <= 1:
        for item in documents:
            yield item, None if isinstance(item, Problem) else extract_one(item, seconds)
        return
    # Workers are forked where the platform can (they start with the extractors already
    # imported: a spawned worker spent seconds importing trafilatura, more than a thousand short
    # reports take to extract). All are forked at the first submission, which comes before the
    # caller loads any model or starts a thread of its own; they only extract. Elsewhere spawn.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    items = iter(documents)
    init = (str(outlets_file) if outlets_file is not None else None,)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=_start_worker, initargs=init
    ) as pool:

        def submit() -> tuple[list[RawDocument | Problem], list[Future[Any]]] | None:
            chunk = list(islice(items, SLICE * jobs))
            if not chunk:
                return None
            docs = [d for d in chunk if isinstance(d, RawDocument)]
            parts = [docs[i : i + SLICE] for i in range(0, len(docs), SLICE)]
            futures = [
                pool.submit(_extract_dicts, [d.to_dict() for d in p], seconds) for p in parts
            ]
            return chunk, futures

        ahead = submit()
        while ahead is not None:
            chunk, futures = ahead
            ahead = submit()  # the next slices extract while the caller takes these
            done = iter([o for f in futures for o in _outcomes(f.result())])
            for item in chunk:
                yield item, None if isinstance(item, Problem) else next(done)
