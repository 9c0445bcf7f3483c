"""The stop-word lists copied from scikit-learn and spaCy stay equal to the libraries' own.

They are copied as data files only so that light commands import neither library; this test is
what keeps the copies honest when either library is upgraded.
"""

from __future__ import annotations

from synoptic import lang


def test_lang_stop_words_sklearn_equal_to_library() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert lang.words("stop_words_sklearn") == frozenset(ENGLISH_STOP_WORDS)


def test_lang_stop_words_spacy_equal_to_library() -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    assert lang.words("stop_words_spacy") == frozenset(STOP_WORDS)
