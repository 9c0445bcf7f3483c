"""The store's reads for one placement: copy candidates, candidate stories, window counts.

Every query reads the postings or stories of one time window (see ``synoptic.store.ingest``
for the two clocks), so its cost follows the arrival rate, not the size of the store. What is
read is handed to the pure rules of ``synoptic.stories`` (the copy test, placement).
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from synoptic.dedup import shingles
from synoptic.model import Article
from synoptic.store.index import DAY
from synoptic.store.repository import to_article
from synoptic.store.schema import ArticleRow, StoryRow, dedup_postings, term_postings
from synoptic.store.settings import StoreSettings
from synoptic.stories.original import best_copy
from synoptic.stories.placement import Candidate, Member


@dataclass(frozen=True, slots=True)
class Probe:
    """What a new article is looked up by: its key terms, and its times in seconds and days."""

    terms: Sequence[str]
    pts: float | None  # publication time, if known
    now_ts: float  # ingest time
    pday: int | None  # publication day
    iday: int  # ingest day


class Lookup:
    """Reads what one placement needs, keeping recent article texts in memory.

    Args:
        settings: Placement knobs (windows, candidate counts, cache size).
    """

    def __init__(self, settings: StoreSettings) -> None:
        self.settings = settings
        self._window = math.ceil(settings.window_days)
        self._cache: OrderedDict[str, Article] = OrderedDict()

    # -- article texts -------------------------------------------------------------------------

    def remember(self, art: Article) -> None:
        """Keep ``art`` in the text cache (the least recently used fall out)."""
        self._cache[art.id] = art
        self._cache.move_to_end(art.id)
        while len(self._cache) > self.settings.cache_size:
            self._cache.popitem(last=False)

    def articles(self, s: Session, ids: Sequence[str]) -> list[Article]:
        """Return stored articles by id, in the order given (``duplicate_of`` left unset)."""
        missing = [i for i in ids if i not in self._cache]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            for row in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk))):
                self.remember(replace(to_article(row), duplicate_of=None))
        return [self._cache[i] for i in ids]

    # -- windows -------------------------------------------------------------------------------

    def posting_window(self, table: Any, pday: int | None, iday: int) -> ColumnElement[bool]:
        """Postings a look-up may read: dated ones near ``pday``, undated ones ingested lately.

        An undated article reads every posting ingested within the window of now.
        """
        w = self._window
        recent = table.c.iday >= iday - w
        if pday is None:
            return recent
        return or_(
            table.c.pday.between(pday - w, pday + w),
            and_(table.c.pday.is_(None), recent),
        )

    def story_window(self, pts: float | None, now_ts: float) -> ColumnElement[bool]:
        """Stories a new article may join (see ``synoptic.store.ingest``)."""
        w = self.settings.window_days * DAY
        recent = StoryRow.last_ingested_ts >= now_ts - w
        if pts is None:
            return recent
        return or_(
            and_(
                StoryRow.last_published_ts.is_not(None),
                StoryRow.first_published_ts <= pts + w,
                StoryRow.last_published_ts >= pts - w,
            ),
            and_(StoryRow.last_published_ts.is_(None), recent),
        )

    # -- copies --------------------------------------------------------------------------------

    def find_original(
        self,
        s: Session,
        sh: frozenset[str],
        dkeys: Sequence[int],
        pday: int | None,
        iday: int,
    ) -> str | None:
        """Return the id of the stored original a text with shingles ``sh`` copies, or ``None``.

        Candidates share LSH bands within the window; the copy test is the batch's
        (``stories.original.best_copy``).
        """
        if not dkeys:
            return None
        hits = func.count().label("hits")
        rows = s.execute(
            select(dedup_postings.c.article_id, hits)
            .where(
                dedup_postings.c.key.in_(dkeys),
                self.posting_window(dedup_postings, pday, iday),
            )
            .group_by(dedup_postings.c.article_id)
            .order_by(hits.desc(), dedup_postings.c.article_id)
            .limit(self.settings.dedup_candidates)
        ).all()
        if not rows:
            return None
        stored = self.articles(s, sorted(r.article_id for r in rows))
        best = best_copy(sh, ((a.id, shingles(a.text)) for a in stored))
        if best is None:
            return None
        row = s.execute(
            select(ArticleRow.duplicate_of, ArticleRow.superseded_by).where(ArticleRow.id == best)
        ).one()
        if row.superseded_by is not None:
            # A copy of a page's earlier version copies the page: its current version's group.
            best = row.superseded_by
            row = s.execute(
                select(ArticleRow.duplicate_of, ArticleRow.superseded_by).where(
                    ArticleRow.id == best
                )
            ).one()
        return row.duplicate_of or best

    def current_version(self, s: Session, key: str, article_id: str) -> ArticleRow | None:
        """The stored current version of the page keyed ``key``, other than ``article_id``."""
        return s.scalars(
            select(ArticleRow)
            .where(
                ArticleRow.page_key == key,
                ArticleRow.superseded_by.is_(None),
                ArticleRow.id != article_id,
            )
            .order_by(ArticleRow.seq.desc())
            .limit(1)
        ).first()

    # -- candidate stories -----------------------------------------------------------------------

    def candidates(self, s: Session, probe: Probe) -> list[Candidate]:
        """The stories sharing key terms with a new article, best first, each sampled or full."""
        hits = self._hits(s, probe)
        pts, now_ts = probe.pts, probe.now_ts
        if not hits:
            return self._background(s, set(), pts, now_ts)
        a = ArticleRow
        # One query for the members of every candidate story, one for their founders.
        rows = s.execute(
            select(a.id, a.seq, a.duplicate_of, a.superseded_by, a.story_id)
            .where(a.story_id.in_(list(hits)))
            .order_by(a.seq)
        ).all()
        original = {r.id: r.duplicate_of for r in rows}
        members: dict[str, list[Member]] = defaultdict(list)
        for r in rows:
            # An earlier version of a page follows the page's current version, as a copy does.
            lead = r.superseded_by
            of = (original.get(lead) or lead) if lead is not None else r.duplicate_of
            members[r.story_id].append(Member(r.id, int(r.seq), of))
        founders = {
            r.id: int(r.founder_seq)
            for r in s.execute(
                select(StoryRow.id, StoryRow.founder_seq).where(StoryRow.id.in_(list(hits)))
            )
        }
        out = []
        for story_id, hit_ids in hits.items():
            originals = [m for m in members[story_id] if m.duplicate_of is None]
            full = len(originals) <= self.settings.sample
            passed = originals if full else sample(originals, hit_ids, self.settings.sample)
            out.append(
                Candidate(
                    story_id,
                    founders[story_id],
                    tuple(members[story_id]),
                    tuple(m.id for m in passed),
                    full,
                )
            )
        out.extend(self._background(s, set(hits), pts, now_ts))
        return out

    def _hits(self, s: Session, probe: Probe) -> dict[str, list[str]]:
        """Candidate stories (at most ``stories``) and their originals that share key terms."""
        need = self.settings.min_shared if len(probe.terms) >= 2 * self.settings.min_shared else 1
        tp, a = term_postings, ArticleRow
        # The postings are counted first, in a subquery of their own: joined in one query,
        # SQLite's planner walked every current article (``superseded_by IS NULL``) and looked
        # its postings up, a cost growing with the store rather than with the window.
        counted = (
            select(tp.c.article_id, func.count().label("shared"))
            .where(
                tp.c.term.in_(list(probe.terms)),
                self.posting_window(tp, probe.pday, probe.iday),
            )
            .group_by(tp.c.article_id)
            .having(func.count() >= need)
            .subquery()
        )
        rows = s.execute(
            select(counted.c.article_id, a.story_id, a.duplicate_of, counted.c.shared)
            .join(a, a.id == counted.c.article_id)
            .join(StoryRow, StoryRow.id == a.story_id)
            .where(a.superseded_by.is_(None), self.story_window(probe.pts, probe.now_ts))
            .order_by(counted.c.shared.desc(), a.seq)
            .limit(self.settings.candidates)
        ).all()
        hits: dict[str, list[str]] = {}
        for r in rows:
            if len(hits) >= self.settings.stories and r.story_id not in hits:
                continue
            hits.setdefault(r.story_id, []).append(r.duplicate_of or r.article_id)
        return hits

    def _background(
        self, s: Session, exclude: set[str], pts: float | None, now_ts: float
    ) -> list[Candidate]:
        """The latest original of each of the latest other stories in the window.

        TF-IDF weighs a term by how few documents hold it; over a handful of candidates that
        share a story's names, those names weigh little and true matches look weak. A few
        unrelated stories restore the contrast the clusterer has over a whole batch. They take
        part as sampled stories (never split), so the clusterer may still join one.
        """
        if self.settings.background <= 0:
            return []
        a = ArticleRow
        rows = s.execute(
            select(a.id, a.seq, a.story_id, StoryRow.founder_seq)
            .join(StoryRow, StoryRow.id == a.story_id)
            .where(
                a.duplicate_of.is_(None),
                a.superseded_by.is_(None),
                self.story_window(pts, now_ts),
            )
            .order_by(a.seq.desc())
            .limit(self.settings.background * 4)
        ).all()
        out: dict[str, Candidate] = {}
        for r in rows:
            if r.story_id in exclude or r.story_id in out:
                continue
            member = Member(r.id, int(r.seq))
            out[r.story_id] = Candidate(
                r.story_id, int(r.founder_seq), (member,), (r.id,), full=False
            )
            if len(out) >= self.settings.background:
                break
        return list(out.values())

    def collection(self, s: Session, pts: float | None, now_ts: float) -> int:
        """How many stored articles the new one's window holds, itself included.

        The neighbourhood is a sample of them, and the clusterer weighs names as over all of
        them (``cluster_auto(collection=...)``), as batch over the window would. A dated
        article counts the articles published within the window of its date; an undated one
        the members of the stories that took an article within the window of now (the
        stories it may join). Both read an index over one window only.
        """
        w = self.settings.window_days * DAY
        if pts is not None:
            count = s.scalar(
                select(func.count())
                .select_from(ArticleRow)
                .where(ArticleRow.published_ts.between(pts - w, pts + w))
            )
        else:
            count = s.scalar(
                select(func.coalesce(func.sum(StoryRow.article_count), 0)).where(
                    StoryRow.closed.is_(False), StoryRow.last_ingested_ts >= now_ts - w
                )
            )
        return int(count or 0) + 1


def sample(originals: Sequence[Member], hit_ids: Sequence[str], size: int) -> list[Member]:
    """The founder, the members that matched, then the latest members, up to ``size``."""
    by_id = {m.id: m for m in originals}
    chosen: dict[str, Member] = {originals[0].id: originals[0]}
    for i in hit_ids:
        if len(chosen) >= size:
            break
        if i in by_id:
            chosen[i] = by_id[i]
    for m in reversed(originals):
        if len(chosen) >= size:
            break
        chosen.setdefault(m.id, m)
    return sorted(chosen.values(), key=lambda m: m.seq)
