"""Which reports an archive holds: the one-machine reading rules for ids and versions, as shuffles.

Before wire copies are looked for, the batch path settles two things about identity, in the
order it read its inputs, and the Spark job must settle them the same way or it marks copies
the batch never sees:

1. **One id, several inputs** (``pipeline.extract_all``): a report read byte-identically from
   two inputs is kept twice, the later read under an id derived from its content id and its
   source (so it is shown, as a copy, rather than vanishing); read twice from one input it is
   kept once (``mark_duplicates``' first occurrence).
2. **Versions** (``stories.identity.current_versions``): reports read from one page (the same
   canonical URL) with different texts are versions of one article, not copies of each other:
   only the newest is kept (later published, else later read). A re-crawled archive (a CC-NEWS
   month crawls many pages more than once) is full of these.

Both rules depend on the *read order*, which a batch gets from its walk (arguments in the order
given, folders depth-first in name order, records in file order) and an RDD does not have: the
job gives every record a read key (``read_key``) that sorts as the walk reads, and each rule
runs on one group (an id, a page) sorted by it, with the batch's own functions. Groups are
small (a page's versions), so nothing here is quadratic in the archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from synoptic.model import Article, stable_id
from synoptic.stories.identity import current_versions, page_key

if TYPE_CHECKING:
    from pyspark import RDD

# Where a record stands in the read order: (input index, path parts below it, record index).
ReadKey = tuple[int, tuple[str, ...], int]
T = TypeVar("T")
# A keyed record: (read key, (article, payload)); the payload (provenance) travels along.
Keyed = tuple[ReadKey, tuple[Article, T]]


def read_key(name: str, inputs: Sequence[str], index: int) -> ReadKey:
    """Return the read-order key of record ``index`` of the file named ``name``.

    Args:
        name: The file's source name (``workers.source_name``: the input argument joined with
            the path below it, or the URI).
        inputs: The input arguments, in the order given.
        index: The record's position in its file (a JSON-lines line, a WARC record).

    A name is placed under the first argument it is, or starts, with; a folder's files sort by
    their path parts, which is the walk's depth-first name order. A name under no argument
    (a glob's match) sorts after them all, by its path.
    """
    for k, arg in enumerate(inputs):
        base = arg.rstrip("/")
        if name in (arg, base):
            return k, (), index
        if name.startswith(base + "/"):
            return k, tuple(p for p in name[len(base) + 1 :].split("/") if p), index
    return len(inputs), tuple(p for p in name.split("/") if p), index


def _renamed(group: Iterable[Keyed[T]]) -> Iterator[tuple[str, Keyed[T]]]:
    """The id rule on one id's reads: the first read keeps the id, a later read from another
    source takes ``stable_id("a", id, source)``, a later read from the same source drops."""
    ordered = sorted(group, key=lambda r: r[0])
    first = ordered[0][1][0]
    yield first.id, ordered[0]
    for key, (article, payload) in ordered[1:]:
        if article.source != first.source:
            new_id = stable_id("a", article.id, article.source)
            yield new_id, (key, (replace(article, id=new_id), payload))


def _current(group: Iterable[Keyed[T]]) -> Iterator[Keyed[T]]:
    """The version rule on one page's reports, in read order (``current_versions``)."""
    ordered = sorted(group, key=lambda r: r[0])
    kept, _ = current_versions([article for _, (article, _) in ordered])
    keep = {a.id for a in kept}
    yield from (r for r in ordered if r[1][0].id in keep)


def _first(x: Keyed[Any], y: Keyed[Any]) -> Keyed[Any]:
    return x if x[0] <= y[0] else y


def current_articles(reads: RDD[Keyed[T]]) -> tuple[RDD[Keyed[T]], dict[str, int]]:
    """Apply the batch's id and version rules to keyed reads.

    Args:
        reads: ``(read key, (article, payload))`` for every record read.

    Returns:
        The reports the archive holds, each once and keyed as read, and counts (``renamed``:
        reads kept under a derived id; ``superseded``: older versions dropped).
    """
    by_id = reads.map(lambda r: (r[1][0].id, r)).groupByKey().persist()
    renamed = by_id.flatMap(lambda kv: _renamed(kv[1])).reduceByKey(_first).values().persist()
    paged = renamed.map(lambda r: (page_key(r[1][0]), r))
    # Reports without a URL have no versions: they pass straight through.
    loose = paged.filter(lambda kv: kv[0] is None).values()
    pages = paged.filter(lambda kv: kv[0] is not None).groupByKey()
    current = loose.union(pages.flatMap(lambda kv: _current(kv[1]))).persist()
    ids, total, kept = by_id.count(), renamed.count(), current.count()
    by_id.unpersist()
    # Each id keeps its first read; every further row is a read kept under a derived id.
    return current, {"renamed": total - ids, "superseded": total - kept}


__all__ = ["ReadKey", "current_articles", "read_key"]
