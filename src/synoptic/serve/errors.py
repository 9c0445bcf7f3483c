"""Every error the server answers with: one JSON shape for the API, one page for the web UI.

API errors are ``{"error": {"code": ..., "message": ...}}`` (plus ``details`` for invalid
parameters) with the matching status: 401/403 auth, 404 unknown story or article, 413 body
too large, 415 unsupported body type, 422 invalid parameters, 500 anything unexpected. Web
pages get the same status with a short HTML page. No answer ever carries a stack trace: an
unexpected exception is logged on the server and answered with a fixed message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("synoptic.serve")

API_PREFIX = "/api/"

CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    503: "unavailable",
}
INTERNAL_MESSAGE = "internal error: the server could not answer this request (see its log)"


class RequestTooLarge(Exception):
    """The request body passed the server's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def too_large_message(limit: int) -> str:
    """Return the message of a 413 answer."""
    return f"request body too large: the limit is {limit:,} bytes"


class ApiError(Exception):
    """An error answered with a status, a stable code and a one-line message.

    Args:
        status: The HTTP status.
        code: A stable machine-readable code (``not_found``, ``unauthorized``, ...).
        message: One line for a human.
        headers: Extra response headers (``WWW-Authenticate`` for 401).
    """

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def error_body(code: str, message: str, details: Sequence[Any] | None = None) -> dict[str, Any]:
    """Return the JSON body of an API error."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = list(details)
    return {"error": error}


def is_api(request: Request) -> bool:
    """Whether ``request`` is for the API (JSON errors) rather than a page (HTML errors)."""
    return request.url.path.startswith(API_PREFIX)


def respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    details: Sequence[Any] | None = None,
) -> Response:
    """Return the error answer for ``request``: JSON for the API, an HTML page otherwise."""
    if is_api(request):
        return JSONResponse(
            error_body(code, message, details), status_code=status, headers=dict(headers or {})
        )
    try:
        from synoptic.serve.pages import render_page

        return render_page(
            request,
            "error.html.j2",
            status=status,
            headers=headers,
            title=HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error",
            status_code=status,
            code=code,
            message=message,
        )
    except Exception:  # the error page itself failed: answer in plain text, still no trace
        log.exception("error page failed")
        return PlainTextResponse(f"{status} {message}", status_code=status)


async def _on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return respond(request, exc.status, exc.code, exc.message, headers=exc.headers)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = CODES.get(status, "error")
    if isinstance(exc.detail, str) and exc.detail and exc.detail != HTTPStatus(status).phrase:
        message = exc.detail
    elif status == 404:
        message = f"nothing at {request.url.path}"
    elif status == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    else:
        message = HTTPStatus(status).phrase.lower()
    return respond(request, status, code, message, headers=exc.headers)


def _loc(parts: Sequence[Any]) -> str:
    # ("query", "limit") -> "query parameter 'limit'"; body paths join with dots.
    if len(parts) >= 2 and parts[0] in ("query", "path", "header", "cookie"):
        rest = ".".join(str(p) for p in parts[1:])
        return f"{parts[0]} parameter {rest!r}"
    return ".".join(str(p) for p in parts) or "request"


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [
        {
            "loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
            "message": str(e.get("msg", "invalid")),
            "type": str(e.get("type", "value_error")),
        }
        for e in exc.errors()
    ]
    if details:
        first = details[0]
        message = f"invalid {_loc(first['loc'])}: {first['message']}"
    else:
        message = "invalid request"
    return respond(request, 422, "invalid_request", message, details=details)


async def _on_too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestTooLarge)
    return respond(request, 413, "payload_too_large", too_large_message(exc.limit))


def _unhandled(
    headers: Callable[[], Mapping[str, str]],
) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def on_unhandled(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        # Answered by the outermost middleware, outside the one adding the security headers.
        return respond(request, 500, "internal_error", INTERNAL_MESSAGE, headers=headers())

    return on_unhandled


def _no_headers() -> dict[str, str]:
    return {}


def install_handlers(
    app: FastAPI, *, unhandled_headers: Callable[[], Mapping[str, str]] = _no_headers
) -> None:
    """Register the exception handlers on ``app`` (unexpected exceptions included).

    Args:
        app: The application.
        unhandled_headers: Returns the headers of a 500 answer, which is made outside the
            middlewares (``synoptic.serve.app`` passes the security headers).
    """
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(RequestTooLarge, _on_too_large)
    app.add_exception_handler(Exception, _unhandled(unhandled_headers))
