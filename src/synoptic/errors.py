"""Coded, one-line error messages, and the one error policy threaded through the pipeline.

Every message a user can see lives here, with a stable code, so that a line on stderr can be
looked up and tested. Bad input never raises out of a batch: a stage either raises
(``ErrorPolicy.RAISE``, for library callers who want exceptions), records a ``Problem`` and goes
on (``ErrorPolicy.RECORD``, the CLI default), or drops the input silently (``ErrorPolicy.SKIP``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Errors:
    """Message templates, by code. ``E0xx``: input; ``E1xx``: usage; ``E2xx``: environment."""

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
    E050 = "could not be stored: {reason}"
    E101 = "no inputs given"
    E102 = "unknown value {value!r} for {option}; choose one of {choices}"
    E103 = "no story has an id starting with {prefix!r}"
    E104 = "{prefix!r} matches several stories ({ids}, ...); give more of the id"
    E201 = "spaCy model {name!r} is not installed; run `make demo` or `pip install -e .`"

    E250 = "a PostgreSQL store is backed up with PostgreSQL's own tool: {command}"
    E251 = "a PostgreSQL store is restored with PostgreSQL's own tool: {command}"
    E252 = "{path} is not a Synoptic SQLite backup: {reason}"
    E253 = "the store already holds {articles:,} articles; restoring replaces them all (--force)"
    E254 = "cannot write the backup {path}: {reason}"


class ErrorPolicy(enum.Enum):
    """What a stage does with bad input."""

    RAISE = "raise"
    RECORD = "record"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class Problem:
    """A rejected input: which one, the code and the one-line reason."""

    source: str
    code: str
    message: str

    def line(self) -> str:
        """Return the one line printed on stderr for this problem."""
        return f"synoptic: skipped {self.source}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, str]:
        """Return the problem as JSON-ready data."""
        return {"source": self.source, "code": self.code, "message": self.message}


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
