"""Union-find (disjoint sets), the one used wherever pairwise links group things.

Over ``0..n-1`` (mentions, sentences) or over any orderable keys (the story engine's units:
new articles, story parts, whole stories).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any


class UnionFind:
    """Disjoint sets with path halving; a set's root is its smallest member, so output is
    deterministic whatever order the links arrive in.

    Args:
        items: ``n`` for the integers ``0..n-1``, or the keys to start with (more are added
            when first seen by ``find``). Keys must be orderable among themselves.
    """

    def __init__(self, items: int | Iterable[Hashable] = ()) -> None:
        keys: Iterable[Any] = range(items) if isinstance(items, int) else items
        self.parent: dict[Any, Any] = {k: k for k in keys}

    def find(self, i: Any) -> Any:
        """Return the root of ``i``'s set (``i`` itself when first seen)."""
        parent = self.parent
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: Any, j: Any) -> None:
        """Join the sets of ``i`` and ``j``."""
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def groups(self) -> list[list[Any]]:
        """Return every set, members sorted, sets ordered by their smallest member."""
        out: dict[Any, list[Any]] = {}
        for x in sorted(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return [out[k] for k in sorted(out)]
