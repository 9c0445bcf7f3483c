"""synoptic.minhash gives datasketch's signatures, band split and candidates, bit for bit."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from synoptic.dedup import LSH_THRESHOLD, NUM_PERM, shingles
from synoptic.minhash import BandIndex, lsh_bands, signature

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    assert len(texts) >= 5
    return texts


def _datasketch(values: list[bytes], num_perm: int = NUM_PERM) -> MinHash:
    m = MinHash(num_perm=num_perm)
    m.update_batch(values)
    return m


@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_minhash_signature_equals_datasketch(num_perm: int) -> None:
    rng = random.Random(7)
    sets = [[s.encode("utf-8") for s in shingles(t)] for t in _texts()]
    sets += [[b"one"], [b"%d" % rng.randrange(2**40) for _ in range(2000)]]
    for values in sets:
        ours = signature(values, num_perm)
        theirs = _datasketch(values, num_perm).hashvalues
        assert ours.dtype == theirs.dtype
        assert ours.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("threshold", [0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.8, 0.9])
@pytest.mark.parametrize("num_perm", [32, 128, 256])
def test_minhash_bands_equal_datasketch(threshold: float, num_perm: int) -> None:
    assert lsh_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_minhash_band_index_finds_what_datasketch_finds() -> None:
    texts = _texts()
    # Trimmed and extended copies, so that some queries collide on a band and some do not.
    variants = [t[: len(t) // 2] for t in texts]
    variants += [t + " A local paragraph follows." for t in texts]
    ours, theirs = BandIndex(LSH_THRESHOLD, NUM_PERM), MinHashLSH(LSH_THRESHOLD, NUM_PERM)
    for i, t in enumerate(texts):
        values = [s.encode("utf-8") for s in shingles(t)]
        ours.insert(str(i), signature(values))
        theirs.insert(str(i), _datasketch(values))
    hits = 0
    for t in variants:
        values = [s.encode("utf-8") for s in shingles(t)]
        found = ours.query(signature(values))
        assert found == set(theirs.query(_datasketch(values)))
        hits += len(found)
    assert hits >= len(variants)
