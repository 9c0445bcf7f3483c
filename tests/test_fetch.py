"""The safe fetcher, against loopback servers the tests start (never any other address)."""

from __future__ import annotations

import gzip
import ipaddress
import ssl
import subprocess
import time
import zlib
from pathlib import Path

import pytest

from loopback_server import Handler, Page, serve
from synoptic.errors import FetchError, UsageError
from synoptic.fetch import AddressPolicy, Fetcher, FetchSettings
from synoptic.fetch.addresses import IPAddress

LOOPBACK = AddressPolicy.from_strings(["127.0.0.0/8"])


def _settings(**changes: object) -> FetchSettings:
    base: dict[str, object] = {
        "policy": LOOPBACK,
        "host_interval": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "total_timeout": 5.0,
    }
    base.update(changes)
    return FetchSettings(**base)  # type: ignore[arg-type]


def _error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    return caught.value


def _resolver(table: dict[str, str]):
    def resolve(host: str, port: int) -> list[IPAddress]:
        if host not in table:
            raise OSError("unknown name")
        return [ipaddress.ip_address(table[host])]

    return resolve


def test_fetch_reads_a_page_and_sends_the_user_agent() -> None:
    with serve({"/a": Page(b"<html><p>hello</p></html>")}) as server:
        settings = _settings(contact="https://example.org/about")
        with Fetcher(settings) as fetcher:
            got = fetcher.fetch(server.url + "/a")
    assert got.status == 200 and got.body == b"<html><p>hello</p></html>"
    assert got.content_type == "text/html" and got.charset == "utf-8"
    agent = next(h["user-agent"] for p, h in server.hits if p == "/a")
    assert agent.startswith("Synoptic/") and "https://example.org/about" in agent


def test_fetch_refuses_loopback_without_allow_network() -> None:
    with serve({"/a": Page(b"x")}) as server, Fetcher(_settings(policy=AddressPolicy())) as f:
        caught = _error(f, server.url + "/a")
        assert server.hits == []
    assert caught.code == "E404" and "loopback" in caught.message
    assert caught.source == server.url + "/a"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.0.0.1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:a00:1::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("fe80::1", "link-local"),
    ],
)
def test_fetch_refuses_each_non_public_range(address: str, kind: str) -> None:
    settings = _settings(policy=AddressPolicy(), obey_robots=False)
    with Fetcher(settings, resolver=_resolver({"news.test": address})) as fetcher:
        caught = _error(fetcher, "http://news.test/a")
    assert caught.code == "E404" and kind in caught.message


def test_fetch_allow_network_opens_exactly_that_network() -> None:
    policy = AddressPolicy.from_strings(["127.0.0.2/32"])
    assert policy.refusal(ipaddress.ip_address("127.0.0.2")) is None
    assert policy.refusal(ipaddress.ip_address("127.0.0.1")) == "loopback"
    assert policy.refusal(ipaddress.ip_address("169.254.169.254")) == "cloud metadata"
    with pytest.raises(UsageError) as caught:
        AddressPolicy.from_strings(["10.0.0.5/8"])
    assert caught.value.code == "E420"


def test_fetch_allow_networks_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNOPTIC_ALLOW_NETWORKS", "10.1.0.0/16, 192.168.5.0/24")
    policy = AddressPolicy.from_env(["127.0.0.1/32"])
    assert [str(n) for n in policy.allowed] == ["127.0.0.1/32", "10.1.0.0/16", "192.168.5.0/24"]


def test_fetch_rejects_other_schemes() -> None:
    with Fetcher(_settings()) as fetcher:
        cases = (("file:///etc/passwd", "E401"), ("ftp://x/y", "E401"), ("http://", "E402"))
        for url, code in cases:
            caught = _error(fetcher, url)
            assert caught.code == code, url


def test_fetch_connects_to_the_checked_address_not_a_second_lookup() -> None:
    answers = iter(["127.0.0.1", "10.0.0.9"])  # a rebinding resolver: public-looking first
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[IPAddress]:
        calls.append(host)
        return [ipaddress.ip_address(next(answers))]

    with serve({"/a": Page(b"<p>ok</p>")}) as server:
        port = server.server_address[1]
        with Fetcher(_settings(obey_robots=False), resolver=rebinding) as fetcher:
            got = fetcher.fetch(f"http://rebind.test:{port}/a")
    assert got.body == b"<p>ok</p>" and calls == ["rebind.test"]
    assert next(h["host"] for p, h in server.hits if p == "/a") == f"rebind.test:{port}"


