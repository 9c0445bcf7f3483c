"""Grouping many articles holds few n-by-n matrices at once (issue 17).

10,000 tiny TREC documents in one file peaked at 5.95 GB, most of it in ``cluster.similarity``,
which held six to seven n-by-n matrices of doubles at once (each view's matrix, the weights,
the masked sums). The sums are built in place and the sparse products and the neighbour sort
run a block of rows at a time, so two remain (the total and the view being added), three with
the shared-neighbour term (the similarity, the neighbour profiles and their product).
Counted with ``tracemalloc`` (numpy's arrays are traced), never timed.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from synoptic import cluster
from synoptic.model import Article


def _tiny(n: int) -> list[Article]:
    # Short notes sharing a word and a name: every pair is similar, so no product is sparse.
    return [
        Article(id=f"D{i:04d}", source="tiny.sgml", text=f"Word {i} in Kellen.") for i in range(n)
    ]


def _peak_matrices(n: int, **kwargs: object) -> tuple[np.ndarray, float]:
    """``similarity`` of ``n`` tiny articles and its peak traced memory in n-by-n doubles."""
    articles = _tiny(n)
    tracemalloc.start()
    try:
        sim = cluster.similarity(articles, embed=False, **kwargs)  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return sim, peak / (8 * n * n)


@pytest.mark.parametrize(("neighbours", "bound"), [(0, 2.6), (cluster.NEIGHBOURS, 3.3)])
def test_cluster_similarity_holds_two_or_three_matrices(
    monkeypatch: pytest.MonkeyPatch, neighbours: int, bound: float
) -> None:
    full, _ = _peak_matrices(600, neighbours=neighbours)
    # Blocks small beside the matrix, as they are at 10,000 articles (2% of the rows).
    monkeypatch.setattr(cluster, "BLOCK_CELLS", 600 * 12)
    sim, matrices = _peak_matrices(600, neighbours=neighbours)
    assert matrices < bound, matrices  # 6.2 and 6.3 before: every temporary was n by n
    assert np.array_equal(sim, full)  # blocks change how much is held, not the figures
    assert sim.shape == (600, 600) and (np.diag(sim) == 1.0).all()
