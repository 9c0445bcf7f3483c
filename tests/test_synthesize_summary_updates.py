"""The summary leaves out a figure that later reports update (a toll of two, then five).

A story of our own: two reports on Monday give two dead, two on Wednesday five. The brief's
conflicts mark the toll as an update; the summary then says five, never two, while the same
selection without the update (the previous method) leads with the earlier toll.
"""

from __future__ import annotations

from synoptic.analyze.batch import analyze_all
from synoptic.model import Article, Cited, Story
from synoptic.synthesize.align import align
from synoptic.synthesize.brief import synthesize
from synoptic.synthesize.summary import summarize, superseded_figures
from test_synthesize_align import EMBEDDER

REPORTS = {
    "m1": (
        "2026-03-02",
        "Two people died when a footbridge collapsed over the Vessa river in Tarsk on Monday, "
        "police said. The bridge, built in 1962, was crowded with commuters at the time. Rescue "
        "teams searched the river through the night. Mayor Anna Kolar said the city would "
        "inspect every bridge of the same design.",
    ),
    "m2": (
        "2026-03-02",
        "Police said two people died after the footbridge over the Vessa river collapsed in "
        "Tarsk on Monday. Divers from the fire service searched the water until dark. The "
        "bridge had been closed for repairs in 2019. Mayor Anna Kolar ordered checks on similar "
        "bridges across the city.",
    ),
    "m3": (
        "2026-03-04",
        "Five people died when the Vessa footbridge collapsed in Tarsk on Monday, police said "
        "on Wednesday, after divers recovered three more bodies. Mayor Anna Kolar said every "
        "bridge of the same design would be inspected. The bridge was crowded with commuters "
        "when it fell. Prosecutors opened an inquiry into the repairs made in 2019.",
    ),
    "m4": (
        "2026-03-04",
        "The death toll from the collapse of a footbridge in Tarsk rose to five, police said on "
        "Wednesday. Divers recovered three more bodies from the Vessa river. Prosecutors have "
        "opened an inquiry into the repairs of 2019. Mayor Anna Kolar said the city would "
        "inspect bridges of the same design.",
    ),
}


def _cited(summary: tuple[Cited, ...], arts: list[Article]) -> set[str]:
    """Articles cited for a sentence that gives the earlier toll."""
    text = {a.id: a.text for a in arts}
    return {
        s.article
        for item in summary
        for s in item.spans
        if "two people died" in text[s.article][s.start : s.end].lower()
    }


def test_synthesize_summary_updates_leave_out_the_superseded_toll() -> None:
    arts = [
        Article(id=k, source=f"{k}.txt", text=t, published=d, outlet=f"Outlet {k}")
        for k, (d, t) in REPORTS.items()
    ]
    story = Story(id="s", headline="Footbridge", articles=tuple(arts))
    analyses = analyze_all(arts, embedder=EMBEDDER)
    brief = synthesize(story, analyses, summary_words=80)
    assert any(c.topic.startswith("death toll") and "update" in c.topic for c in brief.conflicts)
    said = " ".join(c.text for c in brief.summary).lower()
    assert "five people died" in said or "rose to five" in said
    assert "two people died" not in said
    # no citation points at a sentence giving the earlier toll either
    assert not _cited(brief.summary, arts) & {"m1", "m2"}
    # the previous method (no updates read) says or cites the earlier toll as support
    sents = {a.id: analyses[a.id].sentences for a in arts}
    groups = align(story, sents, analyses)
    before = summarize(story, sents, max_words=80, groups=groups)
    assert _cited(before, arts) & {"m1", "m2"}
    dates = {k: d for k, (d, _) in REPORTS.items()}
    stale = superseded_figures(brief.conflicts, dates)
    assert set(stale) == {"m1", "m2"}


def test_synthesize_summary_updates_undated_toll_that_rose() -> None:
    # The same reports without dates: one says the toll "rose to five", which supersedes two.
    arts = [
        Article(id=k, source=f"{k}.txt", text=t, outlet=f"Outlet {k}")
        for k, (_, t) in REPORTS.items()
    ]
    story = Story(id="s", headline="Footbridge", articles=tuple(arts))
    analyses = analyze_all(arts, embedder=EMBEDDER)
    brief = synthesize(story, analyses, summary_words=80)
    assert any(c.topic.startswith("death toll") for c in brief.conflicts)  # still shown
    assert not _cited(brief.summary, arts) & {"m1", "m2"}
    texts = {a.id: a.text for a in arts}
    assert superseded_figures(brief.conflicts, {}, None) == {}
    assert set(superseded_figures(brief.conflicts, {}, texts)) == {"m1", "m2"}
