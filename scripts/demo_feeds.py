"""The feeds demo without the internet (`make demo-feeds`).

Serves ``examples/`` on a free loopback port, subscribes a fresh store (``out/feeds.db``) to the
two feeds we wrote (``examples/feeds/dam.xml``, RSS 2.0, and ``examples/feeds/museum-atom.xml``,
Atom), polls them once with ``synoptic watch --once`` (each entry's page is fetched; the one
whose page is missing is read from the feed's own content) and shows ``synoptic feeds list``.
It also builds ``out/feeds.warc.gz``, a web archive of the same pages (WARC/1.1, one gzip member
per record, a request record before each response), which ``synoptic brief out/feeds.warc.gz``
reads. The loopback network is opened for these commands alone, with ``--allow-network``.
"""

from __future__ import annotations

import functools
import gzip
import subprocess
import sys
import threading
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
OUT = ROOT / "out"
FEEDS = ("feeds/dam.xml", "feeds/museum-atom.xml")
PAGES = sorted(
    [*EXAMPLES.glob("dam/*.html"), *EXAMPLES.glob("dam/*.txt"), *EXAMPLES.glob("museum/*.txt")]
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _record(kind: str, uri: str, block: bytes, msgtype: str) -> bytes:
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Date: 2024-10-16T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype={msgtype}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + block + b"\r\n\r\n")


def build_warc(base: str) -> bytes:
    """A .warc.gz of the example pages as if crawled from ``base``."""
    out = []
    for path in PAGES:
        uri = f"{base}/{path.relative_to(EXAMPLES).as_posix()}"
        ctype = "text/html; charset=utf-8" if path.suffix == ".html" else "text/plain"
        body = path.read_bytes()
        request = f"GET /{path.relative_to(EXAMPLES).as_posix()} HTTP/1.1\r\n\r\n".encode()
        http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
        out.append(_record("request", uri, request, "request"))
        out.append(_record("response", uri, http.encode() + body, "response"))
    return b"".join(out)


def _synoptic(*args: str) -> None:
    print("$ synoptic " + " ".join(args), flush=True)
    subprocess.run([sys.executable, "-m", "synoptic", *args], check=False)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    db_path = OUT / "feeds.db"
    db_path.unlink(missing_ok=True)
    db = f"sqlite:///{db_path}"
    handler = functools.partial(_Quiet, directory=str(EXAMPLES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        _synoptic("feeds", "add", *(f"{base}/{feed}" for feed in FEEDS), "--db", db)
        _synoptic("watch", "--once", "--db", db, "--allow-network", "127.0.0.1/32")
        _synoptic("feeds", "list", "--db", db)
        (OUT / "feeds.warc.gz").write_bytes(build_warc("https://oska-wire.example"))
        print(f"Wrote {db_path} and {OUT / 'feeds.warc.gz'} ('synoptic brief out/feeds.warc.gz').")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
