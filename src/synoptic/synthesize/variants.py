"""Spelling variants of one person's name across outlets ("Gustafsson"/"Gustavsson").

``merge_entities`` joins names only when it can tell they are one person; a surname spelled two
ways ("Annika Gustafsson" in one outlet, "Annika Gustavsson" in another) or a regnal name
written in two languages ("Carl XVI Gustaf"/"Carl XVI Gustav") stays two entities. This module
flags such pairs for a reader's check (``Flag(kind="name-variant")``); it never merges them,
since a flag is cheaper to dismiss than a wrong merge is to notice.

Two person names are spelling variants when:

1. they have the same number of words, equal (once case and diacritics are set aside) but for
   exactly one word, and share at least one word, or are a single surname each;
2. the differing words start with the same letter, are each at least ``MIN_VARIANT_CHARS``
   long, and are at most ``MAX_EDITS`` edits apart with a rapidfuzz ratio of at least
   ``MIN_RATIO`` ("gustaf"/"gustav": one edit, 83);
3. the two spellings come from different articles and never appear in one article: an article
   naming both writes about two people ("Mark Kelly" and his twin brother, a "Hansen" and a
   "Hanson" in one team), and is itself evidence that they are distinct.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from synoptic.analyze.entities import Mention
from synoptic.lang import fold
from synoptic.model import Article, Entity, Flag

#: Most edits between the two spellings of the differing word.
MAX_EDITS = 2
#: Least rapidfuzz ratio between the two spellings of the differing word.
MIN_RATIO = 80.0
#: Shortest word compared: short names ("Jon"/"Jan", "Li"/"Lu") are often different people.
MIN_VARIANT_CHARS = 5


def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in fold(name).replace(".", " ").replace(",", " ").split() if w)


def variant_word(a: str, b: str) -> bool:
    """Whether two words are spellings of one name ("gustafsson"/"gustavsson")."""
    if a == b or a[:1] != b[:1] or min(len(a), len(b)) < MIN_VARIANT_CHARS:
        return False
    if not (a.isalpha() and b.isalpha()):
        return False
    return Levenshtein.distance(a, b) <= MAX_EDITS and fuzz.ratio(a, b) >= MIN_RATIO


def spelling_variants(a: str, b: str) -> bool:
    """Whether two person names differ only by the spelling of one word (rules 1 and 2)."""
    wa, wb = _words(a), _words(b)
    if len(wa) != len(wb) or not wa:
        return False
    differ = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return len(differ) == 1 and variant_word(*differ[0])


def _forms(
    entity: Entity, mentions: Sequence[Mention]
) -> dict[str, set[str]]:  # spelling -> articles
    names = {entity.name, *entity.aliases}
    out: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type == "PERSON" and m.text in names:
            out[m.text].add(m.article)
    return out


def _label(ids: Sequence[str], by_id: dict[str, Article]) -> str:
    names = [by_id[i].label if i in by_id else i for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def variant_flags(
    mentions: Sequence[Mention], entities: Sequence[Entity], articles: Sequence[Article]
) -> tuple[Flag, ...]:
    """Return a ``name-variant`` flag per pair of people whose names are spelling variants.

    Args:
        mentions: The story's entity mentions (each spelling's articles are read from them).
        entities: The story's merged entities; only people are compared, and only across two
            entities (one entity's own spellings are ``entities.find_flags``' job).
        articles: The story's articles (their labels name outlets in the flag text).

    Returns:
        One flag per pair, citing the articles of the less used spelling first.
    """
    by_id = {a.id: a for a in articles}
    order = {a.id: i for i, a in enumerate(articles)}
    people = [_forms(e, mentions) for e in entities if e.type == "PERSON"]
    flags: list[Flag] = []
    for i, fa in enumerate(people):
        for fb in people[i + 1 :]:
            pair = next(
                ((x, y) for x in sorted(fa) for y in sorted(fb) if spelling_variants(x, y)),
                None,
            )
            if pair is None:
                continue
            arts_a = set().union(*fa.values())
            arts_b = set().union(*fb.values())
            if arts_a & arts_b:
                continue  # one article names both: two people (rule 3)
            sides = sorted([(pair[0], arts_a), (pair[1], arts_b)], key=lambda s: (len(s[1]), s[0]))
            cited = [sorted(arts, key=lambda a: order.get(a, len(order))) for _, arts in sides]
            text = (
                f"“{sides[0][0]}” in {_label(cited[0], by_id)} and “{sides[1][0]}” in "
                f"{_label(cited[1], by_id)} may be one person's name spelled two ways."
            )
            flags.append(Flag("name-variant", text, tuple(cited[0] + cited[1])))
    return tuple(flags)


__all__ = ["MAX_EDITS", "MIN_RATIO", "MIN_VARIANT_CHARS", "spelling_variants", "variant_flags"]
