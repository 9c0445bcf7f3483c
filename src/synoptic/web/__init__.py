"""News from the web: pages, feeds, sitemaps and subscriptions, read through ``synoptic.fetch``."""

from synoptic.web.feeds import Feed, FeedEntry, is_feed, parse_feed
from synoptic.web.pages import read_url
from synoptic.web.sources import is_url, read_sources

__all__ = ["Feed", "FeedEntry", "is_feed", "is_url", "parse_feed", "read_sources", "read_url"]
