"""End to end in a real browser: Debian's Chromium driven by Playwright against uvicorn.

The server runs in a thread on 127.0.0.1 (a free port) over a store holding the example corpus
and one hostile article. The tests open the list, open a story, click a citation and see its
sentence highlighted, search, move by keyboard, and check that the hostile article runs no
script and that the Content-Security-Policy blocks inline script. Each page is saved as a
screenshot under pytest's ``tmp_path`` (and into ``$SYNOPTIC_SCREENSHOTS`` when set).

Skipped with a message when Playwright or ``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from synoptic.errors import FetchError
from synoptic.serve import create_app
from synoptic.store import Store, ingest_paths
from synoptic.web.subscriptions import add_feeds, record_failure
from test_serve_web import HOSTILE
from test_store_fixtures import EXAMPLES

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "browser-test-token"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


class Server:
    """uvicorn serving an app in a thread, on a socket bound before it starts."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A running server over the examples plus the hostile article."""
    folder = tmp_path_factory.mktemp("browser")
    with Store(f"sqlite:///{folder / 'browser.db'}") as store:
        ingest_paths(store, [str(EXAMPLES)], briefs=True)
        # A feed whose long URL and error message must wrap on a phone, not widen the page.
        feed = "https://news.example/" + "very-long-section-name/" * 8 + "feed.xml"
        add_feeds(store, [feed], now=1_700_000_000)
        error = FetchError("E405", feed, reason="[SSL: CERTIFICATE_VERIFY_FAILED]" + "x" * 120)
        record_failure(store, feed, error, now=1_700_000_100, next_ts=1_700_000_700)
        with Server(create_app(store, token=TOKEN)) as server:
            r = httpx.post(
                f"{server.url}/api/v1/ingest",
                json=[HOSTILE],
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=120,
            )
            item = r.json()["items"][0]
            assert item["status"] == "accepted", r.text
            # The brief is rebuilt after the answer; wait for it.
            deadline = time.monotonic() + 120
            while store.list_stories(query="Harbour wall")[0].conflicts is None:
                assert time.monotonic() < deadline, "hostile brief never built"
                time.sleep(0.2)
            dam = max(store.list_stories(), key=lambda s: s.articles)
            yield {
                "url": server.url,
                "store": store,
                "dam": store.brief(dam.id),
                "hostile_story": item["story_id"],
                "hostile_article": item["article_id"],
            }


