"""The one safe fetcher: every network read of Synoptic goes through ``Fetcher.fetch``.

For each URL, and again for every redirect (at most ``max_redirects``):

1. only ``http``/``https`` with a host are taken (``E401``/``E402``);
2. the host is resolved once (``E403``) and every address it gets is checked against the
   address policy (``E404``); the connection is then made to that checked address
   (``transport``), the request keeping its host name for ``Host``, SNI and certificates;
3. robots.txt is asked (``E411``), the host's politeness gate is waited for;
4. the answer is read within the connect, read and total time caps (``E406``), its content
   type checked (``E410``), its body streamed and inflated under the size cap (``E409``).

Errors are ``FetchError`` with the URL as their source, so each becomes one coded line.
"""

from __future__ import annotations

import email.utils
import importlib.metadata
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import httpx

from synoptic.errors import FetchError
from synoptic.fetch.addresses import AddressPolicy, IPAddress
from synoptic.fetch.body import BadEncoding, BodyTooLarge, read_body
from synoptic.fetch.hosts import HostGate
from synoptic.fetch.resolver import Resolver, literal, system_resolver
from synoptic.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache
from synoptic.fetch.transport import Pin, pinned, pinned_transport

#: Content types a fetch accepts by default: pages, feeds, sitemaps, JSON and plain text.
DEFAULT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "text/plain",
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PRODUCT = "Synoptic"


def _version() -> str:
    # From the installed metadata: importing ``synoptic`` itself would tie this module into
    # the package's import cycle through the pipeline.
    try:
        return importlib.metadata.version("synoptic")
    except importlib.metadata.PackageNotFoundError:
        return "0"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """The caps and manners of fetching.

    Attributes:
        connect_timeout: Seconds to open a connection.
        read_timeout: Seconds a read may wait for bytes.
        total_timeout: Seconds for a whole request, redirects included.
        max_bytes: Largest body accepted, after inflation.
        max_redirects: Most redirects followed.
        host_interval: Least seconds between two requests to one host.
        host_concurrency: Most requests to one host at once.
        contact: A URL or address naming who runs this Synoptic, sent in the User-Agent.
        obey_robots: Whether robots.txt is asked (always, except for tests of other parts).
        accept: Content types accepted (a missing Content-Type is accepted; the reader sniffs).
        policy: The networks opened beside the public Internet (``--allow-network``).
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    host_interval: float = 1.0
    host_concurrency: int = 2
    contact: str | None = None
    obey_robots: bool = True
    accept: tuple[str, ...] = DEFAULT_TYPES
    policy: AddressPolicy = field(default_factory=AddressPolicy)

    @property
    def user_agent(self) -> str:
        """The User-Agent sent: Synoptic, its version and the contact when one is set."""
        base = f"{_PRODUCT}/{_version()}"
        return f"{base} (+{self.contact})" if self.contact else base


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched answer.

    Attributes:
        url: The URL finally answered (after redirects).
        requested: The URL asked for.
        status: The HTTP status (``200``, or ``304`` when unchanged since the given validators).
        content_type: The media type without parameters (``""`` when none was sent).
        charset: The charset parameter of the Content-Type, if any.
        body: The inflated body (empty for a 304).
        etag: The ``ETag`` validator, if sent.
        last_modified: The ``Last-Modified`` validator, if sent.
        fetched_at: When the answer came (ISO 8601, UTC).
    """

    url: str
    requested: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None
    last_modified: str | None
    fetched_at: str

    @property
    def not_modified(self) -> bool:
        """Whether the server said the resource is unchanged (304)."""
        return self.status == 304


