"""The `brief` job: inputs to briefs, calling each stage in turn.

The CLI, the server and Spark call these same stages; this module only wires them together and
applies the error policy: a bad input becomes a ``Problem`` (or an exception under
``ErrorPolicy.RAISE``) and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from synoptic.cluster import StoryPolicy, group_articles
from synoptic.dedup import mark_duplicates
from synoptic.errors import ErrorPolicy, InputError, Problem
from synoptic.extract import extract
from synoptic.ingest import DEFAULT_MAX_BYTES, read_inputs
from synoptic.model import Article, Brief, RawDocument

# progress(stage, advance, total): ``total`` is known for every stage but reading.
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class BriefResult:
    """What a run produced: the briefs, and every input it had to skip, with the reason."""

    briefs: tuple[Brief, ...]
    problems: tuple[Problem, ...]
    articles: tuple[Article, ...]


def _noop(stage: str, advance: int, total: int | None) -> None:
    return None


def _handle(problem: Problem, policy: ErrorPolicy, problems: list[Problem]) -> None:
    if policy is ErrorPolicy.RAISE:
        raise InputError.from_problem(problem)
    if policy is ErrorPolicy.RECORD:
        problems.append(problem)


def extract_all(
    documents: Iterable[RawDocument | Problem],
    *,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    problems: list[Problem] | None = None,
    progress: Progress = _noop,
) -> list[Article]:
    """Run extraction over documents, routing bad ones through the error policy."""
    problems = problems if problems is not None else []
    articles: list[Article] = []
    for item in documents:
        if isinstance(item, Problem):
            _handle(item, policy, problems)
        else:
            try:
                articles.append(extract(item))
            except InputError as exc:
                if policy is ErrorPolicy.RAISE:
                    raise
                _handle(exc.problem(item.source), policy, problems)
        progress("read", 1, None)
    return articles


def build_briefs(
    paths: Sequence[str],
    *,
    stories: StoryPolicy = "auto",
    summary_words: int = 120,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    use_cache: bool = True,
    progress: Progress = _noop,
) -> BriefResult:
    """Read inputs and return one brief per story.

    Args:
        paths: Files, folders (read recursively) and ``-`` for standard input.
        stories: How to group articles: ``auto``, ``per-dir`` or ``one``.
        summary_words: Word budget of each summary.
        max_bytes: Inputs larger than this are skipped.
        stdin: Stream read for ``-`` (defaults to the process's standard input).
        policy: What to do with bad input (record it, skip it silently, or raise).
        use_cache: Reuse analyses and embeddings cached by content hash.
        progress: Called as stages advance (for a progress bar).

    Returns:
        The briefs, the problems met, and the articles read.
    """
    # Imported here: spaCy is slow to import and only needed once there is text to parse.
    from synoptic.analyze.batch import AnalysisCache, analyze_all
    from synoptic.analyze.embed import Embedder
    from synoptic.synthesize.brief import synthesize

    problems: list[Problem] = []
    raw = read_inputs(paths, max_bytes=max_bytes, stdin=stdin)
    articles = mark_duplicates(
        extract_all(raw, policy=policy, problems=problems, progress=progress)
    )
    # One embedder for the run: clustering and alignment share its model and cache settings.
    embedder = Embedder(use_cache=use_cache)
    groups = group_articles(articles, stories, embedder=embedder)
    progress("analyze", 0, len(articles))
    cache = AnalysisCache() if use_cache else None
    analyses = analyze_all(articles, embedder=embedder, cache=cache)
    progress("analyze", len(articles), len(articles))
    briefs = []
    for story in groups:
        briefs.append(synthesize(story, analyses, summary_words=summary_words))
        progress("synthesize", 1, len(groups))
    return BriefResult(tuple(briefs), tuple(problems), tuple(articles))
