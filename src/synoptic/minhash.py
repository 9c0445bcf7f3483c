"""MinHash signatures and their LSH bands, bit for bit those of datasketch 2.0.

``signature`` equals ``datasketch.MinHash(num_perm, seed=1)`` updated with the same byte strings
(its default "affine32" scheme: SHA-1's first 4 bytes, the MurmurHash3 finalizer, then
``a * h + b`` modulo 2**32 per permutation); ``lsh_bands`` is the (bands, rows) split
``datasketch.MinHashLSH`` chooses for a threshold (the split that minimises the false positive
plus false negative probability mass); ``BandIndex`` is that LSH's look-up on an in-memory dict.
tests/test_minhash.py checks all three against datasketch itself.

Why not import datasketch: its package ``__init__`` imports every sketch, and ``MinHashLSH``
imports ``scipy.integrate`` (for the split above) at module level, so ``import datasketch``
cost 0.68 CPU s beside 0.16 s for numpy alone, most of the gap between a cold ``synoptic
brief`` and the time its models take to load (bench/brief_speed.py). The split is an integral
of a polynomial, which Gauss-Legendre quadrature computes exactly with numpy. Owning these few
lines also pins the band keys the store persists (``store.index.dedup_keys``) against a change
of the library's default scheme (2.0 changed it once).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable

import numpy as np

SEED = 1
_MAX = np.uint32(0xFFFFFFFF)


@functools.cache
def _permutations(num_perm: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of the affine permutations, drawn as datasketch draws them (a odd)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (multiplications wrap modulo 2**32, as intended)."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def signature(values: Iterable[bytes], num_perm: int = 128) -> np.ndarray:
    """Return the MinHash signature (``num_perm`` uint32 values) of a set of byte strings."""
    digests = b"".join(hashlib.sha1(v).digest()[:4] for v in values)
    a, b = _permutations(num_perm)
    if not digests:
        return np.full(num_perm, _MAX, dtype=np.uint32)
    hv = _fmix32(np.frombuffer(digests, dtype="<u4").astype(np.uint32))
    out: np.ndarray = (hv.reshape(-1, 1) * a + b).min(axis=0)
    return out


@functools.cache
def lsh_bands(threshold: float, num_perm: int = 128) -> tuple[int, int]:
    """Return the (bands, rows) that minimise false positive + false negative probability.

    The probability that two sets of Jaccard similarity ``s`` share a band is
    ``1 - (1 - s**r)**b``; its mass below the threshold (false positives) and the mass of its
    complement above it (false negatives) are integrals of a polynomial of degree ``b * r <=
    num_perm``, exact with ``num_perm // 2 + 1`` Gauss-Legendre nodes.
    """
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def mass(lo: float, hi: float, r: int, b: int, positive: bool) -> float:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        p = 1 - (1 - s ** float(r)) ** float(b)
        return float((hi - lo) / 2 * np.dot(weights, p if positive else 1 - p))

    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            err = 0.5 * mass(0.0, threshold, r, b, True) + 0.5 * mass(threshold, 1.0, r, b, False)
            if err < best:
                best, opt = err, (b, r)
    return opt


class BandIndex:
    """Keys by the bands of their signatures; ``query`` returns the keys sharing a band.

    Args:
        threshold: Jaccard threshold the bands are chosen for (``lsh_bands``).
        num_perm: Signature length.
    """

    def __init__(self, threshold: float, num_perm: int = 128) -> None:
        self.b, self.r = lsh_bands(threshold, num_perm)
        self.hashranges = [(i * self.r, (i + 1) * self.r) for i in range(self.b)]
        self.tables_: list[dict[bytes, list[str]]] = [{} for _ in range(self.b)]

    def insert(self, key: str, sig: np.ndarray) -> None:
        """Index ``key`` under each band of its signature ``sig``."""
        for (start, end), table in zip(self.hashranges, self.tables_, strict=True):
            table.setdefault(sig[start:end].tobytes(), []).append(key)

    def query(self, sig: np.ndarray) -> set[str]:
        """Return the keys that share at least one band with signature ``sig``."""
        out: set[str] = set()
        for (start, end), table in zip(self.hashranges, self.tables_, strict=True):
            out.update(table.get(sig[start:end].tobytes(), ()))
        return out


__all__ = ["BandIndex", "lsh_bands", "signature"]
