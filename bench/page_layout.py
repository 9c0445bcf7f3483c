"""Page layout of the web UI in Debian's Chromium: how tall each story page is, how far down
its first disagreement starts, and whether any page is wider than a phone.

Data: a store given by ``--db`` (e.g. one holding ``examples/`` and ``../shared/seeds``, made
with ``synoptic ingest --db sqlite:///x.db examples ../shared/seeds``). The server runs in a
thread on 127.0.0.1; Playwright drives ``/usr/bin/chromium`` at 1366x900 and at 390x844 (a
phone, ``is_mobile``). For each story page it prints the page height, the distance from the top
to the "Where they disagree" box (``#conflicts``), and ``scrollWidth`` beside the viewport
width (the baseline: a page no wider than the screen has a ratio of 1.00).

    .venv/bin/python bench/page_layout.py --db sqlite:///x.db
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from typing import Any

SIZES = {"desktop": (1366, 900, False), "phone": (390, 844, True)}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _serve(db: str) -> tuple[str, Any]:
    import uvicorn

    from synoptic.serve import create_app
    from synoptic.store import Store

    store = Store(db)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", (server, store)


def main() -> None:
    """Print the layout figures of every page of the store at both sizes."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    base, (server, store) = _serve(args.db)
    stories = store.list_stories()
    pages = [("list", "/"), ("feeds", "/feeds")] + [
        (s.headline[:40], f"/stories/{s.id}") for s in stories
    ]
    pages += [("article", f"/articles/{store.brief(stories[0].id).story.articles[0].id}")]
    print(f"data: {args.db} ({len(stories)} stories); Chromium {args.chromium}")
    print(f"{'size':8} {'page':42} {'height px':>10} {'to conflicts':>13} {'scrollW/width':>14}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        for size, (width, height, mobile) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, is_mobile=mobile, has_touch=mobile
            )
            page = context.new_page()
            for name, url in pages:
                page.goto(base + url)
                tall = page.evaluate("document.documentElement.scrollHeight")
                wide = page.evaluate("document.documentElement.scrollWidth")
                top = page.evaluate(
                    "(() => { const e = document.getElementById('conflicts');"
                    " return e ? Math.round(e.getBoundingClientRect().top + scrollY) : null })()"
                )
                print(
                    f"{size:8} {name:42} {tall:>10,} {top if top is not None else '-':>13} "
                    f"{wide:>6}/{width} {wide / width:.2f}"
                )
            context.close()
        browser.close()
    server.should_exit = True
    store.close()


if __name__ == "__main__":
    main()
