"""Numeric conflicts: same thing, incompatible intervals, sources, updates versus conflicts."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from synoptic.analyze.quantities import Approx, Quantity
from synoptic.model import Article, Brief, Conflict, Story, briefs_document
from synoptic.schema import validate_document
from synoptic.synthesize.conflicts import UPDATE_SUFFIX, find_conflicts, similarity

SHARED = Path(__file__).parents[1].parent / "shared"
GOLD = Path(__file__).parent / "gold" / "seeds_conflicts.json"


def _article(aid: str, text: str, published: str | None = None) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text, published=published)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    s = text.rfind(". ", 0, start)
    s = 0 if s < 0 else s + 2
    e = text.find(". ", end)
    e = len(text) if e < 0 else e + 1
    return s, e


def _q(
    article: Article,
    phrase: str,
    value: float,
    unit: str,
    *,
    approx: Approx = "exact",
    low: float | None = None,
    high: float | None = None,
    about: str | None = None,
    nth: int = 0,
) -> Quantity:
    """A quantity as the extractor would give it (context comes from the sentence text)."""
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(phrase, start + 1)
    end = start + len(phrase)
    return Quantity(
        article=article.id,
        start=start,
        end=end,
        text=phrase,
        value=value,
        low=value if low is None else low,
        high=value if high is None else high,
        approx=approx,
        unit=unit,
        head=unit,
        sentence=_sentence(article.text, start, end),
        about=about,
    )


def _sides(conflict: Conflict) -> list[tuple[float | None, tuple[str, ...]]]:
    return [(v.value, v.sources) for v in conflict.values]


TROOPS = {
    "a1": "Russia has massed 100,000 troops near Ukraine's border, officials said.",
    "a2": "Russia has moved about 70,000 troops towards the Ukrainian border.",
    "a3": "Officials say Russia keeps an estimated 100,000 troops near the border with Ukraine.",
}


def _troops() -> tuple[list[Article], list[Quantity]]:
    arts = [_article(k, v) for k, v in TROOPS.items()]
    qs = [
        _q(arts[0], "100,000 troops", 100_000, "troops"),
        _q(arts[1], "about 70,000 troops", 70_000, "troops", approx="about", low=63e3, high=77e3),
        _q(arts[2], "an estimated 100,000 troops", 100_000, "troops", approx="about",
           low=90e3, high=110e3),
    ]  # fmt: skip
    return arts, qs


def test_synthesize_conflicts_reports_incompatible_figures_with_sources() -> None:
    arts, qs = _troops()
    (conflict,) = find_conflicts(qs, arts)
    assert conflict.kind == "number"
    assert conflict.topic == "troops"
    assert _sides(conflict) == [(100_000.0, ("a1", "a3")), (70_000.0, ("a2",))]
    by_id = {a.id: a for a in arts}
    for value in conflict.values:
        assert value.unit == "troops"
        # The text is the sentence of the first mention, verbatim; spans are the phrases.
        assert value.text == by_id[value.spans[0].article].text
        for span in value.spans:
            assert "troops" in span.of(by_id[span.article])
    assert conflict.values[1].spans[0].of(arts[1]) == "about 70,000 troops"


def test_synthesize_conflicts_approximations_agree() -> None:
    arts = [
        _article("a1", "Russia has massed 100,000 troops near Ukraine's border."),
        _article("a2", "Russia has massed about 100,000 troops near the Ukrainian border."),
        _article("a3", "Tens of thousands of Russian troops are massed near Ukraine's border."),
    ]
    qs = [
        _q(arts[0], "100,000 troops", 100_000, "troops"),
        _q(arts[1], "about 100,000 troops", 100_000, "troops", approx="about", low=9e4, high=1.1e5),
        _q(arts[2], "Tens of thousands of Russian troops", 10_000, "troops", approx="range",
           low=1e4, high=2e5),
    ]  # fmt: skip
    assert find_conflicts(qs, arts) == ()


def test_synthesize_conflicts_leaves_out_a_figure_compatible_with_every_side() -> None:
    arts = [
        _article("a1", "Talks in Geneva ended after a seven-and-a-half-hour session on Monday."),
        _article("a2", "Talks in Geneva on Monday lasted eight hours."),
        _article("a3", "Diplomats held over seven hours of talks in Geneva on Monday."),
    ]
    qs = [
        _q(arts[0], "seven-and-a-half-hour session", 7.5, "hour", about="session"),
        _q(arts[1], "eight hours", 8, "hour", about="talk"),
        _q(arts[2], "over seven hours", 7, "hour", approx="over", low=7, high=math.inf,
           about="talk"),
    ]  # fmt: skip
    (conflict,) = find_conflicts(qs, arts)
    assert sorted(_sides(conflict)) == [(7.5, ("a1",)), (8.0, ("a2",))]
    assert conflict.topic == "length of talks (hours)"


def test_synthesize_conflicts_ignores_a_different_deployment() -> None:
    arts = [
        _article("a1", "Russia has massed 100,000 troops near Ukraine's border."),
        _article("a2", "Britain will send 40,000 troops to Poland for NATO exercises."),
    ]
    qs = [
        _q(arts[0], "100,000 troops", 100_000, "troops"),
        _q(arts[1], "40,000 troops", 40_000, "troops"),
    ]
    assert (
        similarity(qs[0], qs[1], ("russia", "mass", "ukraine", "border"), ("send", "poland")) == 0
    )
    assert find_conflicts(qs, arts) == ()


def test_synthesize_conflicts_ignores_figures_an_order_of_magnitude_apart() -> None:
    arts = [
        _article("a1", "Russia has massed 100,000 troops near Ukraine's border."),
        _article("a2", "Russia has massed 3,000 troops near Ukraine's border."),
    ]
    qs = [
        _q(arts[0], "100,000 troops", 100_000, "troops"),
        _q(arts[1], "3,000 troops", 3_000, "troops"),
    ]
    assert find_conflicts(qs, arts) == ()


def test_synthesize_conflicts_counts_repeated_mentions_once() -> None:
    arts = [
        _article(
            "a1", "Talks end after eight hours. Talks in Geneva lasted eight hours on Monday."
        ),
        _article("a2", "Talks in Geneva lasted seven hours on Monday."),
    ]
    qs = [
        _q(arts[0], "eight hours", 8, "hour", about="talk"),
        _q(arts[0], "eight hours", 8, "hour", about="talk", nth=1),
        _q(arts[1], "seven hours", 7, "hour", about="talk"),
    ]
    (conflict,) = find_conflicts(qs, arts)
    eight = next(v for v in conflict.values if v.value == 8)
    assert eight.sources == ("a1",)
    assert len(eight.spans) == 2
    # The representative sentence is the one the first mention is in.
    assert eight.text == "Talks end after eight hours."


def test_synthesize_conflicts_ignores_unitless_and_foreign_quantities() -> None:
    arts, qs = _troops()
    stray = _q(arts[1], "about 70,000 troops", 70_000, "troops")
    foreign = Quantity(**{**stray.to_dict(), "article": "zz", "sentence": stray.sentence})
    unitless = Quantity(**{**stray.to_dict(), "unit": None, "sentence": stray.sentence})
    assert find_conflicts([qs[0], foreign, unitless], arts) == ()


def test_synthesize_conflicts_figures_of_different_named_subjects_are_different_things() -> None:
    arts = [
        _article("a1", "The Red Sox made Teixeira an eight-year offer worth $184 million."),
        _article("a2", "The Orioles made Teixeira an eight-year offer worth $150 million."),
    ]
    qs = [
        _q(arts[0], "$184 million", 184e6, "dollar"),
        _q(arts[1], "$150 million", 150e6, "dollar"),
    ]
    assert find_conflicts(qs, arts) == ()
    # The same sentences about one named buyer do disagree.
    same = [
        _article("b1", "The Red Sox made Teixeira an eight-year offer worth $184 million."),
        _article("b2", "The Red Sox made Teixeira an eight-year offer worth $150 million."),
    ]
    qs = [
        _q(same[0], "$184 million", 184e6, "dollar"),
        _q(same[1], "$150 million", 150e6, "dollar"),
    ]
    (conflict,) = find_conflicts(qs, same)
    assert conflict.topic == "amount (dollars)"


def test_synthesize_conflicts_figures_from_different_years_are_different_things() -> None:
    def conflicts(first: str, second: str) -> tuple[Conflict, ...]:
        arts = [
            _article("a1", f"{first}the quake in Aceh killed 300 people, the agency said."),
            _article("a2", f"{second}the quake in Aceh killed 160 people, the agency said."),
        ]
        qs = [_q(arts[0], "300 people", 300, "dead"), _q(arts[1], "160 people", 160, "dead")]
        return find_conflicts(qs, arts)

    assert len(conflicts("In 2004 ", "In 2004 ")) == 1
    assert conflicts("In 2004 ", "In 2013 ") == ()


def test_synthesize_conflicts_reports_giving_both_figures_do_not_disagree() -> None:
    rushing = "On Sunday he gained 404 yards rushing against Miami in Florida."
    receiving = "On Sunday he gained 440 yards receiving against Miami in Florida."
    arts = [_article("a1", f"{rushing} {receiving}"), _article("a2", f"{rushing} {receiving}")]
    qs = [
        _q(arts[0], "404 yards", 404, "yard"),
        _q(arts[0], "440 yards", 440, "yard"),
        _q(arts[1], "404 yards", 404, "yard"),
        _q(arts[1], "440 yards", 440, "yard"),
    ]
    assert find_conflicts(qs, arts) == ()
    # When the second report gives another receiving figure, the two reports disagree.
    other = _article("a3", f"{rushing} {receiving.replace('440', '466')}")
    qs = [*qs[:2], _q(other, "404 yards", 404, "yard"), _q(other, "466 yards", 466, "yard")]
    (conflict,) = find_conflicts(qs, [arts[0], other])
    assert {440.0, 466.0} <= {v.value for v in conflict.values}


def test_synthesize_conflicts_lists_of_figures_are_not_compared() -> None:
    listed = "He ran for 404 yards and caught passes for 440 yards against Miami on Sunday."
    arts = [
        _article("a1", listed),
        _article("a2", "He caught passes for 466 yards against Miami on Sunday."),
    ]
    q440 = _q(arts[0], "440 yards", 440, "yard")
    q466 = _q(arts[1], "466 yards", 466, "yard")
    # Alone, the two receiving figures disagree...
    assert len(find_conflicts([q440, q466], arts)) == 1
    # ...but a sentence listing two figures in one unit is no evidence against another report.
    assert find_conflicts([_q(arts[0], "404 yards", 404, "yard"), q440, q466], arts) == ()


def test_synthesize_conflicts_ages_only_for_the_same_person() -> None:
    arts = [
        _article("a1", "Police said the 36-year-old driver fled the store in Burnsville."),
        _article("a2", "Police said the 66-year-old woman died outside the store in Burnsville."),
        _article("a3", "Police said the 38-year-old driver fled the store in Burnsville."),
    ]
    qs = [
        _q(arts[0], "36-year-old", 36, "age", about="driver"),
        _q(arts[1], "66-year-old", 66, "age", about="woman"),
        _q(arts[2], "38-year-old", 38, "age", about="driver"),
    ]
    (conflict,) = find_conflicts(qs, arts)
    assert sorted(v.value for v in conflict.values) == [36.0, 38.0]


# Updates versus conflicts ---------------------------------------------------------------------

TOLL = {
    "d1": "The death toll from the dam failure rose to four, the rescue agency said.",
    "d2": "The death toll from the dam failure rose to five, the rescue agency said.",
}


def _toll(
    published: tuple[str | None, str | None] = (None, None),
) -> tuple[list[Article], list[Quantity]]:
    arts = [_article(k, v, p) for (k, v), p in zip(TOLL.items(), published, strict=True)]
    qs = [_q(arts[0], "four", 4, "dead"), _q(arts[1], "five", 5, "dead")]
    return arts, qs


def test_synthesize_conflicts_rising_toll_is_an_update() -> None:
    arts, qs = _toll()
    dates = {"d1": "2024-10-15", "d2": "2024-10-16T08:10:00+02:00"}
    (conflict,) = find_conflicts(qs, arts, dates=dates)
    assert conflict.topic == "death toll" + UPDATE_SUFFIX
    assert _sides(conflict) == [(4.0, ("d1",)), (5.0, ("d2",))]
    assert find_conflicts(qs, arts, dates=dates, updates="skip") == ()


def test_synthesize_conflicts_update_uses_published_dates() -> None:
    arts, qs = _toll(("2024-10-15T06:45:00+02:00", "2024-10-15T20:00:00+02:00"))
    (conflict,) = find_conflicts(qs, arts)
    assert conflict.topic.endswith(UPDATE_SUFFIX)


@pytest.mark.parametrize(
    "dates",
    [
        {"d1": "2024-10-16", "d2": "2024-10-15"},  # falls with time: a correction
        {"d1": "2024-10-15", "d2": "2024-10-15"},  # same day
        {"d1": "2024-10-15", "d2": None},  # one undated
        None,  # no dates at all
    ],
)
def test_synthesize_conflicts_toll_that_does_not_rise_with_date_is_a_conflict(
    dates: dict[str, str | None] | None,
) -> None:
    arts, qs = _toll()
    (conflict,) = find_conflicts(qs, arts, dates=dates)
    assert conflict.topic == "death toll"


def test_synthesize_conflicts_undated_report_between_dated_ones_is_an_update() -> None:
    arts = [
        _article("d1", "The death toll from the dam failure rose to three, the agency said."),
        _article("d2", "The death toll from the dam failure rose to four, the agency said."),
        _article("d3", "The death toll from the dam failure rose to five, the agency said."),
    ]
    qs = [
        _q(arts[0], "three", 3, "dead"),
        _q(arts[1], "four", 4, "dead"),
        _q(arts[2], "five", 5, "dead"),
    ]
    between = {"d1": "2024-10-14", "d2": None, "d3": "2024-10-16"}
    (conflict,) = find_conflicts(qs, arts, dates=between)
    assert conflict.topic.endswith(UPDATE_SUFFIX)
    assert [v.value for v in conflict.values] == [3.0, 5.0, 4.0]  # dated first, in date order
    outside = {"d1": "2024-10-14", "d2": "2024-10-15", "d3": None}
    (conflict,) = find_conflicts(qs, arts, dates=outside)
    assert not conflict.topic.endswith(UPDATE_SUFFIX)


def test_synthesize_conflicts_a_measure_rising_with_date_is_still_a_conflict() -> None:
    arts = [
        _article("a1", "Talks in Geneva lasted eight hours on Monday."),
        _article("a2", "Talks in Geneva lasted nine hours on Monday."),
    ]
    qs = [
        _q(arts[0], "eight hours", 8, "hour", about="talk"),
        _q(arts[1], "nine hours", 9, "hour", about="talk"),
    ]
    (conflict,) = find_conflicts(qs, arts, dates={"a1": "2022-01-10", "a2": "2022-01-11"})
    assert conflict.topic == "length of talks (hours)"


# The real sample ------------------------------------------------------------------------------


@pytest.mark.slow
def test_synthesize_conflicts_seeds_match_the_gold() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the shared seed reports are not available at {seeds}")
    from synoptic.analyze.nlp import load_nlp
    from synoptic.analyze.quantities import extract_quantities

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    nlp = load_nlp()
    arts = [_article(p.name, p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))]
    qs = [q for a in arts for q in extract_quantities(a, nlp(a.text))]
    conflicts = find_conflicts(qs, arts)
    assert len(conflicts) == len(gold["conflicts"]), [c.topic for c in conflicts]
    by_id = {a.id: a for a in arts}
    for expected in gold["conflicts"]:
        found = [c for c in conflicts if c.values and c.values[0].unit == expected["unit"]]
        assert len(found) == 1, expected["topic"]
        got = {v.value: set(v.sources) for v in found[0].values}
        assert got == {v["value"]: set(v["files"]) for v in expected["values"]}
        phrases = {s.of(by_id[s.article]) for v in found[0].values for s in v.spans}
        for value in expected["values"]:
            assert set(value["texts"]) <= phrases
        for compatible in expected["compatible"]:
            assert compatible["text"] not in phrases
    flagged = {c.values[0].unit for c in conflicts if c.values}
    for not_conflict in gold["not_conflicts"]:
        assert not_conflict["unit"] not in flagged, not_conflict["note"]


# Units, open bounds, vetoes --------------------------------------------------------------------


def test_synthesize_conflicts_compares_figures_across_units() -> None:
    arts = [
        _article("a1", "The talks in Geneva lasted 90 minutes on Monday."),
        _article("a2", "The talks in Geneva lasted two hours on Monday."),
        _article("a3", "The talks in Geneva lasted an hour and a half on Monday."),
    ]
    qs = [
        _q(arts[0], "90 minutes", 90, "minute", about="talk"),
        _q(arts[1], "two hours", 2, "hour", about="talk"),
        _q(arts[2], "an hour and a half", 1.5, "hour", about="talk"),
    ]
    (conflict,) = find_conflicts(qs, arts)
    # 90 minutes and an hour and a half are one side, each shown as written.
    assert _sides(conflict) == [(90.0, ("a1", "a3")), (2.0, ("a2",))]
    assert [v.unit for v in conflict.values] == ["minute", "hour"]
    assert conflict.topic == "length of talks"
    # A distance given in miles and in kilometres agrees when the conversion is rounded.
    roads = [
        _article("b1", "The camp lies 10 miles south of the border, officials said."),
        _article("b2", "The camp lies 16 km south of the border, officials said."),
    ]
    qs = [_q(roads[0], "10 miles", 10, "mile"), _q(roads[1], "16 km", 16, "kilometre")]
    assert find_conflicts(qs, roads) == ()


def test_synthesize_conflicts_currency_magnitudes_and_open_bounds() -> None:
    arts = [
        _article("a1", "The ministry puts the flood damage at €240m."),
        _article("a2", "The ministry puts the flood damage at 240 million euros."),
        _article("a3", "The ministry puts the flood damage at €0.3bn at least."),
    ]
    qs = [
        _q(arts[0], "€240m", 240e6, "euro", about="damage"),
        _q(arts[1], "240 million euros", 240e6, "euro", about="damage"),
        _q(arts[2], "€0.3bn at least", 300e6, "euro", about="damage", approx="over",
           high=math.inf),
    ]  # fmt: skip
    (conflict,) = find_conflicts(qs, arts)
    assert _sides(conflict) == [(240e6, ("a1", "a2")), (300e6, ("a3",))]
    open_side = conflict.values[1]
    assert (open_side.low, open_side.high, open_side.approx) == (300e6, None, "over")
    # The brief carries the open bound as null, valid JSON that the published schema accepts.
    brief = Brief(story=Story(id="s1", headline="Dam", articles=tuple(arts)), conflicts=(conflict,))
    document = json.loads(json.dumps(briefs_document([brief]), allow_nan=False))
    validate_document(document)
    assert document["stories"][0]["conflicts"][0]["values"][1]["high"] is None


def test_synthesize_conflicts_ignores_hedged_figures() -> None:
    arts = [
        _article("a1", "Two people were killed in the shooting, police said."),
        _article("a2", "There might have been three people killed in the shooting."),
    ]
    qs = [_q(arts[0], "Two people", 2, "dead"), _q(arts[1], "three people", 3, "dead")]
    assert len(find_conflicts(qs, arts)) == 1
    qs[1] = dataclasses.replace(qs[1], hedged=True)
    assert find_conflicts(qs, arts) == ()


def test_synthesize_conflicts_different_named_subjects_in_any_report() -> None:
    arts = [
        _article("a1", "Manning completed 17 passes in the first half of the game."),
        _article("a2", "He completed 17 passes in the first half of the game."),
        _article("a3", "Garrard completed 28 passes in the first half of the game."),
    ]
    qs = [
        _q(arts[0], "17 passes", 17, "pass"),
        _q(arts[1], "17 passes", 17, "pass"),
        _q(arts[2], "28 passes", 28, "pass"),
    ]
    assert len(find_conflicts(qs, arts)) == 1
    # "He" in a2 is Manning too: pooled over the reports, 17 is Manning's and 28 Garrard's.
    named = [
        dataclasses.replace(qs[0], subject="manning"),
        qs[1],
        dataclasses.replace(qs[2], subject="garrard"),
    ]
    assert find_conflicts(named, arts) == ()


def test_synthesize_conflicts_figures_over_different_scopes_are_different_things() -> None:
    arts = [
        _article("a1", "Thomas rushed for 716 yards in 12 games for the Saints."),
        _article("a2", "Thomas rushed for 793 yards in 14 games for the Saints."),
    ]
    qs = [
        _q(arts[0], "716 yards", 716, "yard"),
        _q(arts[0], "12 games", 12, "game"),
        _q(arts[1], "793 yards", 793, "yard"),
        _q(arts[1], "14 games", 14, "game"),
    ]
    assert [c.topic for c in find_conflicts(qs, arts)] == ["games"]
    same_scope = [qs[0], qs[2]]
    assert len(find_conflicts(same_scope, arts)) == 1


def test_synthesize_conflicts_figures_both_given_by_two_reports_are_two_things() -> None:
    arts = [
        _article("a1", "Pirates in five boats attacked the ships, and three boats were captured."),
        _article("a2", "Pirates in five boats attacked the ships, and three boats were captured."),
        _article("a3", "Navy officers said three boats attacked the ships near the coast."),
        _article("a4", "Navy officers said five boats attacked the ships near the coast."),
    ]
    qs = [
        _q(arts[0], "five boats", 5, "boat"),
        _q(arts[0], "three boats", 3, "boat"),
        _q(arts[1], "five boats", 5, "boat"),
        _q(arts[1], "three boats", 3, "boat"),
        _q(arts[2], "three boats", 3, "boat"),
        _q(arts[3], "five boats", 5, "boat"),
    ]
    assert find_conflicts(qs, arts) == ()
    # One report giving both is not enough: it may itself report a disagreement.
    assert len(find_conflicts([q for q in qs if q.article != "a2"], arts)) == 1


def test_synthesize_conflicts_magnitudes_far_apart_are_different_quakes() -> None:
    arts = [
        _article("a1", "A 6.1-magnitude quake struck off the coast of Aceh on Monday."),
        _article("a2", "A 9.1-magnitude quake struck off the coast of Aceh in a tsunami."),
        _article("a3", "A 5.9-magnitude quake struck off the coast of Aceh on Monday."),
    ]
    qs = [
        _q(arts[0], "6.1-magnitude", 6.1, "magnitude", about="earthquake"),
        _q(arts[1], "9.1-magnitude", 9.1, "magnitude", about="earthquake"),
        _q(arts[2], "5.9-magnitude", 5.9, "magnitude", about="earthquake"),
    ]
    (conflict,) = find_conflicts(qs, arts)
    assert conflict.topic == "magnitude of earthquake"
    assert sorted(v.value for v in conflict.values if v.value is not None) == [5.9, 6.1]


def test_synthesize_conflicts_rising_toll_matches_whatever_the_wording() -> None:
    arts = [
        _article("d1", "Four people died when the wall of the spillway gave way on Monday."),
        _article("d2", "The death toll from the dam failure has risen to five, rescuers said."),
    ]
    four = _q(arts[0], "Four people", 4, "dead")
    five = _q(arts[1], "five", 5, "dead")
    dates = {"d1": "2024-10-15", "d2": "2024-10-16"}
    assert find_conflicts([four, five], arts, dates=dates) == ()  # nothing in common
    rising = dataclasses.replace(five, rising=True)
    (update,) = find_conflicts([four, rising], arts, dates=dates)
    assert update.topic == "death toll" + UPDATE_SUFFIX


def test_synthesize_conflicts_own_correction_is_not_a_conflict() -> None:
    a1 = _article("a1", "Police said 40 people died in the ferry fire on the river.")
    a2 = _article(
        "a2",
        "Police earlier had reported 65 people dead in the ferry fire, but backed off that "
        "figure. They now say 40 people died in the fire.",
    )
    a3 = _article("a3", "Officials said 52 people died in the ferry fire on the river.")
    withdrawn = _q(a2, "65 people", 65, "people")
    qs = [_q(a1, "40 people", 40, "people"), withdrawn, _q(a2, "40 people", 40, "people")]
    assert find_conflicts(qs, [a1, a2]) == ()
    # A real disagreement between outlets is still one.
    found = find_conflicts([*qs, _q(a3, "52 people", 52, "people")], [a1, a2, a3])
    assert [sorted(v for v, _ in _sides(c)) for c in found] == [[40, 52]]


def test_synthesize_revisions_replaced_figure() -> None:
    from synoptic.synthesize.revisions import superseded

    a = _article("a1", "The toll was revised from 65 dead to 80 dead on Sunday.")
    old, new = _q(a, "65 dead", 65, "dead"), _q(a, "80 dead", 80, "dead")
    assert superseded(a.text, [old, new]) == {id(old)}
    plain = _article("a2", "Officials said 80 dead were found after the storm.")
    assert superseded(plain.text, [_q(plain, "80 dead", 80, "dead")]) == set()


# Wire reports in our own words: one module weighed and measured in different wordings and
# units, a cargo weighed beside it, and one report's scope ("during three spacewalks").
MODULE = {
    "m1": (
        "CAPE ORION, Fla. (AP) _ The shuttle Meridian lifted off Friday with the Kestrel "
        "module for the orbiting outpost.\n"
        "The Kestrel module, which weighs 44,000 pounds, will be attached to the outpost's "
        "core by the six astronauts aboard.\n"
        "The module is 36 feet long."
    ),
    "m2": (
        "CAPE ORION, Florida (Reuters) - The shuttle Meridian blasted off on Friday with the "
        "Kestrel module for the orbiting outpost.\n"
        "The 40,000-pound Kestrel module is to be joined to the outpost's core by the six "
        "astronauts.\n"
        "Kestrel is 18 feet long and has six docking ports."
    ),
    "m3": (
        "The shuttle Meridian roared into orbit on Friday carrying Kestrel, a module bound for "
        "the orbiting outpost, and 9,000 pounds of supplies.\n"
        "The six astronauts will join the 20-tonne module to the outpost's core during three "
        "spacewalks.\n"
        "Kestrel measures 36 feet in length."
    ),
}


@pytest.mark.slow
def test_synthesize_conflicts_same_measure_in_other_wordings_and_units() -> None:
    from synoptic.analyze.nlp import load_nlp
    from synoptic.analyze.quantities import extract_quantities

    nlp = load_nlp()
    arts = [_article(k, v) for k, v in MODULE.items()]
    qs = [q for a in arts for q in extract_quantities(a, nlp(a.text))]
    found = {c.values[0].unit: _sides(c) for c in find_conflicts(qs, arts)}
    # "weighs 44,000 pounds" / "the 40,000-pound module": one weight, two figures; the
    # 20-tonne module agrees with 44,000 pounds (19,958 kg) and the cargo is another thing.
    assert found.get("lb") == [(44_000.0, ("m1",)), (40_000.0, ("m2",))], found
    # "36 feet long" / "18 feet long" / "measures 36 feet in length": "long" and "length" name
    # one dimension.
    assert found.get("foot") == [(36.0, ("m1", "m3")), (18.0, ("m2",))], found
    assert set(found) == {"lb", "foot"}, found
