"""Assemble a story's brief from its articles' analyses."""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Doc

from synoptic.analyze.nlp import sentences as doc_sentences
from synoptic.model import Brief, Story
from synoptic.synthesize.summary import DEFAULT_SUMMARY_WORDS, summarize


def synthesize(
    story: Story, docs: Mapping[str, Doc], *, summary_words: int = DEFAULT_SUMMARY_WORDS
) -> Brief:
    """Return the brief of ``story`` given each member's parsed doc (by article id).

    Fields not built yet stay empty lists, so every brief is valid Brief JSON v1.
    """
    sents = {a.id: doc_sentences(a, docs[a.id]) for a in story.articles if a.id in docs}
    return Brief(story=story, summary=summarize(story, sents, max_words=summary_words))
