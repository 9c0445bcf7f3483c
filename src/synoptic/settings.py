"""Every tunable default of a run, in one frozen record.

The CLI, the server and a batch job build one ``Settings`` (from their options) and pass it
down inside a ``synoptic.context.RunContext``; no stage invents a default of its own. Each
default below is written here once and imported by the modules that need its value as a
constant (a keyword default, a cache-key comparison).

This module imports nothing heavy: the CLI reads it to build ``--help``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synoptic.outlets.registry import Registry

# Word budget of a story's summary.
SUMMARY_WORDS = 120
# Inputs larger than this many bytes are skipped (E006).
MAX_BYTES = 20 * 1024 * 1024
# Characters of one article the NLP stages analyse; the rest of a longer one is not analysed
# (E305 says so). spaCy's time and memory grow with length and news bodies are far shorter, so a
# hostile input (a 19 MB line, 5 MB with no spaces) costs what this many characters cost.
MAX_ANALYSIS_CHARS = 200_000
# CPU seconds one input's own stages (extraction, then analysis after its parse) may take; past it
# the input is dropped at the next check with E306 and the batch goes on (synoptic.deadline).
# Generous: a 200,000-character article takes well under a minute on a loaded laptop.
INPUT_SECONDS = 300.0
# CPU seconds one story's synthesis may take; past it the brief is written with the sections
# finished by then and a flag saying which are missing (E307). A story of a hundred reports takes
# seconds; only a hostile one (thousands of sentences in several reports) comes near.
STORY_SECONDS = 300.0
# How articles are grouped into stories by ``synoptic brief`` (a registered story policy).
STORY_POLICY = "auto"
# Originals above which ``--stories auto`` groups by candidate blocking (``stories.blocks``)
# instead of comparing every pair: the exact engine's n-by-n matrices grow past a few hundred MB
# and tens of CPU seconds beyond this (bench/blocking.py).
BLOCK_ABOVE = 2_000
# Days a stored story stays open without a new article (``synoptic ingest``).
WINDOW_DAYS = 7.0

ENV_CACHE_DIR = "SYNOPTIC_CACHE_DIR"


def default_cache_dir() -> Path:
    """Return the cache folder: ``$SYNOPTIC_CACHE_DIR``, else ``$XDG_CACHE_HOME/synoptic``
    (``~/.cache/synoptic``)."""
    root = os.environ.get(ENV_CACHE_DIR) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "synoptic"
    )
    return Path(root)


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run may tune.

    Attributes:
        summary_words: Word budget of each story's summary.
        max_bytes: Inputs larger than this many bytes are skipped.
        use_cache: Reuse and keep parses and embeddings on disk. ``False`` writes nothing.
        cache_dir: Where the caches live; ``None`` resolves ``default_cache_dir()`` when the
            run starts.
        stories: The story policy of ``synoptic brief`` (``auto``, ``per-dir``, ``one`` or a
            registered plug-in).
        window_days: Days a stored story stays open without a new article.
        follow_symlinks: Let folder walks follow symbolic links out of the folder named
            (otherwise such a link is skipped with ``E017``).
        max_analysis_chars: Characters of one article the NLP stages analyse; a longer
            article is analysed in its first this-many characters and the run says so
            (degraded ``E305``, naming it).
        outlets_file: A registry file of the user's (``outlets/outlets.tsv`` columns) that adds
            outlets or replaces shipped ones by id; ``None`` uses the shipped registry.
        jobs: Processes extraction runs in (``synoptic.jobs``); 1 extracts in the run's own
            process.
        input_seconds: CPU seconds one input's own stages may take (its extraction; its
            analysis after the parse); past it the input is skipped with ``E306`` and the
            batch goes on. ``0`` sets no budget.
        story_seconds: CPU seconds one story's synthesis may take; past it the brief holds
            what finished, with a flag of kind ``incomplete`` (``E307``). ``0`` sets no budget.
        block_above: Originals above which the ``auto`` policy splits the batch into
            components by candidate blocking (``synoptic.stories.blocks``) and runs the
            exact story engine inside each; at or below it, every pair is compared.
    """

    summary_words: int = SUMMARY_WORDS
    max_bytes: int = MAX_BYTES
    use_cache: bool = True
    cache_dir: Path | None = None
    stories: str = STORY_POLICY
    window_days: float = WINDOW_DAYS
    follow_symlinks: bool = False
    max_analysis_chars: int = MAX_ANALYSIS_CHARS
    outlets_file: Path | None = None
    jobs: int = 1
    input_seconds: float = INPUT_SECONDS
    story_seconds: float = STORY_SECONDS
    block_above: int = BLOCK_ABOVE

    def resolved_cache_dir(self) -> Path:
        """Return the cache folder this run uses."""
        return self.cache_dir if self.cache_dir is not None else default_cache_dir()

    def outlets(self) -> Registry:
        """Return the outlets registry this run uses (the user's file over the shipped one)."""
        from synoptic.outlets.registry import load_registry

        return load_registry(self.outlets_file)

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied (unknown names raise ``TypeError``)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON-ready data."""
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["cache_dir"] = None if self.cache_dir is None else str(self.cache_dir)
        out["outlets_file"] = None if self.outlets_file is None else str(self.outlets_file)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Return the settings ``to_dict`` wrote."""
        values = dict(data)
        if values.get("cache_dir") is not None:
            values["cache_dir"] = Path(values["cache_dir"])
        if values.get("outlets_file") is not None:
            values["outlets_file"] = Path(values["outlets_file"])
        return cls(**values)


__all__ = [
    "BLOCK_ABOVE",
    "INPUT_SECONDS",
    "MAX_BYTES",
    "STORY_POLICY",
    "STORY_SECONDS",
    "SUMMARY_WORDS",
    "WINDOW_DAYS",
    "Settings",
    "default_cache_dir",
]
