"""Incremental ingest: each new article is deduplicated against the store and placed in a story.

A placement is atomic: an article's row, its postings, its story placement (with any merge or
split it causes) and the closing of stories that went quiet commit together or not at all.
``Ingestor.add`` commits one article; ``add_all`` (the CLI's ingest) places a batch of articles
one after another in one transaction and reports them once it committed. A killed ingest
therefore loses nothing it reported, leaves no half-placed article, and running it again skips
what is stored (articles are keyed by id) and finishes the rest.

Placement of a new article ``A``, step by step:

1. **Copy?** Its MinHash band keys are looked up in ``dedup_postings`` within the time window;
   the candidates are verified by the batch's copy test (``stories.original.best_copy``). A
   copy joins its original's story. If ``A`` is the better original (``stories.original``:
   published earlier as an instant, else longer, the rule of ``mark_duplicates``), the group
   is re-pointed at ``A``, so which member is the original does not depend on the order the
   copies arrived in.
2. **Candidates.** Stored articles sharing key terms with ``A``
   (``term_postings``, read within the window), ranked by terms shared; their stories, best
   first, are the candidate stories (at most ``StoreSettings.stories``).
3. **Cluster.** ``cluster_auto`` (the batch clusterer of ``synoptic brief --stories auto``, same
   similarity and threshold) partitions the *neighbourhood*: ``A`` and the originals of the
   candidate stories (all of them up to ``StoreSettings.sample``; a larger story is
   represented by its founder, its candidate members and its latest members). The
   neighbourhood is a sample of the articles in ``A``'s time window, and the clusterer is told
   how many those are (``collection``), so that it weighs the names the sample shares as
   batch over the window would: rare, not common (counted over a few dozen articles that all
   carry them, they weighed so little that the first reports of an event, which share little
   more than its names, stayed a story of their own). A sampled story whose sample the
   clusterer spreads over several groups may be two stories, which only its whole membership
   can settle: it is passed again in full, as long as the neighbourhood stays within
   ``StoreSettings.widen`` originals, and the clusterer runs once more.
4. **Adopt the partition** (``stories.placement.place``, the pure rule the batch uses too; this
   module reads the neighbourhood through ``store.lookup`` and applies the plan). Each group
   unites what it holds: ``A``, the parts of fully passed stories that fell into it, and the
   sampled stories whose sample it holds the most of (ties: the group holding the story's
   earliest passed member). Connected parts become one story each: a group holding members of
   two stories merges them, and a fully passed story whose members the clusterer separates
   splits, if the separation is clear: its parts must lie in different groups at the looser
   distance ``THRESHOLD + StoreSettings.split_margin`` too. Otherwise the story stays one and
   joins the groups its parts fell into (one group at that distance as well): every arrival
   re-clusters a story against a different neighbourhood, and a story whose parts sit near the
   threshold was split and merged back and forth, ending split as often as not. A sampled story
   is neither split (the clusterer saw only part of it) nor lets a stray sampled member glue
   another group to it: uniting every group a sample touched made stories grow by single links
   and merge two events of one kind for good. Copies follow their originals.
5. **Ids** (``stories.ids``). A story's id is ``s`` + the hex part of its first-ingested
   member's id. A merge therefore keeps the older story's id, the part of a split holding the
   first-ingested member keeps the id, and a new story is named after ``A``. Ids depend on
   membership and ingest order only, never on clustering internals.

Time windows (``window_days``, default 7) use two clocks, because undated scraped reports are
common: a dated article looks at stories with a dated member within the window of its date,
and at undated stories ingested within the window of now; an undated article looks at every
story ingested within the window of now. A story *closes* when nothing new has arrived for
``window_days`` on both clocks: its latest publication date is that far behind the newest date
in the store (capped at tomorrow, so one bogus future date cannot close everything) and its
latest ingest that far behind now. A closed story can only be reached again by a back-dated
article that falls in its window, which reopens it.

Every look-up reads the postings of one window of days, and the clusterer sees at most
``stories * sample`` originals (``widen`` when a story is passed in full), so the cost per
article follows the arrival rate, not the size of the store.

Quality (``bench/cluster.py --online``): on ECB+ (982 undated articles, 86 stories, each topic
two similar events) ingested one article at a time, B-cubed F1 0.944 in id order and 0.945
shuffled, against 0.942 for batch ``cluster_auto`` on the same articles (0.939 and 0.937
before the collection-wide name weights and the split margin); the held-out even topics
score 0.939 and 0.942. On the dated stream of ``bench/throughput.py`` (ECB+ stories retold by
12 outlets, 1,000 reports, 84 events) the store scores 0.950 against 0.940 for batch over
all 1,000 (0.903 before).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO, Literal

from sqlalchemy import func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from synoptic.cluster import THRESHOLD, cluster_cuts
from synoptic.dedup import shingles
from synoptic.errors import ErrorPolicy, Problem
from synoptic.ingest import DEFAULT_MAX_BYTES, ReadOptions
from synoptic.jobs import extract_each
from synoptic.model import Article
from synoptic.pipeline import extract_all
from synoptic.settings import INPUT_SECONDS
from synoptic.store.index import day_of, dedup_keys, index_terms, parse_published
from synoptic.store.lookup import Lookup, Probe
from synoptic.store.repository import Store, article_row, delete_story, to_article, utcnow
from synoptic.store.revisions import members_of, redirect_merged
from synoptic.store.rows import close_quiet, refresh_story, stream_clock
from synoptic.store.safety import stale_briefs
from synoptic.store.schema import ArticleRow, dedup_postings, term_postings
from synoptic.store.settings import StoreSettings
from synoptic.stories.features import article_features
from synoptic.stories.identity import newer, page_key
from synoptic.stories.original import original_rank
from synoptic.stories.placement import Candidate, Member, Plan, place, to_widen
from synoptic.web.sources import read_sources

if TYPE_CHECKING:
    from pathlib import Path

    from synoptic.fetch import Fetcher

# Leads a thread embeds at a time beside placement (``Ingestor._leads``): small slices keep
# placement from waiting long for the first, and MiniLM spent the least CPU per lead in
# slices of 4 to 8 (``bench/throughput.py``'s leads: 9.1-9.5 ms against 11.5 at 32).
EMBED_SLICE = 8

# progress(stage, advance, total), as in ``synoptic.pipeline``.
Progress = Callable[[str, int, int | None], None]
Status = Literal["new", "duplicate", "revision", "existing"]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article went.

    Attributes:
        article_id: The article.
        status: ``new`` (placed), ``duplicate`` (placed as a copy, or as the new original of
            copies already stored), ``revision`` (a new version of a stored page, placed in
            its story in the place of the earlier version, or an earlier version stored
            behind the current one) or ``existing`` (already stored; nothing changed).
        story_id: Its story (``None`` for ``existing``).
        touched: Stories created or whose members changed.
        removed: Stories merged away.
    """

    article_id: str
    status: Status
    story_id: str | None = None
    touched: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(slots=True)
