"""Dispatch a raw document to the HTML or text extractor and build the Article."""

from __future__ import annotations

from synoptic.model import Article, RawDocument


def extract(doc: RawDocument) -> Article:
    """Return the cleaned article for ``doc``.

    Raises:
        InputError: ``E011`` when no article text is left after cleaning, ``E013`` when
            extraction fails.
    """
    raise NotImplementedError
