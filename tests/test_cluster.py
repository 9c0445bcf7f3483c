"""Story grouping: auto (by content and time), per-dir and one."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from synoptic import cluster
from synoptic.analyze.embed import Embedder
from synoptic.cluster import article_features, article_terms, choose_headline, similarity
from synoptic.model import Article

# The run's embedder, as the CLI passes it: the clusterer never builds one of its own.
EMBEDDER = Embedder()


def cluster_auto(articles: Any, **kw: Any) -> Any:
    """``cluster.cluster_auto`` with the run's embedder."""
    return cluster.cluster_auto(articles, **{"embedder": EMBEDDER, **kw})


def cluster_cuts(articles: Any, *args: Any, **kw: Any) -> Any:
    """``cluster.cluster_cuts`` with the run's embedder."""
    return cluster.cluster_cuts(articles, *args, **{"embedder": EMBEDDER, **kw})


def group_articles(articles: Any, policy: Any, **kw: Any) -> Any:
    """``cluster.group_articles`` with the run's embedder."""
    return cluster.group_articles(articles, policy, **{"embedder": EMBEDDER, **kw})


SHARED = Path(__file__).parents[1].parent / "shared"

DAM = [
    "Engineers opened the spillway of the Ostrava dam after heavy rain raised the reservoir. "
    "Governor Tomas Brandt ordered the evacuation of three villages below the dam.",
    "Residents below the Ostrava dam were evacuated as the reservoir rose. Engineers opened "
    "the spillway gates, and Governor Brandt said the evacuation would last two days.",
    "The reservoir behind the Ostrava dam reached a record level. The evacuation of villages "
    "ordered by Governor Brandt continued while engineers watched the spillway.",
]
MUSEUM = [
    "The city museum opened its new wing of modern sculpture to visitors on Saturday. "
    "The director, Lena Hofer, said the wing doubles the museum's exhibition space.",
    "Visitors queued for the opening of the museum's sculpture wing on Saturday. Director "
    "Lena Hofer thanked the architects of the new wing.",
]
# Two earthquakes: the same kind of event in the same words, told apart by places and numbers.
QUAKE_NORTH = [
    "A magnitude 6.1 earthquake struck near Tarsk in northern Veldia on Tuesday, killing 14 "
    "people and destroying homes. Mayor Ilse Graven said rescuers were searching the rubble.",
    "Rescuers in Tarsk searched collapsed buildings after a 6.1 magnitude quake killed 14 "
    "people. Veldia's mayor of Tarsk, Ilse Graven, asked for tents and blankets.",
    "The death toll from the Tarsk earthquake rose to 14, Mayor Graven said. The 6.1 quake "
    "destroyed homes across northern Veldia and rescuers worked through the night.",
]
QUAKE_SOUTH = [
    "A magnitude 5.4 earthquake hit the port city of Marabel in Osteria on Friday, killing "
    "three people. Governor Paulo Dentes said rescuers were searching damaged buildings.",
    "Three people died when a 5.4 magnitude quake shook Marabel. Osteria's governor, Paulo "
    "Dentes, said rescuers had cleared most of the damaged buildings in the port.",
    "Rescuers in Marabel finished searching damaged homes after the 5.4 earthquake killed "
    "three people, Governor Dentes said, and the port of Osteria reopened.",
]
# One event reported in different words: what they share is the names and the figure.
PARAPHRASES = [
    "Harlow Rail cancelled all trains between Brenmouth and Calder on Monday after a signal "
    "fire at Calder junction, stranding about 9,000 commuters.",
    "Commuters between Brenmouth and Calder were left stranded on Monday: a blaze in the "
    "signalling equipment at Calder junction forced Harlow Rail to halt every service.",
    "Some 9,000 travellers could not get home after Harlow Rail stopped its Brenmouth to "
    "Calder line because fire had damaged signals at the Calder junction.",
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep embedding caches written by these tests out of the user's cache."""
    monkeypatch.setenv("SYNOPTIC_CACHE_DIR", str(tmp_path / "cache"))


def _art(
    i: int, text: str, group: str, title: str | None = None, date: str | None = None
) -> Article:
    return Article(
        id=f"a{i}", source=f"{group}/{i}.txt", text=text, group=group, title=title, published=date
    )


def _corpus() -> list[Article]:
    arts = [_art(i, t, "dam") for i, t in enumerate(DAM)]
    arts += [_art(10 + i, t, "museum") for i, t in enumerate(MUSEUM)]
    return arts


def _quakes() -> list[Article]:
    arts = [_art(20 + i, t, "north") for i, t in enumerate(QUAKE_NORTH)]
    arts += [_art(30 + i, t, "south") for i, t in enumerate(QUAKE_SOUTH)]
    return arts


def _partition(groups: list[list[Article]]) -> list[list[str]]:
    return sorted(sorted(a.id for a in g) for g in groups)


def test_cluster_auto_separates_unrelated_stories() -> None:
    stories = group_articles(_corpus(), "auto")
    groups = sorted(sorted(a.id for a in s.articles) for s in stories)
    assert groups == [["a0", "a1", "a2"], ["a10", "a11"]]


def test_cluster_two_similar_events_kept_apart_by_names() -> None:
    arts = _quakes()
    for embed in (True, False):
        assert _partition(cluster_auto(arts, embed=embed)) == [
            ["a20", "a21", "a22"],
            ["a30", "a31", "a32"],
        ]
    # The shared topic words alone would not do it: the names view is what separates them.
    sim = similarity(arts, embed=False, neighbours=0)
    same = min(sim[0, 1], sim[0, 2], sim[3, 4], sim[3, 5])
    assert same > 2 * max(sim[i, j] for i in range(3) for j in range(3, 6))


def test_cluster_paraphrased_reports_of_one_event_join() -> None:
    arts = [_art(40 + i, t, "rail") for i, t in enumerate(PARAPHRASES)]
    arts += _corpus()
    groups = _partition(cluster_auto(arts))
    assert ["a40", "a41", "a42"] in groups
    assert ["a10", "a11"] in groups


def test_cluster_undated_articles_cluster_with_dated_ones() -> None:
    arts = _quakes()
    arts[0] = replace(arts[0], published="2024-03-05")
    arts[4] = replace(arts[4], published="2024-03-08T10:00:00+01:00")
    assert _partition(cluster_auto(arts)) == [["a20", "a21", "a22"], ["a30", "a31", "a32"]]
    undated = [replace(a, published=None) for a in _corpus()]
    assert _partition(cluster_auto(undated)) == [["a0", "a1", "a2"], ["a10", "a11"]]


def test_cluster_is_independent_of_input_order() -> None:
    arts = _quakes() + _corpus() + [_art(40 + i, t, "rail") for i, t in enumerate(PARAPHRASES)]
    arts[1] = replace(arts[1], published="2024-03-05")
    expected = _partition(cluster_auto(arts))
    assert len(expected) == 5
    rng = random.Random(7)
    for _ in range(4):
        shuffled = arts[:]
        rng.shuffle(shuffled)
        groups = cluster_auto(shuffled)
        assert _partition(groups) == expected
        # Listed in order of first appearance in the input.
        position = {a.id: i for i, a in enumerate(shuffled)}
        firsts = [position[g[0].id] for g in groups]
        assert firsts == sorted(firsts)
        assert all([position[a.id] for a in g] == sorted(position[a.id] for a in g) for g in groups)


def test_cluster_time_window_separates_far_apart_reports() -> None:
    # One council, one councillor, two decisions five weeks apart: alike, but two events.
    first = [
        "The Dunmore council approved the 2025 budget on Tuesday after a long debate. "
        "Councillor Ada Reyes said the vote kept bus fares frozen.",
        "Dunmore councillors voted through the budget for 2025 on Tuesday. Ada Reyes said "
        "bus fares would stay frozen.",
    ]
    second = [
        "The Dunmore council approved a plan to repair roads on Thursday. Councillor Ada "
        "Reyes said crews would start work in the spring.",
        "Road repairs in Dunmore will begin in the spring after councillors approved the plan "
        "on Thursday, Ada Reyes said.",
    ]
    undated = [_art(50 + i, t, "council") for i, t in enumerate(first + second)]
    council = ["a50", "a51", "a52", "a53"]
    # Without dates the four reports read as one story...
    assert council in _partition(cluster_auto([*undated, *_corpus()]))
    days = ["2024-11-05", "2024-11-06", "2024-12-12", "2024-12-12"]
    dated = [replace(a, published=d) for a, d in zip(undated, days, strict=True)]
    # ...five weeks apart they are two: a story that got nothing new for a window is closed.
    groups = _partition(cluster_auto([*dated, *_corpus()]))
    assert ["a50", "a51"] in groups and ["a52", "a53"] in groups
    assert council in _partition(cluster_auto([*dated, *_corpus()], window_days=60))
    # A story that spans days is not cut: reports four days apart chain within the window.
    spanning = [replace(a, published=f"2024-11-{5 + 4 * i:02d}") for i, a in enumerate(undated)]
    assert council in _partition(cluster_auto([*spanning, *_corpus()]))


def test_cluster_very_similar_reports_join_across_the_window() -> None:
    text = DAM[0]
    arts = [
        _art(60, text, "dam", date="2024-01-02"),
        _art(61, text + " The spillway stayed open.", "dam", date="2024-03-01"),
        *[_art(10 + i, t, "museum") for i, t in enumerate(MUSEUM)],
    ]
    assert ["a60", "a61"] in _partition(cluster_auto(arts, embed=False))


def test_cluster_duplicates_follow_their_original() -> None:
    arts = _corpus()
    copy = replace(arts[0], id="dup", source="other/x.txt", group="other", duplicate_of="a0")
    for policy in ("auto", "per-dir"):
        stories = group_articles([*arts, copy], policy)  # type: ignore[arg-type]
        home = next(s for s in stories if any(a.id == "a0" for a in s.articles))
        assert any(a.id == "dup" for a in home.articles)
        assert len(stories) == 2
    # A copy never takes part in the clustering itself, wherever it sits in the input.
    groups = cluster_auto([copy, *arts])
    assert _partition(groups) == [["a0", "a1", "a2", "dup"], ["a10", "a11"]]


def test_cluster_per_dir_and_one() -> None:
    arts = _corpus()
    assert len(group_articles(arts, "one")) == 1
    per_dir = group_articles(arts, "per-dir")
    assert {len(s.articles) for s in per_dir} == {3, 2}


def test_cluster_is_deterministic_and_orders_by_date() -> None:
    arts = _corpus()
    arts[2] = replace(arts[2], published="2025-03-03")
    arts[1] = replace(arts[1], published="2025-03-04")
    first = group_articles(arts, "auto")
    assert first == group_articles(arts, "auto")
    dam = next(s for s in first if len(s.articles) == 3)
    assert [a.id for a in dam.articles] == ["a2", "a1", "a0"]


def test_cluster_small_inputs() -> None:
    assert cluster_auto([]) == []
    one = _corpus()[:1]
    assert cluster_auto(one) == [one]
    assert group_articles([], "auto") == []


def test_cluster_headline_prefers_a_title_then_first_line() -> None:
    arts = _corpus()[:3]
    long = _art(5, "word " * 60 + "end.\nSecond paragraph.", "dam")
    headline = choose_headline([long])
    assert len(headline) <= 120 and headline.endswith("…") and long.text.startswith(headline[:-1])
    titled = [replace(arts[1], title="Dam spillway opened"), arts[0], arts[2]]
    assert choose_headline(titled) == "Dam spillway opened"


def test_cluster_features_find_names_numbers_and_dates() -> None:
    text = (
        "Police said the fire began at the Old Mill in Kestrel Bay on May 3.\n"
        "Kestrel Bay firefighters saved 250 homes. Officials from the U.N. visited.\n"
        "Rescue Teams Praise Volunteers In Kestrel Bay"
    )
    feats = article_features(_art(1, text, "x", date="2024-05-04T09:30:00+02:00"))
    names = feats.names
    assert {"old_mill", "kestrel_bay", "kestrel", "bay", "#250", "@5-3", "u.n."} <= set(names)
    # A capitalised first word is not a name unless the article capitalises it elsewhere;
    # nor is every word of a headline-case line.
    assert "police" not in names and "rescue" not in names and "praise" not in names
    assert names["kestrel_bay"] == 3
    assert feats.words["firefighter"] == 1 and "the" not in feats.words
    assert (
        feats.day is not None
        and feats.day == article_features(_art(1, text, "x", date="2024-05-04")).day
    )
    assert article_features(_art(1, text, "x", date="not a date")).day is None


def test_cluster_article_terms_are_names_best_first() -> None:
    art = _art(1, QUAKE_NORTH[0] + " " + QUAKE_NORTH[2], "north")
    terms = article_terms(art, limit=6)
    assert len(terms) == 6 and terms == article_terms(art, limit=6)
    assert "tarsk" in terms and "ilse_graven" in terms and "veldia" in terms
    assert not {"earthquake", "rescuers", "people", "mayor"} & set(terms)
    assert article_terms(art, limit=50)[:6] == terms


def test_cluster_similarity_is_symmetric_and_order_free() -> None:
    arts = _quakes() + _corpus()
    sim = similarity(arts, embed=False)
    assert sim.shape == (11, 11)
    assert (sim == sim.T).all() and (sim.diagonal() == 1.0).all()
    assert ((sim >= 0) & (sim <= 1)).all()
    rev = similarity(arts[::-1], embed=False)
    assert (rev[::-1, ::-1] == sim).all()


# One flood: a first report that is mostly background and names the event in passing, and
# four fuller reports of it.
FLOOD_EARLY = (
    "Mila Orsen of the Tarsk farm union walked the flooded maize fields near Hollin with "
    "insurers from Brenna Mutual. Ferry captain Ivo Brant tied up at Lusk pier and said the "
    "Marrow bridge had not moved since the storm of 1998. At the Quell bakery, owner Pia Sandor "
    "handed out bread to drivers queuing on the Fenwick road past Orbec. Volunteers from the "
    "Corrin scout troop filled sandbags in the yard of the old Halden brewery until midnight. "
    "Teacher Rosa Vint kept the Amberly school open for families who had nowhere else to sleep "
    "near Cossel. Trucks from the Selwyn quarry carried gravel to shore up the levee at Pinder "
    "ford, foreman Ned Arlo said. Nurses at Saint Oriel clinic in Wexby moved patients "
    "upstairs, matron Gail Dorsey told the Morrow Gazette. Water poured over the Velmar "
    "spillway as Aurel Stanek ordered Dravik emptied."
)
FLOOD = [
    "Engineers at the Velmar dam opened the spillway on Tuesday after heavy rain. Governor "
    "Aurel Stanek ordered the evacuation of Dravik and Kellen.",
    "Governor Aurel Stanek ordered Dravik and Kellen evacuated on Tuesday as engineers opened "
    "the Velmar dam spillway after days of heavy rain.",
    "Heavy rain forced engineers to open the spillway of the Velmar dam on Tuesday, and "
    "Governor Aurel Stanek ordered the evacuation of Dravik.",
    "The evacuation of Dravik and Kellen ordered by Governor Aurel Stanek went on after "
    "engineers opened the Velmar dam spillway on Tuesday.",
]


def test_cluster_sample_weighs_names_as_its_collection_does() -> None:
    # Alone, the five reports are the whole collection: the event's names are in all of them
    # and weigh little against the first report's many names of its own, which leaves it out.
    # As a sample of a week's news (the store's case), those names are rare and it joins.
    arts = [
        _art(50, FLOOD_EARLY, "flood"),
        *(_art(51 + i, t, "flood") for i, t in enumerate(FLOOD)),
    ]
    alone = _partition(cluster_auto(arts, fragments=False))
    assert alone == [["a50"], ["a51", "a52", "a53", "a54"]]
    # The report the cut leaves alone links to nothing else: as a fragment it joins its story.
    assert _partition(cluster_auto(arts)) == [["a50", "a51", "a52", "a53", "a54"]]
    assert _partition(cluster_auto(arts, collection=1000)) == [["a50", "a51", "a52", "a53", "a54"]]
    # Two events of one kind share topic words, not names: they stay apart at any scale.
    for collection in (None, 1000):
        assert _partition(cluster_auto(_quakes(), collection=collection)) == [
            ["a20", "a21", "a22"],
            ["a30", "a31", "a32"],
        ]


def test_cluster_cuts_nest_and_the_first_is_cluster_auto() -> None:
    arts = _quakes() + _corpus() + [_art(40 + i, t, "rail") for i, t in enumerate(PARAPHRASES)]
    tight, loose, looser = cluster_cuts(arts, (0.75, 0.85, 0.95))
    assert _partition(tight) == _partition(cluster_auto(arts))
    assert _partition(looser) == _partition(cluster_auto(arts, threshold=0.95))
    assert len(tight) >= len(loose) >= len(looser) and len(tight) > len(looser)
    for finer, coarser in ((tight, loose), (loose, looser)):
        home = {a.id: k for k, g in enumerate(coarser) for a in g}
        assert all(len({home[a.id] for a in g}) == 1 for g in finer)
    # Cuts come back in the order asked for.
    assert [_partition(p) for p in cluster_cuts(arts, (0.95, 0.75))] == [
        _partition(looser),
        _partition(tight),
    ]


def test_cluster_seeds_form_one_story() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"shared seeds not found at {seeds}")
    from synoptic.dedup import mark_duplicates
    from synoptic.ingest import read_inputs
    from synoptic.pipeline import extract_all

    arts = mark_duplicates(extract_all(read_inputs([str(seeds)])))
    assert len(arts) == 5
    groups = cluster_auto(arts)
    assert len(groups) == 1 and len(groups[0]) == 5
