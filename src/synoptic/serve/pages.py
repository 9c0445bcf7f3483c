"""The Jinja2 environment of the web pages and the one function that answers with a page.

Autoescaping is on for every template whatever its name: article text, titles, outlets and
URLs are untrusted, and only ``marks.mark_text`` produces markup (from escaped text).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from synoptic import __version__


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Return the environment: package templates, autoescape on, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("synoptic.serve", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def render_page(
    request: Request,
    template: str,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with ``context`` (plus the request path) as an HTML response."""
    html = environment().get_template(template).render(path=request.url.path, **context)
    return HTMLResponse(html, status_code=status, headers=dict(headers or {}))
