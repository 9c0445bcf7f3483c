"""Reading a Brief JSON v1 document back into what the scorers take.

The quality gates score the system through its public output only (``build_briefs`` and the
brief JSON), so that they keep measuring the same thing while the stages behind it change.
Gold files name articles by where they were read from (a file name, a path relative to the
project, ``path:line`` for a JSON-lines record); ``file_names`` maps each brief article to that
name through a caller's rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from synoptic.evaluate.conflicts import Side
from synoptic.evaluate.dates import CitedDate
from synoptic.evaluate.quotes import FoundQuote

Story = Mapping[str, Any]  # one story object of Brief JSON v1


def file_names(
    stories: Iterable[Story], name_of: Callable[[Mapping[str, Any]], str | None]
) -> dict[str, str]:
    """Return article id -> gold file name for every article ``name_of`` names."""
    out: dict[str, str] = {}
    for story in stories:
        for article in story["articles"]:
            name = name_of(article)
            if name is not None:
                out[article["id"]] = name
    return out


def texts(story: Story, file_of: Mapping[str, str]) -> dict[str, str]:
    """Return each named article's cleaned text by gold file name."""
    return {file_of[a["id"]]: a["text"] for a in story["articles"] if a["id"] in file_of}


def partition(stories: Iterable[Story], file_of: Mapping[str, str]) -> dict[str, str]:
    """Return gold file name -> story id, for the named articles."""
    return {
        file_of[a["id"]]: story["id"]
        for story in stories
        for a in story["articles"]
        if a["id"] in file_of
    }


def found_quotes(story: Story, file_of: Mapping[str, str]) -> list[FoundQuote]:
    """Every quote mention of the story (one per cited span), in text order per article.

    A merged quote cites one span per article wording, its main wording's spans under the
    quote and every other wording's under its variant; each span is read back from the
    article's text, and carries the merged quote's speaker.
    """
    text_of = {a["id"]: a["text"] for a in story["articles"]}
    spans = sorted(
        (span["article"], span["start"], span["end"], quote["speaker"])
        for quote in story["quotes"]
        for wording in (quote, *quote.get("variants", []))
        for span in wording.get("spans", [])
        if span["article"] in file_of
    )
    return [
        FoundQuote(file_of[art], text_of[art][start:end], speaker)
        for art, start, end, speaker in spans
    ]


def cited_dates(story: Story, file_of: Mapping[str, str]) -> list[CitedDate]:
    """Every (event date, cited sentence) of the story's timeline."""
    return [
        CitedDate(event["date"], file_of[span["article"]], span["start"], span["end"])
        for event in story["timeline"]
        for span in event.get("spans", [])
        if span["article"] in file_of
    ]


def conflict_sides(
    story: Story, file_of: Mapping[str, str], *, update_suffix: str
) -> tuple[list[list[Side]], list[list[Side]]]:
    """Return the story's number conflicts and its updates (topic ending ``update_suffix``).

    Each side is a value and the gold files giving it; a value without a number counts as 0.
    """
    conflicts: list[list[Side]] = []
    updates: list[list[Side]] = []
    for conflict in story["conflicts"]:
        if conflict["kind"] != "number":
            continue
        sides = [
            (
                float(v["value"] or 0.0),
                frozenset(file_of[s] for s in v["sources"] if s in file_of),
            )
            for v in conflict["values"]
        ]
        (updates if conflict["topic"].endswith(update_suffix) else conflicts).append(sides)
    return conflicts, updates


def claim_sides(story: Story, file_of: Mapping[str, str]) -> list[list[frozenset[str]]]:
    """Return the story's claim conflicts, each side as the set of gold files giving it."""
    return [
        [frozenset(file_of[s] for s in v["sources"] if s in file_of) for v in c["values"]]
        for c in story["conflicts"]
        if c["kind"] == "claim"
    ]
