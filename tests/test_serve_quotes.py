"""A quote printed in two wordings, end to end: the brief, the API's JSON and the story page.

A hand-made story of three reports of one flood: two outlets print the mayor's words one way,
the third prints other words of the same utterance. Each wording must cite only the outlets
that printed it, in the merged quote (``synthesize.quotes``), the Brief JSON the API answers
and the chips of the web page; no outlet is credited with words it did not print.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from synoptic.serve import create_app
from synoptic.store import Store, ingest_paths

MAIN = "We will rebuild every home the river took, and we will start this week"
OTHER = "We are going to rebuild every home the river took and start this very week"
PLACE = (
    "The river Lanna burst its banks at Dravik on Tuesday night, flooding the old town and "
    "forcing 300 people from their homes, emergency services said. "
)
REPORTS = {
    "north-post.txt": PLACE
    + f"“{MAIN},” Mayor Tomas Reyes told reporters on Wednesday. Water stood two metres deep.",
    "valley-news.txt": PLACE
    + f"Mayor Tomas Reyes said on Wednesday: “{MAIN}.” Crews pumped the market square dry.",
    "river-daily.txt": PLACE
    + f"“{OTHER},” Mayor Tomas Reyes said. Schools in the old town stayed shut.",
}
OUTLET_OF = {"north-post.txt": "North Post", "valley-news.txt": "Valley News"}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("quotes")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with Store(f"sqlite:///{folder / 'q.db'}") as store:
        ingest_paths(store, [str(corpus)], briefs=True)
        (summary,) = store.list_stories()  # one story of three reports
        brief = store.brief(summary.id)
        file_of = {a.id: Path(a.source).name for a in brief.story.articles}
        with TestClient(create_app(store)) as client:
            yield {"brief": brief, "file_of": file_of, "client": client}


def _the_quote(quotes: list[dict[str, Any]]) -> dict[str, Any]:
    hits = [q for q in quotes if "rebuild every home" in q["text"]]
    assert len(hits) == 1, quotes  # one utterance, merged across the three outlets
    return hits[0]


def test_serve_quotes_each_wording_cites_only_its_outlets(story: dict[str, Any]) -> None:
    file_of = story["file_of"]
    r = story["client"].get(f"/api/v1/stories/{story['brief'].story.id}/brief")
    assert r.status_code == 200, r.text
    (doc,) = r.json()["stories"]
    quote = _the_quote(doc["quotes"])
    assert quote["text"].startswith("We will rebuild")
    assert sorted(file_of[a] for a in quote["sources"]) == ["north-post.txt", "valley-news.txt"]
    assert {file_of[s["article"]] for s in quote["spans"]} == {"north-post.txt", "valley-news.txt"}
    (variant,) = quote["variants"]
    assert variant["text"].startswith("We are going to rebuild")
    assert [file_of[a] for a in variant["sources"]] == ["river-daily.txt"]
    # Every cited span reads back as the wording it is cited for.
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for wording in (quote, variant):
        for span in wording["spans"]:
            assert texts[span["article"]][span["start"] : span["end"]].startswith(
                wording["text"][:20]
            )


def test_serve_quotes_page_chips_follow_the_wording(story: dict[str, Any]) -> None:
    brief = story["brief"]
    r = story["client"].get(f"/stories/{brief.story.id}")
    assert r.status_code == 200
    doc = lxml.html.fromstring(r.text)
    (figure,) = [
        f
        for f in doc.xpath('//*[@id="quotes"]//figure')
        if "rebuild every home" in f.text_content()
    ]
    main_chips = figure.xpath("./figcaption//a[contains(@class, 'chip')]")
    variant_items = figure.xpath(".//div[contains(@class, 'variants')]//li")
    assert len(main_chips) == 2 and len(variant_items) == 1
    variant_chips = variant_items[0].xpath(".//a[contains(@class, 'chip')]")
    assert len(variant_chips) == 1
    # Each chip jumps to a passage that holds the words it stands under.
    for chips, words in ((main_chips, "We will rebuild"), (variant_chips, "We are going to")):
        for chip in chips:
            (mark,) = doc.xpath(f'//mark[@id="{chip.get("href")[1:]}"]')
            assert mark.text_content().startswith(words)


def test_serve_quotes_undated_story_is_labelled_as_added(story: dict[str, Any]) -> None:
    # The three reports carry no publication date: the story is undated, not dated by ingest.
    assert all(a.published is None for a in story["brief"].story.articles)
    (line,) = story["client"].get("/api/v1/stories").json()["stories"]
    assert line["dated"] is False
    doc = lxml.html.fromstring(story["client"].get("/").text)
    (meta,) = doc.xpath('//li[contains(@class, "story-card")]//p[@class="meta"]')
    assert re.search(r"undated, added \d{1,2} [A-Z][a-z]{2} \d{4}", meta.text_content())
    # The story page and each article page say so too, with no date standing in.
    page = lxml.html.fromstring(story["client"].get(f"/stories/{line['id']}").text)
    head = page.xpath('//header[contains(@class, "story-head")]')[0].text_content()
    assert "undated" in head and not re.search(r"\d{4}, \d{2}:\d{2}", head)
    for article in story["brief"].story.articles:
        doc = lxml.html.fromstring(story["client"].get(f"/articles/{article.id}").text)
        (meta,) = doc.xpath('//p[@class="meta"][1]')
        assert "undated" in meta.text_content() and not meta.xpath(".//time")