def _redirect(to: str):
    def route(handler: Handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def test_fetch_follows_redirects_and_checks_each_hop() -> None:
    settings = _settings(obey_robots=False)
    with (
        serve({"/a": _redirect("/b"), "/b": _redirect("/c"), "/c": Page(b"<p>c</p>")}) as server,
        Fetcher(settings) as fetcher,
    ):
        got = fetcher.fetch(server.url + "/a")
    assert got.url == server.url + "/c" and got.requested == server.url + "/a"


def test_fetch_redirect_into_a_refused_range_is_refused() -> None:
    # public.test is "public" to this fetcher (its loopback address is opened for it alone);
    # the redirect goes to a name the resolver maps to the metadata address.
    with serve({"/a": _redirect("http://metadata.test/latest/")}) as server:
        port = server.server_address[1]
        resolver = _resolver({"public.test": "127.0.0.1", "metadata.test": "169.254.169.254"})
        with Fetcher(_settings(obey_robots=False), resolver=resolver) as fetcher:
            caught = _error(fetcher, f"http://public.test:{port}/a")
    assert caught.code == "E404" and "169.254.169.254" in caught.message


def test_fetch_stops_after_five_redirects() -> None:
    routes = {f"/r{i}": _redirect(f"/r{i + 1}") for i in range(10)}
    with serve(routes) as server, Fetcher(_settings(obey_robots=False)) as fetcher:
        caught = _error(fetcher, server.url + "/r0")
        assert len(server.hits) == 6
    assert caught.code == "E408"


def test_fetch_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024), compresslevel=9)
    page = Page(bomb, headers={"Content-Encoding": "gzip"})
    settings = _settings(obey_robots=False, max_bytes=1024 * 1024)
    with serve({"/bomb": page}) as server, Fetcher(settings) as fetcher:
        caught = _error(fetcher, server.url + "/bomb")
    assert caught.code == "E409"


def test_fetch_inflates_gzip_and_deflate() -> None:
    text = b"<p>" + b"news " * 1000 + b"</p>"
    routes = {
        "/g": Page(gzip.compress(text), headers={"Content-Encoding": "gzip"}),
        "/d": Page(zlib.compress(text), headers={"Content-Encoding": "deflate"}),
        "/bad": Page(b"not gzip at all", headers={"Content-Encoding": "gzip"}),
    }
    with serve(routes) as server, Fetcher(_settings(obey_robots=False)) as fetcher:
        assert fetcher.fetch(server.url + "/g").body == text
        assert fetcher.fetch(server.url + "/d").body == text
        caught = _error(fetcher, server.url + "/bad")
    assert caught.code == "E413"


