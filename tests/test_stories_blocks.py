"""Candidate blocking: components the exact engine's stories do not cross, found without
comparing every pair, and the same stories as the exact engine inside them."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from synoptic import cluster
from synoptic.analyze.embed import Embedder
from synoptic.dedup import mark_duplicates
from synoptic.evaluate.partition import bcubed
from synoptic.ingest import read_inputs
from synoptic.model import Article
from synoptic.pipeline import extract_all
from synoptic.stories import blocks
from test_cluster import DAM, MUSEUM, PARAPHRASES, QUAKE_NORTH, QUAKE_SOUTH

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus.jsonl"
EMBEDDER = Embedder()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNOPTIC_CACHE_DIR", str(tmp_path / "cache"))


def _partition(groups: list[list[Article]]) -> list[list[str]]:
    return sorted(sorted(a.id for a in g) for g in groups)


def _hand_made() -> list[Article]:
    """Five stories, two of them earthquakes of one kind; a copy of a dam report."""
    arts = []
    for name, texts in [
        ("dam", DAM),
        ("museum", MUSEUM),
        ("north", QUAKE_NORTH),
        ("south", QUAKE_SOUTH),
        ("rail", PARAPHRASES),
    ]:
        for i, text in enumerate(texts):
            arts.append(Article(id=f"{name}{i}", source=f"{name}/{i}.txt", text=text))
    arts.append(Article(id="copy", source="wire.txt", text=DAM[0], duplicate_of="dam0"))
    return arts


def test_stories_blocks_splits_into_components_and_matches_the_exact_partition() -> None:
    arts = _hand_made()
    groups, blocking = blocks.cluster_blocked(arts, embedder=EMBEDDER)
    exact = cluster.cluster_auto(arts, embedder=EMBEDDER)
    assert _partition(groups) == _partition(exact)
    # Listed as cluster_auto lists them: by first member in the input, copies after originals.
    assert [[a.id for a in g] for g in groups] == [[a.id for a in g] for g in exact]
    assert ["dam0", "dam1", "dam2", "copy"] in [[a.id for a in g] for g in groups]
    # Several components, none holding the two earthquakes' stories with anything unrelated.
    assert len(blocking.components) >= 4
    assert max(len(c) for c in blocking.components) <= 6
    assert blocking.links <= blocking.candidates < 17 * 16 // 2


def test_stories_blocks_candidates_stay_in_the_window_skip_common_terms_and_keep_top_k() -> None:
    terms = [["kellen", "dam"], ["kellen", "dam"], ["kellen"], ["kellen", "oska"], ["oska"]]
    days = [0, 10, 100, None, 200]
    left, right = blocks.candidate_pairs(terms, days, window_days=30, max_df=10, top_k=5)
    pairs = set(zip(left.tolist(), right.tolist(), strict=True))
    # 0-1 share two terms within the window; 2 is 90 days from them; 3 is undated (any day).
    assert pairs == {(0, 1), (0, 3), (1, 3), (2, 3), (3, 4)}
    # Frequency is counted within the window: "kellen" is in 3 articles of days 0-10 and the
    # undated one (above max_df 2: it proposes only its chain by day there, 0-1 and 1-3, the
    # undated last), in 2 of days 100 and undated.
    left, right = blocks.candidate_pairs(terms, days, window_days=30, max_df=2, top_k=5)
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == {(0, 1), (1, 3), (2, 3), (3, 4)}
    # One candidate an article, the best scored (0-1 share two terms), ties to the lower index.
    left, right = blocks.candidate_pairs(terms, days, window_days=30, max_df=10, top_k=1)
    kept = set(zip(left.tolist(), right.tolist(), strict=True))
    assert kept == {(0, 1), (0, 3), (2, 3), (3, 4)}


def test_stories_blocks_a_common_term_chains_its_carriers_by_day() -> None:
    # Twelve notes share only "flood" (above max_df 3 in each slice pair): each meets its
    # neighbour by day (the undated last), never all pairs, never across more than the window
    # (day 7 to day 50); Spark's rule over the same carriers gives the same pairs.
    days: list[int | None] = [0, 3, 1, 2, 50, 51, 4, 5, 52, 6, None, 7]
    terms = [["flood"] for _ in days]
    left, right = blocks.candidate_pairs(terms, days, window_days=30, max_df=3, top_k=5)
    pairs = set(zip(left.tolist(), right.tolist(), strict=True))
    by_day = [0, 2, 3, 1, 6, 7, 9, 11]
    expected = {*itertools.pairwise(by_day), (4, 5), (5, 8), (8, 10)}
    assert pairs == {(min(a, b), max(a, b)) for a, b in expected}
    spark = blocks.chain_pairs([(f"{i:02d}", d) for i, d in enumerate(days)], 30)
    assert {(int(a), int(b)) for a, b in spark} == pairs


def test_stories_blocks_notes_without_names_are_grouped_as_the_exact_engine_groups_them() -> None:
    # Short notes that name nothing: keyed by names alone they proposed no pair, so each was a
    # story of its own where the exact engine groups them by words. The store's key words
    # (names topped up with event words) propose them.
    flood = [
        f"heavy rain flooded the valley road again on day {k}; the footbridge stayed shut and "
        "farmers moved their cattle to higher ground."
        for k in range(12)
    ]
    lunch = [
        f"the school kitchen served {k} hundred hot lunches this week; parents praised the "
        "new menu and the cooks asked for more ovens."
        for k in range(12)
    ]
    arts = [
        Article(id=f"{kind}{k:02d}", source=f"{kind}/{k}.txt", text=text)
        for kind, texts in (("flood", flood), ("lunch", lunch))
        for k, text in enumerate(texts)
    ]
    groups, blocking = blocks.cluster_blocked(arts, embed=False)
    exact = cluster.cluster_auto(arts, embed=False)
    assert len(exact) == 2
    assert _partition(groups) == _partition(exact)
    assert len(blocking.components) == 2


def test_stories_blocks_components_stay_bounded_when_every_report_is_alike(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Templated notes, none a copy, all alike: a raised floor shatters their chain into lone
    # reports, so they are cut into slices of MAX_COMPONENT instead, with a line saying so.
    monkeypatch.setattr(blocks, "MAX_COMPONENT", 40)
    arts = [
        Article(
            id=f"n{i:03d}",
            source=f"{i}.txt",
            text=f"The flood closed the valley road near the old mill again today, and crews "
            f"worked through the night on section {i} of the embankment.",
        )
        for i in range(100)
    ]
    groups, blocking = blocks.cluster_blocked(arts, embed=False)
    assert [len(c) for c in blocking.components] == [40, 40, 20]
    assert len(groups) == 3
    assert "grouped in slices of 40" in caplog.text


def test_stories_blocks_group_auto_blocks_above_the_limit_with_the_same_stories() -> None:
    articles = mark_duplicates(extract_all(read_inputs([str(ROOT / "examples")])))
    exact = blocks.group_auto(articles, embedder=EMBEDDER, block_above=len(articles))
    blocked = blocks.group_auto(articles, embedder=EMBEDDER, block_above=1)
    assert [(s.id, [a.id for a in s.articles], s.headline) for s in blocked] == [
        (s.id, [a.id for a in s.articles], s.headline) for s in exact
    ]
    _, blocking = blocks.cluster_blocked(articles, embedder=EMBEDDER)
    assert len(blocking.components) == len(exact) == 2


@pytest.mark.skipif(not ECBPLUS.exists(), reason="needs ../shared/data/ecbplus")
def test_stories_blocks_agree_with_the_exact_engine_on_ecbplus() -> None:
    """All 982 ECB+ texts (no dates: the window never cuts): blocked stories agree with the
    exact engine's at B-cubed F1 0.998 (0.98 floor), score as well against gold (0.947 against
    0.949), in 55 components, the largest 52 of 982 (bench/blocking.py)."""
    rows = [json.loads(line) for line in ECBPLUS.read_text(encoding="utf-8").splitlines()]
    arts = mark_duplicates(
        [Article(id=r["id"], source=f"ecbplus:{r['id']}", text=r["text"]) for r in rows]
    )
    gold = {r["id"]: r["story"] for r in rows}
    exact_groups = cluster.cluster_auto(arts, embedder=EMBEDDER)
    exact = {a.id: k for k, g in enumerate(exact_groups) for a in g}
    groups, blocking = blocks.cluster_blocked(arts, embedder=EMBEDDER)
    blocked = {a.id: k for k, g in enumerate(groups) for a in g}
    assert bcubed(blocked, exact)[2] >= 0.98
    assert bcubed(blocked, gold)[2] >= bcubed(exact, gold)[2] - 0.01
    assert len(blocking.components) >= 20
    assert max(len(c) for c in blocking.components) <= len(arts) // 5


def test_stories_blocks_profiles_give_the_direct_similarity_of_pairs() -> None:
    """Spark verifies a pair from the two articles' profiles; batch from sparse rows: the same
    figure either way."""
    import numpy as np

    from synoptic.cluster import lead_vectors
    from synoptic.stories.features import Frequencies, article_features

    arts = sorted(_hand_made()[:-1], key=lambda a: a.id)
    vectors = lead_vectors([article_features(a).lead for a in arts], EMBEDDER)
    left, right = np.triu_indices(len(arts), 1)
    batch = blocks.direct_pairs(arts, left, right, vectors=vectors)
    freq = Frequencies.of(arts)
    assert vectors is not None
    profiles = [blocks.Profile.of(a, freq, vectors[k]) for k, a in enumerate(arts)]
    one = [profiles[i].direct(profiles[j]) for i, j in zip(left, right, strict=True)]
    assert np.allclose(batch, one, atol=1e-9)
    assert batch.max() > 0.4 and batch.min() < 0.1  # a story's reports and unrelated ones
