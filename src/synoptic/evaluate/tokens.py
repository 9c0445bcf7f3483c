"""Token-level scoring of extracted text against a gold article body.

The article-extraction benchmark (and most of its successors) scores an extractor by how well
the *words* it kept match the gold article body, ignoring order and layout: lower-cased word
tokens are compared as bags (multisets), so a token counts as correct as many times as it
occurs in both texts.

Use ``token_prf(predicted, gold)`` for one document and ``Totals`` to aggregate a run, e.g.::

    totals = Totals()
    for pred, gold in pairs:
        totals.add(pred, gold)
    print(totals.macro(), totals.micro())
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# Word tokens: runs of letters/digits (Unicode-aware), so punctuation and layout never count.
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Return the lower-cased word tokens of ``text``."""
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 of one document (or one aggregate)."""

    precision: float
    recall: float
    f1: float


def f1(p: float, r: float) -> float:
    """Return the harmonic mean of ``p`` and ``r`` (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def overlap_counts(predicted: str, gold: str) -> tuple[int, int, int]:
    """Return ``(overlap, predicted_total, gold_total)`` token counts (bag-of-tokens)."""
    pred = Counter(tokens(predicted))
    ref = Counter(tokens(gold))
    common = sum((pred & ref).values())
    return common, sum(pred.values()), sum(ref.values())


def token_prf(predicted: str, gold: str) -> PRF:
    """Score ``predicted`` against ``gold`` by bag-of-tokens overlap.

    Args:
        predicted: The extracted text.
        gold: The reference article body.

    Returns:
        Precision (share of predicted tokens found in gold), recall (share of gold tokens
        found in the prediction) and their harmonic mean. Two empty texts score 1.0; an empty
        side against a non-empty one scores 0.0.
    """
    common, n_pred, n_gold = overlap_counts(predicted, gold)
    if n_pred == 0 and n_gold == 0:
        return PRF(1.0, 1.0, 1.0)
    p = common / n_pred if n_pred else 0.0
    r = common / n_gold if n_gold else 0.0
    return PRF(p, r, f1(p, r))


@dataclass
class Totals:
    """Aggregate document scores: macro (mean of per-document scores) and micro (pooled)."""

    docs: list[PRF] = field(default_factory=list)
    common: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: str, gold: str) -> PRF:
        """Score one document, add it to the totals and return its scores."""
        common, n_pred, n_gold = overlap_counts(predicted, gold)
        self.common += common
        self.predicted += n_pred
        self.gold += n_gold
        score = token_prf(predicted, gold)
        self.docs.append(score)
        return score

    def macro(self) -> PRF:
        """Mean precision, mean recall and mean per-document F1."""
        n = len(self.docs) or 1
        return PRF(
            sum(d.precision for d in self.docs) / n,
            sum(d.recall for d in self.docs) / n,
            sum(d.f1 for d in self.docs) / n,
        )

    def micro(self) -> PRF:
        """Precision and recall over all tokens of the run pooled together."""
        p = self.common / self.predicted if self.predicted else 0.0
        r = self.common / self.gold if self.gold else 0.0
        return PRF(p, r, f1(p, r))
