"""Inputs named on a command line: paths are read as files, URLs through the safe fetcher.

An argument is a URL when it starts with a scheme (``https://``) and names no existing file;
only ``http`` and ``https`` are fetched (others get ``E401``). Paths are read first, in the
order given, then URLs, in the order given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from synoptic.errors import Problem
from synoptic.fetch import Fetcher
from synoptic.ingest import ReadOptions, read_inputs
from synoptic.model import RawDocument
from synoptic.web.pages import read_url

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def is_url(arg: str) -> bool:
    """Whether a command-line argument names a URL rather than a path."""
    return bool(_SCHEME.match(arg)) and not os.path.exists(arg)


def read_sources(
    args: Sequence[str],
    *,
    fetcher: Callable[[], Fetcher],
    options: ReadOptions,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | Problem]:
    """Yield the documents and problems of files, folders, ``-`` and URLs.

    Args:
        args: Paths and URLs as given.
        fetcher: Returns the run's fetcher; called only when a URL is given.
        options: The read's limits (the same for files and fetched bodies).
        stdin: Stream read for ``-``.
    """
    paths = [a for a in args if not is_url(a)]
    urls = [a for a in args if is_url(a)]
    if paths:
        yield from read_inputs(paths, stdin=stdin, options=options)
    if not urls:
        return
    fetch = fetcher()
    seen: set[str] = set()
    for url in urls:
        yield from read_url(url, fetch, options, seen)
