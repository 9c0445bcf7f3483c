"""``DocIndex`` moved to ``synoptic.analyze.docindex`` (every extractor uses it); kept here so
the quantity modules' imports stand."""

from synoptic.analyze.docindex import DocIndex, index_of

__all__ = ["DocIndex", "index_of"]