def _endless(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65536
    for _ in range(100_000):
        handler.wfile.write(chunk)


def test_fetch_endless_body_stops_at_the_cap() -> None:
    settings = _settings(obey_robots=False, max_bytes=2 * 1024 * 1024)
    with serve({"/e": _endless}) as server, Fetcher(settings) as fetcher:
        caught = _error(fetcher, server.url + "/e")
    assert caught.code == "E409"


def _dribble(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.2)


def test_fetch_slow_server_is_cut_at_the_total_time() -> None:
    settings = _settings(obey_robots=False, read_timeout=1.0, total_timeout=1.5)
    with serve({"/slow": _dribble}) as server, Fetcher(settings) as fetcher:
        start = time.monotonic()
        caught = _error(fetcher, server.url + "/slow")
        took = time.monotonic() - start
    assert caught.code == "E406" and took < 4.0


def test_fetch_refuses_unaccepted_content_types() -> None:
    settings = _settings(obey_robots=False)
    with serve({"/img": Page(b"\x89PNG", "image/png")}) as server, Fetcher(settings) as fetcher:
        caught = _error(fetcher, server.url + "/img")
    assert caught.code == "E410" and "image/png" in caught.message


def test_fetch_http_errors_carry_status_and_retry_after() -> None:
    routes = {
        "/busy": Page(b"slow down", "text/plain", 429, {"Retry-After": "7"}),
        "/gone": Page(b"", "text/plain", 404),
    }
    with serve(routes) as server, Fetcher(_settings(obey_robots=False)) as fetcher:
        busy = _error(fetcher, server.url + "/busy")
        gone = _error(fetcher, server.url + "/gone")
    assert busy.code == "E407" and busy.status == 429
    assert busy.retry_after == 7.0
    assert gone.status == 404 and gone.retry_after is None


def _conditional(handler: Handler) -> None:
    if handler.headers.get("If-None-Match") == '"v1"':
        handler.send_response(304)
        handler.send_header("ETag", '"v1"')
        handler.end_headers()
        return
    Page(b"<rss/>", "application/rss+xml", headers={"ETag": '"v1"'})(handler)


def test_fetch_conditional_get_gives_304() -> None:
    with serve({"/feed": _conditional}) as server, Fetcher(_settings(obey_robots=False)) as f:
        first = f.fetch(server.url + "/feed")
        second = f.fetch(server.url + "/feed", etag=first.etag)
    assert first.etag == '"v1"' and first.status == 200
    assert second.not_modified and second.body == b""


def test_fetch_robots_disallow_is_honoured_and_cached() -> None:
    robots = Page(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    routes = {"/robots.txt": robots, "/private/a": Page(b"no"), "/public": Page(b"yes")}
    with serve(routes) as server, Fetcher(_settings()) as fetcher:
        assert fetcher.fetch(server.url + "/public").body == b"yes"
        caught = _error(fetcher, server.url + "/private/a")
        paths = [p for p, _ in server.hits]
    assert caught.code == "E411"
    assert paths.count("/robots.txt") == 1 and "/private/a" not in paths


def test_fetch_robots_missing_allows_and_server_error_disallows() -> None:
    with serve({"/a": Page(b"ok")}) as server, Fetcher(_settings()) as fetcher:
        assert fetcher.fetch(server.url + "/a").body == b"ok"
    routes = {"/robots.txt": Page(b"", "text/plain", 503), "/a": Page(b"ok")}
    with serve(routes) as server, Fetcher(_settings()) as fetcher:
        caught = _error(fetcher, server.url + "/a")
    assert caught.code == "E411"


def test_fetch_host_interval_spaces_requests() -> None:
    settings = _settings(obey_robots=False, host_interval=0.3)
    with serve({"/a": Page(b"ok")}) as server, Fetcher(settings) as fetcher:
        start = time.monotonic()
        for _ in range(3):
            fetcher.fetch(server.url + "/a")
        took = time.monotonic() - start
    assert took >= 0.6


def test_fetch_unknown_host_and_closed_port() -> None:
    with Fetcher(_settings(obey_robots=False), resolver=_resolver({})) as fetcher:
        unknown = _error(fetcher, "http://nowhere.test/")
    with serve({}) as server:
        url = server.url
    with Fetcher(_settings(obey_robots=False)) as fetcher:
        closed = _error(fetcher, url + "/a")
    assert unknown.code == "E403" and closed.code == "E405"


def test_fetch_robots_verdict_expires_after_its_ttl() -> None:
    from synoptic.fetch.robots import RobotsCache

    texts = iter(["User-agent: *\nDisallow: /a\n", "User-agent: *\nAllow: /\n"])
    now = [0.0]
    cache = RobotsCache(lambda url: next(texts), "Synoptic", ttl=100.0, clock=lambda: now[0])
    assert cache.verdict("https://news.test/a")[0] is False
    now[0] = 99.0
    assert cache.verdict("https://news.test/a")[0] is False
    now[0] = 100.0
    assert cache.verdict("https://news.test/a")[0] is True


def _self_signed(folder: Path) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1 (made by openssl)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot make a self-signed certificate with openssl: {exc}")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_fetch_self_signed_certificate_is_a_coded_connection_error(tmp_path: Path) -> None:
    """An HTTPS server whose certificate no trusted authority signed gives E405, one line."""
    with serve({"/a": Page(b"<html><p>secret</p></html>")}, tls=_self_signed(tmp_path)) as server:
        url = server.url + "/a"
        assert url.startswith("https://127.0.0.1:")
        with Fetcher(_settings(obey_robots=False)) as fetcher:
            caught = _error(fetcher, url)
    assert caught.code == "E405" and caught.source == url
    assert "certificate" in caught.message.lower()
    line = str(caught)
    assert "\n" not in line and line.startswith(url + ": cannot connect: ") and "[E405]" in line
    assert server.hits == []  # the page was never asked for: the handshake failed first
