"""What every request passes before the application reads a byte of its body.

:class:`RequestGuard` is ASGI middleware that answers, from the request line
and headers alone:

1. ``400`` when the ``Host`` header is a name the server was not told it has
   (DNS rebinding: a page whose name resolves to 127.0.0.1 is "same-origin"
   with the local server in the browser's eyes, but its ``Host`` gives it away).
   IP literals and ``localhost`` are always accepted.
2. ``403`` for a state-changing request (``POST`` ...) sent by a browser from
   another origin: with no token, any page the analyst visits could otherwise
   upload to the local server. Requests without ``Origin`` (curl, scripts) pass.
3. ``401`` without a valid token when the service has one, for everything but
   the page, its static files and ``/api/config``.
4. ``411`` / ``413`` for an upload without ``Content-Length`` or above the limit.

It also adds the security headers of :data:`SECURITY_HEADERS` and a
Content-Security-Policy to every response that does not set its own.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response

__all__ = [
    "DOCS_PATHS",
    "PAGE_POLICY",
    "PUBLIC_PATHS",
    "SECURITY_HEADERS",
    "GuardSettings",
    "RequestGuard",
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

# the page loads its own script and style and talks to its own server, nothing else
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
PUBLIC_PATHS = frozenset({"/", "/api/config"})
_PUBLIC_PREFIX = "/static/"
DOCS_PATHS = frozenset({"/docs", "/redoc", "/openapi.json"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_TOKEN_NEEDED = "a valid token is needed: send the header 'Authorization: Bearer <token>'."


@dataclass(frozen=True)
class GuardSettings:
    """What :class:`RequestGuard` enforces.

    Attributes
    ----------
    token : str or None
        When set, every request but the page's needs ``Authorization: Bearer <token>``
        (the API documentation also takes the token as a browser's Basic password).
    max_body_bytes : int
        Largest request body accepted.
    allowed_hosts : frozenset of str
        Host names (lower case) accepted in the ``Host`` header besides IP
        literals and ``localhost``.
    """

    token: str | None
    max_body_bytes: int
    allowed_hosts: frozenset[str] = frozenset()


class RequestGuard:
    """ASGI middleware: refuse from the headers alone, then add the security headers."""

    def __init__(
        self, app: Callable[[Scope, Receive, Send], Awaitable[None]], *, settings: GuardSettings
    ) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", PAGE_POLICY)
                if path.startswith("/api/"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        refusal = self.refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def refusal(self, scope: Scope) -> Response | None:
        """The answer to a request that goes no further, or None to let it through."""
        headers = Headers(scope=scope)
        method = scope["method"]
        host = headers.get("host")
        if host is not None and not host_allowed(host, self.settings.allowed_hosts):
            return _refuse(
                400,
                f"this server does not answer to the name in the Host header ({host!r}). "
                "Open it as http://127.0.0.1:PORT/ or http://localhost:PORT/, or start it with "
                f"--allowed-host {_host_name(host) or 'NAME'} to accept that name.",
            )
        if method not in _SAFE_METHODS:
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            if (origin is not None and not same_origin(origin, host)) or site in (
                "cross-site",
                "same-site",
            ):
                return _refuse(
                    403,
                    f"a request from another web site (Origin {origin or site!r}) was refused: "
                    "this server takes uploads only from its own page. Open the page the server "
                    "prints at start and upload there; scripts that send no Origin header are "
                    "not affected.",
                )
        path = scope["path"]
        token = self.settings.token
        if (
            token is not None
            and path not in PUBLIC_PATHS
            and not path.startswith(_PUBLIC_PREFIX)
            and not _authorised(headers, token, basic=path in DOCS_PATHS and method == "GET")
        ):
            challenge = 'Basic realm="feedback-miner"' if path in DOCS_PATHS else "Bearer"
            message = _TOKEN_NEEDED
            if path in DOCS_PATHS:
                message += " In a browser, give the token as the password (any user name)."
            return _refuse(401, message, {"WWW-Authenticate": challenge})
        if method in _BODY_METHODS:
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                return _refuse(411, "the upload needs a Content-Length header.")
            if int(length) > self.settings.max_body_bytes:
                return _refuse(
                    413,
                    f"the upload is {int(length) / 2**20:.1f} MB; the limit is "
                    f"{self.settings.max_body_bytes / 2**20:.0f} MB. Split the export, or start "
                    "the service with a larger --max-upload-mb.",
                )
        return None


def _refuse(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _authorised(headers: Headers, token: str, *, basic: bool) -> bool:
    scheme, _, given = headers.get("authorization", "").partition(" ")
    scheme = scheme.lower()
    if scheme == "basic" and basic:
        try:
            decoded = base64.b64decode(given.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        given = decoded.partition(":")[2]
    elif scheme != "bearer":
        return False
    return secrets.compare_digest(given.strip().encode(), token.encode())


def _host_name(host: str) -> str:
    """The name part of a ``Host`` header: without the port and the brackets of IPv6."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host: str, allowed: frozenset[str]) -> bool:
    """Whether a ``Host`` header names this server: an IP literal, localhost, or an allowed name.

    Examples
    --------
    >>> host_allowed("127.0.0.1:8000", frozenset())
    True
    >>> host_allowed("[::1]:8000", frozenset())
    True
    >>> host_allowed("attacker.example:8000", frozenset())
    False
    >>> host_allowed("Analytics-Box:8000", frozenset({"analytics-box"}))
    True
    """
    name = _host_name(host).rstrip(".")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return name == "localhost" or name in allowed
    return True


def same_origin(origin: str, host: str | None) -> bool:
    """Whether an ``Origin`` header names the site the request was sent to (its ``Host``).

    Examples
    --------
    >>> same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    True
    >>> same_origin("https://attacker.example", "127.0.0.1:8000")
    False
    >>> same_origin("null", "127.0.0.1:8000")
    False
    """
    scheme, separator, netloc = origin.strip().partition("://")
    if not separator or not scheme or host is None:
        return False
    return netloc.rstrip("/").lower() == host.strip().lower()
