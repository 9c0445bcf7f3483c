"""Scoring a story's person entities against gold coreference chains (ECB+ participants).

Gold: the ``HUMAN_PART_PER`` mentions of ``../shared/data/ecbplus-esc/articles.jsonl`` that
belong to a coreference chain and are written as a name (capitalised, not a pronoun); the chain
is the gold person (a mention whose last word is capitalised: "American Tony Thompson", not
"Spiro man"). A system mention is scored when its characters overlap a gold mention's;
gold mentions no system mention covers are left out (the corpus annotates pronouns and common
nouns that an entity extractor does not name, and only some sentences), as are system mentions
outside annotated spans. On the matched mentions: B-cubed precision/recall of the system's
entities (any type, so a person typed as a place still counts as found) against the chains,
and, for each gold person named 3+ times, whether one entity holds all those mentions and is
typed ``PERSON``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from synoptic.evaluate.partition import bcubed


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One gold person mention: article id, character span, chain id."""

    article: str
    start: int
    end: int
    chain: str


@dataclass(frozen=True, slots=True)
class SystemMention:
    """One system mention with the entity it was put in, and that entity's type."""

    article: str
    start: int
    end: int
    entity: int
    type: str


@dataclass(frozen=True, slots=True)
class PeopleScore:
    """Person clustering figures over one or more stories."""

    precision: float
    recall: float
    f1: float
    matched: int
    people: int
    whole: int
    typed_person: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "matched": self.matched,
            "people": self.people,
            "whole": self.whole,
            "typed_person": self.typed_person,
        }


def load_people(path: Path, clusters: Iterable[str]) -> dict[str, tuple[dict, list[GoldMention]]]:
    """Read the articles of ``clusters`` and their gold named person mentions.

    Returns:
        cluster -> (article id -> text, gold mentions).
    """
    wanted = set(clusters)
    out: dict[str, tuple[dict, list[GoldMention]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["cluster"] not in wanted:
                continue
            texts, gold = out.setdefault(row["cluster"], ({}, []))
            texts[row["id"]] = row["text"]
            for m in row["mentions"]:
                if m["tag"] != "HUMAN_PART_PER" or not m.get("chain"):
                    continue
                words = m["text"].split()
                # A name's head, its last word, is capitalised ("American Tony Thompson"), a
                # description's is not ("Spiro man"); pronouns ("He") are stop words.
                if not words or not words[-1][:1].isupper() or words[0].lower() in STOP_WORDS:
                    continue
                gold.append(GoldMention(row["id"], m["start"], m["end"], m["chain"]))
    return out


def score_people(
    system: Sequence[SystemMention], gold: Sequence[GoldMention], story: str = ""
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Match system mentions to gold ones; return (pred, gold labels, types) by match key.

    Keys are prefixed with ``story`` so that several stories can be pooled.
    """
    by_article: dict[str, list[SystemMention]] = defaultdict(list)
    for s in system:
        by_article[s.article].append(s)
    pred: dict[str, str] = {}
    labels: dict[str, str] = {}
    types: dict[str, str] = {}
    for g in gold:
        # The system mention sharing most characters ("American Tony Thompson" in the gold
        # overlaps both "American" and "Tony Thompson"), a person on a tie.
        overlaps = [
            (min(s.end, g.end) - max(s.start, g.start), s.type == "PERSON", -n, s)
            for n, s in enumerate(by_article[g.article])
            if s.start < g.end and g.start < s.end
        ]
        if not overlaps:
            continue
        hit = max(overlaps, key=lambda o: o[:3])[3]
        key = f"{story}|{g.article}|{g.start}"
        pred[key] = f"{story}|{hit.entity}"
        labels[key] = f"{story}|{g.chain}"
        types[key] = hit.type
    return pred, labels, types


def system_mentions(
    mentions: Sequence[object], built: Sequence[tuple[object, Sequence[int]]]
) -> list[SystemMention]:
    """Flatten entities with their member indices (``_build`` output) into scored mentions."""
    out: list[SystemMention] = []
    for n, (entity, members) in enumerate(built):
        for i in members:
            m = mentions[i]
            out.append(
                SystemMention(m.article, m.start, m.end, n, entity.type)  # type: ignore[attr-defined]
            )
    return out


def summarize_scores(
    pred: Mapping[str, str], gold: Mapping[str, str], types: Mapping[str, str]
) -> PeopleScore:
    """B-cubed over the matched mentions, and the 3+-mention people kept whole and typed."""
    p, r, f = bcubed(pred, gold) if gold else (0.0, 0.0, 0.0)
    chains: dict[str, list[str]] = defaultdict(list)
    for key, chain in gold.items():
        chains[chain].append(key)
    people = whole = typed = 0
    for keys in chains.values():
        if len(keys) < 3:
            continue
        people += 1
        entities = Counter(pred[k] for k in keys)
        if len(entities) == 1:
            whole += 1
        main = entities.most_common(1)[0][0]
        if all(types[k] == "PERSON" for k in keys if pred[k] == main):
            typed += 1
    return PeopleScore(p, r, f, len(gold), people, whole, typed)


__all__ = [
    "GoldMention",
    "PeopleScore",
    "SystemMention",
    "load_people",
    "score_people",
    "summarize_scores",
    "system_mentions",
]
