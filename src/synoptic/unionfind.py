"""Union-find (disjoint sets) over ``0..n-1``, for grouping mentions by pairwise links."""

from __future__ import annotations


class UnionFind:
    """Disjoint sets with path halving; a set's root is its smallest member, so output is
    deterministic whatever order the links arrive in."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        """Return the root of ``i``'s set."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        """Join the sets of ``i`` and ``j``."""
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)
