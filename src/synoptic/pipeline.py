"""The `brief` job: inputs to briefs, calling each stage in turn.

The CLI, the server and Spark call these same stages; this module only wires them together and
applies the error policy: a bad input, or a story whose analysis or synthesis raises, becomes a
coded ``Problem`` (or an exception under ``ErrorPolicy.RAISE``) and the batch goes on. What the
run needs (settings, models, caches) comes from one ``RunContext``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, BinaryIO

from synoptic.context import RunContext
from synoptic.deadline import DeadlineExceeded
from synoptic.dedup import mark_duplicates
from synoptic.errors import Degraded, ErrorPolicy, Errors, InputError, Problem
from synoptic.ingest import ReadOptions
from synoptic.model import Article, Brief, RawDocument, Story, stable_id
from synoptic.registry import story_policies
from synoptic.settings import INPUT_SECONDS, Settings
from synoptic.stories.identity import current_versions
from synoptic.web.sources import read_sources

if TYPE_CHECKING:
    from pathlib import Path

    from synoptic.analyze.record import AnalyzedArticle

# progress(stage, advance, total): ``total`` is known for every stage but reading.
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class BriefResult:
    """What a run produced: the briefs, every input or story it had to skip with the reason,
    the articles read, and the degraded modes it went on in (each also said on stderr)."""

    briefs: tuple[Brief, ...]
    problems: tuple[Problem, ...]
    articles: tuple[Article, ...]
    degraded: tuple[Degraded, ...] = ()


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
    jobs: int = 1,
    outlets_file: Path | None = None,
    seconds: float | None = INPUT_SECONDS,
) -> list[Article]:
    """Run extraction over documents, routing bad ones through the error policy.

    ``jobs`` > 1 extracts in that many worker processes (``synoptic.jobs``, which load the
    registry ``outlets_file`` names); the articles, in input order, are the same. Each
    document's extraction has a budget of ``seconds`` of CPU (``E306`` past it; in this
    process only).
    """
    from synoptic.jobs import extract_each

    problems = problems if problems is not None else []
    articles: list[Article] = []
    sources: dict[str, str] = {}  # article id -> the source it was first read from
    for item, outcome in extract_each(documents, jobs, outlets_file, seconds):
        if isinstance(item, Problem):
            _handle(item, policy, problems)
        elif isinstance(outcome, Problem):
            _handle(outcome, policy, problems)
        elif outcome is not None:
            article = outcome
            if sources.setdefault(article.id, article.source) != article.source:
                # Byte-identical reports from two inputs: both are shown, the later one as
                # a copy (``mark_duplicates``), rather than one silently vanishing.
                article = replace(article, id=stable_id("a", article.id, article.source))
            articles.append(article)
        progress("read", 1, None)
    return articles


def build_briefs(
    paths: Sequence[str],
    settings: Settings | None = None,
    *,
    context: RunContext | None = None,
    stdin: BinaryIO | None = None,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    progress: Progress = _noop,
    **overrides: Any,
) -> BriefResult:
    """Read inputs and return one brief per story.

    Args:
        paths: Files, folders (read recursively), ``-`` for standard input, and http(s) URLs
            of pages and feeds (fetched through ``context.fetcher``).
        settings: The run's settings (``Settings()`` when omitted and no context is given).
        context: The run context (models, caches, degraded modes); built from ``settings``
            when omitted, and then closed at the end of the run. With ``overrides`` the run
            uses a context of its own for the changed settings (same callbacks).
        stdin: Stream read for ``-`` (defaults to the process's standard input).
        policy: What to do with bad input and failed stories (record, skip silently, raise).
        progress: Called as stages advance (for a progress bar).
        **overrides: ``Settings`` fields to change for this run (``stories="per-dir"``,
            ``summary_words=80``, ``use_cache=False``, ...).

    Returns:
        The briefs, the problems met (bad inputs, and stories that failed with an ``E3xx``
        code), the articles read and the degraded modes the run went on in.
    """
    # The overrides make new settings (and a context of the run's own for them): a context
    # passed in, and its settings, are never changed below.
    owned = context is None or bool(overrides)
    if context is None:
        base = settings if settings is not None else Settings()
        context = RunContext(base.with_(**overrides))
    elif overrides:
        context = context.with_settings(context.settings.with_(**overrides))
    try:
        return _run(paths, context, stdin=stdin, policy=policy, progress=progress)
    finally:
        if owned:
            context.close()


def read_articles(
    paths: Sequence[str],
    context: RunContext,
    *,
    stdin: BinaryIO | None = None,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    problems: list[Problem] | None = None,
    progress: Progress = _noop,
) -> list[Article]:
    """Read and extract the inputs as ``synoptic brief`` does, copies marked (``dedup``).

    The first stage of ``build_briefs``; benchmarks call it to measure the path a user runs.
    """
    settings = context.settings
    options = ReadOptions(max_bytes=settings.max_bytes, follow_symlinks=settings.follow_symlinks)
    raw = read_sources(paths, fetcher=lambda: context.fetcher, options=options, stdin=stdin)
    problems = problems if problems is not None else []
    read = extract_all(
        raw,
        policy=policy,
        problems=problems,
        progress=progress,
        jobs=settings.jobs,
        outlets_file=settings.outlets_file,
        seconds=context.settings.input_seconds,
    )
    articles = mark_duplicates(read)
    # Of a page read in several versions only the newest is briefed; each older one gets its
    # line, so no input leaves the output unexplained.
    _, superseded = current_versions(read)
    by_id = {a.id: a for a in read}
    for old, new in superseded.items():
        kept = by_id[new]
        message = Errors.E021.format(url=kept.url, kept=kept.source)
        if policy is ErrorPolicy.RECORD:  # not bad input: never raised
            problems.append(Problem(by_id[old].source, "E021", message))
    return articles


def group_stories(articles: Sequence[Article], context: RunContext) -> list[Story]:
    """Group articles into stories with the run's story policy (``settings.stories``).

    The policy takes the run's embedder: clustering and alignment share its model and cache.
    Every article is in a story: one a policy leaves out (a plug-in's gap, a copy whose
    original it dropped) becomes a story of its own rather than vanishing from the output.
    """
    from synoptic.cluster import make_story

    stories = story_policies.get(context.settings.stories)(articles, context)
    placed = {a.id for s in stories for a in s.articles}
    left = [a for a in articles if a.id not in placed]
    return [*stories, *(make_story([a]) for a in left)]


def _run(
    paths: Sequence[str],
    context: RunContext,
    *,
    stdin: BinaryIO | None,
    policy: ErrorPolicy,
    progress: Progress,
) -> BriefResult:
    problems = context.problem_list()
    articles = read_articles(
        paths, context, stdin=stdin, policy=policy, problems=problems, progress=progress
    )
    groups = group_stories(articles, context)
    progress("analyze", 0, len(articles))
    analyses = analyze_each(articles, context, policy=policy, problems=problems)
    progress("analyze", len(articles), len(articles))
    briefs = []
    for story in groups:
        brief = synthesize_story(story, analyses, context, policy=policy, problems=problems)
        if brief is not None:
            briefs.append(brief)
        progress("synthesize", 1, len(groups))
    return BriefResult(tuple(briefs), tuple(problems), tuple(articles), context.degraded)


def analyze_each(
    articles: Sequence[Article],
    context: RunContext,
    *,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    problems: list[Problem] | None = None,
) -> dict[str, AnalyzedArticle]:
    """Analyse every article; one whose analysis raises becomes an ``E302`` problem.

    The batch is analysed at once; only when that fails is each article analysed alone, to
    name the ones that fail and keep the others.
    """
    # Imported here: spaCy is slow to import and only needed once there is text to parse.
    from synoptic.analyze.batch import analyze_all

    problems = problems if problems is not None else []
    limit = context.settings.max_analysis_chars
    for a in articles:
        if len(a.text) > limit:  # analysed in part: said once per article, the run goes on
            context.degrade("E305", source=a.source, size=len(a.text), limit=limit)

    def run(batch: Sequence[Article]) -> dict[str, AnalyzedArticle]:
        overtime: list[tuple[Article, DeadlineExceeded]] = []
        found = analyze_all(
            batch,
            embedder=context.embedder,
            nlp=context.nlp,
            cache=context.analysis_cache,
            max_chars=limit,
            seconds=context.settings.input_seconds,
            overtime=overtime,
        )
        for a, exc in overtime:  # over its budget: named, and the others go on
            _handle(overtime_problem(a.source, exc), policy, problems)
        return found

    try:
        return run(articles)
    except Exception:
        if policy is ErrorPolicy.RAISE:
            raise
    analyses: dict[str, AnalyzedArticle] = {}
    for a in articles:
        try:
            analyses.update(run([a]))
        except Exception as exc:
            _handle(Problem.failure("E302", a.source, exc), policy, problems)
    return analyses


def overtime_problem(source: str, exc: DeadlineExceeded) -> Problem:
    """Return the ``E306`` problem of an input whose stages ran past their budget."""
    return exc.problem(source)


def synthesize_story(
    story: Story,
    analyses: Mapping[str, AnalyzedArticle],
    context: RunContext,
    *,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    problems: list[Problem] | None = None,
) -> Brief | None:
    """Return the brief of one story, or ``None`` when it cannot be written.

    A story whose members were not all analysed, or whose synthesis raises, becomes an
    ``E301`` problem (``E302`` for the missing members was recorded by ``analyze_each``) and
    the run goes on with the other stories.
    """
    from synoptic.synthesize.brief import incomplete, synthesize

    problems = problems if problems is not None else []
    source = f"story {story.id} ({story.headline[:60]})"
    kept = tuple(a for a in story.articles if a.id in analyses)
    if not kept:
        return None
    if len(kept) < len(story.articles):
        story = replace(story, articles=kept)
    try:
        brief = synthesize(
            story,
            analyses,
            summary_words=context.settings.summary_words,
            registry=context.settings.outlets(),
            seconds=context.settings.story_seconds,
        )
    except Exception as exc:
        if policy is ErrorPolicy.RAISE:
            raise
        _handle(Problem.failure("E301", source, exc), policy, problems)
        return None
    if (flag := incomplete(brief)) is not None:  # written in part: said once, the run goes on
        context.degrade("E307", story=source, flag=flag.text)
    return brief
