"""Incremental ingest: idempotence, copies, windows, merges and splits, and split ingests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest

import synoptic.store.ingest as store_ingest
from synoptic.ingest import read_inputs
from synoptic.model import Article
from synoptic.pipeline import extract_all
from synoptic.store import Ingestor, Store, StoreSettings, ingest_paths
from test_cluster import FLOOD
from test_store_fixtures import EXAMPLES, SHARED, Db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

DAM = (
    "Engineers at the Velmar dam opened the spillway on Tuesday after heavy rain in the Oska "
    "valley. Governor Aurel Stanek ordered the evacuation of Dravik and Kellen, and about "
    "8,000 residents left their homes. The Velmar reservoir rose two metres overnight, the "
    "Oska water authority said."
)
DAM_2 = (
    "Residents of Dravik returned home on Thursday as the Velmar reservoir fell. Governor "
    "Aurel Stanek said the Velmar dam spillway held and the Oska water authority would "
    "inspect the dam wall. Kellen schools reopen next week."
)
MUSEUM = (
    "The Tide and Time Museum in Port Amsel reopened on Saturday after a six-year "
    "restoration. Curator Liv Halvorsen said more than 4,000 visitors queued to see the "
    "restored harbour clocks, the museum's oldest exhibit."
)
WIRE = (
    "Farmers in the Oska valley began counting losses on Friday after floodwater from the "
    "Velmar reservoir covered fields around Tarsk and Hollin. The regional farm union said "
    "about 2,300 hectares of maize and sunflower were under water and that most of the harvest "
    "was lost. Union chair Mila Orsen asked the ministry for emergency payments before winter. "
    "Insurers said claims would take weeks to assess because many fields were still flooded. "
    "The agriculture ministry promised an answer within ten days."
)

pytest_plugins = ["test_store_fixtures"]


def make(
    text: str,
    title: str | None = None,
    *,
    outlet: str | None = None,
    published: str | None = None,
    source: str | None = None,
) -> Article:
    """A hand-made article with a content-derived id, as extraction would give it."""
    return Article(
        id=Article.make_id(text, outlet, None, title),
        source=source or f"mem/{(title or text)[:12]}",
        text=text,
        outlet=outlet,
        title=title,
        published=published,
    )


def fixed(now: datetime = NOW) -> Callable[[], datetime]:
    return lambda: now


def partition(s: Store) -> list[tuple[str, ...]]:
    return sorted(tuple(v["members"]) for v in s.snapshot()["stories"].values())


def test_store_ingest_twice_changes_nothing(store: Store) -> None:
    ing = Ingestor(store, clock=fixed())
    arts = [make(DAM, "Velmar spillway opened"), make(MUSEUM, "Museum reopens")]
    first = ing.add_all(arts)
    assert (first.new, first.existing, len(first.touched)) == (2, 0, 2)
    before = store.snapshot()
    again = Ingestor(store, clock=fixed(NOW + timedelta(hours=1))).add_all(arts)
    assert (again.new, again.existing, again.touched) == (0, 2, [])
    assert store.snapshot() == before
    assert store.verify() == []


def test_store_examples_two_halves_equal_at_once(db: Db) -> None:
    whole = db.open()
    if whole.count_articles():
        pytest.fail("fresh database expected")
    at_once = ingest_paths(whole, [str(EXAMPLES)], clock=fixed())
    assert at_once.problems == [] and at_once.new == 9
    expected = whole.snapshot()
    whole.close()
    assert sorted(len(v["members"]) for v in expected["stories"].values()) == [2, 7]

    # The same inputs in two runs, each opening the store afresh (as two processes would).
    def reopen() -> Store:
        if db.schema is None:
            return Store(db.url.replace("store.db", "halves.db"))
        return Store(db.url, schema=db.schema + "_h")

    halves = reopen()
    try:
        ingest_paths(halves, [str(EXAMPLES / "dam")], clock=fixed())
        halves.close()
        halves = reopen()
        second = ingest_paths(
            halves, [str(EXAMPLES / "feeds"), str(EXAMPLES / "museum")], clock=fixed()
        )
        assert second.new == 3
        assert halves.snapshot() == expected
        assert halves.verify() == []
    finally:
        if db.schema is not None:
            with halves.engine.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{db.schema}_h" CASCADE')
        halves.close()


def _examples() -> list[Article]:
    return extract_all(read_inputs([str(EXAMPLES)]))


def test_store_examples_any_order_same_stories(sqlite_db: Db) -> None:
    arts = _examples()
    results = []
    for n, order in enumerate((arts, arts[5:] + arts[:5], arts[::-1])):
        s = Store(sqlite_db.url.replace("store.db", f"order{n}.db"))
        Ingestor(s, clock=fixed()).add_all(order)
        assert s.verify() == []
        snap = s.snapshot()
        results.append((partition(s), {k: v["duplicate_of"] for k, v in snap["articles"].items()}))
        s.close()
    assert results[0] == results[1] == results[2]
    stories, copies = results[0]
    assert sorted(map(len, stories)) == [2, 7]
    # The wire text is carried twice; the longer (with its local paragraph) is the original.
    assert sum(1 for v in copies.values() if v) == 1


def test_store_leads_embedded_beside_placement_same_stories(sqlite_db: Db) -> None:
    # jobs=2 embeds the batch's leads in a thread, 8 at a time, while placement goes on: the
    # 9 examples span two slices, and the stores must come out identical.
    arts = _examples()
    snaps = []
    for jobs in (1, 2):
        s = Store(sqlite_db.url.replace("store.db", f"jobs{jobs}.db"))
        result = Ingestor(s, clock=fixed(), jobs=jobs).add_all(arts + arts[:2])
        assert (result.new, result.existing) == (9, 2)
        assert s.verify() == []
        snaps.append(s.snapshot())
        s.close()
    assert snaps[0] == snaps[1]
    assert sorted(len(v["members"]) for v in snaps[1]["stories"].values()) == [2, 7]


def test_store_copy_original_does_not_depend_on_arrival(store: Store) -> None:
    original = make(WIRE, "Farmers count flood losses", outlet="MPA", published="2025-02-01")
    trimmed = WIRE.rsplit(" Insurers", 1)[0]
    copy = make(trimmed, "Flood ruins Oska harvest", outlet="Kellen Herald", published="2025-02-02")
    ing = Ingestor(store, clock=fixed())
    first = ing.add(copy)
    second = ing.add(original)
    assert first.status == "new" and second.status == "duplicate"
    snap = store.snapshot()["articles"]
    assert snap[copy.id]["duplicate_of"] == original.id
    assert snap[original.id]["duplicate_of"] is None
    assert snap[copy.id]["story"] == snap[original.id]["story"]
    assert store.verify() == []


def test_store_undated_article_joins_dated_story(store: Store) -> None:
    ing = Ingestor(store, clock=fixed(datetime(2026, 6, 1, tzinfo=UTC)))
    dated = ing.add(make(DAM, "Velmar spillway opened", published="2024-10-15T06:00:00+02:00"))
    undated = ing.add(make(DAM_2, "Dravik residents return"))
    other = ing.add(make(MUSEUM, "Museum reopens"))
    assert undated.story_id == dated.story_id != other.story_id
    (row,) = [s for s in store.list_stories() if s.id == dated.story_id]
    # Seen times are publication times when a member is dated.
    assert row.first_seen.startswith("2024-10-15") and row.articles == 2


def test_store_quiet_story_closes_and_takes_nothing_new(store: Store) -> None:
    now = [datetime(2025, 1, 1, 9, tzinfo=UTC)]
    ing = Ingestor(store, StoreSettings(window_days=7), clock=lambda: now[0])
    early = ing.add(make(DAM, "Velmar spillway opened", published="2025-01-01T08:00:00Z"))
    now[0] = datetime(2025, 1, 20, 9, tzinfo=UTC)
    ing.add(make(MUSEUM, "Museum reopens", published="2025-01-20T08:00:00Z"))
    closed = {s.id: s.closed for s in store.list_stories()}
    assert closed[early.story_id] is True
    late = ing.add(make(DAM_2, "Dravik residents return", published="2025-01-20T10:00:00Z"))
    assert late.story_id != early.story_id
    assert {s.id: s.closed for s in store.list_stories()}[late.story_id] is False
    assert store.verify() == []


Cuts = Callable[..., list[list[list[Article]]]]


def _labelled(labels: dict[str, str], loose: dict[str, str] | None = None) -> Cuts:
    """A stand-in ``cluster_cuts`` grouping by a label per article id (to drive merges and
    splits): ``labels`` at the clusterer's threshold, ``loose`` (default: the same) at the
    looser cut a stored story must stay apart at to split."""

    def by(table: dict[str, str], articles: Sequence[Article]) -> list[list[Article]]:
        groups: dict[str, list[Article]] = {}
        for a in articles:
            if a.duplicate_of is None:
                groups.setdefault(table[a.id], []).append(a)
        return list(groups.values())

    def cluster(
        articles: Sequence[Article], thresholds: Sequence[float], **_: object
    ) -> list[list[list[Article]]]:
        assert len(thresholds) == 2 and thresholds[0] < thresholds[1]
        return [by(labels, articles), by(labels if loose is None else loose, articles)]

    return cluster


def test_store_merge_keeps_older_id_and_split_restores(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    a1 = make(DAM, "Velmar spillway opened")
    a2 = make(DAM_2, "Dravik residents return")
    a3 = make(
        "Kellen bridge stays shut while the Velmar dam is inspected. Governor Aurel Stanek "
        "visited Dravik shelters on Wednesday.",
        "Velmar evacuation continues",
    )
    a4 = make(
        "The Oska valley counts losses. Dravik shops stayed shut and the Velmar dam operator "
        "promised a report to Governor Aurel Stanek.",
        "Dravik counts losses",
    )
    labels = {a1.id: "x", a2.id: "y"}
    monkeypatch.setattr(store_ingest, "cluster_cuts", _labelled(labels))
    ing = Ingestor(store, clock=fixed())
    p1, p2 = ing.add(a1), ing.add(a2)
    assert p1.story_id == "s" + a1.id[1:] and p2.story_id == "s" + a2.id[1:]

    labels.update({a2.id: "x", a3.id: "x"})  # the clusterer now joins the two stories
    p3 = ing.add(a3)
    assert p3.story_id == p1.story_id and p3.removed == (p2.story_id,)
    assert partition(store) == [tuple(sorted([a1.id, a2.id, a3.id]))]

    labels.update({a2.id: "y", a4.id: "x"})  # ... and now separates a2 again
    p4 = ing.add(a4)
    assert p4.story_id == p1.story_id
    assert set(p4.touched) == {p1.story_id, p2.story_id}
    assert partition(store) == sorted([tuple(sorted([a1.id, a3.id, a4.id])), (a2.id,)])
    assert store.verify() == []


# Reports sharing the names the term index keys candidates by (Velmar, Aurel Stanek), each in
# its own words so that none is a copy of another.
VELMAR = [
    "Velmar engineers opened two spillway gates before dawn. Aurel Stanek watched from the dam.",
    "Aurel Stanek said the Velmar reservoir would be drawn down slowly over a fortnight.",
    "Schools near Velmar stayed shut while Aurel Stanek met the water authority at noon.",
    "A ferry on the Velmar lake stopped running; Aurel Stanek promised the crews back pay.",
    "Velmar farmers asked Aurel Stanek for sandbags as the river crept toward their barns.",
]


def _two_stories(
    store: Store, monkeypatch: pytest.MonkeyPatch, settings: StoreSettings
) -> tuple[Ingestor, list[Article], dict[str, str]]:
    """Story X of three originals (sampled at ``sample=2``) and story Y of one."""
    x1, x2, x3, y1, new = (make(t) for t in VELMAR)
    labels = {x1.id: "x", x2.id: "x", x3.id: "x", y1.id: "y", new.id: "y"}
    monkeypatch.setattr(store_ingest, "cluster_cuts", _labelled(labels))
    ing = Ingestor(store, settings, clock=fixed())
    for a in (x1, x2, x3, y1):
        ing.add(a)
    assert partition(store) == sorted([tuple(sorted([x1.id, x2.id, x3.id])), (y1.id,)])
    return ing, [x1, x2, x3, y1, new], labels


def test_store_sampled_story_goes_whole_to_its_sample_majority(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clusterer now puts X's later members with Y. X is sampled (founder and one more)
    # and may not be widened, so it stays whole where its founder's group is; the stray
    # member must not glue X to Y (which uniting every group a sample touches did).
    ing, (x1, x2, x3, y1, new), labels = _two_stories(
        store, monkeypatch, StoreSettings(sample=2, widen=0)
    )
    labels.update({x2.id: "y", x3.id: "y"})
    placed = ing.add(new)
    assert placed.removed == ()
    assert partition(store) == sorted(
        [tuple(sorted([x1.id, x2.id, x3.id])), tuple(sorted([y1.id, new.id]))]
    )
    assert store.verify() == []


def test_store_split_sample_is_widened_and_the_story_splits(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same evidence, but X may be passed in full: the clusterer then sees all of X and the
    # store adopts its partition, splitting X and joining the part with Y.
    ing, (x1, x2, x3, y1, new), labels = _two_stories(
        store, monkeypatch, StoreSettings(sample=2, widen=64)
    )
    labels.update({x2.id: "y", x3.id: "y"})
    placed = ing.add(new)
    assert partition(store) == sorted([(x1.id,), tuple(sorted([x2.id, x3.id, y1.id, new.id]))])
    # The part holding X's founder keeps X's id; the other is named after its earliest member.
    assert placed.story_id == "s" + x2.id[1:]
    assert "s" + x1.id[1:] in {st.id for st in store.list_stories()}
    assert store.verify() == []


def test_store_marginal_split_keeps_the_story_and_joins_its_groups(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # X = {x1, x2} and Y = {y1}. The clusterer now puts x2 with Y and the newcomer and leaves
    # x1 alone, but only just: at the looser cut all are one group. X is not split on such
    # evidence, and the groups its parts fell into are joined through it (the old placement
    # split x1 off, leaving it a fragment of one).
    x1, x2, y1, new = (make(t) for t in VELMAR[:4])
    labels = {x1.id: "x", x2.id: "x", y1.id: "y"}
    loose = dict(labels)
    monkeypatch.setattr(store_ingest, "cluster_cuts", _labelled(labels, loose))
    ing = Ingestor(store, clock=fixed())
    for a in (x1, x2, y1):
        ing.add(a)
    assert partition(store) == sorted([tuple(sorted([x1.id, x2.id])), (y1.id,)])

    labels.update({x2.id: "y", new.id: "y"})
    loose.update({x1.id: "all", x2.id: "all", y1.id: "all", new.id: "all"})
    placed = ing.add(new)
    assert partition(store) == [tuple(sorted([x1.id, x2.id, y1.id, new.id]))]
    assert placed.story_id == "s" + x1.id[1:] and placed.removed == ("s" + y1.id[1:],)
    assert store.verify() == []


# An early report of the Velmar flood, mostly background, that names the event only in passing
# (as first reports of an event that is still unfolding do), then four fuller reports of it.
EARLY = (
    "Ferry captain Ivo Brant tied up at Lusk pier and said the Marrow bridge had not moved since "
    "the storm of 1998. At the Quell bakery, owner Pia Sandor handed out bread to drivers "
    "queuing on the Fenwick road past Orbec. Volunteers from the Corrin scout troop filled "
    "sandbags in the yard of the old Halden brewery until midnight. Teacher Rosa Vint kept the "
    "Amberly school open for families who had nowhere else to sleep near Cossel. Trucks from "
    "the Selwyn quarry carried gravel to shore up the levee at Pinder ford, foreman Ned Arlo "
    "said. Nurses at Saint Oriel clinic in Wexby moved patients upstairs, matron Gail Dorsey "
    "told the Morrow Gazette. Water poured over the Velmar spillway as Aurel Stanek ordered "
    "Dravik emptied."
)
# The same four fuller reports as the clusterer's test of an early report.
LATER = FLOOD
TOWNS = [
    "Arvik",
    "Belcor",
    "Cendra",
    "Dolmen",
    "Eskar",
    "Farrow",
    "Gullan",
    "Hethel",
    "Istria",
    "Jorvan",
    "Kemble",
    "Lorath",
    "Mirren",
    "Norwick",
    "Orsay",
    "Pellam",
    "Quarle",
    "Rostov",
    "Sallow",
    "Tamsin",
    "Ulden",
    "Varro",
    "Wendel",
    "Xanth",
    "Yarrow",
    "Zeller",
    "Abbot",
    "Brisk",
    "Corran",
    "Delft",
]
PLACES = [
    "library",
    "bridge",
    "school",
    "market",
    "park",
    "clinic",
    "harbour",
    "stadium",
    "museum",
    "depot",
]
PEOPLE = [
    "Ana Holm",
    "Bo Carse",
    "Cai Dunne",
    "Dara Fenn",
    "Eli Grott",
    "Fay Hurst",
    "Gus Ines",
    "Hal Jory",
    "Ida Kell",
    "Jon Lusk",
]


def test_store_early_report_stays_with_its_event_as_reports_arrive(store: Store) -> None:
    # Other news of the week fills the window, as it would. The early report and the first
    # fuller one are placed together; each later report must leave it there, as batch
    # clustering of the neighbourhood at the collection's scale does. The old placement split
    # it off at the second fuller report and left it a story of its own.
    ing = Ingestor(store, clock=fixed())
    for i, town in enumerate(TOWNS):
        place = PLACES[i % len(PLACES)]
        ing.add(
            make(
                f"The {town} council opened a new {place} on Monday. {PEOPLE[i % len(PEOPLE)]} "
                f"of {town} said {100 + 37 * i} people came to see the {place}."
            )
        )
    early = ing.add(make(EARLY))
    later = [ing.add(make(t)) for t in LATER]
    members = store.snapshot()["stories"][later[-1].story_id]["members"]
    assert early.article_id in members and len(members) == 5
    assert store.verify() == []


def test_store_verify_reports_broken_counts(store: Store) -> None:
    Ingestor(store, clock=fixed()).add(make(DAM, "Velmar spillway opened"))
    assert store.verify() == []
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE stories SET article_count = 5")
    assert any("article_count" in p for p in store.verify())


def test_store_seeds_make_one_story_of_five_outlets(sqlite_db: Db) -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"shared seeds not found at {seeds}")
    s = sqlite_db.open()
    result = ingest_paths(s, [str(seeds)])
    assert result.new == 5 and result.problems == []
    (story,) = s.list_stories()
    # The seeds name no outlet: each counts by its source file.
    assert (story.outlets, story.articles) == (5, 5)


def test_store_ingest_result_keeps_touched_stories_in_first_touch_order() -> None:
    P = store_ingest.Placement
    result = store_ingest.IngestResult()
    for placement in (
        P("a1", "new", "s1", ("s1",)),
        P("a2", "new", "s2", ("s2",)),
        P("a3", "existing"),
        P("a4", "duplicate", "s1", ("s1",)),  # s1 again: it keeps its place
        P("a5", "new", "s3", ("s3", "s1")),
        P("a6", "new", "s1", ("s1",), removed=("s2",)),  # s2 merged into s1: gone
        P("a7", "revision", "s2", ("s2",)),  # a story id touched after its removal: last
    ):
        result.record(placement)
    assert result.touched == ["s1", "s3", "s2"]
    assert (result.new, result.duplicates, result.revisions, result.existing) == (6, 1, 1, 1)
    assert result.line() == (
        "6 new articles, 1 duplicates, 1 revised pages, 3 stories touched (1 already stored)"
    )
