"""Scoring flagged conflicts against gold conflicts.

A conflict is scored by its *sides*: each side is a value and the set of gold files (articles)
giving it. Number conflicts: a predicted conflict is correct when it covers at least two of one
gold conflict's values (same value, at least one shared file); sides are also scored one by one
as (value, file) pairs, so a side the gold does not list (a compatible wording, an unrelated
figure, a rising toll) costs precision. Claim conflicts carry no value: a side is a set of
files, and a flagged claim conflict is correct when two of its sides each share a file with a
different side of one gold claim conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Side = tuple[float, frozenset[str]]  # a value, the files giving it


def prf(tp: int, predicted: int, gold_tp: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; no prediction (or no gold) scores 1.0 on its side."""
    p = tp / predicted if predicted else 1.0
    r = gold_tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def same_value(a: float, b: float) -> bool:
    """Whether two conflict values are the same number (relative tolerance 1e-6)."""
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def covers(pred: Sequence[Side], gold: Sequence[Side]) -> bool:
    """A predicted conflict covers a gold one when it has two of its values (a shared source)."""
    hits = sum(
        any(same_value(v, gv) and files & gfiles for v, files in pred) for gv, gfiles in gold
    )
    return hits >= 2


def side_pairs(conflicts: Iterable[Sequence[Side]]) -> set[tuple[float, str]]:
    """Every (value, file) pair of ``conflicts``."""
    return {(round(v, 6), f) for sides in conflicts for v, files in sides for f in files}


def gold_sides(values: Iterable[Mapping[str, object]]) -> list[Side]:
    """The sides of one gold conflict (its ``values``: ``value`` and ``files`` each)."""
    out: list[Side] = []
    for v in values:
        files = v.get("files") or []
        value = v["value"]
        if not isinstance(files, list) or not isinstance(value, (int, float)):
            raise ValueError(f"a gold value needs a number and a list of files: {v!r}")
        out.append((float(value), frozenset(str(f) for f in files)))
    return out


def claim_covers(sides: Sequence[frozenset[str]], gold: Sequence[frozenset[str]]) -> bool:
    """Two predicted claim sides each share a file with a different gold side."""
    return any(
        sides[i] & gold[gi] and sides[j] & gold[gj]
        for i in range(len(sides))
        for j in range(len(sides))
        if i != j
        for gi in range(len(gold))
        for gj in range(len(gold))
        if gi != gj
    )


@dataclass
class ConflictScore:
    """Counts of number-conflict scoring, added up story by story."""

    tp: int = 0  # predicted conflicts that cover a gold one
    gold_tp: int = 0  # gold conflicts covered by a prediction
    predicted: int = 0
    gold: int = 0
    side_tp: int = 0
    side_predicted: int = 0
    side_gold: int = 0
    updates_found: int = 0
    updates_as_conflicts: int = 0
    updates_gold: int = 0

    def add(
        self,
        conflicts: Sequence[Sequence[Side]],
        updates: Sequence[Sequence[Side]],
        gold: Sequence[Sequence[Side]],
        gold_updates: Sequence[Sequence[Side]] = (),
    ) -> None:
        """Score one story: its flagged conflicts and updates against its gold ones."""
        self.predicted += len(conflicts)
        self.gold += len(gold)
        self.tp += sum(any(covers(p, g) for g in gold) for p in conflicts)
        self.gold_tp += sum(any(covers(p, g) for p in conflicts) for g in gold)
        self.updates_gold += len(gold_updates)
        self.updates_found += sum(any(covers(p, g) for p in updates) for g in gold_updates)
        self.updates_as_conflicts += sum(any(covers(p, g) for p in conflicts) for g in gold_updates)
        pred_pairs, gold_pairs = side_pairs(conflicts), side_pairs(gold)
        self.side_tp += len(pred_pairs & gold_pairs)
        self.side_predicted += len(pred_pairs)
        self.side_gold += len(gold_pairs)

    def conflicts(self) -> tuple[float, float, float]:
        """Conflict precision, recall and F1."""
        return prf(self.tp, self.predicted, self.gold_tp, self.gold)

    def sides(self) -> tuple[float, float, float]:
        """Side precision, recall and F1."""
        return prf(self.side_tp, self.side_predicted, self.side_tp, self.side_gold)
