"""Story grouping: auto (by content), per-dir and one."""

from __future__ import annotations

from dataclasses import replace

from synoptic.cluster import choose_headline, group_articles
from synoptic.model import Article

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


def test_cluster_auto_separates_unrelated_stories() -> None:
    stories = group_articles(_corpus(), "auto")
    groups = sorted(sorted(a.id for a in s.articles) for s in stories)
    assert groups == [["a0", "a1", "a2"], ["a10", "a11"]]


def test_cluster_per_dir_and_one() -> None:
    arts = _corpus()
    assert len(group_articles(arts, "one")) == 1
    per_dir = group_articles(arts, "per-dir")
    assert {len(s.articles) for s in per_dir} == {3, 2}


def test_cluster_duplicates_follow_their_original() -> None:
    arts = _corpus()
    copy = replace(arts[0], id="dup", source="other/x.txt", group="other", duplicate_of="a0")
    for policy in ("auto", "per-dir"):
        stories = group_articles([*arts, copy], policy)  # type: ignore[arg-type]
        home = next(s for s in stories if any(a.id == "a0" for a in s.articles))
        assert any(a.id == "dup" for a in home.articles)
        assert len(stories) == 2


def test_cluster_is_deterministic_and_orders_by_date() -> None:
    arts = _corpus()
    arts[2] = replace(arts[2], published="2025-03-03")
    arts[1] = replace(arts[1], published="2025-03-04")
    first = group_articles(arts, "auto")
    assert first == group_articles(arts, "auto")
    dam = next(s for s in first if len(s.articles) == 3)
    assert [a.id for a in dam.articles] == ["a2", "a1", "a0"]


def test_cluster_headline_prefers_a_title_then_first_line() -> None:
    arts = _corpus()[:3]
    long = _art(5, "word " * 60 + "end.\nSecond paragraph.", "dam")
    headline = choose_headline([long])
    assert len(headline) <= 120 and headline.endswith("…") and long.text.startswith(headline[:-1])
    titled = [replace(arts[1], title="Dam spillway opened"), arts[0], arts[2]]
    assert choose_headline(titled) == "Dam spillway opened"
