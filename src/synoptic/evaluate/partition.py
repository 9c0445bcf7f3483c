"""Scoring a partition of items (articles into stories) against a gold partition."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)


def bcubed(
    pred: Mapping[Item, Hashable], gold: Mapping[Item, Hashable]
) -> tuple[float, float, float]:
    """Return B-cubed precision, recall and F1 of ``pred`` against ``gold`` (id -> label).

    Every id of ``gold`` must have a label in ``pred``; an id only ``pred`` labels is not
    scored itself but still counts in the size of its predicted story.
    """
    pc: dict[Hashable, set[Item]] = defaultdict(set)
    gc: dict[Hashable, set[Item]] = defaultdict(set)
    for i, lab in pred.items():
        pc[lab].add(i)
    for i, lab in gold.items():
        gc[lab].add(i)
    p = r = 0.0
    for i in gold:
        c, g = pc[pred[i]], gc[gold[i]]
        inter = len(c & g)
        p += inter / len(c)
        r += inter / len(g)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
