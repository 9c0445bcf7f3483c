"""Outlets registry and outlet detection (``synoptic.outlets``)."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from synoptic.model import Article, Brief, Cited, Span, Story, briefs_document
from synoptic.outlets import (
    attribute,
    builtin,
    independent_outlets,
    load_registry,
    registrable_domain,
    using,
)
from synoptic.outlets.detect import publisher_of
from synoptic.outlets.registry import KINDS, Registry, parse_outlets
from synoptic.schema import validate_document
from synoptic.synthesize.facts import support

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "outlets"
FUNDUS = ROOT.parent / "shared" / "data" / "fundus-pages"


def _raw_rows() -> list[list[str]]:
    text = resources.files("synoptic.outlets").joinpath("outlets.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return rows[1:]  # the header


def test_outlets_registry_entries_are_complete_and_unique() -> None:
    rows = _raw_rows()
    reg = builtin()
    assert len(reg) == len(rows) >= 300
    assert all(len(r) == 9 for r in rows), [r[0] for r in rows if len(r) != 9]
    ids = Counter(r[0] for r in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    domains = Counter(d for o in reg for d in o.domains)
    assert [d for d, n in domains.items() if n > 1] == []
    for o in reg:
        assert o.source and o.source.startswith("Wikipedia: "), o.id
        assert o.country and len(o.country) == 2, o.id
        assert o.languages and all(k in KINDS for k in o.kinds), o.id
    # The major wire agencies come first.
    assert [o.id for o in list(reg)[:4]] == ["ap", "reuters", "afp", "dpa"]
    assert all(o.is_wire for o in list(reg)[:30])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://edition.cnn.com/2024/01/01/world/x", "cnn"),
        ("http://news.bbc.co.uk/2/hi/europe/1.stm", "bbc"),
        ("https://apnews.com/article/abc", "ap"),
        ("http://bigstory.ap.org/article/x", "ap"),
        ("http://sports.espn.go.com/nfl/news", "espn"),
        ("https://abcnews.go.com/US/x", "abcnews"),
        ("https://folha.uol.com.br/mundo/x.shtml", "folha"),
        ("https://www.uol.com.br/x", "uol"),
        ("http://politics.people.com.cn/n1/x.html", "peoples-daily"),
        ("https://people.com/celebrity/x", "people"),
        ("https://www.reuters.com/world/x", "reuters"),
        ("https://unknown-paper.example/x", None),
    ],
)
def test_outlets_detects_outlet_by_url_host(url: str, expected: str | None) -> None:
    art = Article(id="a1", source="page.html", text="Body.", url=url)
    assert attribute(art).outlet == expected


def _credit_rows() -> list[tuple[str, str, str | None]]:
    rows = []
    for line in (DATA / "credits.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        field, text, ident = line.split("\t")
        rows.append((field, text, None if ident == "-" else ident))
    return rows


def test_outlets_wire_credits_in_bylines_and_datelines() -> None:
    """Bylines and dateline heads from real pages: no wrong agency, and most credits found."""
    right = wrong = missed = 0
    for field, text, gold in _credit_rows():
        if field == "byline":
            art = Article(id="a1", source="-", text="Body.", byline=text)
        else:
            art = Article(id="a1", source="-", text=text)
        got = attribute(art)
        found = got.outlet if got.via == "credit" else None
        if found is not None and found == gold:
            right += 1
        elif found is not None:
            wrong += 1
        elif gold is not None:
            missed += 1
    assert wrong == 0
    assert right / (right + missed) >= 0.85


def test_outlets_a_person_named_like_an_agency_is_no_credit() -> None:
    # "Petra" and "Trend" are agencies' short names; a byline of a person is not a credit.
    art = Article(id="a1", source="-", text="Body.", byline="Petra Lind")
    assert attribute(art).via != "credit"
    art = Article(id="a1", source="-", text="Body.", byline="AP Diplomatic Writer")
    assert attribute(art).outlet == "ap"
    # A byline segment is tried whole before it is cut at conjunctions.
    for byline, agency in (
        ("Press Trust of India", "pti"),
        ("By Staff Writer, Associated Press of Pakistan", "app-pk"),
        ("Le Figaro et AFP", "afp"),
    ):
        assert attribute(Article(id="a", source="-", text="x", byline=byline)).outlet == agency


def test_outlets_unknown_outlet_stands_as_its_domain_never_a_file_name() -> None:
    art = Article(
        id="a1", source="/data/in/story-17.txt:3", text="Body.", url="https://news.paper.co.uk/x"
    )
    got = attribute(art)
    assert (got.name, got.key, got.outlet) == ("paper.co.uk", "domain:paper.co.uk", None)
    assert art.label == "news.paper.co.uk"
    assert registrable_domain("articles.latimes.com") == "latimes.com"
    bare = Article(id="a2", source="/data/in/story-17.txt:3", text="Body.")
    assert "story-17" not in attribute(bare).key and attribute(bare).name is None


def test_outlets_user_file_adds_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "mine.tsv"
    user.write_text(
        "# mine\n"
        "local-wire\tLocal Wire\tLW\tlocalwire.example\tXO\ten\twire\t\tour notes\n"
        "bbc\tBBC\t\tbbc.co.uk|bbc.com\tGB\ten\tpublic\tBritish Broadcasting Corporation\tx\n",
        encoding="utf-8",
    )
    reg = load_registry(user)
    assert len(reg) == len(builtin()) + 1
    assert reg.by_id["bbc"].parent == "British Broadcasting Corporation"
    art = Article(id="a1", source="-", text="HOLLIN (LW) – Water rose.", url="https://x.example/1")
    assert attribute(art, reg).outlet == "local-wire"
    assert attribute(art).outlet is None  # the shipped registry alone does not know it
    with using(reg):
        assert attribute(art).outlet == "local-wire"
    bad = tmp_path / "bad.tsv"
    bad.write_text("x\tX\t\t\tXO\ten\tblog\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:1: unknown kind 'blog'"):
        load_registry(bad)
    with pytest.raises(ValueError, match="an id and a name"):
        parse_outlets("\tNo id\n")


LEAD = "WASHINGTON (AP) — Talks between the two governments ended without a deal on Monday."


def _wire_story() -> Story:
    """An AP story on apnews.com, republished twice (edited, so no copy marks), and Reuters."""
    arts = (
        Article(id="ap1", source="s1", text=LEAD, url="https://apnews.com/article/talks"),
        Article(
            id="wt1",
            source="s2",
            text=LEAD + " Local reaction follows.",
            url="https://www.washingtontimes.com/news/talks",
            outlet="The Washington Times",
        ),
        Article(
            id="yy1",
            source="s3",
            text="Talks between the two governments ended without a deal.",
            url="https://smalltown-news.example/talks",
            byline="By Matthew Lee, Associated Press",
        ),
        Article(
            id="rt1",
            source="s4",
            text="GENEVA (Reuters) - The talks ended on Monday with no agreement.",
            url="https://www.reuters.com/world/talks",
        ),
        Article(id="dm1", source="s5", text="Talks ended.", url="https://www.dailymail.co.uk/x"),
        Article(id="mt1", source="s6", text="Talks ended today.", url="https://metro.co.uk/x"),
    )
    return Story(id="s1", headline="Talks", articles=arts)


def test_outlets_wire_story_republished_twice_counts_once() -> None:
    story = _wire_story()
    rep = independent_outlets(story)
    assert rep["wt1"] == rep["yy1"] == rep["ap1"] == "ap1"
    assert rep["rt1"] == "rt1"
    # Daily Mail and Metro share a parent (DMG Media): one independent outlet.
    assert rep["mt1"] == rep["dm1"] == "dm1"
    everyone = Cited("Talks ended.", tuple(Span(a.id, 0, 5) for a in story.articles))
    assert support(everyone, story) == 3
    apish = Cited("Talks ended.", (Span("wt1", 0, 5), Span("yy1", 0, 5)))
    assert support(apish, story) == 1
    # A copy marked by dedup counts with its original, as before.
    marked = Story(
        id="s2",
        headline="T",
        articles=(
            Article(id="o", source="a", text="x", url="https://unknown-a.example/1"),
            Article(
                id="c", source="b", text="x", url="https://unknown-b.example/1", duplicate_of="o"
            ),
        ),
    )
    assert independent_outlets(marked) == {"o": "o", "c": "o"}


def test_outlets_brief_shows_kinds_and_validates() -> None:
    from synoptic.outlets import attribute_all

    story = _wire_story()
    brief = Brief(
        story=story,
        outlets=tuple(a.to_dict() for a in attribute_all(story.articles).values()),
    )
    doc = json.loads(json.dumps(briefs_document([brief])))
    validate_document(doc)
    out = doc["stories"][0]
    kinds = {a["id"]: (a["outlet_kind"], a["counts_for"]) for a in out["articles"]}
    assert kinds["wt1"] == ("wire", "Associated Press")
    assert kinds["dm1"] == ("private", "Daily Mail")
    assert out["independent_outlets"] == 3
    wt = next(o for o in out["outlets"] if o["article"] == "wt1")
    assert (wt["via"], wt["publisher"]) == ("credit", "The Washington Times")
    assert Brief.from_dict(brief.to_dict()) == brief


def test_outlets_examples_wire_copies_count_for_their_agency() -> None:
    from synoptic.extract.core import extract
    from synoptic.ingest.files import read_inputs
    from synoptic.model import RawDocument

    reg = load_registry(ROOT / "examples" / "outlets.tsv")
    docs = [d for d in read_inputs([str(ROOT / "examples" / "dam")]) if isinstance(d, RawDocument)]
    got = {Path(d.source).name: attribute(extract(d), reg) for d in docs}
    assert got["kellen-herald-wire.txt"].outlet == "mpa"
    assert got["coastline-today-wire.txt"].outlet == "mpa"
    assert got["northern-ledger.html"].outlet == "northern-ledger"
    assert got["valley-courier.html"].outlet == "valley-courier"
    assert got["asia-current.txt"].name is None  # nothing names it: the article stands alone


@pytest.mark.skipif(not FUNDUS.is_dir(), reason="needs ../shared/data/fundus-pages")
def test_outlets_fundus_publishers_by_url_precision() -> None:
    """Every real page's URL names its publisher when the registry lists it, never another."""
    gold = {}
    for line in (DATA / "fundus_publishers.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            country, publisher, ident = line.split("\t")
            gold[(country, publisher)] = None if ident == "-" else ident
    right = wrong = missed = 0
    for meta in sorted(FUNDUS.glob("*/meta.info")):
        for name, info in json.loads(meta.read_text(encoding="utf-8")).items():
            g = gold[(meta.parent.name, name.rsplit("_", 3)[0])]
            found = publisher_of(Article(id="a", source=name, text="", url=info["url"]))
            got = found.id if found else None
            right += got is not None and got == g
            wrong += got is not None and got != g
            missed += got is None and g is not None
    assert wrong == 0
    assert right / (right + missed) >= 0.95


def test_outlets_independent_outlets_follow_the_registry_asked() -> None:
    # Two hosts nothing ships knows, that a user's registry makes one outlet: the answer for
    # one story follows the registry it is asked with, however registries come and go (no
    # answer may be kept by a registry's id(), which a later one reuses).
    story = Story(
        id="s",
        headline="Talks",
        articles=(
            Article(id="x", source="a", text="Talks ended.", url="https://a-news.example/1"),
            Article(id="y", source="b", text="Talks ended today.", url="https://b-news.example/1"),
        ),
    )
    mine = parse_outlets("ab\tAB News\t\ta-news.example|b-news.example\tXO\ten\tprivate\t\t\n")
    plain, joined = list(builtin()), [*builtin(), *mine]
    for _ in range(5):
        for outlets, want in ((plain, {"x": "x", "y": "y"}), (joined, {"x": "x", "y": "x"})):
            registry = Registry(outlets)
            assert independent_outlets(story, registry) == want
            del registry
