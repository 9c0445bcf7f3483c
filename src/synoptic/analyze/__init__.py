"""Per-article analysis: ``analyze``/``analyze_all`` turn articles into ``AnalyzedArticle``s.

The names are loaded on first use: importing a submodule (say ``analyze.embed``) must not pull in
spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synoptic.analyze.batch import analyze, analyze_all
    from synoptic.analyze.record import ANALYSIS_VERSION, AnalyzedArticle

_LAZY = {
    "analyze": "synoptic.analyze.batch",
    "analyze_all": "synoptic.analyze.batch",
    "ANALYSIS_VERSION": "synoptic.analyze.record",
    "AnalyzedArticle": "synoptic.analyze.record",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = ["ANALYSIS_VERSION", "AnalyzedArticle", "analyze", "analyze_all"]
