"""Coded, one-line error messages, and the one error policy threaded through the pipeline.

Every message a user can see lives here, with a stable code, so that a line on stderr can be
looked up and tested. Bad input never raises out of a batch: a stage either raises
(``ErrorPolicy.RAISE``, for library callers who want exceptions), records a ``Problem`` and goes
on (``ErrorPolicy.RECORD``, the CLI default), or drops the input silently (``ErrorPolicy.SKIP``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class Errors:
    """Message templates, by code.

    ``E0xx``: input; ``E1xx``: usage; ``E2xx``: environment; ``E3xx``: a story or a stage that
    failed or ran degraded during a run (the run goes on without it); ``E4xx``: network and web
    archives.
    """

    E001 = "file not found"
    E002 = "cannot read: {reason}"
    E003 = "empty input"
    E004 = "binary content ({detail}), not text or HTML"
    E005 = "truncated or corrupt gzip: {reason}"
    E006 = "too large: {size:,} bytes over the limit of {limit:,} (raise it with --max-bytes)"
    E007 = "malformed JSON: {reason}"
    E008 = "JSON record has neither a non-empty 'text' nor 'html' field"
    E009 = "JSON record is not an object (got {kind})"
    E010 = "cannot decode text: {reason}"
    E011 = "no article text left after cleaning"
    E012 = "unsupported file type {suffix!r}"
    E013 = "extraction failed: {reason}"
    E014 = "malformed TREC/SGML document: {reason}"
    E015 = "folder nested deeper than {limit} levels; the folders below were skipped"
    E016 = "not a regular file ({kind}); special files are never read (pipe it to '-')"
    E017 = "symbolic link leads out of the folder; not followed (use --follow-symlinks)"
    E018 = "more than {limit:,} records in one input; the rest of it was skipped"
    E019 = "compressed {ratio:,} to 1 (over the limit of {limit:,} to 1); the rest was skipped"
    E020 = "not HTML the parser can read (no element in it)"
    E022 = "more than {limit:,} HTML elements; not extracted (a news page has a few thousand)"
    E021 = "an older version of the page {url} (the newer one, {kept}, is briefed in its place)"
    E050 = "could not be stored: {reason}"
    E101 = "no inputs given"
    E102 = "unknown value {value!r} for {option}; choose one of {choices}"
    E103 = "no story has an id starting with {prefix!r}"
    E104 = "{prefix!r} matches several stories ({ids}, ...); give more of the id"
    E201 = "spaCy model {name!r} is not installed; run `make demo` or `pip install -e .`"
    E202 = "cannot open the database {url}: {reason}"
    E203 = "cannot write {path}: {reason}"
    E204 = "unsupported database URL {url}: use sqlite:///PATH or postgresql+psycopg://..."
    E301 = "synthesis failed ({kind}: {reason})"
    E302 = "analysis failed ({kind}: {reason})"
    E303 = "sentence embeddings unavailable ({reason}); stories grouped without them"
    E304 = "cache off for this run: {reason}"
    E305 = "{source} has {size:,} characters; only its first {limit:,} were analysed"
    E306 = "over its budget of {seconds:g} CPU seconds (in {stage}; see --input-seconds)"
    E307 = "{story}: {flag} The brief holds what finished (see --story-seconds)"

    E250 = "a PostgreSQL store is backed up with PostgreSQL's own tool: {command}"
    E251 = "a PostgreSQL store is restored with PostgreSQL's own tool: {command}"
    E252 = "{path} is not a Synoptic SQLite backup: {reason}"
    E253 = "the store already holds {articles:,} articles; restoring replaces them all (--force)"
    E254 = "cannot write the backup {path}: {reason}"

    # network (synoptic.fetch and the feed, sitemap and watch commands built on it)
    E401 = "only http and https URLs are fetched (got {scheme!r})"
    E402 = "not a fetchable URL: {reason}"
    E403 = "cannot resolve {host}: {reason}"
    E404 = "{host} is at {address}, a {kind} address; refused (open it with --allow-network)"
    E405 = "cannot connect: {reason}"
    E406 = "timed out: {reason}"
    E407 = "HTTP {status}{detail}"
    E408 = "more than {limit} redirects"
    E409 = "response over {limit:,} bytes; the rest was not read"
    E410 = "content type {ctype!r} is not accepted"
    E411 = "disallowed by {robots}"
    E412 = "malformed feed: {reason}"
    E413 = "bad response body: {reason}"
    E414 = "{what} gave nothing to read"
    E420 = "invalid network {value!r} for --allow-network: {reason}"
    E421 = "{path} is not an OPML file: {reason}"
    E430 = "corrupt or truncated web archive ({reason}); kept the {count:,} records read before it"


class ErrorPolicy(enum.Enum):
    """What a stage does with bad input."""

    RAISE = "raise"
    RECORD = "record"
    SKIP = "skip"


# Characters that must never reach a terminal or a log line raw: C0/C1 controls (newlines forge
# lines, ESC starts ANSI sequences), lone surrogates (undecodable file-name bytes), line and
# paragraph separators, and the bidirectional overrides that reorder what a reader sees.
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        # A byte of a file name that was not valid UTF-8 (Python's surrogateescape): show the byte.
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """Return ``text`` with control and invisible reordering characters shown as escapes.

    Used for every name and message printed on one line, so that a file name holding a newline
    cannot forge extra lines and one holding ANSI escapes cannot restyle the terminal.
    """
    return _UNPRINTABLE.sub(_escape_char, text)


@dataclass(frozen=True, slots=True)
class Problem:
    """A rejected input: which one, the code and the one-line reason."""

    source: str
    code: str
    message: str

    @classmethod
    def failure(cls, code: str, source: str, exc: BaseException) -> Problem:
        """Return the problem for a stage that raised ``exc`` on ``source`` (an ``E3xx`` code
        whose message takes the exception's ``kind`` and first line as ``reason``)."""
        reason = (str(exc).strip().splitlines() or [""])[0][:200] or "no message"
        return cls(
            source, code, getattr(Errors, code).format(kind=type(exc).__name__, reason=reason)
        )

    def line(self) -> str:
        """Return the one line printed on stderr for this problem."""
        return f"synoptic: skipped {escape(self.source)}: {escape(self.message)} [{self.code}]"

    def to_dict(self) -> dict[str, str]:
        """Return the problem as JSON-ready data."""
        return {"source": self.source, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Degraded:
    """A run that went on with less than it should have (a model or a cache unusable)."""

    code: str
    message: str

    @classmethod
    def of(cls, code: str, **fields: Any) -> Degraded:
        """Return the degraded mode ``code`` with its message filled from ``fields``."""
        return cls(code, getattr(Errors, code).format(**fields))

    def line(self) -> str:
        """Return the one line printed on stderr for this degraded mode."""
        return f"synoptic: degraded: {escape(self.message)} [{self.code}]"

    def to_dict(self) -> dict[str, str]:
        """Return the degraded mode as JSON-ready data."""
        return {"code": self.code, "message": self.message}


class ProblemList(list[Problem]):
    """The problems of a run, each also handed to ``on_problem`` the moment it is recorded.

    Stages record problems by appending to the list they are given; with this list the CLI
    prints each line as it happens (a batch that dies or takes an hour has said what it
    skipped so far), and the run still returns them all at the end.
    """

    def __init__(self, on_problem: Callable[[Problem], None] | None = None) -> None:
        super().__init__()
        self._on_problem = on_problem

    def append(self, problem: Problem) -> None:
        """Record ``problem`` and report it."""
        super().append(problem)
        if self._on_problem is not None:
            self._on_problem(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record and report each of ``problems`` in turn."""
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> ProblemList:  # type: ignore[override,misc]
        self.extend(problems)
        return self


class SynopticError(Exception):
    """An error with a code from ``Errors``."""

    def __init__(
        self, code: str, source: str | None = None, *, message: str | None = None, **fields: Any
    ) -> None:
        self.code = code
        self.source = source
        self.message = message if message is not None else getattr(Errors, code).format(**fields)
        super().__init__(f"{source}: {self.message} [{code}]" if source else self.message)

    @classmethod
    def from_problem(cls, problem: Problem) -> SynopticError:
        """Return the exception for a recorded ``Problem`` (for ``ErrorPolicy.RAISE``)."""
        return cls(problem.code, problem.source, message=problem.message)

    def problem(self, source: str | None = None) -> Problem:
        """Return this error as a ``Problem`` record for ``source``."""
        return Problem(source or self.source or "<input>", self.code, self.message)


class InputError(SynopticError):
    """An input that cannot be turned into an article."""


class UsageError(SynopticError):
    """A command-line or API call with invalid arguments."""


class EnvironmentProblem(SynopticError):
    """The run's environment is unusable (a database that cannot be opened, an output that
    cannot be written): the CLI prints one coded line and exits 1."""


class FetchError(SynopticError):
    """A URL that could not be fetched (``E4xx``); ``source`` is the URL.

    Attributes:
        retry_after: Seconds the server asked us to wait (``Retry-After`` on 429/503), if any.
        status: The HTTP status, when the server answered.
    """

    def __init__(
        self,
        code: str,
        source: str | None = None,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        **fields: Any,
    ) -> None:
        if status is not None:
            fields.setdefault("status", status)
        super().__init__(code, source, **fields)
        self.retry_after = retry_after
        self.status = status
