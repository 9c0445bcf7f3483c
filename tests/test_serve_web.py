"""The web pages through FastAPI's TestClient: content, citations, exports, escaping, headers.

The store holds the example corpus (briefs built) and one hostile article whose text, title,
outlet, byline and URL carry script tags, event handlers and a ``javascript:`` URL. Pages are
parsed with lxml and checked against the briefs they show.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from synoptic.model import Brief
from synoptic.schema import check_citations, validate_document
from synoptic.serve import create_app
from synoptic.serve import web as serve_web
from synoptic.serve.layout import sentence_around
from synoptic.serve.marks import Mark, mark_text
from synoptic.serve.security import CSP, PRINT_CSP
from synoptic.serve.timeline import CHART_WIDTH, NARROW_WIDTH
from synoptic.serve.views import time_span, timeline_chart, undated_text
from synoptic.store import Store, ingest_paths
from test_store_fixtures import EXAMPLES

TOKEN = "web-test-token"

# A hand-written hostile report: every field a page shows tries to run script.
HOSTILE: dict[str, Any] = {
    "html": (
        "<html><head><title>x</title><script>window.__pwned='head'</script></head><body>"
        "<article><h1>Harbour <script>window.__pwned='h1'</script> flood</h1>"
        "<p>The harbour wall at Port Velm failed on Tuesday night, flooding the fish market "
        "&lt;script&gt;window.__pwned='text';document.title='pwned'&lt;/script&gt; and forty "
        "homes, the harbour master said.</p>"
        "<p>Engineers said the wall was built in 1954 &lt;img src=x "
        "onerror=&quot;window.__pwned='img'&quot;&gt; and last repaired in 2011. "
        "<a href=\"javascript:window.__pwned='link'\">Details</a> follow.</p>"
        '<p>"We have never seen water this high," harbour master Ola Brenn said on '
        "Wednesday. Repairs will cost 2 million euros.</p></article></body></html>"
    ),
    "title": "<img src=x onerror=\"window.__pwned='title'\">Harbour wall fails "
    "<script>document.title='pwned'</script>",
    "outlet": "<script>window.__pwned='outlet'</script>Velm <b>Post</b>",
    "url": "javascript:window.__pwned='url'",
    "byline": '<a href="javascript:window.__pwned=\'byline\'" onmouseover="window.__pwned=1">'
    "Mallory</a>",
    "published": "2025-02-04T10:00:00Z",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The example corpus plus the hostile article, briefs built."""
    folder = tmp_path_factory.mktemp("web")
    with Store(f"sqlite:///{folder / 'web.db'}") as s:
        ingest_paths(s, [str(EXAMPLES)], briefs=True)
        yield s


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, token=TOKEN)) as c:
        r = c.post("/api/v1/ingest", json=[HOSTILE], headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.json()["accepted"] == 1, r.text
        yield c


@pytest.fixture(scope="module")
def hostile_ids(client: TestClient, store: Store) -> tuple[str, str]:
    """The hostile article's story and article ids."""
    story = next(s for s in store.list_stories() if "Harbour wall" in s.headline)
    return story.id, store.story_articles(story.id)[0].id


_SIMPLE = re.compile(r"([\w-]+|\*)?((?:[#.][\w-]+|\[[\w-]+(?:=\"?[^\]\"]*\"?)?\])*)")
_PART = re.compile(r"([#.])([\w-]+)|\[([\w-]+)(?:=\"?([^\]\"]*)\"?)?\]")


def _xpath(selector: str) -> str:
    """Translate the simple CSS selectors these tests use to XPath (lxml lacks cssselect)."""
    paths = []
    for group in selector.split(","):
        path, axis = "", "descendant-or-self::"
        for token in group.split():
            if token == ">":
                axis = "child::"
                continue
            match = _SIMPLE.fullmatch(token)
            assert match, token
            conds = []
            for kind, name, attr, value in _PART.findall(match.group(2)):
                if kind == "#":
                    conds.append(f"@id='{name}'")
                elif kind == ".":
                    conds.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')")
                elif value or "=" in token:
                    conds.append(f"@{attr}='{value}'")
                else:
                    conds.append(f"@{attr}")
            step = (match.group(1) or "*") + "".join(f"[{c}]" for c in conds)
            path += ("/" if path else "") + axis + step
            axis = "descendant::"
        paths.append(path)
    return " | ".join(paths)


def css(el: Any, selector: str) -> list[Any]:
    """Return the elements under ``el`` matching ``selector``, in document order."""
    return list(el.xpath(_xpath(selector)))


def _dam(store: Store) -> Brief:
    story = max(store.list_stories(), key=lambda s: s.articles)
    return store.brief(story.id)


def _page(client: TestClient, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(r.text)


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


# -- the story list -------------------------------------------------------------------------------


def test_serve_web_list_shows_every_story_with_counts_span_and_badges(
    client: TestClient, store: Store
) -> None:
    doc = _page(client, "/")
    cards = css(doc, "li.story-card")
    summaries = store.list_stories()
    assert len(cards) == len(summaries) >= 3
    for card, s in zip(cards, summaries, strict=True):
        link = css(card, "h2 a")[0]
        assert link.get("href") == f"/stories/{s.id}"
        assert _text(link) == " ".join(s.headline.split())
        meta = _text(css(card, ".meta")[0])
        assert f"{s.articles} report" in meta and " outlet" in meta
        assert ("updated " in meta and " ago" in meta) or "just now" in meta
        brief = store.brief(s.id)
        dated = [a for a in brief.story.articles if a.published]
        times = css(card, ".meta time[datetime]")
        if dated:  # the first publication time, never the ingest time
            assert times[0].get("datetime")[:4] == min(a.published for a in dated)[:4]
        else:  # sorted by the time it was added, and labelled so, never as a publication
            assert re.search(r"undated, added \d{1,2} [A-Z][a-z]{2} \d{4}", meta), meta
        # Outlet names (three, then "n more"), a one-line lede, the disputed topics.
        outlets = _text(css(card, ".card-outlets")[0])
        assert not re.search(r"\.(txt|html|jsonl)\b", outlets)
        assert css(card, ".lede") and _text(css(card, ".lede")[0])
        topics = [_text(b) for b in css(card, ".badges .badge-conflict")]
        assert len(topics) == min(len(brief.conflicts), 4) + (len(brief.conflicts) > 4)
        for topic, conflict in zip(topics[:4], brief.conflicts, strict=False):
            assert conflict.topic.startswith(topic)
        # "New since your last visit" is the browser's to show (localStorage).
        assert css(card, ".badge-new[hidden]")
    assert any(s.conflicts for s in summaries)
    dam = next(c for c in cards if "Velmar" in _text(c))
    assert _text(css(dam, ".card-outlets")[0]).endswith("and 3 more")
    # The card's counts are the story page's: the wire copy is no second outlet.
    assert "7 reports · 6 outlets · 1 wire copy" in _text(css(dam, ".meta")[0])
    # The search box is a plain GET form.
    form = css(doc, "form[role=search]")[0]
    assert form.get("method") == "get" and css(form, "input[name=q]")


def test_serve_web_list_searches_and_filters(client: TestClient, store: Store) -> None:
    def listed(url: str) -> list[str]:
        return [a.get("href") for a in css(_page(client, url), "li.story-card h2 a")]

    museum = [f"/stories/{s.id}" for s in store.list_stories(query="museum")]
    assert museum and listed("/?q=Museum") == museum
    # Full text: a person named only in an article's body; the match is highlighted.
    dam = _dam(store)
    assert "Vasko" not in dam.story.headline
    doc = _page(client, "/?q=vasko")
    assert [a.get("href") for a in css(doc, "li.story-card h2 a")] == [f"/stories/{dam.story.id}"]
    assert [_text(m) for m in css(doc, ".snippet mark")][:1] == ["Vasko"]
    # By outlet, by disagreement, by date range.
    assert listed("/?outlet=valley+courier") == [f"/stories/{dam.story.id}"]
    disputed = {f"/stories/{s.id}" for s in store.list_stories() if s.conflicts}
    assert set(listed("/?conflicts=1")) == disputed and disputed
    assert listed("/?until=2024-10-13") == [] and dam.story.id in str(listed("/?until=2024-10-14"))
    wide = [f"/stories/{s.id}" for s in store.list_stories(min_outlets=3)]
    assert listed("/?min_outlets=3") == wide and len(wide) < len(listed("/"))
    # Empty and bad filter values (as a plain form submits them) are ignored, not errors.
    assert listed("/?q=&since=&min_outlets=") == listed("/")
    assert listed("/?min_outlets=many") == listed("/")
    doc = _page(client, "/?since=someday")
    assert "is not a date" in _text(css(doc, ".notice")[0])
    assert listed("/?since=2100-01-01") == []
    assert "No stories match" in _text(css(_page(client, "/?q=zzzz-nothing"), ".count")[0])
    # The search text is shown back, escaped.
    doc = _page(client, "/?q=%3Cscript%3E")
    assert css(doc, "input[name=q]")[0].get("value") == "<script>"


def test_serve_web_list_pages(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_web, "PAGE_SIZE", 1)
    first = _page(client, "/?min_outlets=1")
    assert len(css(first, "li.story-card")) == 1
    nxt = css(first, "a[rel=next]")[0].get("href")
    assert "offset=1" in nxt and "min_outlets=1" in nxt
    second = _page(client, nxt)
    assert css(second, "a[rel=prev]")
    a = css(first, "li.story-card h2 a")[0].get("href")
    b = css(second, "li.story-card h2 a")[0].get("href")
    assert a != b


# -- the story page -------------------------------------------------------------------------------


def test_serve_web_story_citations_jump_to_the_marked_passage(
    client: TestClient, store: Store
) -> None:
    brief = _dam(store)
    doc = _page(client, f"/stories/{brief.story.id}")
    texts = {a.id: a.text for a in brief.story.articles}
    items = css(doc, "#summary ol.summary > li")
    assert len(items) == len(brief.summary) > 0
    for item, cited in zip(items, brief.summary, strict=True):
        assert " ".join(cited.text.split()) in _text(item)
        chips = css(item, "a.chip")
        assert len(chips) == len(cited.sources)
        for chip in chips:
            target = doc.get_element_by_id(chip.get("href")[1:])
            assert target.tag == "mark"
            # The mark holds exactly the cited passage of one of the cited articles.
            passages = {texts[s.article][s.start : s.end] for s in cited.spans}
            assert target.text_content() in passages


def test_serve_web_story_has_no_dangling_in_page_links(client: TestClient, store: Store) -> None:
    brief = _dam(store)
    doc = _page(client, f"/stories/{brief.story.id}")
    ids = {el.get("id") for el in doc.iter() if el.get("id")}
    links = [a.get("href") for a in doc.iter("a") if (a.get("href") or "").startswith("#")]
    assert len(links) > 50
    assert [h for h in links if h[1:] not in ids] == []


def test_serve_web_story_shows_every_section(client: TestClient, store: Store) -> None:
    brief = _dam(store)
    doc = _page(client, f"/stories/{brief.story.id}")
    # Reading order: summary, disagreements right under it, quotes, framing, facts, timeline,
    # people, what one outlet alone adds, sources.
    order = ["summary", "conflicts", "quotes", "framing", "facts", "timeline", "people", "unique"]
    ids = [el.get("id") for el in doc.iter() if el.get("id") in order]
    assert ids == order
    # Honest counts: the examples' dam story has one wire copy among its seven reports.
    copies = sum(1 for a in brief.story.articles if a.duplicate_of)
    assert copies == 1
    assert _text(css(doc, ".story-head .counts")[0]) == "7 reports · 6 outlets · 1 wire copy"
    # No outlet is named after a file or a line.
    labels = [_text(e) for e in css(doc, ".chip .label, details.source .src-label")]
    assert labels and not [x for x in labels if re.search(r"\.(txt|html|jsonl)\b|:\d+$", x)]
    # Facts: one line per fact, support counted in independent outlets.
    rows = css(doc, "#facts ul.facts > li")
    assert len(rows) == len(brief.facts) > 0
    for row in rows:
        n, total = re.fullmatch(r"(\d+) of (\d+) outlets", _text(css(row, ".support")[0])).groups()
        assert 1 <= int(n) <= int(total) == 6
    # Disagreements: one row per conflict, each value with its outlets and a time (or
    # "undated"); a rising toll as a sequence in publication order.
    conflicts = css(doc, "#conflicts li.conflict")
    assert len(conflicts) == len(brief.conflicts) > 0
    for box, conflict in zip(conflicts, brief.conflicts, strict=True):
        assert len(css(box, "ul.values > li")) == len(conflict.values)
        for report in css(box, ".report"):
            assert css(report, "a.chip") and _text(css(report, "time")[0])
        figures = [_text(f) for f in css(box, ".figure")]
        texts = {a.id: a.text for a in brief.story.articles}
        expected = {
            " ".join(texts[s.article][s.start : s.end].split())
            for v in conflict.values
            for s in v.spans
        }
        assert figures and set(figures) <= expected
    toll = next(b for b in conflicts if _text(css(b, ".topic")[0]).startswith("death toll"))
    assert _text(css(toll, ".sequence")[0]) == "4 dead → 5 dead"
    # The summary marks a disputed figure and links it to its disagreement.
    disputed = css(doc, "#summary a.disputed")
    assert disputed and {d.get("href") for d in disputed} <= {f"#{c.get('id')}" for c in conflicts}
    texts = {a.id: a.text for a in brief.story.articles}
    figures = {
        " ".join(texts[sp.article][sp.start : sp.end].split())
        for c in brief.conflicts
        for v in c.values
        for sp in v.spans
    }
    for mark in disputed:  # each marked words are a disputed figure as an outlet printed it
        words = _text(mark)
        assert any(words in f or f in words for f in figures), (words, figures)
    # Quotes by speaker, with variants; short fragments on one "phrases" line.
    speakers = [_text(h) for h in css(doc, "#quotes h3.speaker")]
    assert speakers and set(speakers) <= {q.speaker or "Unattributed" for q in brief.quotes}
    variants = sum(len(q.variants) for q in brief.quotes)
    assert len(css(doc, "#quotes .variants li")) == variants
    shown = len(css(doc, "#quotes figure.quote")) + len(css(doc, "#quotes .phrases q"))
    assert shown == len(brief.quotes)
    # How each outlet framed it: one line per independent report.
    assert len(css(doc, "#framing ol.framing > li")) == len(brief.story.articles) - copies
    # People and organisations with roles.
    people = _text(css(doc, "#people")[0])
    for entity in brief.entities[:5]:
        assert entity.name in people
    # The timeline as an inline SVG chart and a list, each sentence once and never within
    # another; no fragment (every event opens as a sentence does); background apart.
    events = [_text(css(li, ".claim")[0]) for li in css(doc, "#timeline ol.events > li")]
    assert events and len(events) == len(set(events))
    assert not [(a, b) for a in events for b in events if a != b and a.casefold() in b.casefold()]
    assert all(not e[0].islower() for e in events), events
    dates = {_text(t) for t in css(doc, "#timeline ol.events time")}
    assert dates <= {t.date for t in brief.timeline}
    background = {_text(t) for t in css(doc, "#timeline ol.background time")}
    assert background and all(d[:4] < "2024" for d in background)  # 1968, 2010
    days = {_text(t) for t in css(doc, "#timeline ol.days time")}
    assert days and all(d >= "2024" for d in days)
    # One dot a day in each of the chart's two drawings (wide, and narrow for a phone).
    for fit in ("wide", "narrow"):
        assert len(css(doc, f"#timeline .chart.{fit} svg circle")) == len(days), fit
    # What each outlet alone adds, the flags, and one panel per source.
    assert len(css(doc, "#unique ul.unique li")) == len(brief.unique)
    assert len(css(doc, "#flags li")) == len(brief.flags)
    assert len(css(doc, "#sources details.source")) == len(brief.story.articles)
    # Each source shows its cleaned text in full; no server path is shown.
    for section, article in zip(
        css(doc, "#sources details.source"), brief.story.articles, strict=True
    ):
        assert css(section, "div.text")[0].text_content() == article.text
    assert str(EXAMPLES) not in lxml.html.tostring(doc, encoding="unicode")
    # Long sections are collapsed behind their counts.
    for details in css(doc, "details.section"):
        assert css(details, "summary .n-items")


def test_serve_web_story_exports(client: TestClient, store: Store) -> None:
    brief = _dam(store)
    sid = brief.story.id
    doc = _page(client, f"/stories/{sid}")
    exports = {a.text_content(): a.get("href") for a in css(doc, "nav.exports a")}
    assert exports["JSON"] == f"/stories/{sid}.json"
    assert exports["Markdown"] == f"/stories/{sid}.md"
    assert exports["Printable page"] == f"/stories/{sid}/print"

    r = client.get(exports["JSON"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    document = r.json()
    validate_document(document)
    check_citations(document)
    assert document["stories"][0]["id"] == sid

    r = client.get(exports["Markdown"])
    assert r.headers["content-type"].startswith("text/markdown")
    assert r.text.lstrip().startswith("#") and brief.story.headline in r.text

    r = client.get(exports["Printable page"])
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == PRINT_CSP
    assert "script-src" not in PRINT_CSP and "default-src 'none'" in PRINT_CSP
    printable = lxml.html.fromstring(r.text)
    assert not css(printable, "script")
    assert brief.story.headline in _text(printable)


def test_serve_web_unknown_story_and_article_are_404_pages(client: TestClient) -> None:
    for url in (
        "/stories/s0000000000000000",
        "/stories/nope.json",
        "/stories/x/print",
        "/articles/a0000000000000000",
        "/no/such/page",
    ):
        doc = _page(client, url, status=404)
        assert "404" in _text(css(doc, "h1")[0])


# -- the article reader ---------------------------------------------------------------------------


def test_serve_web_article_marks_quotes_figures_and_entities(
    client: TestClient, store: Store
) -> None:
    brief = _dam(store)
    quoted = {s.article for q in brief.quotes for s in q.spans}
    figured = {s.article for c in brief.conflicts for v in c.values for s in v.spans}
    article = next(a for a in brief.story.articles if a.id in quoted and a.id in figured)
    doc = _page(client, f"/articles/{article.id}")
    assert css(doc, "div.reader-text")[0].text_content() == article.text
    quotes = {_text(m) for m in css(doc, "div.reader-text mark.q")}
    expected = {
        " ".join(article.text[s.start : s.end].split())
        for q in brief.quotes
        for s in (*q.spans, *(s for v in q.variants for s in v.spans))
        if s.article == article.id
    }
    assert quotes == expected
    figures = {_text(m) for m in css(doc, "div.reader-text mark.fig")}
    assert figures == {
        " ".join(article.text[s.start : s.end].split())
        for c in brief.conflicts
        for v in c.values
        for s in v.spans
        if s.article == article.id
    }
    people = [m for m in css(doc, "div.reader-text mark.ent-person")]
    names = {e.name for e in brief.entities} | {a for e in brief.entities for a in e.aliases}
    assert people and all(_text(m) in names for m in people)
    crumbs = css(doc, ".crumbs a")
    assert crumbs[-1].get("href") == f"/stories/{brief.story.id}"


# -- safety: escaping, headers, no inline code, nothing external -----------------------------------


def _assert_inert(doc: Any) -> None:
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert name != "style", el.tag
            if name in ("href", "src", "action"):
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
    for script in css(doc, "script"):
        assert script.get("src", "").startswith("/static/") and not (script.text or "").strip()
    assert not css(doc, "style")
    assert not css(doc, "img, iframe, object, embed")


def test_serve_web_escapes_hostile_article_fields(
    client: TestClient, hostile_ids: tuple[str, str]
) -> None:
    story_id, article_id = hostile_ids
    for url in ("/", f"/stories/{story_id}", f"/articles/{article_id}"):
        r = client.get(url)
        assert r.status_code == 200
        doc = lxml.html.fromstring(r.text)
        _assert_inert(doc)
        shown = doc.text_content()
        assert "window.__pwned" in shown  # shown as text...
        assert "<script>window.__pwned" not in r.text  # ...never as markup
        assert not re.search(r"<img[^>]*onerror", r.text, re.I)
    # The javascript: URL is shown as text, never as a link.
    doc = _page(client, f"/articles/{article_id}")
    assert "javascript:window.__pwned='url'" in _text(css(doc, "span.url")[0])
    printable = client.get(f"/stories/{story_id}/print").text
    assert "<script" not in printable.lower().replace("&lt;script", "")
    assert 'href="javascript:' not in printable


@pytest.mark.parametrize(
    "url", ["/", "/stories/{story}", "/articles/{article}", "/feeds", "/nowhere"]
)
def test_serve_web_pages_carry_strict_headers_and_no_inline_code(
    client: TestClient, store: Store, url: str
) -> None:
    brief = _dam(store)
    url = url.format(story=brief.story.id, article=brief.story.articles[0].id)
    r = client.get(url)
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    doc = lxml.html.fromstring(r.text)
    _assert_inert(doc)
    # Stylesheets, scripts and icons come from this server only.
    for el in css(doc, "link[href], script[src]"):
        ref = el.get("href") or el.get("src")
        assert ref.startswith("/static/"), ref
        assert client.get(ref).status_code == 200
    # Landmarks for keyboard and screen-reader users.
    skip = css(doc, "a.skip")[0]
    assert skip.get("href") == "#main" and doc.get_element_by_id("main").tag == "main"
    assert doc.get("lang") == "en" and len(css(doc, "h1")) == 1
    assert all(nav.get("aria-label") for nav in css(doc, "nav"))


def test_serve_web_static_files_are_local_and_contained(client: TestClient) -> None:
    css = client.get("/static/synoptic.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "http://" not in css.text and "https://" not in css.text and "@import" not in css.text
    assert ":focus-visible" in css.text and "@media" in css.text
    js = client.get("/static/synoptic.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "fetch(" not in js.text and "XMLHttpRequest" not in js.text and "eval(" not in js.text
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404


# -- the pieces: marks, sentences, the chart, time spans ------------------------------------


def test_serve_web_marks_nest_and_escape() -> None:
    text = 'He said "<b>no</b>" & left.'
    quote = text.index('"<b>')
    html = mark_text(
        text,
        [
            Mark(0, len(text), "cite", anchor="c1", cite="c1"),
            Mark(quote + 1, quote + 10, "q", title='say "hi"'),
        ],
    )
    assert str(html) == (
        '<mark class="cite" id="c1" tabindex="-1" data-cite="c1">He said &#34;'
        '<mark class="q" title="say &#34;hi&#34;">&lt;b&gt;no&lt;/b&gt;</mark>'
        "&#34; &amp; left.</mark>"
    )
    assert lxml.html.fragment_fromstring(str(html), create_parent="div").text_content() == text


def test_serve_web_marks_split_crossing_spans() -> None:
    text = "abcdefghij"
    html = str(
        mark_text(
            text, [Mark(0, 6, "a", anchor="x", cite="x"), Mark(3, 9, "b", anchor="y", cite="y")]
        )
    )
    assert html == (
        '<mark class="a" id="x" tabindex="-1" data-cite="x">abc'
        '<mark class="b" id="y" tabindex="-1" data-cite="y">def</mark></mark>'
        '<mark class="b cont" data-cite="y">ghi</mark>j'
    )
    frag = lxml.html.fragment_fromstring(html, create_parent="div")
    assert frag.text_content() == text
    assert "".join(m.text_content() for m in css(frag, 'mark[data-cite="y"]')) == "defghi"


def test_serve_web_marks_clip_drop_empty_and_repair_controls() -> None:
    html = str(mark_text("a\x1bb", [Mark(-5, 1, "k"), Mark(2, 2, "empty"), Mark(2, 99, "t")]))
    assert html == '<mark class="k">a</mark>\ufffd<mark class="t">b</mark>'
    assert str(mark_text("", [Mark(0, 3, "k")])) == ""


def test_serve_web_sentence_around_a_figure() -> None:
    text = "First one. Then 17 people were hurt on Monday! Last one."
    start = text.index("17")
    assert sentence_around(text, start, start + 2) == (
        "Then ",
        "17",
        " people were hurt on Monday!",
    )
    long = "word " * 100 + "42" + " word" * 100
    before, figure, after = sentence_around(long, 500, 502, limit=20)
    assert figure == "42" and before.startswith("…") and after.endswith("…")
    assert len(before) <= 22 and len(after) <= 22


def test_serve_web_timeline_chart_orders_dates_and_marks_gaps() -> None:
    events = [
        {"id": "t1", "date": "2024-10-14", "text": "a"},
        {"id": "t2", "date": "1968", "text": "b"},
        {"id": "t3", "date": "2024-10-14", "text": "c"},
        {"id": "t4", "date": "sometime", "text": "d"},
        {"id": "t5", "date": "2024-10", "text": "e"},
    ]
    chart = timeline_chart(events)
    assert chart is not None
    assert [p["date"] for p in chart["points"]] == ["1968", "2024-10", "2024-10-14"]
    # Short labels; the year on a day only when the chart spans several years.
    assert [p["label"] for p in chart["points"]] == ["1968", "Oct 2024", "14 Oct 2024"]
    assert [p["count"] for p in chart["points"]] == [1, 1, 2]
    xs = [p["x"] for p in chart["points"]]
    assert xs == sorted(xs) and xs[0] == chart["x0"] and xs[-1] == chart["x1"]
    assert chart["points"][2]["r"] > chart["points"][0]["r"]
    assert chart["points"][2]["href"] == "#t1"
    assert len(chart["breaks"]) == 1 and xs[0] < chart["breaks"][0] < xs[1]
    assert timeline_chart([{"id": "t1", "date": "soon", "text": "x"}]) is None


@pytest.mark.parametrize("width", [CHART_WIDTH, NARROW_WIDTH])
def test_serve_web_timeline_chart_labels_never_overlap(width: int) -> None:
    # Forty days in a row: far more labels than fit on one row of the axis (wide or phone).
    days = [f"2024-10-{d:02d}" for d in range(1, 32)] + [f"2024-11-{d:02d}" for d in range(1, 10)]
    events = [{"id": f"t{i}", "date": d, "text": d} for i, d in enumerate(days)]
    chart = timeline_chart(events, width)
    assert chart is not None and len(chart["points"]) == 40 and chart["width"] == width
    shown = [p for p in chart["points"] if p["row"] is not None]
    assert width // 95 <= len(shown) < 40  # thinned, not emptied
    assert {p["row"] for p in shown} == {0, 1}  # both rows used
    for row in (0, 1):
        boxes = sorted(
            (p["x"] - len(p["label"]) * 8.2 / 2, p["x"] + len(p["label"]) * 8.2 / 2)
            for p in shown
            if p["row"] == row
        )
        assert all(a[1] < b[0] for a, b in itertools.pairwise(boxes))
    # The first and the last date are always labelled, and each label stays on the chart.
    assert chart["points"][0]["row"] == 0
    assert all(p["x"] - len(p["label"]) * 8.2 / 2 >= 0 for p in shown)
    assert all(p["x"] + len(p["label"]) * 8.2 / 2 <= chart["width"] for p in shown)


def test_serve_web_undated_story_says_when_it_was_added() -> None:
    added = datetime(2026, 12, 7, 9, 30, tzinfo=UTC).timestamp()
    assert undated_text(added) == "undated, added 7 Dec 2026"
    assert undated_text(None) == "undated"


def test_serve_web_time_span_reads_well() -> None:
    assert (
        time_span("2024-10-14T17:30:00+00:00", "2024-10-14T17:30:00+00:00")
        == "14 Oct 2024, 17:30 UTC"
    )
    assert (
        time_span("2024-10-14T17:30:00+00:00", "2024-10-14T19:00:00+00:00")
        == "14 Oct 2024, 17:30–19:00 UTC"
    )
    assert time_span("2024-10-14T17:30:00+00:00", "2024-10-16T06:10:00+00:00") == (
        "14 Oct 2024, 17:30 – 16 Oct 2024, 06:10 UTC"
    )
    assert (
        time_span("2024-10-14T17:30:00+02:00", "2024-10-14T17:30:00+02:00")
        == "14 Oct 2024, 15:30 UTC"
    )


def test_serve_web_feeds_page_shows_state_escaped(client: TestClient, store: Store) -> None:
    """The feeds page lists each subscription's state; a hostile title and URL stay text."""
    from synoptic.errors import FetchError
    from synoptic.web.subscriptions import add_feeds, record_failure, record_success

    good, bad = "https://good.example/feed.xml", "http://bad.example/rss?a=<b>"
    hostile = "<script>window.__pwned='feed'</script>Feed"
    add_feeds(store, [good, bad], interval=1800, titles={good: hostile}, now=1_700_000_000)
    record_success(
        store,
        good,
        now=1_700_000_100,
        next_ts=1_700_001_900,
        etag=None,
        last_modified=None,
        title=None,
        links=["https://good.example/a", "https://good.example/b"],
    )
    record_failure(
        store,
        bad,
        FetchError("E407", bad, status=503, detail=" Service Unavailable"),
        now=1_700_000_200,
        next_ts=1_700_003_800,
    )
    raw = client.get("/feeds").text
    assert "<script>window.__pwned" not in raw and "&lt;script&gt;window.__pwned=" in raw
    doc = _page(client, "/feeds")
    assert not css(doc, "main script")
    cards = {_text(css(li, ".feed-url")[0]): li for li in css(doc, "li.feed-card")}
    assert set(cards) == {good, bad}
    first, second = cards[good], cards[bad]
    assert _text(css(first, "h2")[0]) == hostile  # shown as text, not markup
    assert css(first, ".feed-url a")[0].get("href") == good
    state = dict(zip(map(_text, css(first, "dt")), map(_text, css(first, "dd")), strict=True))
    assert state["Entries seen"] == "2" and state["Last error"] == "none"
    assert state["Every"] == "30 min" and state["Last success"] == "14 Nov 2023, 22:15 UTC"
    state = dict(zip(map(_text, css(second, "dt")), map(_text, css(second, "dd")), strict=True))
    assert state["Last error"].startswith("E407 HTTP 503 Service Unavailable")
    assert state["Last success"] == "never" and state["Entries seen"] == "0"
    assert css(doc, 'header a[href="/feeds"][aria-current="page"]')
    head = client.head("/feeds")
    assert head.status_code == 200 and head.content == b""


def test_serve_web_merged_story_page_moves_for_good(client: TestClient, store: Store) -> None:
    from synoptic.store.schema import RedirectRow

    dam = _dam(store)
    old = "s00000000000dead0"
    with store.session() as s:
        s.merge(RedirectRow(old_id=old, new_id=dam.story.id, created_ts=1_700_000_000.0))
    r = client.get(f"/stories/{old}", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == f"/stories/{dam.story.id}"
    # The story page carries the "What changed" panel, folded behind its count.
    doc = _page(client, f"/stories/{dam.story.id}")
    assert css(doc, "details#changed .changes")
