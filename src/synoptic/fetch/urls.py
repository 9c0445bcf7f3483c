"""One spelling per article link, so the same article reached twice is one article.

Scheme and host are lower-cased, the default port and the fragment dropped, and tracking
parameters removed (``utm_*``, ``fbclid``, ``gclid`` and their kin); the other query parameters
keep their order, because some sites need it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only say where a click came from.
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "gclsrc", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid"}
)
_TRACKING_PREFIXES = ("utm_",)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Return ``url`` normalised; a value that is not an http(s) URL comes back stripped.

    The result is still the link to fetch: scheme, ``www.``, credentials, a trailing slash and
    the order of the query are kept, since a site may answer differently without them. The
    page an article counts as a version of is a looser key, ``stories.identity.canonical_url``
    (which does not call this: see there why).
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        # Credentials in a link are kept (a feed may need them) but never lower-cased.
        auth = parts.username or ""
        if parts.password:
            auth += f":{parts.password}"
        host = f"{auth}@{host}"
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _tracking(key)
    ]
    query = urlencode(kept, doseq=True) if kept != parse_qsl(parts.query, True) else parts.query
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def _tracking(key: str) -> bool:
    lower = key.lower()
    return lower in _TRACKING or lower.startswith(_TRACKING_PREFIXES)
