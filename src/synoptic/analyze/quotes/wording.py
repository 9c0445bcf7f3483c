"""Quote wordings: the words of a quote and its normalised form for comparing wordings."""

from __future__ import annotations

import re

from synoptic.lang import fold

WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*", re.UNICODE)


def split_words(text: str) -> list[str]:
    return WORD.findall(text)


_PUNCT_MAP = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalize_quote(text: str) -> str:
    """Fold case, accents, quote glyphs and punctuation away for comparing wordings."""
    s = fold(text.translate(_PUNCT_MAP))
    s = re.sub(r"['\"]", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())
