"""The run context: a run's settings, its models and caches, and what ran degraded.

The CLI, the server or a job builds one ``RunContext`` per run (the server: per app) and
passes it down; stages take from it what they need (``context.nlp``, ``context.embedder``,
``context.analysis_cache``, ``context.settings.summary_words``) and never build their own.

* Models load lazily, on first use, so a run that never parses loads no spaCy.
* Each cache is one ``BlobCache`` for the whole run, so one SQLite connection per cache per
  run. With ``settings.use_cache`` off no cache object exists and nothing touches the disk.
* A model or cache that is unusable makes the run go on degraded; each such mode is recorded
  once (``degraded``) and handed to ``on_degraded`` as it happens (the CLI prints it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synoptic.errors import Degraded, Problem, ProblemList
from synoptic.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

    from synoptic.analyze.batch import AnalysisCache
    from synoptic.analyze.embed import Embedder, EmbeddingCache
    from synoptic.cache import BlobCache
    from synoptic.fetch import Fetcher, FetchSettings


class RunContext:
    """Settings plus the lazily built models and caches of one run.

    Args:
        settings: The run's settings (``Settings()`` when omitted).
        on_degraded: Called once per new degraded mode, as it happens.
        on_problem: Called with each problem (a skipped input, a failed story) as it is
            recorded, when the run collects them in ``problem_list()``.
        fetch: How URLs are fetched (caps, manners, opened networks); the strict defaults
            when omitted.
        fetcher: A fetcher to use instead of building one from ``fetch`` (tests pass one with
            their own resolver).

    Use it as a context manager (or call ``close``) to close the caches' connections.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        on_degraded: Callable[[Degraded], None] | None = None,
        on_problem: Callable[[Problem], None] | None = None,
        fetch: FetchSettings | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings()
        self.fetch_settings = fetch
        self._fetcher = fetcher
        self.on_degraded = on_degraded
        self.on_problem = on_problem
        self._degraded: list[Degraded] = []
        self._lock = threading.RLock()
        self._caches: dict[str, BlobCache] = {}
        self._embedding_cache: EmbeddingCache | None = None
        self._embedder: Embedder | None = None

    def with_settings(self, settings: Settings) -> RunContext:
        """Return a new context for ``settings`` that reports as this one does.

        It shares this context's callbacks and fetch settings; its caches, embedder and
        fetcher are its own (they follow its settings), so close it when done. This context
        and its settings are left as they were.
        """
        return RunContext(
            settings,
            on_degraded=self.on_degraded,
            on_problem=self.on_problem,
            fetch=self.fetch_settings,
        )

    def problem_list(self) -> ProblemList:
        """Return an empty list of problems that reports each one to ``on_problem``."""
        return ProblemList(self.on_problem)

    # -- degraded modes ------------------------------------------------------------------------

    @property
    def degraded(self) -> tuple[Degraded, ...]:
        """The degraded modes met so far, in order, each once."""
        with self._lock:
            return tuple(self._degraded)

    def degrade(self, code: str, **fields: Any) -> Degraded:
        """Record the degraded mode ``code`` (an ``E3xx`` with its fields); report it once."""
        mode = Degraded.of(code, **fields)
        with self._lock:
            if mode in self._degraded:
                return mode
            self._degraded.append(mode)
        if self.on_degraded is not None:
            self.on_degraded(mode)
        return mode

    # -- caches --------------------------------------------------------------------------------

    @property
    def cache_dir(self) -> Path:
        """The folder this run's caches live in."""
        return self.settings.resolved_cache_dir()

    def _embeddings_off(self, reason: str) -> None:
        self.degrade("E303", reason=reason)

    def _cache_off(self, reason: str) -> None:
        self.degrade("E304", reason=reason)

    def cache(self, name: str, table: str) -> BlobCache | None:
        """Return the run's blob cache stored in file ``name`` (one per run), or ``None``
        when caching is off.

        Args:
            name: The file name in the cache folder (``analysis.sqlite``...).
            table: The table the blobs go in (a fixed identifier, never user input).
        """
        if not self.settings.use_cache:
            return None
        from synoptic.cache import BlobCache

        with self._lock:
            found = self._caches.get(f"{name}:{table}")
            if found is None:
                found = BlobCache(
                    self.cache_dir / name, table=table, default_name=name, on_error=self._cache_off
                )
                self._caches[f"{name}:{table}"] = found
            return found

    @property
    def analysis_cache(self) -> AnalysisCache | None:
        """The cache of analysis records, or ``None`` when caching is off."""
        if not self.settings.use_cache:
            return None
        from synoptic.analyze.batch import AnalysisCache

        with self._lock:
            found = self._caches.get("analysis.sqlite:analyses")
            if found is None:
                found = AnalysisCache(self.cache_dir / "analysis.sqlite")
                found.on_error = self._cache_off
                self._caches["analysis.sqlite:analyses"] = found
            assert isinstance(found, AnalysisCache)
            return found

    @property
    def embedding_cache(self) -> EmbeddingCache | None:
        """The cache of sentence vectors, or ``None`` when caching is off."""
        if not self.settings.use_cache:
            return None
        from synoptic.analyze.embed import EmbeddingCache

        with self._lock:
            if self._embedding_cache is None:
                self._embedding_cache = EmbeddingCache(
                    self.cache_dir / "embeddings.sqlite", on_error=self._cache_off
                )
            return self._embedding_cache

    # -- models --------------------------------------------------------------------------------

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (loaded once per process, on first use)."""
        from synoptic.analyze.nlp import load_nlp

        return load_nlp()

    @property
    def embedder(self) -> Embedder:
        """The run's sentence embedder; a model that cannot load is recorded as ``E303``."""
        from synoptic.analyze.embed import Embedder

        with self._lock:
            if self._embedder is None:
                self._embedder = Embedder(
                    cache=self.embedding_cache,
                    use_cache=self.settings.use_cache,
                    on_error=self._embeddings_off,
                )
            return self._embedder

    @property
    def fetcher(self) -> Fetcher:
        """The run's safe fetcher (one, so robots.txt and host limits are shared)."""
        with self._lock:
            if self._fetcher is None:
                from synoptic.fetch import Fetcher, FetchSettings

                self._fetcher = Fetcher(self.fetch_settings or FetchSettings())
            return self._fetcher

    # -- life ----------------------------------------------------------------------------------

    def close(self) -> None:
        """Close every cache connection the run opened."""
        with self._lock:
            caches = list(self._caches.values())
            if self._embedding_cache is not None:
                caches.append(self._embedding_cache.blobs)
        for c in caches:
            c.close()
        if self._fetcher is not None:
            self._fetcher.close()

    def __enter__(self) -> RunContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["RunContext"]