class Fetcher:
    """Fetches URLs safely; one instance shares its connections, robots.txt and host gates.

    Args:
        settings: Caps, manners and the address policy.
        resolver: Turns host names into addresses (tests pass their own).
    """

    def __init__(self, settings: FetchSettings, *, resolver: Resolver = system_resolver) -> None:
        self.settings = settings
        self._resolver = resolver
        self._gate = HostGate(settings.host_interval, settings.host_concurrency)
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.total_timeout,
        )
        self._client = httpx.Client(
            transport=pinned_transport(),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._robots = RobotsCache(self._robots_text, _PRODUCT)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Iterable[str] | None = None,
    ) -> Fetched:
        """Fetch ``url`` (following checked redirects) and return the answer.

        Args:
            url: An ``http``/``https`` URL.
            etag: The stored ``ETag``, sent as ``If-None-Match``.
            last_modified: The stored ``Last-Modified``, sent as ``If-Modified-Since``.
            accept: Content types accepted (default ``settings.accept``).

        Raises:
            FetchError: ``E401``-``E413`` naming ``url``.
        """
        types = tuple(accept) if accept is not None else self.settings.accept
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, types, self.settings.max_bytes, robots=True)

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST ``body`` to ``url`` (a webhook) and return the answer's status.

        The same checks as a fetch: scheme and host, the address policy on every address the
        host resolves to (the connection pinned to the checked one), the host's politeness
        gate and the time caps. robots.txt is not asked (the receiver asked for the POST) and
        no redirect is followed (a webhook that moves is told by its owner, not by a 3xx).

        Raises:
            FetchError: ``E401``-``E406`` naming ``url``; ``E407`` for a status of 300 or more.
        """
        deadline = time.monotonic() + self.settings.total_timeout
        target = _parse(url)
        host = target.raw_host.decode("ascii")
        address = self._vet(url, host, target.port or _default_port(target.scheme))
        with self._gate.turn(self._robots.site(url)), pinned(Pin(host, address, deadline)):
            try:
                response = self._client.post(url, content=body, headers=dict(headers))
            except httpx.TimeoutException as exc:
                raise FetchError("E406", url, reason=_reason(exc)) from exc
            except httpx.TransportError as exc:
                raise FetchError("E405", url, reason=_reason(exc)) from exc
        if response.status_code >= 300:
            raise FetchError(
                "E407",
                url,
                status=response.status_code,
                detail=f" {response.reason_phrase}" if response.reason_phrase else "",
                retry_after=_retry_after(response.headers.get("retry-after")),
            )
        return response.status_code

    def _robots_text(self, robots_url: str) -> str:
        fetched = self._get(robots_url, {}, (), ROBOTS_MAX_BYTES, robots=False)
        return fetched.body.decode("utf-8", errors="replace")

    def _get(
        self,
        url: str,
        headers: dict[str, str],
        types: tuple[str, ...],
        max_bytes: int,
        *,
        robots: bool,
    ) -> Fetched:
        deadline = time.monotonic() + self.settings.total_timeout
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            target = _parse(current)
            host = target.raw_host.decode("ascii")
            address = self._vet(current, host, target.port or _default_port(target.scheme))
            if robots and self.settings.obey_robots:
                self._ask_robots(current)
            with self._gate.turn(self._robots.site(current)), pinned(Pin(host, address, deadline)):
                answer = self._exchange(url, current, headers, types, max_bytes)
            if isinstance(answer, Fetched):
                return answer
            current = answer
        raise FetchError("E408", url, limit=self.settings.max_redirects)

    def _vet(self, url: str, host: str, port: int) -> IPAddress:
        """Resolve ``host`` once and return an address every check passed."""
        fixed = literal(host)
        if fixed is not None:
            addresses = [fixed]
        else:
            try:
                addresses = list(self._resolver(host, port))
            except (OSError, UnicodeError) as exc:
                raise FetchError("E403", url, host=host, reason=_reason(exc)) from exc
            if not addresses:
                raise FetchError("E403", url, host=host, reason="no address")
        for address in addresses:
            # One refused address refuses the name: a name that answers both public and
            # private addresses is the shape of a rebinding attack.
            kind = self.settings.policy.refusal(address)
            if kind:
                raise FetchError("E404", url, host=host, address=str(address), kind=kind)
        return addresses[0]

    def _ask_robots(self, url: str) -> None:
        allowed, delay = self._robots.verdict(url)
        site = self._robots.site(url)
        if delay:
            self._gate.set_delay(site, min(delay, 60.0))
        if not allowed:
            raise FetchError("E411", url, robots=self._robots.robots_url(url))

    def _exchange(
        self, url: str, current: str, headers: dict[str, str], types: tuple[str, ...], cap: int
    ) -> Fetched | str:
        """Send one request; return the answer, or the next URL when redirected."""
        try:
            request = self._client.build_request("GET", current, headers=headers)
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise FetchError("E406", url, reason=_reason(exc)) from exc
        except httpx.TransportError as exc:
            raise FetchError("E405", url, reason=_reason(exc)) from exc
        try:
            return self._answer(url, current, response, types, cap)
        except httpx.TimeoutException as exc:
            raise FetchError("E406", url, reason=_reason(exc)) from exc
        except httpx.TransportError as exc:
            raise FetchError("E405", url, reason=_reason(exc)) from exc
        finally:
            response.close()

    def _answer(
        self, url: str, current: str, response: httpx.Response, types: tuple[str, ...], cap: int
    ) -> Fetched | str:
        status = response.status_code
        if status in _REDIRECTS and "location" in response.headers:
            return urljoin(current, response.headers["location"])
        if status >= 400 or status in _REDIRECTS:
            raise FetchError(
                "E407",
                url,
                status=status,
                detail=f" {response.reason_phrase}" if response.reason_phrase else "",
                retry_after=_retry_after(response.headers.get("retry-after")),
            )
        ctype, charset = _content_type(response.headers.get("content-type", ""))
        if status != 304 and types and ctype and ctype not in types:
            raise FetchError("E410", url, ctype=ctype)
        body = b""
        if status != 304:
            try:
                body = read_body(
                    response.iter_raw(), response.headers.get("content-encoding", ""), cap
                )
            except BodyTooLarge as exc:
                raise FetchError("E409", url, limit=cap) from exc
            except BadEncoding as exc:
                raise FetchError("E413", url, reason=str(exc)) from exc
        return Fetched(
            url=current,
            requested=url,
            status=status,
            content_type=ctype,
            charset=charset,
            body=body,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )


def _parse(url: str) -> httpx.URL:
    try:
        target = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError("E402", url, reason=_reason(exc)) from exc
    if target.scheme not in ("http", "https"):
        raise FetchError("E401", url, scheme=target.scheme)
    if not target.raw_host:
        raise FetchError("E402", url, reason="no host")
    return target


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _content_type(value: str) -> tuple[str, str | None]:
    kind, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip('"')
    return kind.strip().lower(), charset


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