@pytest.fixture(scope="module")
def browser(site: dict[str, Any]) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a broken install must skip, not fail, the suite
            pytest.skip(f"Chromium at {CHROMIUM} does not start under Playwright: {exc}")
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    """A fresh page that records CSP violations, console lines and every request."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    # Init scripts come from the driver, not the page, so the CSP does not apply to them.
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
        "{directive: e.effectiveDirective, blocked: e.blockedURI}));"
    )
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    pg.console = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.console.append(m.text))  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        context.close()


def _shot(page: Any, tmp_path: Path, name: str, full: bool = False) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    assert path.stat().st_size > 1000
    folder = os.environ.get("SYNOPTIC_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)
    return path


SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def _context(browser: Any, size: str, **options: Any) -> Any:
    """A browser context at a desktop's or a phone's size (``SIZES``)."""
    width, height = SIZES[size]
    return browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=size == "phone", **options
    )


def _only_local(page: Any, base: str) -> None:
    outside = [u for u in page.requests if not u.startswith(base) and not u.startswith("data:")]
    assert outside == []


def test_serve_browser_list_story_citation_and_search(
    page: Any, site: dict[str, Any], tmp_path: Path
) -> None:
    base, brief = site["url"], site["dam"]
    page.goto(base + "/")
    cards = page.locator("li.story-card")
    assert cards.count() == len(site["store"].list_stories())
    _shot(page, tmp_path, "list", full=True)

    # Open the story from the list.
    page.get_by_role("link", name=brief.story.headline).click()
    page.wait_for_url(f"{base}/stories/{brief.story.id}")
    assert page.locator("h1").inner_text() == brief.story.headline
    _shot(page, tmp_path, "story")

    # Click the first citation of the summary: its sentence is marked and shown.
    chip = page.locator("#summary a.chip").first
    anchor = chip.get_attribute("href")
    assert anchor and anchor.startswith("#c")
    chip.click()
    mark = page.locator(f"mark{anchor}")
    sync_api.expect(mark).to_have_class("cite s active")
    sync_api.expect(mark).to_be_in_viewport()
    texts = {a.id: a.text for a in brief.story.articles}
    cited = {texts[s.article][s.start : s.end] for s in brief.summary[0].spans}
    assert mark.text_content() in cited
    assert page.evaluate("document.activeElement.id") == anchor[1:]
    assert page.url.endswith(anchor)
    _shot(page, tmp_path, "story-citation")

    # Escape returns to the chip.
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.getAttribute('href')") == anchor

    # Search from the list page: "/" jumps to the box.
    page.goto(base + "/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("museum")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?q=museum(&|$)"))
    museum = site["store"].list_stories(query="museum")
    sync_api.expect(page.locator("li.story-card")).to_have_count(len(museum))
    assert page.locator("li.story-card h2").first.inner_text() == museum[0].headline
    _shot(page, tmp_path, "search", full=True)
    # Full text: a person named only in the body of the dam reports, highlighted.
    assert all("Vasko" not in s.headline for s in site["store"].list_stories())
    page.goto(base + "/?q=Vasko")
    sync_api.expect(page.locator("li.story-card")).to_have_count(1)
    sync_api.expect(page.locator(".snippet mark").first).to_have_text("Vasko")
    assert page.locator("li.story-card h2").inner_text().startswith(brief.story.headline)
    _shot(page, tmp_path, "search-full-text", full=True)
    _only_local(page, base)
    assert page.evaluate("window.__violations") == []


def test_serve_browser_citation_works_without_javascript(
    browser: Any, site: dict[str, Any], tmp_path: Path
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    try:
        page = context.new_page()
        brief = site["dam"]
        page.goto(f"{site['url']}/stories/{brief.story.id}")
        chip = page.locator("#summary a.chip").first
        anchor = chip.get_attribute("href")
        chip.click()
        assert page.url.endswith(anchor)
        mark = page.locator(f"mark{anchor}")
        sync_api.expect(mark).to_be_in_viewport()
        # Highlighted by CSS :target alone: a different background from a plain cited mark.
        other = page.locator("mark.cite:not(:target)").first
        assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != other.evaluate(
            "m => getComputedStyle(m).backgroundColor"
        )
        _shot(page, tmp_path, "story-citation-nojs")
    finally:
        context.close()


def test_serve_browser_keyboard_and_phone_layout(
    browser: Any, site: dict[str, Any], tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        brief = site["dam"]
        pages = (
            ("/", "phone-list"),
            (f"/stories/{brief.story.id}", "phone-story"),
            (f"/stories/{site['hostile_story']}", "phone-hostile-story"),
            (f"/articles/{brief.story.articles[0].id}", "phone-article"),
            (f"/articles/{site['hostile_article']}", "phone-hostile-article"),
            ("/feeds", "phone-feeds"),
            ("/?q=dam", "phone-search"),
            ("/api/v1/docs", "phone-api-docs"),
        )
        for url, name in pages:
            page.goto(site["url"] + url)
            # Nothing wider than the screen. A mobile viewport widens innerWidth to fit wide
            # content, so the check is against the phone's 390 px, not innerWidth.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 391, (url, width)
            _shot(page, tmp_path, name, full=True)
        # The search form leaves most of the first screen to the stories.
        page.goto(site["url"] + "/")
        form = page.locator("form.filters").evaluate("f => f.getBoundingClientRect().height")
        assert form < 844 * 0.35, form
        page.goto(site["url"] + "/feeds")
        # The skip link is the first stop and moves focus to the content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        context.close()


def test_serve_browser_hostile_article_runs_no_script(
    page: Any, site: dict[str, Any], tmp_path: Path
) -> None:
    base = site["url"]
    urls = {
        "hostile-list": "/",
        "hostile-story": f"/stories/{site['hostile_story']}",
        "hostile-article": f"/articles/{site['hostile_article']}",
        "hostile-print": f"/stories/{site['hostile_story']}/print",
    }
    for name, url in urls.items():
        page.goto(base + url)
        page.wait_for_load_state("load")
        page.locator("body").hover()
        assert page.evaluate("typeof window.__pwned") == "undefined", name
        # The payload would set the title to "pwned"; the page's own title stands.
        assert page.title() != "pwned" and page.title().endswith("· Synoptic"), name
        assert page.locator('a[href^="javascript:" i]').count() == 0, name
        assert page.locator("img").count() == 0, name
        # The payload is on the page as text.
        assert "window.__pwned" in page.locator("body").inner_text(), name
        _shot(page, tmp_path, name)

    # The policy itself: an inline script added to the page is refused and reported.
    page.goto(base + urls["hostile-story"])
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__inline_ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__inline_ran") == "undefined"
    directives = [v["directive"] for v in page.evaluate("window.__violations")]
    assert "script-src-elem" in directives or "script-src" in directives
    # And an inline style attribute is refused too.
    page.evaluate("() => document.body.setAttribute('style', 'background: rgb(1, 2, 3)')")
    page.wait_for_timeout(100)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(1, 2, 3)"
    _only_local(page, base)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_serve_browser_disagreements_above_the_fold(
    browser: Any, site: dict[str, Any], tmp_path: Path, size: str
) -> None:
    height = SIZES[size][1]
    context = _context(browser, size)
    try:
        page = context.new_page()
        brief = site["dam"]
        page.goto(f"{site['url']}/stories/{brief.story.id}")
        # The first disagreement row starts on the first screen, right under the summary.
        first = page.locator("#conflicts li.conflict").first
        top = first.evaluate("e => e.getBoundingClientRect().top")
        assert 0 < top < height, top
        assert page.locator("#summary").evaluate("e => e.getBoundingClientRect().bottom") < top
        _shot(page, tmp_path, f"{size}-story-first-screen")
    finally:
        context.close()


def test_serve_browser_chip_sheet_jump_and_back_with_reduced_motion(
    browser: Any, site: dict[str, Any], tmp_path: Path
) -> None:
    context = _context(browser, "phone", has_touch=True, reduced_motion="reduce")
    try:
        page = context.new_page()
        brief = site["dam"]
        url = f"{site['url']}/stories/{brief.story.id}"
        page.goto(url)
        assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
        chip = page.locator("#summary a.chip").first
        anchor = chip.get_attribute("href")
        chip.click()
        # On a phone the chip opens a sheet right under it with the cited passage; no jump.
        sheet = page.locator(".cite-sheet")
        sync_api.expect(sheet).to_be_visible()
        assert page.url == url and chip.get_attribute("aria-expanded") == "true"
        mark = page.locator(f"mark{anchor}")
        key = mark.get_attribute("data-cite")
        parts = page.locator(f'mark[data-cite="{key}"]') if key else mark
        passage = " ".join(" ".join(parts.all_text_contents()).split())
        assert " ".join(sheet.locator("blockquote").inner_text().split()) == passage
        box, chip_box = sheet.bounding_box(), chip.bounding_box()
        assert box and chip_box and box["y"] >= chip_box["y"] + chip_box["height"] - 1
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 391
        _shot(page, tmp_path, "phone-chip-sheet")
        # The sheet's link jumps to the passage, in its opened source; Back returns.
        sheet.locator("a.sheet-go").click()
        sync_api.expect(mark).to_be_in_viewport()
        assert page.url.endswith(anchor)
        _shot(page, tmp_path, "phone-chip-jump")
        page.go_back()
        page.wait_for_function(f"location.href === {url!r}")
        assert page.url == url
        sync_api.expect(chip).to_be_in_viewport()
        # Escape closes the sheet and gives the focus back to the chip.
        page.keyboard.press("Escape")
        sync_api.expect(sheet).to_have_count(0)
        assert page.evaluate("document.activeElement.getAttribute('href')") == anchor
        # Chip again, sheet again; the chip a second time closes it.
        chip.click()
        sync_api.expect(sheet).to_be_visible()
        chip.click()
        sync_api.expect(sheet).to_have_count(0)
    finally:
        context.close()


def test_serve_browser_phone_chip_without_javascript_leads_to_its_sentence(
    browser: Any, site: dict[str, Any], tmp_path: Path
) -> None:
    context = _context(browser, "phone", java_script_enabled=False)
    try:
        page = context.new_page()
        brief = site["dam"]
        url = f"{site['url']}/stories/{brief.story.id}"
        page.goto(url)
        chip = page.locator("#summary a.chip").first
        anchor = chip.get_attribute("href")
        chip.click()
        assert page.url.endswith(anchor)
        mark = page.locator(f"mark{anchor}")
        sync_api.expect(mark).to_be_in_viewport()  # :target opens nothing: it is shown
        texts = {a.id: a.text for a in brief.story.articles}
        cited = {texts[s.article][s.start : s.end] for s in brief.summary[0].spans}
        assert mark.text_content() in cited
        _shot(page, tmp_path, "phone-chip-nojs")
        page.go_back()
        page.wait_for_function(f"location.href === {url!r}")
    finally:
        context.close()


# Every page of the site, shot at both sizes (the note describes them).
_PAGES = ("list", "story", "museum-story", "talks-story", "hostile-story", "article", "feeds")
_LABEL_BOXES = """() => Array.from(document.querySelectorAll('#timeline svg text.label'))
  .filter(t => t.getClientRects().length).map(t => {
  const r = t.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom, t.textContent];
})"""
# The timeline charts shown (CSS shows one of two drawings): which, whether it scrolls inside
# its box, where its drawing lies and how tall its first label is drawn.
_CHARTS = """() => Array.from(document.querySelectorAll('#timeline .chart'))
  .filter(c => c.getClientRects().length).map(c => {
  const svg = c.querySelector('svg').getBoundingClientRect();
  const label = c.querySelector('text.label');
  return {narrow: c.classList.contains('narrow'), scroll: c.scrollWidth, client: c.clientWidth,
          left: svg.left, right: svg.right,
          label: label ? label.getBoundingClientRect().height : null};
})"""


def _urls(site: dict[str, Any]) -> dict[str, str]:
    stories = site["store"].list_stories()
    museum = next(s for s in stories if "museum" in s.headline.lower())
    others = [s for s in stories if s.id not in (museum.id, site["dam"].story.id)]
    talks = next((s for s in others if s.id != site["hostile_story"]), museum)
    return {
        "list": "/",
        "story": f"/stories/{site['dam'].story.id}",
        "museum-story": f"/stories/{museum.id}",
        "talks-story": f"/stories/{talks.id}",
        "hostile-story": f"/stories/{site['hostile_story']}",
        "article": f"/articles/{site['dam'].story.articles[0].id}",
        "feeds": "/feeds",
    }


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_serve_browser_every_page_and_timeline_labels_at_both_sizes(
    browser: Any, site: dict[str, Any], tmp_path: Path, size: str
) -> None:
    width = SIZES[size][0]
    context = _context(browser, size)
    try:
        page = context.new_page()
        urls = _urls(site)
        assert set(urls) == set(_PAGES)
        for name, url in urls.items():
            page.goto(site["url"] + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
            if url.startswith("/stories/"):
                # Open the timeline: its axis labels are laid out only when shown.
                page.evaluate("document.getElementById('timeline').open = true")
                boxes = page.evaluate(_LABEL_BOXES)
                for i, a in enumerate(boxes):
                    assert a[2] > a[0] and a[3] > a[1], (name, a)  # drawn, not empty
                    for b in boxes[i + 1 :]:
                        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                        assert apart, (size, name, a, b)
                if name == "story":
                    assert len(boxes) >= 4, boxes  # the dam story's days are labelled
                charts = page.evaluate(_CHARTS)
                assert len(charts) <= 1 and (name != "story" or charts), (name, charts)
                for chart in charts:
                    # The phone's drawing on a phone; it fits: no scrolling inside its box,
                    # the drawing within the screen, labels drawn at a readable size.
                    assert chart["narrow"] == (size == "phone"), (name, chart)
                    assert chart["scroll"] <= chart["client"], (size, name, chart)
                    assert chart["left"] >= 0 and chart["right"] <= width, (size, name, chart)
                    assert chart["label"] is None or chart["label"] >= 12, (size, name, chart)
            _shot(page, tmp_path, f"{size}-{name}", full=True)
    finally:
        context.close()
