"""Unique contributions: what one outlet alone reports.

A sentence is unique when its alignment group (``synthesize.align``) has one independent outlet
(a wire copy and its original are one outlet) **and** nothing in another outlet comes near it:
the group's ``outside`` score (best evidence score against any other outlet's sentence) stays
under ``max_outside``, stricter than the alignment's own link threshold, so that "only X
reports this" is not claimed for a report that others give in looser words.

Rejected, with the reason kept by ``reject_reason``: short fragments, questions, bylines and
credits, page chrome (share/subscribe/advertisement lines), sentences that open lower-case
(a broken sentence), and sentences that state nothing checkable (no verb, or neither a named
entity nor a number).

The survivors are ranked by informativeness (named entities and figures first, then content
words, then an early position in the article) and the best ``per_article`` of each article are
kept, in story order then reading order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from synoptic.model import Sentence, Story, Unique
from synoptic.synthesize.align import Group, Member
from synoptic.synthesize.facts import word_count

PER_ARTICLE = 3
MIN_WORDS = 8
MAX_WORDS = 70
# Best evidence score to another outlet a unique sentence may have (alignment links at 0.75).
MAX_OUTSIDE = 0.68
# Two sentences of one article this similar (MiniLM cosine) give one report.
SAME_REPORT = 0.80

_CHROME = re.compile(
    r"\b(advertisement|subscribe|newsletter|sign up|download|our app|follow us|share this|"
    r"click here|read more|cookies?|all rights reserved|copyright|comments?|log ?in|"
    r"font size|read mode|google news|photo credit|image:|photo:|updated:|published:)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(by|reported by|written by|words|images|photos?|edited by)\b[: ]", re.I)
_CREDIT = re.compile(r"[©]|\((?:photo|image|file)\b", re.IGNORECASE)
_END = re.compile(r"[.!…]['\"”’)\]]*$")


def reject_reason(member: Member) -> str | None:
    """Return why ``member`` cannot be a unique contribution, or ``None`` when it can."""
    text = member.sentence.text.strip()
    words = word_count(text)
    if words < MIN_WORDS:
        return "fragment"
    if words > MAX_WORDS:
        return "run-on (likely a merged block)"
    if text.rstrip("\"”’' ").endswith("?"):
        return "question"
    if _BYLINE.match(text) or _CREDIT.search(text):
        return "byline or credit"
    if _CHROME.search(text):
        return "page chrome"
    if text.lstrip("\"“‘'„([")[:1].islower():
        return "broken sentence (lower-case start)"
    if not _END.search(text):
        return "no sentence end (heading or cut-off)"
    if not member.has_verb:
        return "no verb"
    if not member.entities and not member.numbers:
        return "nothing checkable (no entity, no number)"
    return None


def informativeness(member: Member) -> float:
    """Rank a unique sentence: named entities and figures, content words, an early position."""
    return (
        1.0 * len(member.entities)
        + 1.0 * len(member.numbers)
        + 0.15 * min(len(member.content), 20)
        + 0.5 * (1.0 - member.position)
    )


def find_unique(
    story: Story,
    sentences: Mapping[str, Sequence[Sentence]],
    groups: Sequence[Group],
    *,
    per_article: int = PER_ARTICLE,
    max_outside: float = MAX_OUTSIDE,
) -> tuple[Unique, ...]:
    """Return, per article, the best few things it alone reports.

    Args:
        story: The story.
        sentences: Each article's sentences (unused beyond the groups; kept for the stage API).
        groups: The story's alignment (``align(...)``).
        per_article: How many to keep per article.
        max_outside: Highest evidence score to another outlet's sentence a unique one may have.

    Returns:
        ``Unique`` items citing their sentence, in story order then reading order.
    """
    del sentences  # the groups carry every sentence the stage needs
    chosen: dict[str, list[Member]] = {}
    for g in groups:
        if g.support != 1 or g.outside >= max_outside:
            continue
        # A wire copy repeats its original: report the original's sentence (the first member
        # from the outlet's own article, else the copy that carries it alone, e.g. a local
        # paragraph added to a wire story).
        member = next((m for m in g.members if m.sentence.article == m.outlet), g.members[0])
        if reject_reason(member) is None:
            chosen.setdefault(member.sentence.article, []).append(member)
    order = {a.id: i for i, a in enumerate(story.articles)}
    out: list[Unique] = []
    for art_id in sorted(chosen, key=lambda k: order.get(k, len(order))):
        # A page that repeats itself (a standfirst echoed in the body, one quote given twice
        # with two attributions) gives the report once.
        best: list[Member] = []
        for m in sorted(chosen[art_id], key=informativeness, reverse=True):
            if len(best) == per_article:
                break
            if not any(float(m.vector @ b.vector) >= SAME_REPORT for b in best):
                best.append(m)
        for m in sorted(best, key=lambda m: m.sentence.index):
            out.append(Unique(article=art_id, text=m.sentence.text, span=m.sentence.span))
    return tuple(out)


__all__ = ["MAX_OUTSIDE", "PER_ARTICLE", "find_unique", "informativeness", "reject_reason"]
