"""Read a story's brief for the server: the cached one when current, else built once.

The store's ``Store.brief`` already returns the cached brief or builds and caches a new one.
The server adds one thing: building runs spaCy and takes seconds, so concurrent requests for
stale stories are built one at a time (a lock around the build), while requests whose brief is
cached never wait on that lock.
"""

from __future__ import annotations

import threading

from synoptic.model import Brief
from synoptic.serve.queries import cached_brief
from synoptic.store import Store

_BUILD = threading.Lock()


def story_brief(store: Store, story_id: str) -> Brief:
    """Return the current brief of a story, building (and caching) it if needed.

    Raises:
        KeyError: No story has this id.
    """
    brief = cached_brief(store, story_id)
    if brief is not None:
        return brief
    with _BUILD:
        # Another request may have built it while this one waited.
        return store.brief(story_id)


def refresh(store: Store, story_ids: list[str]) -> None:
    """Rebuild the stale briefs among ``story_ids`` (run after an ingest, off the request)."""
    with _BUILD:
        store.refresh_briefs(story_ids)
