"""Detect the language of an article's text with py3langid."""

from __future__ import annotations

import functools
import re
from typing import Any

# Fewer letters than this and the character n-gram model guesses: a name ("Sergei Ryabkov")
# or a number is no evidence of a language.
MIN_LETTERS = 20
# Below this normalised probability the best guess is not trusted (short or mixed text).
MIN_CONFIDENCE = 0.5
# The model's evidence saturates long before the end of an article; classifying the start
# keeps the cost flat for long inputs.
MAX_CHARS = 10_000

_LETTER = re.compile(r"[^\W\d_]")
_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


@functools.cache
def _identifier() -> Any:
    """Load the model once per process (about half a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the language ``text`` is written in.

    Args:
        text: The text to classify; only its first ``MAX_CHARS`` characters are read.

    Returns:
        A two-letter code such as ``"en"`` or ``"de"``; ``None`` when the text has fewer than
        ``MIN_LETTERS`` letters, when the best guess has a probability under
        ``MIN_CONFIDENCE``, or when the guess is a language with no ISO 639-1 code (the model
        also knows some languages by their three-letter ISO 639-3 code only).
    """
    sample = text[:MAX_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    label, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or len(label) != 2:
        return None
    return str(label)


def language_code(value: str | None) -> str | None:
    """Return the language code of a BCP 47 / locale tag ("en-GB", "de_AT", "FR").

    Args:
        value: A language tag as written in a page or supplied with an input.

    Returns:
        Its primary subtag in lower case (ISO 639-1, or ISO 639-3 where the tag uses one), or
        ``None`` when ``value`` is not a language tag ("english", "x-default", "").
    """
    match = _LANG_TAG.match((value or "").strip())
    return match[1].lower() if match else None
