"""From a command-line argument to the files it names: folder walks, links and special files.

A folder is walked depth-first in name order (folders and files interleaved) with an explicit
stack, so no depth can exhaust recursion; folders deeper than ``max_depth`` are skipped with
``E015``. Hidden entries, known junk and a folder's own documentation are ignored. A symbolic
link is followed only while it stays inside the folder named, unless ``follow_symlinks``
(``E017`` names a link that leaves it); a link back to a folder being walked is a loop and is
not entered. FIFOs, sockets and devices are refused from their ``stat`` alone (``E016``): they
are never opened, as opening one for reading could block forever.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from synoptic.errors import InputError, Problem
from synoptic.ingest.clean import display_name
from synoptic.ingest.formats import Format, format_of, suffix_label, unsupported
from synoptic.ingest.options import ReadOptions

# Folder entries that are never articles: version control, OS and tool droppings.
_JUNK_NAMES = frozenset({"__pycache__", "node_modules", "__MACOSX", "Thumbs.db", "desktop.ini"})
# A folder of reports often carries its own documentation; in a folder walk these are not
# articles (named explicitly, they are read like any file).
_DOC_STEMS = frozenset(
    {"README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING", "NOTICE", "CONTRIBUTING", "AUTHORS"}
)

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True, slots=True)
class Found:
    """A regular file to read.

    Attributes:
        path: The path to open (as the OS gave it).
        st: Its ``stat`` result, taken before opening.
        fmt: The format its name promises.
        named: Whether it was named on the command line (rather than met in a walk).
    """

    path: str
    st: os.stat_result
    fmt: Format
    named: bool


def problem(path: str, code: str, **fields: Any) -> Problem:
    """Return the ``Problem`` of ``code`` for the input at ``path`` (named for display)."""
    return InputError(code, display_name(path), **fields).problem()


def os_problem(path: str, exc: OSError) -> Problem:
    """Return the ``Problem`` for an ``OSError`` met reading ``path``."""
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return problem(path, "E001")
    if isinstance(exc, PermissionError):
        return problem(path, "E002", reason="permission denied")
    return problem(path, "E002", reason=exc.strerror or type(exc).__name__)


def special_kind(mode: int) -> str | None:
    """Name the kind of special file ``mode`` is (a FIFO, a device...), ``None`` if ordinary."""
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), None)


def locate(arg: str, options: ReadOptions) -> Iterator[Found | Problem]:
    """Yield the files an argument names (itself, or the files of a folder), and problems."""
    try:
        st = os.stat(arg)
    except (OSError, ValueError) as exc:
        # ValueError: a path with a NUL byte in it, which cannot name any file.
        yield os_problem(arg, exc) if isinstance(exc, OSError) else problem(arg, "E001")
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(arg, options)
        return
    kind = special_kind(st.st_mode)
    if kind:
        yield problem(arg, "E016", kind=kind)
        return
    name = os.path.basename(arg)
    if unsupported(name):
        yield problem(arg, "E012", suffix=suffix_label(name))
        return
    # Named explicitly, an unknown extension is worth a look at the content.
    yield Found(arg, st, format_of(name) or "sniff", named=True)


def _listing(folder: str) -> tuple[tuple[int, int], list[os.DirEntry[str]]] | Problem:
    try:
        st = os.stat(folder)
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return os_problem(folder, exc)
    return (st.st_dev, st.st_ino), entries


def _ignored(name: str) -> bool:
    if name.startswith(".") or name in _JUNK_NAMES or name.endswith("~"):
        return True
    return name.split(".", 1)[0].upper() in _DOC_STEMS


def walked_format(path: str) -> str | None:
    """Return the format a folder walk reads the file at ``path`` (a path below the folder
    given) with, or ``None`` when the walk passes it by (a README, a hidden file, an
    unknown suffix, or a file inside an ignored folder). For readers that list folders
    themselves (Spark's ``binaryFiles``) and must skip what ``read_inputs`` skips."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts or any(_ignored(p) for p in parts):
        return None
    return format_of(parts[-1])


def _article_name(name: str) -> bool:
    """Whether a name alone says the file would be read in a walk (worth a word if it fails)."""
    return format_of(name) not in (None, "sniff", "maybe-sgml")


class _Inside:
    """Tells whether a path resolves to somewhere inside the folder being walked."""

    def __init__(self, folder: str) -> None:
        self._root = os.path.realpath(folder)
        self._prefix = self._root.rstrip(os.sep) + os.sep

    def __call__(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == self._root or real.startswith(self._prefix)


def _walk(folder: str, options: ReadOptions) -> Iterator[Found | Problem]:
    """Walk ``folder`` depth-first in name order, yielding its article files and problems.

    Entries with unsupported or unknown suffixes are ignored silently (a folder of articles
    often holds a README or images).
    """
    listed = _listing(folder)
    if isinstance(listed, Problem):
        yield listed
        return
    inside = None if options.follow_symlinks else _Inside(folder)
    key, entries = listed
    ancestors = {key}  # the folders on the current path: a link back to one is a loop
    stack = [(key, iter(entries))]
    while stack:
        key, pending = stack[-1]
        entry = next(pending, None)
        if entry is None:
            stack.pop()
            ancestors.discard(key)
            continue
        if _ignored(entry.name):
            continue
        try:
            st = entry.stat()  # follows links; a FIFO's stat never blocks
        except OSError as exc:
            # A dangling link that looks like an article is worth a word; anything else is not.
            if _article_name(entry.name):
                yield os_problem(entry.path, exc)
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        if inside is not None and entry.is_symlink() and not inside(entry.path):
            if is_dir or _article_name(entry.name):
                yield problem(entry.path, "E017")
            continue
        if is_dir:
            if len(stack) > options.max_depth:
                yield problem(entry.path, "E015", limit=options.max_depth)
                continue
            sub = _listing(entry.path)
            if isinstance(sub, Problem):
                yield sub
            elif sub[0] not in ancestors:
                ancestors.add(sub[0])
                stack.append((sub[0], iter(sub[1])))
        elif stat.S_ISREG(st.st_mode):
            fmt = format_of(entry.name)
            if fmt:
                yield Found(entry.path, st, fmt, named=False)
        elif _article_name(entry.name):
            yield problem(entry.path, "E016", kind=special_kind(st.st_mode) or "not a file")
