"""Scoring quote wordings and speakers against gold quotes.

A found quote matches a gold quote of the same article when their normalised wordings are equal
or nearly so (rapidfuzz ratio >= ``MATCH_AT``); matching is greedy and one-to-one, best score
first, then nearest in order. The wording normaliser and the speaker comparison are the
caller's (the system's own ``normalize_quote`` and ``same_speaker``), so the figures measure
extraction, not spelling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

MATCH_AT = 90


def match_wordings(found: Sequence[str], gold: Sequence[str]) -> dict[int, int]:
    """Greedy one-to-one matching of normalised wordings of one article.

    Args:
        found: The normalised wordings found, in text order.
        gold: The normalised gold wordings, in text order.

    Returns:
        Index in ``found`` -> index in ``gold``, for each matched pair.
    """
    pairs = []
    for i, a in enumerate(found):
        for j, g in enumerate(gold):
            score = 100.0 if a == g else fuzz.ratio(a, g)
            if score >= MATCH_AT:
                pairs.append((score, -abs(i - j), i, j))
    pairs.sort(reverse=True)
    used_found: set[int] = set()
    used_gold: set[int] = set()
    out: dict[int, int] = {}
    for _score, _distance, i, j in pairs:
        if i in used_found or j in used_gold:
            continue
        used_found.add(i)
        used_gold.add(j)
        out[i] = j
    return out


@dataclass(frozen=True, slots=True)
class FoundQuote:
    """One quote the system found in one article (``file``: the gold's name for it)."""

    file: str
    text: str
    speaker: str | None


@dataclass
class QuoteScore:
    """Counts of quote scoring: precision, recall and speaker accuracy over matched quotes."""

    found: int = 0
    gold: int = 0
    matched: int = 0
    speaker_right: int = 0

    def precision(self) -> float:
        """Share of found quotes that match a gold quote."""
        return self.matched / self.found if self.found else 0.0

    def recall(self) -> float:
        """Share of gold quotes found."""
        return self.matched / self.gold if self.gold else 0.0

    def speaker_accuracy(self) -> float:
        """Share of matched quotes whose speaker is the gold speaker."""
        return self.speaker_right / self.matched if self.matched else 0.0


def score_quotes(
    found: Iterable[FoundQuote],
    gold: Iterable[FoundQuote],
    *,
    normalize: Callable[[str], str],
    same_speaker: Callable[[str | None, str | None], bool],
) -> QuoteScore:
    """Match found quotes to gold quotes article by article and count the results."""
    by_file: dict[str, tuple[list[FoundQuote], list[FoundQuote]]] = {}
    for q in found:
        by_file.setdefault(q.file, ([], []))[0].append(q)
    for q in gold:
        by_file.setdefault(q.file, ([], []))[1].append(q)
    score = QuoteScore()
    for preds, golds in by_file.values():
        score.found += len(preds)
        score.gold += len(golds)
        pairing = match_wordings(
            [normalize(q.text) for q in preds], [normalize(q.text) for q in golds]
        )
        score.matched += len(pairing)
        score.speaker_right += sum(
            same_speaker(preds[i].speaker, golds[j].speaker) for i, j in pairing.items()
        )
    return score
