"""Conflicts compare the same measured thing only: hard cases in our own words, read by the
real extraction (spaCy), each story two or three outlets' sentences."""

from __future__ import annotations

import pytest

from synoptic.analyze.nlp import Analyzer
from synoptic.analyze.quantities import extract_quantities
from synoptic.model import Article, Conflict
from synoptic.synthesize.conflicts import find_conflicts
from synoptic.synthesize.measured import ratio_ok, stat_dimensions

pytestmark = pytest.mark.slow


def _conflicts(*texts: str) -> tuple[Conflict, ...]:
    arts = [Article(id=f"a{i}", source=f"a{i}.txt", text=t) for i, t in enumerate(texts)]
    docs = Analyzer(use_cache=False).parse(arts)
    qs = [q for a in arts for q in extract_quantities(a, docs[a.id])]
    return find_conflicts(qs, arts)


def _values(c: Conflict) -> set[float]:
    return {v.value or 0.0 for v in c.values}


def test_synthesize_measured_same_weight_and_length_are_compared() -> None:
    found = _conflicts(
        "The Russian-built module, which weighs 44,000 pounds, was launched from Kazakhstan on "
        "Friday. Its solar panels are 36 feet long.",
        "The module, weighing 40,000 pounds, lifted off from Kazakhstan on Friday. Its solar "
        "panels are 18 feet long.",
    )
    values = [_values(c) for c in found]
    assert {44000.0, 40000.0} in values, found
    assert {36.0, 18.0} in values, found


def test_synthesize_measured_different_things_are_not_compared() -> None:
    found = _conflicts(
        "Exports to Japan make up 60% of the company's revenue, the firm said after the quake. "
        "Rebuilding the port will cost $1 billion, officials said.",
        "The quake caused a 25% fall in the company's exports to Japan, the firm said. The port "
        "authority already carries $8.16 billion of debt, officials said.",
    )
    assert found == (), found


def test_synthesize_measured_elapsed_time_is_not_a_disagreement() -> None:
    found = _conflicts(
        "Gaza was shelled again on Friday after 11 days of fighting between Israel and Hamas.",
        "Gaza was shelled after 13 days of fighting between Israel and Hamas, witnesses said.",
    )
    assert found == (), found


def test_synthesize_measured_statistics_lines() -> None:
    texts = [
        "Teixeira hit 13 homers with 43 RBIs in 54 games for the Angels this season.",
        "The quake killed four people, injured dozens and destroyed 300 buildings on Sunday.",
    ]
    arts = [Article(id=f"a{i}", source=f"a{i}.txt", text=t) for i, t in enumerate(texts)]
    docs = Analyzer(use_cache=False).parse(arts)
    stats, lead = (extract_quantities(a, docs[a.id]) for a in arts)
    assert stat_dimensions(stats)  # homers, RBIs, games
    assert not stat_dimensions(lead)  # tallies of victims and one count: a news lead


def test_synthesize_measured_ratio_bounds() -> None:
    assert ratio_ok("dead", 1, "dead", 4)  # one against four dead: one toll
    assert not ratio_ok("age", 10, "age", 85)  # a girl's age and her age at death
    assert ratio_ok("magnitude", 5.9, "magnitude", 6.1)
    assert not ratio_ok("magnitude", 8.6, "magnitude", 9.1)  # two quakes


def test_synthesize_measured_vague_counts_are_not_sides() -> None:
    # Without the rule these two are compared: the countries the cable connects against the
    # "several dozen" owning it, an impression of a number.
    found = _conflicts(
        "The damaged cable connects 12 countries in Europe and Asia, its operator said on Friday.",
        "The damaged cable is jointly owned by several dozen countries in Europe and Asia, its "
        "operator said on Friday.",
    )
    assert found == (), found


def test_synthesize_measured_close_and_intraday_moves_are_different_figures() -> None:
    # Without the rule: 5.4 against 3.9 percent, a conflict (the day's low and the close).
    found = _conflicts(
        "Markets took fright at the riots as Portuguese shares plunged 5.4 per cent on Monday.",
        "Markets took fright at the riots as Portuguese shares closed down 3.9 percent on Monday.",
    )
    assert found == (), found
    both_moves = _conflicts(
        "Markets took fright at the riots as Portuguese shares plunged 5.4 per cent on Monday.",
        "Markets took fright at the riots as Portuguese shares plunged 3.9 percent on Monday.",
    )
    assert [_values(c) for c in both_moves] == [{5.4, 3.9}], both_moves


def test_synthesize_measured_unnamed_ages_and_people_picked_out_are_not_compared() -> None:
    # Two reports of a trial naming two different girls only by age; a gunman who shot three
    # people and let one go.
    ages = _conflicts(
        "Prosecutors played a recording of the preacher with a 12-year-old girl, the court heard.",
        "The preacher was convicted of abusing a 14-year-old girl, the court heard on Tuesday.",
    )
    assert ages == (), ages
    named = _conflicts(
        "Prosecutors said 61-year-old Maren Dalby was arrested at her home in Oakfield on Friday.",
        "Police said 60-year-old Maren Dalby was arrested at her home in Oakfield on Friday.",
    )
    assert [_values(c) for c in named] == [{61.0, 60.0}], named
    picked = _conflicts(
        "The gunman found four people in the break room of the bakery, police said.",
        "In the break room the gunman let one person leave the bakery, police said.",
    )
    assert picked == (), picked


def test_synthesize_measured_figure_over_a_scope_against_one_without() -> None:
    # A season's yards "in 12 games" against one game's: two spans, not a disagreement.
    found = _conflicts(
        "Okafor rushed for 716 yards in 12 games for the Harriers last season.",
        "Okafor had just 269 yards rushing for the Harriers last season, the coach said.",
    )
    assert found == (), found


def test_synthesize_measured_names_the_tagger_misses_tell_subjects_apart() -> None:
    # Two newspapers' polls, and her relationship against his stay: the tagger finds neither
    # paper, nor the name opening the first sentence; the capitalised words do.
    polls = _conflicts(
        "An opinion poll for the respected Vellamo newspaper found that 68 per cent of "
        "Norrlanders believe the government has mishandled the crisis.",
        "An opinion poll published by Kestrel newspaper on Sunday said 83.3 percent of "
        "Norrlanders were unhappy with the government's response to the riots.",
    )
    assert polls == (), polls
    stays = _conflicts(
        "Kaisa still lived in Tarrow and had been going out with her boyfriend for two years.",
        "Brandt had been living in South Tarrow with his mum for the past three years and they "
        "had moved back to Millbeck around six weeks ago.",
    )
    assert stays == (), stays


def test_synthesize_measured_an_offered_option_is_another_variant() -> None:
    # The standard chip and the one buyers may choose instead: two variants, not two reports.
    found = _conflicts(
        "The new Lumen laptop comes with a 2.66-GHz Tessel processor, the maker said.",
        "The new Lumen laptop comes with the option of a 2.93-GHz Tessel processor, the maker "
        "said.",
    )
    assert found == (), found
    rivals = _conflicts(
        "The new Lumen laptop comes with a 2.66-GHz Tessel processor and 4 GB of memory.",
        "The new Lumen laptop comes with a 2.93-GHz Tessel processor, the maker said.",
    )
    assert [_values(c) for c in rivals] == [{2.66, 2.93}], rivals
