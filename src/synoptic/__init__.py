"""Synoptic: read one news story through many outlets at once.

The Python API mirrors the CLI::

    from synoptic import build_briefs
    result = build_briefs(["reports/"])
    for brief in result.briefs:
        print(brief.story.headline, [c.sources for c in brief.summary])
"""

from synoptic.model import (
    Article,
    Brief,
    Cited,
    Conflict,
    ConflictValue,
    Entity,
    Flag,
    Quote,
    RawDocument,
    Sentence,
    Span,
    Story,
    TimelineEvent,
    Unique,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Brief",
    "Cited",
    "Conflict",
    "ConflictValue",
    "Entity",
    "Flag",
    "Quote",
    "RawDocument",
    "Sentence",
    "Span",
    "Story",
    "TimelineEvent",
    "Unique",
    "__version__",
    "build_briefs",
]


def __getattr__(name: str) -> object:
    # The pipeline pulls in spaCy and trafilatura; import it only when asked for, so that
    # `import synoptic.model` stays cheap (the server and Spark workers import the model alone).
    if name == "build_briefs":
        from synoptic.pipeline import build_briefs

        return build_briefs
    raise AttributeError(name)