class IngestResult:
    """What an ingest run did, and every input it skipped with the reason."""

    new: int = 0
    duplicates: int = 0
    revisions: int = 0
    existing: int = 0
    problems: list[Problem] = field(default_factory=list)
    # The touched stories in first-touch order, as a dict's keys: a list would need a scan per
    # placement to skip the stories already in it (quadratic over a long ingest).
    _touched: dict[str, None] = field(default_factory=dict)

    @property
    def touched(self) -> list[str]:
        """Stories created or whose members changed, in first-touch order (merged-away ones
        left out)."""
        return list(self._touched)

    def record(self, placement: Placement) -> None:
        """Count one placement and keep the set of touched stories current."""
        if placement.status == "existing":
            self.existing += 1
            return
        self.new += 1
        if placement.status == "duplicate":
            self.duplicates += 1
        elif placement.status == "revision":
            self.revisions += 1
        for sid in placement.removed:
            self._touched.pop(sid, None)
        self._touched.update(dict.fromkeys(placement.touched))  # a known story keeps its place

    def line(self) -> str:
        """Return the one-line summary the CLI prints."""
        revised = f"{self.revisions} revised pages, " if self.revisions else ""
        return (
            f"{self.new} new articles, {self.duplicates} duplicates, {revised}"
            f"{len(self._touched)} stories touched ({self.existing} already stored)"
        )


def _noop(stage: str, advance: int, total: int | None) -> None:
    return None


