"""`synoptic brief` and `synoptic ingest` with URLs beside paths (loopback servers only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loopback_server import Page, serve
from synoptic.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Dam watch</title><link>{base}/</link>
<item><title>Ledger</title><link>{base}/ledger.html</link></item>
<item><title>Courier</title><link>{base}/courier.html</link></item>
</channel></rss>"""


def _routes(base: str) -> dict[str, Page]:
    return {
        "/feed.xml": Page(FEED.format(base=base).encode(), "application/rss+xml"),
        "/ledger.html": Page((EXAMPLES / "dam" / "northern-ledger.html").read_bytes()),
        "/courier.html": Page((EXAMPLES / "dam" / "valley-courier.html").read_bytes()),
    }


@pytest.mark.slow
def test_cli_urls_brief_reads_a_feed_beside_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLES / "dam" / "kellen-herald-wire.txt"
    with serve({}) as server:
        server.routes.update(_routes(server.url))
        argv = ["brief", str(text), server.url + "/feed.xml", "-f", "json", "-q", "--no-cache"]
        code = main([*argv, "--allow-network", "127.0.0.1/32"])
    out, err = capsys.readouterr()
    assert code == 0, err
    articles = [a for s in json.loads(out)["stories"] for a in s["articles"]]
    urls = sorted(a["url"] or "" for a in articles)
    assert len(articles) == 3
    assert urls[-2:] == [server.url + "/courier.html", server.url + "/ledger.html"]


def test_cli_urls_refused_address_is_one_coded_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNOPTIC_ALLOW_NETWORKS", raising=False)
    with serve({"/a.html": Page(b"<p>x</p>")}) as server:
        code = main(["brief", server.url + "/a.html", "-f", "json", "-q", "--no-cache"])
        assert server.hits == []
    _out, err = capsys.readouterr()
    assert code == 2
    assert f"synoptic: skipped {server.url}/a.html: " in err and "[E404]" in err


def test_cli_urls_bad_allow_network_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["brief", "https://news.test/a", "--allow-network", "10.0.0.1/8"])
    _out, err = capsys.readouterr()
    assert code == 1 and "[E420]" in err


SITEMAP = """<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/ledger.html</loc><lastmod>2024-10-15</lastmod></url>
<url><loc>{base}/courier.html</loc><lastmod>2019-01-01</lastmod></url>
</urlset>"""


def test_cli_urls_ingest_reads_a_feed_and_a_sitemap_into_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    common = ["--db", db, "--no-briefs", "-q", "--no-cache", "--allow-network", "127.0.0.1/32"]
    with serve({}) as server:
        server.routes.update(_routes(server.url))
        server.routes["/sitemap.xml"] = Page(SITEMAP.format(base=server.url).encode(), "text/xml")
        feed_code = main(["ingest", server.url + "/feed.xml", *common])
        feed_out, _ = capsys.readouterr()
        site = ["ingest", "--sitemap", server.url + "/sitemap.xml", "--since", "2024-01-01"]
        site_code = main([*site, *common])
        site_out, _ = capsys.readouterr()
        hits = [p for p, _ in server.hits]
    assert feed_code == 0 and "2 new" in feed_out, feed_out
    # Only the sitemap's page dated since 2024 is read: the ledger page, which the feed stored
    # with the feed's title as its outlet, so it now comes back as a revision of that page.
    after = hits[hits.index("/sitemap.xml") :]
    assert site_code == 0 and after == ["/sitemap.xml", "/ledger.html"], after
    assert "1 revised pages" in site_out, site_out
