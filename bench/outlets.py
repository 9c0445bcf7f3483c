"""Outlet detection: precision and recall of ``outlets.attribute`` on real pages and credits.

Data: ``../shared/data/fundus-pages`` (258 real pages of about 180 publishers; the publisher of
each page is known from its file name, mapped to registry ids by hand in
``tests/data/outlets/fundus_publishers.tsv``, ``-`` for a publisher the registry does not list)
and ``tests/data/outlets/credits.tsv`` (bylines and dateline heads collected from the same
pages, each with the agency it names, hand-labelled).

A page is *detected* when the outlet that printed it (``publisher_of``: URL, feed, site name)
is a registry outlet; *right* when that outlet is the gold one. Pages that carry a wire credit
(and so count for the agency in a brief) are listed. Precision = right / detected;
recall = right / pages whose publisher the registry lists. Three evidence settings: the page
with its URL (as fetched), the page alone (the extractor finds what URL and site name the HTML
gives), and the site name alone.

Baseline, in the same run: the method before the registry, the site name as printed; it counts
as right when it is the gold outlet's name or one of its aliases (folded). For credits the
baseline is the byline parser's agency (``extract.byline``) and the text cleaner's dateline
agency, looked up by name.

The registry was written knowing these publishers (many are in it because they are cited
often, and the ones that are were checked against this set), so recall here is an upper bound
of what held-back data will show; precision is the figure to watch.

Run: ``PYTHONPATH=src .venv/bin/python bench/outlets.py``.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from synoptic.errors import InputError
from synoptic.extract.byline import AGENCY_LEAD, parse_byline
from synoptic.extract.core import extract
from synoptic.model import Article, RawDocument
from synoptic.outlets import Registry, attribute, builtin
from synoptic.outlets.detect import publisher_of

ROOT = Path(__file__).resolve().parents[1]
FUNDUS = ROOT.parent / "shared" / "data" / "fundus-pages"
GOLD = ROOT / "tests" / "data" / "outlets"


def gold_publishers() -> dict[tuple[str, str], str | None]:
    """Return ``(country folder, publisher) -> registry id`` (``None``: not listed)."""
    out: dict[tuple[str, str], str | None] = {}
    for line in (GOLD / "fundus_publishers.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, publisher, ident = line.split("\t")
        out[(country, publisher)] = None if ident == "-" else ident
    return out


def pages() -> list[tuple[str, str, str, str]]:
    """Return ``(country, publisher, url, html)`` for every fundus page."""
    out = []
    for meta in sorted(FUNDUS.glob("*/meta.info")):
        for name, info in json.loads(meta.read_text(encoding="utf-8")).items():
            path = meta.parent / name
            if not path.is_file():  # a page meta.info lists but the folder lacks
                continue
            html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            out.append((meta.parent.name, name.rsplit("_", 3)[0], info["url"], html))
    return out


def score(pairs: list[tuple[str | None, str | None]]) -> tuple[float, float, int, int]:
    """Precision, recall, detected and gold-listed counts of ``(predicted, gold)`` pairs."""
    detected = [(p, g) for p, g in pairs if p is not None]
    listed = [(p, g) for p, g in pairs if g is not None]
    right = sum(1 for p, g in detected if p == g)
    precision = right / len(detected) if detected else 0.0
    recall = right / len(listed) if listed else 0.0
    return precision, recall, len(detected), len(listed)


def baseline_name(article: Article, reg: Registry, gold: str | None) -> str | None:
    """The site name as printed, taken as right when it names the gold outlet."""
    if not article.outlet:
        return None
    found = reg.by_name(article.outlet)
    if gold is not None and any(o.id == gold for o in found):
        return gold
    return found[0].id if len(found) == 1 else ("?" + article.outlet)


def _extract(doc: RawDocument, url: str | None) -> Article:
    """The page's article; a page with no body left still has its URL to go by."""
    try:
        return extract(doc)
    except InputError:
        return Article(id="a", source=doc.source, text="", url=url)


def run_pages(reg: Registry) -> None:
    gold = gold_publishers()
    modes: dict[str, list[tuple[str | None, str | None]]] = {
        "url + page": [],
        "page alone": [],
        "site name alone": [],
        "baseline: site name as printed": [],
    }
    wrong: list[str] = []
    credited: list[str] = []
    t0 = time.perf_counter()
    for country, publisher, url, html in pages():
        g = gold[(country, publisher)]
        with_url = _extract(RawDocument(url, html, "html", {"url": url}), url)
        alone = _extract(RawDocument(f"{country}/{publisher}", html, "html", {}), None)
        name_only = replace(alone, url=None, byline=None, meta={}, text="")
        for mode, art in (
            ("url + page", with_url),
            ("page alone", alone),
            ("site name alone", name_only),
        ):
            found = publisher_of(art, reg)
            got = found.id if found else None
            modes[mode].append((got, g))
            if mode == "url + page" and (credit := attribute(art, reg)).via == "credit":
                credited.append(f"{country}/{publisher}: counts for {credit.outlet}")
            if mode == "url + page" and got is not None and got != g:
                wrong.append(f"{country}/{publisher}: {got} (gold {g})")
        modes["baseline: site name as printed"].append((baseline_name(alone, reg, g), g))
    elapsed = time.perf_counter() - t0
    n = len(modes["url + page"])
    print(
        f"fundus-pages: {n} pages, {sum(1 for v in gold.values() if v)} of {len(gold)} "
        f"publishers listed in the registry ({len(reg)} outlets); {elapsed:.1f} s"
    )
    base = score(modes["baseline: site name as printed"])
    for mode, pairs in modes.items():
        p, r, d, listed = score(pairs)
        ratio = f"recall x{r / base[1]:.2f} of baseline" if base[1] else ""
        print(
            f"  {mode:32s} precision {p:.3f}  recall {r:.3f}  (detected {d}, listed {listed}) "
            f"{ratio}"
        )
    for line in wrong:
        print("  wrong:", line)
    print(f"  {len(credited)} pages carry a wire credit (they count for the agency):")
    for line in credited:
        print("   ", line)


def run_credits(reg: Registry) -> None:
    rows = []
    for line in (GOLD / "credits.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        field, text, ident = line.split("\t")
        rows.append((field, text, None if ident == "-" else ident))
    ours, base = [], []
    for field, text, g in rows:
        if field == "byline":
            art = Article(id="a", source="-", text="Body.", byline=text)
            parsed = parse_byline(text)
            printed = parsed[1] if parsed else None
        else:
            art = Article(id="a", source="-", text=text)
            m = AGENCY_LEAD.match(text)
            printed = m.group("agency") if m else None
        found = reg.by_name(printed, wire_only=True) if printed else []
        base.append((found[0].id if len(found) == 1 else None, g))
        ours.append((attribute(art, reg).outlet, g))
    for label, pairs in (("attribute()", ours), ("baseline: byline parser", base)):
        p, r, d, listed = score(pairs)
        print(
            f"  credits {label:24s} precision {p:.3f}  recall {r:.3f}  "
            f"(detected {d}, naming an agency {listed}, of {len(pairs)})"
        )


def main() -> int:
    if not FUNDUS.is_dir():
        print(f"no {FUNDUS}: nothing to measure", file=sys.stderr)
        return 1
    reg = builtin()
    run_pages(reg)
    print("credits: tests/data/outlets/credits.tsv (from fundus-pages bylines and leads)")
    run_credits(reg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
