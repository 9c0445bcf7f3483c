"""The published JSON Schema of Brief JSON v1, and the checks JSON Schema cannot express.

``brief-v1.schema.json`` (draft 2020-12) fixes the names and types of every field of the
contract; ``check_citations`` adds the cross-references a schema cannot state: every
``sources`` id names an article of the same story, and every ``spans`` entry falls inside
that article's cleaned text. Tests and benchmarks run both on what ``--format json`` prints.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

__all__ = ["SCHEMA_FILE", "check_citations", "load_schema", "validate_document"]

SCHEMA_FILE = "brief-v1.schema.json"

# The lists of a story whose items carry ``sources`` (and, for extractive items, ``spans``).
_CITED_LISTS = ("summary", "facts", "quotes", "entities", "timeline", "flags")


@functools.lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """Return the JSON Schema of Brief JSON v1.

    Returns:
        A fresh dictionary each call (callers may change it without affecting others).
    """
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = load_schema()
    # Checked once per process: a broken schema file is our bug, not the document's.
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_document(doc: Mapping[str, Any]) -> None:
    """Check a Brief JSON v1 document against the schema.

    Args:
        doc: The parsed document (``model.briefs_document(...)`` or ``json.loads`` of the
            output of ``--format json``).

    Raises:
        jsonschema.ValidationError: The most relevant violation, with its ``json_path``.
    """
    error = best_match(_validator().iter_errors(doc))
    if error is not None:
        raise error


def _items(value: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Yield the (index, object) pairs of a list, skipping what is not an object.

    The schema reports wrong types; this check only looks at what it can read, so that it can
    run on a document that failed validation and still say something useful.
    """
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                yield i, item


def _check_sources(where: str, item: Mapping[str, Any], ids: set[str], story_id: str) -> list[str]:
    problems = []
    sources = item.get("sources")
    if isinstance(sources, Sequence) and not isinstance(sources, (str, bytes)):
        for j, source in enumerate(sources):
            if source not in ids:
                problems.append(
                    f"{where}.sources[{j}]: {source!r} is not an article of story {story_id!r}"
                )
    return problems


def _check_span(
    where: str,
    span: Mapping[str, Any],
    texts: Mapping[str, str],
    sources: Sequence[Any] | None,
    story_id: str,
) -> list[str]:
    article, start, end = span.get("article"), span.get("start"), span.get("end")
    if not isinstance(article, str) or article not in texts:
        return [f"{where}: span article {article!r} is not an article of story {story_id!r}"]
    if not (isinstance(start, int) and isinstance(end, int)):
        return [f"{where}: span bounds must be integers (got {start!r}, {end!r})"]
    problems = []
    length = len(texts[article])
    if not 0 <= start < end <= length:
        problems.append(
            f"{where}: span [{start}, {end}) is out of range for article {article!r} "
            f"of {length} characters"
        )
    if sources is not None and article not in sources:
        problems.append(f"{where}: span article {article!r} is missing from the item's sources")
    return problems


def _check_cited(
    where: str, item: Mapping[str, Any], texts: Mapping[str, str], story_id: str
) -> list[str]:
    """Check an item's ``sources`` ids and its ``spans`` (when it has them)."""
    problems = _check_sources(where, item, set(texts), story_id)
    sources = item.get("sources")
    listed = sources if isinstance(sources, list | tuple) else None
    for k, span in _items(item.get("spans")):
        problems += _check_span(f"{where}.spans[{k}]", span, texts, listed, story_id)
    return problems


def check_citations(doc: Mapping[str, Any]) -> list[str]:
    """Return the citation problems of a Brief JSON v1 document (empty when it has none).

    Checks, per story: article ids are distinct; every ``sources`` id (summary, facts,
    conflict values, quotes and their variants, entities, timeline, flags) and every
    ``unique[].article`` is one of the story's article ids; every ``spans`` entry (and
    ``unique[].span``) names one of those articles, lies inside its ``text``
    (``0 <= start < end <= len(text)``) and, where the item lists sources, is one of them.

    Args:
        doc: A parsed document; it need not have passed ``validate_document``.

    Returns:
        One line per problem, each starting with the JSON path of the offending value.
    """
    problems: list[str] = []
    for s, story in _items(doc.get("stories")):
        story_id = str(story.get("id"))
        texts: dict[str, str] = {}
        for a, article in _items(story.get("articles")):
            article_id = article.get("id")
            if not isinstance(article_id, str):
                continue
            if article_id in texts:
                problems.append(f"stories[{s}].articles[{a}]: duplicate article id {article_id!r}")
            text = article.get("text")
            texts[article_id] = text if isinstance(text, str) else ""
        base = f"stories[{s}]"
        for key in _CITED_LISTS:
            for i, item in _items(story.get(key)):
                where = f"{base}.{key}[{i}]"
                problems += _check_cited(where, item, texts, story_id)
                if key == "quotes":
                    for v, variant in _items(item.get("variants")):
                        problems += _check_cited(f"{where}.variants[{v}]", variant, texts, story_id)
        for c, conflict in _items(story.get("conflicts")):
            for v, value in _items(conflict.get("values")):
                where = f"{base}.conflicts[{c}].values[{v}]"
                problems += _check_cited(where, value, texts, story_id)
        for u, unique in _items(story.get("unique")):
            where = f"{base}.unique[{u}]"
            article_id = unique.get("article")
            if article_id not in texts:
                problems.append(
                    f"{where}.article: {article_id!r} is not an article of story {story_id!r}"
                )
            span = unique.get("span")
            if isinstance(span, Mapping):
                problems += _check_span(f"{where}.span", span, texts, [article_id], story_id)
    return problems
