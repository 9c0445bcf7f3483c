"""Read a story's brief for the server: the cached one when current, else built once.

The store's ``Store.brief`` already returns the cached brief or builds and caches a new one.
The server adds three things:

* Building runs spaCy and takes seconds, so concurrent requests for stale stories are built
  one at a time (a lock around the build), while requests whose brief is cached never wait
  on that lock.
* No stored record can make a later read fail for good: a cached brief that no longer reads
  is rebuilt; a build that fails is retried once, uncached, from the members with every
  non-finite number in their metadata dropped (``NaN`` reached the store through JSON lines
  before the readers cleaned it, and PostgreSQL's JSON refuses it); if that fails too, the
  request for this one story answers a coded error (500 ``brief_failed``), and every other
  story still reads.
* ``brief_document`` returns the Brief JSON v1 document with non-finite numbers as ``null``,
  since JSON has no ``NaN`` and the response would otherwise fail after the brief was built.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from synoptic.model import Brief, briefs_document
from synoptic.render.jsonfmt import finite
from synoptic.serve.errors import ApiError
from synoptic.serve.layout import source_name
from synoptic.serve.queries import cached_brief, story_summary
from synoptic.store import Store, repository

_BUILD = threading.Lock()
log = logging.getLogger("synoptic.serve")


def brief_document(brief: Brief) -> dict[str, Any]:
    """Return the Brief JSON v1 document of one brief, safe to serialise as strict JSON."""
    cleaned: dict[str, Any] = finite(briefs_document([brief]))
    # An input's name, never its location on the server's disk (issue 14).
    for story in cleaned.get("stories", []):
        for article in story.get("articles", []):
            article["source"] = source_name(article.get("source"))
    return cleaned


def _missing(exc: KeyError, story_id: str) -> bool:
    # The store's own "no such story" (not a KeyError from a damaged record).
    return exc.args[:1] == (story_id,)


def _cached(store: Store, story_id: str) -> Brief | None:
    try:
        return cached_brief(store, story_id)
    except KeyError as exc:
        if _missing(exc, story_id):
            raise
    except Exception:
        pass
    log.warning("the cached brief of story %s does not read; rebuilding it", story_id)
    return None


def _uncached(store: Store, story_id: str) -> Brief:
    """Build a brief from the members with their metadata made finite; cache nothing."""
    summary = story_summary(store, story_id)
    if summary is None:
        raise KeyError(story_id)
    members = [replace(a, meta=finite(dict(a.meta))) for a in store.story_articles(story_id)]
    return repository.build_brief(story_id, summary.headline, members, store.context)


def story_brief(store: Store, story_id: str) -> Brief:
    """Return the current brief of a story, building (and caching) it if needed.

    Raises:
        KeyError: No story has this id.
        ApiError: 500 ``brief_failed`` when this story's brief cannot be built at all.
    """
    brief = _cached(store, story_id)
    if brief is not None:
        return brief
    with _BUILD:
        # Another request may have built it while this one waited.
        try:
            return store.brief(story_id)
        except KeyError as exc:
            if _missing(exc, story_id):
                raise
            log.warning("building the brief of story %s failed", story_id, exc_info=exc)
        except Exception as exc:
            log.warning("building the brief of story %s failed", story_id, exc_info=exc)
        try:
            return _uncached(store, story_id)
        except KeyError as exc:
            if _missing(exc, story_id):
                raise
            failure: Exception = exc
        except Exception as exc:
            failure = exc
    log.error("the brief of story %s cannot be built", story_id, exc_info=failure)
    raise ApiError(
        500,
        "brief_failed",
        f"the brief of story {story_id} could not be built (the server's log says why); "
        "other stories are not affected",
    )


def refresh(store: Store, story_ids: Sequence[str]) -> None:
    """Rebuild the stale briefs among ``story_ids`` (run after an ingest, off the request).

    One story failing is logged and skipped; the others are still rebuilt.
    """
    with _BUILD:
        for story_id in story_ids:
            try:
                store.refresh_briefs([story_id])
            except Exception as exc:
                log.warning("rebuilding the brief of story %s failed", story_id, exc_info=exc)