@dataclass(frozen=True, slots=True)
class _Arrival:
    """A new article and the keys it is looked up and stored by."""

    article: Article
    seq: int
    now: datetime
    pts: float | None
    pday: int | None
    iday: int
    terms: Sequence[str]
    dkeys: Sequence[int]
    shingles: frozenset[str] = field(repr=False)


class Ingestor:
    """Adds articles to a store one transaction at a time.

    Args:
        store: The open store.
        settings: Placement knobs.
        clock: Returns the current time (UTC); tests pass a fixed clock.
        jobs: Cores the ingest may use: above 1, a batch's leads are embedded in a thread
            while the articles are placed (``_leads``).
    """

    def __init__(
        self,
        store: Store,
        settings: StoreSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
        jobs: int = 1,
    ) -> None:
        self.store = store
        self.jobs = jobs
        self.settings = settings or StoreSettings()
        self.clock = clock
        self.lookup = Lookup(self.settings)

    # -- public ------------------------------------------------------------------------------

    def add(self, article: Article) -> Placement:
        """Store ``article`` and place it in a story, in one transaction.

        An article already stored (same id) changes nothing. ``article.duplicate_of`` is
        ignored: copies are found against the store. Concurrent writers are serialised (a
        write lock on SQLite, an advisory lock on PostgreSQL), since placement reads what the
        previous placement wrote.
        """
        with self.store.session() as s:
            if self.store.dialect == "postgresql":
                # One placement at a time: SQLite's BEGIN IMMEDIATE does this for SQLite.
                s.execute(text("SELECT pg_advisory_xact_lock(7351747)"))
            if s.get(ArticleRow, article.id) is not None:
                return Placement(article.id, "existing")
            seq = int(s.scalar(select(func.max(ArticleRow.seq))) or 0) + 1
            return self._place(s, replace(article, duplicate_of=None), seq)

    def add_all(self, articles: Iterable[Article], progress: Progress = _noop) -> IngestResult:
        """Add articles in order, committing them in batches; return the counts.

        Each article is placed exactly as ``add`` places it, after the ones before it, so the
        stories do not depend on where batches start. A batch (``settings.batch`` articles, or
        those read within ``settings.batch_seconds``) shares one transaction, and its leads are
        embedded in one model call first. ``progress`` counts articles once their batch has
        committed: a killed run loses only articles it never reported as stored, and a rerun
        skips what was stored.
        """
        result = IngestResult()
        size, seconds = max(1, self.settings.batch), self.settings.batch_seconds
        for batch in _batches(articles, size, seconds):
            for placement in self.add_batch(batch):
                result.record(placement)
            progress("ingest", len(batch), None)
        return result

    def add_batch(self, articles: Sequence[Article]) -> list[Placement]:
        """Store and place ``articles`` in order, in one transaction (all or none commit)."""
        placements = []
        with self.store.session() as s, self._leads(articles) as ready:
            if self.store.dialect == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(7351747)"))
            # One look-up for the batch's stored ids, and one for the last sequence number:
            # each was a round trip per article.
            ids = list(dict.fromkeys(a.id for a in articles))
            stored = set(s.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(ids))))
            seq = int(s.scalar(select(func.max(ArticleRow.seq))) or 0)
            for i, article in enumerate(articles):
                if article.id in stored:
                    placements.append(Placement(article.id, "existing"))
                    continue
                ready(i)
                seq += 1
                stored.add(article.id)
                placements.append(self._place(s, replace(article, duplicate_of=None), seq))
        return placements

    @contextlib.contextmanager
    def _leads(self, articles: Sequence[Article]) -> Iterator[Callable[[int], None]]:
        """Embed the batch's leads ahead of placement; yield ``ready(i)``, which returns once
        article ``i``'s lead is embedded (the clusterer then finds it in the embedder's cache).

        With ``jobs`` > 1 a thread embeds the leads in slices of ``EMBED_SLICE``, in arrival
        order, while this one places the articles already embedded: onnxruntime runs without
        the GIL, so the model uses the second core while placement (SQL, clustering) uses the
        first. Otherwise one call embeds them all first (one model call and one cache write
        per batch, not per article).
        """
        embedder = self.store.context.embedder
        leads = [article_features(a).lead for a in articles]

        def embed(part: Sequence[str]) -> None:
            # A model that cannot load: the clusterer meets the same failure and reports it.
            with contextlib.suppress(ImportError, RuntimeError, OSError):
                embedder.encode(list(dict.fromkeys(part)))

        if self.jobs <= 1 or len(articles) <= EMBED_SLICE:
            if len(articles) > 1:
                embed(leads)
            yield lambda i: None
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="synoptic-leads") as pool:
            futures = [
                pool.submit(embed, leads[k : k + EMBED_SLICE])
                for k in range(0, len(leads), EMBED_SLICE)
            ]
            try:
                yield lambda i: futures[i // EMBED_SLICE].result()
            finally:
                for f in futures:
                    f.cancel()

    # -- one placement -------------------------------------------------------------------------

    def _arrival(self, art: Article, seq: int) -> _Arrival:
        now = self.clock()
        pts = parse_published(art.published)
        sh = shingles(art.text)
        return _Arrival(
            article=art,
            seq=seq,
            now=now,
            pts=pts,
            pday=day_of(pts) if pts is not None else None,
            iday=day_of(now.timestamp()),
            terms=index_terms(art),
            dkeys=dedup_keys(sh),
            shingles=sh,
        )

    def _place(self, s: Session, art: Article, seq: int) -> Placement:
        new = self._arrival(art, seq)
        self.lookup.remember(art)
        key = page_key(art)
        previous = self.lookup.current_version(s, key, art.id) if key else None
        original = None
        if previous is None:
            original = self.lookup.find_original(s, new.shingles, new.dkeys, new.pday, new.iday)
        removed: list[str] = []
        if previous is not None:
            status: Status = "revision"
            story_id, touched, appended = self._place_revision(s, new, previous)
        elif original is not None:
            status = "duplicate"
            story_id, touched, appended = self._place_copy(s, new, original)
        else:
            status = "new"
            story_id, touched, removed, appended = self._cluster_place(s, new)
        s.flush()
        now_ts = new.now.timestamp()
        clock_ts = stream_clock(s, now_ts)
        for sid in touched:
            refresh_story(
                s, sid, new.now, clock_ts, sid in appended, self.settings, self.lookup.articles
            )
        s.flush()
        close_quiet(s, now_ts, clock_ts, self.settings.window_days)
        return Placement(art.id, status, story_id, tuple(touched), tuple(removed))

    def _place_copy(
        self, s: Session, new: _Arrival, original: str
    ) -> tuple[str, list[str], set[str]]:
        """Store a copy in its original's story; it becomes the original if it ranks first."""
        orig = s.get(ArticleRow, original)
        assert orig is not None and orig.story_id is not None
        story_id = orig.story_id
        duplicate_of: str | None = original
        if original_rank(new.article) < original_rank(to_article(orig)):
            # The newcomer is the better original: the whole group points at it now.
            s.execute(
                update(ArticleRow)
                .where(or_(ArticleRow.id == original, ArticleRow.duplicate_of == original))
                .values(duplicate_of=new.article.id)
                .execution_options(synchronize_session=False)
            )
            duplicate_of = None
        self._insert(s, new, story_id, duplicate_of)
        return story_id, [story_id], ({story_id} if duplicate_of else set())

    def _place_revision(
        self, s: Session, new: _Arrival, previous: ArticleRow
    ) -> tuple[str, list[str], set[str]]:
        """Store a new version of a stored page in the page's story (``stories.identity``).

        The newer version (by publication time, else the later read) is the page's current
        one: the other versions point at it by ``superseded_by`` and the page's copies now
        copy it, so it takes the earlier version's place in the story and in its copy group.
        """
        story_id = previous.story_id
        assert story_id is not None
        if newer(to_article(previous), new.article):
            # A late read of an earlier version: stored behind the current one.
            self._insert(s, new, story_id, None, superseded_by=previous.id)
            return story_id, [story_id], set()
        page = or_(ArticleRow.id == previous.id, ArticleRow.superseded_by == previous.id)
        s.execute(
            update(ArticleRow)
            .where(page)
            .values(superseded_by=new.article.id)
            .execution_options(synchronize_session=False)
        )
        s.execute(
            update(ArticleRow)
            .where(ArticleRow.duplicate_of == previous.id)
            .values(duplicate_of=new.article.id)
            .execution_options(synchronize_session=False)
        )
        self._insert(s, new, story_id, previous.duplicate_of)
        return story_id, [story_id], set()

    def _insert(
        self,
        s: Session,
        new: _Arrival,
        story_id: str,
        duplicate_of: str | None,
        superseded_by: str | None = None,
    ) -> None:
        art = new.article
        row = article_row(art, new.seq, new.now, new.pts)
        values = {c.key: getattr(row, c.key) for c in ArticleRow.__table__.columns}
        values.update(story_id=story_id, duplicate_of=duplicate_of, superseded_by=superseded_by)
        s.execute(insert(ArticleRow).values(**values))
        keys = {"pday": new.pday, "iday": new.iday, "article_id": art.id}
        if new.terms:
            s.execute(insert(term_postings), [{"term": t, **keys} for t in new.terms])
        if new.dkeys:
            s.execute(insert(dedup_postings), [{"key": k, **keys} for k in new.dkeys])

    # -- steps 2-5: stories --------------------------------------------------------------------

    def _neighbourhood(
        self, s: Session, cands: Sequence[Candidate], art: Article, collection: int
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Partition ``art`` and the originals passed for the candidate stories.

        Returns the group of each at the clusterer's threshold, and at the looser distance a
        stored story must stay apart at to split (``split_margin``).
        """
        passed = [i for c in cands for i in c.passed]
        articles = [*self.lookup.articles(s, passed), art]
        if len(articles) == 1:
            return {art.id: 0}, {art.id: 0}
        tight, loose = cluster_cuts(
            articles,
            (THRESHOLD, THRESHOLD + self.settings.split_margin),
            embedder=self.store.context.embedder,
            collection=max(collection, len(articles)),
            # A neighbourhood holds only the candidate stories, so a fragment's margin over
            # "every other group" has nothing to beat: with one candidate, a museum reopening
            # joined a flood story at a link of 0.195. Placement here has its own rules
            # (widening, the tight and loose cuts).
            fragments=False,
        )
        return _group_of(tight), _group_of(loose)

    def _plan(self, s: Session, new: _Arrival) -> tuple[list[Candidate], Plan]:
        """Read the neighbourhood, cluster it (twice if a sample must be widened), place."""
        now_ts = new.now.timestamp()
        art = new.article
        probe = Probe(new.terms, new.pts, now_ts, new.pday, new.iday)
        cands = self.lookup.candidates(s, probe)
        collection = self.lookup.collection(s, new.pts, now_ts) if cands else 1
        tight, loose = self._neighbourhood(s, cands, art, collection)
        wide = set(to_widen(cands, tight, self.settings.widen))
        if wide:
            cands = [c.widened() if c.story_id in wide else c for c in cands]
            tight, loose = self._neighbourhood(s, cands, art, collection)
        return cands, place(cands, [Member(art.id, new.seq)], tight, loose)

    def _cluster_place(
        self, s: Session, new: _Arrival
    ) -> tuple[str, list[str], list[str], set[str]]:
        """Place ``new`` with its candidate stories and apply the merges and splits.

        Returns:
            The article's story, the stories touched, the stories merged away, and the
            touched stories that only gained the article (their earliest members unchanged).
        """
        _, plan = self._plan(s, new)
        # A story merged away keeps answering: remember its members to redirect to theirs.
        merged = members_of(s, plan.removed) if plan.removed else {}
        # Whole stories first: no part is ever moved into a story that moves whole.
        for story in plan.stories:
            for old in story.absorbs:
                s.execute(
                    update(ArticleRow)
                    .where(ArticleRow.story_id == old)
                    .values(story_id=story.story_id)
                    .execution_options(synchronize_session=False)
                )
        for story in plan.stories:
            if story.moves:
                s.execute(
                    update(ArticleRow)
                    .where(ArticleRow.id.in_(list(story.moves)))
                    .values(story_id=story.story_id)
                    .execution_options(synchronize_session=False)
                )
        story_id = plan.placed[new.article.id]
        self._insert(s, new, story_id, None)
        for sid in plan.removed:
            redirect_merged(s, sid, merged.get(sid, []), new.now)
            delete_story(s, sid)
        return story_id, plan.touched, list(plan.removed), plan.appended


def _batches(items: Iterable[Article], size: int, seconds: float) -> Iterator[list[Article]]:
    """Cut ``items`` into lists of at most ``size``, or what arrived within ``seconds``."""
    batch: list[Article] = []
    start = time.monotonic()
    for item in items:
        if not batch:
            start = time.monotonic()
        batch.append(item)
        if len(batch) >= size or time.monotonic() - start >= seconds:
            yield batch
            batch = []
    if batch:
        yield batch


def _group_of(groups: Sequence[Sequence[Article]]) -> dict[str, int]:
    return {m.id: gi for gi, g in enumerate(groups) for m in g}


def _no_fetcher() -> Fetcher:
    from synoptic.fetch import Fetcher, FetchSettings

    return Fetcher(FetchSettings())


def extracted(
    paths: Sequence[str],
    problems: list[Problem],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    follow_symlinks: bool = False,
    fetcher: Callable[[], Fetcher] | None = None,
    jobs: int = 1,
    outlets_file: Path | None = None,
    seconds: float | None = INPUT_SECONDS,
) -> Iterator[Article]:
    """Read and extract inputs as a stream (the CLI's stages), recording bad ones.

    Each input's extraction has a budget of ``seconds`` (``E306`` past it).

    URLs among ``paths`` are fetched with ``fetcher()`` (the store context's when omitted).
    ``jobs`` > 1 extracts in that many worker processes (loading ``outlets_file``, the run's
    outlet registry) while the caller places articles.
    """
    options = ReadOptions(max_bytes=max_bytes, follow_symlinks=follow_symlinks)
    fetch = fetcher if fetcher is not None else _no_fetcher
    items = read_sources(paths, fetcher=fetch, options=options, stdin=stdin)
    for item, outcome in extract_each(items, jobs, outlets_file, seconds):
        if isinstance(outcome, Article):
            yield outcome
        else:
            # The input's own problem (unreadable), or its extraction's.
            extract_all([outcome or item], policy=policy, problems=problems)


def ingest_paths(
    store: Store,
    paths: Sequence[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    policy: ErrorPolicy = ErrorPolicy.RECORD,
    settings: StoreSettings | None = None,
    clock: Callable[[], datetime] = utcnow,
    progress: Progress = _noop,
    briefs: bool = False,
    follow_symlinks: bool = False,
    jobs: int = 1,
) -> IngestResult:
    """Read inputs and add every article to the store, in committed batches (``settings.batch``).

    Args:
        store: The open store.
        paths: Files, folders (read recursively) and ``-`` for standard input.
        max_bytes: Inputs larger than this are skipped.
        stdin: Stream read for ``-``.
        policy: What to do with bad input (record it, skip it silently, or raise).
        settings: Placement knobs.
        clock: The ingest clock.
        progress: Called once per article stored.
        briefs: Rebuild every stale brief afterwards, the touched stories' and any a killed
            run left (else ``show`` builds them when first asked); a story whose brief fails
            is an ``E301`` problem. Models and caches are the store's context's
            (``Store(context=...)``).
        follow_symlinks: Let folder walks follow symbolic links out of the folder named.
        jobs: Extraction processes (``synoptic.jobs``); placement stays in this process, and
            above 1 embeds leads in a thread beside it (``Ingestor``).

    Returns:
        The counts, the touched stories and the problems met (each also handed to the store
        context's ``on_problem`` as it is met).
    """
    problems = store.context.problem_list()
    ingestor = Ingestor(store, settings, clock, jobs)
    articles = extracted(
        paths,
        problems,
        max_bytes=max_bytes,
        stdin=stdin,
        policy=policy,
        follow_symlinks=follow_symlinks,
        fetcher=lambda: store.context.fetcher,
        jobs=jobs,
        outlets_file=store.context.settings.outlets_file,
        seconds=store.context.settings.input_seconds,
    )
    result = ingestor.add_all(articles, progress)
    result.problems = problems
    if briefs:
        # Every stale brief, not only the touched ones: a run killed in its brief phase left
        # some, and this rerun (even with nothing new) is what rebuilds them.
        stale = stale_briefs(store)
        if stale:
            progress("briefs", 0, len(stale))
            store.refresh_briefs(stale, problems=problems, policy=policy)
            progress("briefs", len(stale), len(stale))
    return result


__all__ = [
    "IngestResult",
    "Ingestor",
    "Placement",
    "StoreSettings",
    "extracted",
    "ingest_paths",
]
