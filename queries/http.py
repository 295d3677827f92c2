"""HTTP for SPARQL endpoints and graph stores: deadlines, size limits, no redirects, Basic/Digest.

Written on :mod:`http.client` because the clients citykg could use lack what an endpoint
needs here: urllib (and SPARQLWrapper on it) times out per socket read only, so a server
sending a byte a second holds a command forever; it follows redirects and re-sends a Basic
``Authorization`` header to whatever host a ``302`` names; it reads bodies without a limit;
and its Digest handler knows neither SHA-256 nor non-ASCII passwords.

- **Deadline**: a :class:`Budget` is the time a command may spend waiting for servers, all its
  requests together (``--timeout``). Each request gets what is left, enforced by a watchdog
  that closes the socket, so a slow drip ends on time too.
- **Size**: a response body larger than :func:`max_response_bytes` is an error, not a
  ``MemoryError``.
- **Redirects** are never followed (queries, downloads and writes alike): the error names the
  target, so credentials and queries only ever go to the URL the user gave.
- **Auth** with ``--user``: ``auto`` sends nothing until the server's ``401`` challenge says
  which scheme it wants (Digest preferred over Basic); ``basic`` sends Basic at once;
  ``digest`` insists on Digest.

Every failure is one :class:`~citykg.errors.EndpointError`, with the URL shown without any
user name or password (:func:`redact`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html.parser
import http.client
import os
import re
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit
from urllib.request import getproxies, parse_http_list, proxy_bypass

from citykg.defaults import MAX_RESPONSE_ENV, PASSWORD_ENV
from citykg.errors import EndpointError

__all__ = [
    "AUTH_MODES",
    "DEFAULT_MAX_RESPONSE_MB",
    "Auth",
    "Budget",
    "HttpClient",
    "Response",
    "check_url",
    "http_error",
    "max_response_bytes",
    "network_error",
    "readable_reason",
    "redact",
]

#: ``--auth`` choices.
AUTH_MODES = ("auto", "basic", "digest")
#: The largest response body read, in MB, unless ``$CITYKG_MAX_RESPONSE_MB`` says otherwise.
DEFAULT_MAX_RESPONSE_MB = 1024
_CHUNK = 1 << 16

# Usual paths of the engines citykg was tried with, for the 404 hint.
_ENGINE_PATHS = (
    "Oxigraph /query and /store, Virtuoso /sparql and /sparql-graph-crud(-auth), "
    "Fuseki /DATASET/query and /DATASET/data, "
    "GraphDB /repositories/ID and /repositories/ID/rdf-graphs/service"
)


def redact(url: str) -> str:
    """``url`` without the user name and password it may hold, for messages.

    Examples
    --------
    >>> redact("http://alice:s3cret@example.org:8890/sparql")
    'http://example.org:8890/sparql'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the URL"
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_url(url: str, *, what: str = "endpoint", example: str = "/sparql") -> None:
    """Raise :class:`EndpointError` unless ``url`` is a plain ``http(s)://host...`` URL.

    Refused: other schemes, control characters or spaces (a line break would let the URL
    write its own HTTP headers), and a user name or password inside it (that belongs in
    ``--user`` and ``$CITYKG_ENDPOINT_PASSWORD``, never on a command line).

    Examples
    --------
    >>> check_url("http://127.0.0.1:7878/query\\r\\nX-Evil: 1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citykg.errors.EndpointError: ...: the URL holds a line break or another control character...
    """
    shown = redact(url)
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise EndpointError(
            "the URL holds a line break or another control character",
            "Give the URL on its own, without spaces.",
            file=shown,
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as exc:
        raise EndpointError(
            f"is not a valid URL ({exc})", f"Give the {what} as http://host:port{example}."
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            "is not an http(s) URL", f"Give the {what} as http://host:port{example}.", file=shown
        )
    if "@" in parts.netloc:
        raise EndpointError(
            "the URL holds a user name or password",
            f"Give the user with --user and the password in ${PASSWORD_ENV}, not in the URL.",
            file=shown,
        )


def max_response_bytes() -> int:
    """The largest response body citykg reads: ``$CITYKG_MAX_RESPONSE_MB`` MB, or 1024 MB."""
    raw = os.environ.get(MAX_RESPONSE_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_RESPONSE_MB << 20
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 1 << 30:
        raise EndpointError(
            f"${MAX_RESPONSE_ENV} is not a positive number of megabytes",
            f"Set it to a number such as 2048, or unset it (default {DEFAULT_MAX_RESPONSE_MB}).",
        )
    return int(value * (1 << 20))


class Budget:
    """The seconds a command may spend waiting for servers, over all its requests.

    Examples
    --------
    >>> budget = Budget(30)
    >>> budget.remaining() <= 30
    True
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.spent = 0.0

    def remaining(self) -> float:
        return self.seconds - self.spent


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, headers and the whole body."""

    status: int
    headers: Message
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


class _Text(html.parser.HTMLParser):
    # The text of an HTML error page, block by block; preformatted blocks (where Virtuoso
    # puts its error code and message) separately.
    BLOCKS = frozenset({"p", "pre", "xmp", "h1", "h2", "h3", "h4", "title", "div", "li", "br"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.pre: list[str] = []
        self._in_pre = 0
        self._skip = 0
        self._buffer: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        if text:
            self.blocks.append(text)
            if self._in_pre:
                self.pre.append(text)
        self._buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in self.BLOCKS:
            self._flush()
        if tag in ("pre", "xmp", "code"):
            self._in_pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS or tag in ("pre", "xmp", "code"):
            self._flush()
        if tag in ("pre", "xmp", "code"):
            self._in_pre = max(0, self._in_pre - 1)
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buffer.append(data)


# A line that only restates the status: "HTTP/1.1 403 Forbidden", "Error 42000", "404".
_STATUS_ONLY = re.compile(
    r"^(error\s*:?\s*)?(http/\d(\.\d)?\s+)?(\d{3}\b.*|error\s*\d*|[a-z ]*request failed)$", re.I
)


def readable_reason(body: str, content_type: str = "") -> str:
    """The server's own reason in a short line: markup stripped, status restatements dropped.

    Examples
    --------
    >>> readable_reason("<html><h1>HTTP/1.1 403 Forbidden</h1><xmp>SQ110: Permission denied"
    ...                 "</xmp></html>", "text/html")
    'SQ110: Permission denied'
    >>> readable_reason("Virtuoso 42000 Error SR171: Transaction timed out\\n\\nSPARQL query: ...")
    'Virtuoso 42000 Error SR171: Transaction timed out'
    """
    text = body.strip()
    if not text:
        return ""
    looks_html = "html" in content_type or re.match(r"(?is)\s*(<!doctype|<html|<\?xml|<)", text)
    if looks_html and "<" in text:
        parser = _Text()
        try:
            parser.feed(text[:200_000])
            parser.close()
        except AssertionError:  # HTMLParser's reaction to some malformed markup
            return ""
        lines = [b for b in parser.pre or parser.blocks if not _STATUS_ONLY.match(b)]
    else:
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        lines = [line for line in lines if not _STATUS_ONLY.match(line)]
    if not lines:
        return ""
    line = lines[0]
    return line if len(line) <= 300 else line[:297] + "..."


def _challenges(headers: Message) -> dict[str, dict[str, str]]:
    """The ``WWW-Authenticate`` challenges: scheme (lower case) -> parameters."""
    found: dict[str, dict[str, str]] = {}
    for value in headers.get_all("WWW-Authenticate") or []:
        current: dict[str, str] | None = None
        # Items are comma-separated (quotes respected); a scheme name starts a challenge.
        for item in parse_http_list(value):
            start = re.match(r"([A-Za-z][\w-]*)(?:\s+(.*))?$", item, re.S)
            if start and not (start.group(2) or "").startswith("="):
                current = found.setdefault(start.group(1).lower(), {})
                item = start.group(2) or ""
            param = re.match(r"([\w-]+)\s*=\s*(.*)$", item.strip(), re.S)
            if param and current is not None:
                raw = param.group(2).strip()
                if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                    raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
                current.setdefault(param.group(1).lower(), raw)
    return found


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


_DIGEST_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


@dataclass
class Auth:
    """HTTP credentials and what the server said it wants (see the module docstring).

    ``mode`` is one of :data:`AUTH_MODES`. Without a user nothing is ever sent.

    Examples
    --------
    >>> Auth("alice", "s3cret", "basic")
    Auth(user='alice', mode='basic', scheme='basic')
    >>> Auth("alice", "s3cret", "basic").header("GET", "/sparql")
    'Basic YWxpY2U6czNjcmV0'
    """

    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a repr or traceback
    mode: str = "auto"
    scheme: str | None = None  # "basic" or "digest" once known
    challenge: dict[str, str] = field(default_factory=dict, repr=False)
    _count: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if self.user is not None and self.mode == "basic":
            self.scheme = "basic"

    def header(self, method: str, path: str) -> str | None:
        """The ``Authorization`` value for a request, or None to send none."""
        if self.user is None or self.scheme is None:
            return None
        password = self.password or ""
        if self.scheme == "basic":
            token = base64.b64encode(f"{self.user}:{password}".encode()).decode("ascii")
            return f"Basic {token}"
        return self._digest(method, path, password)

    def _digest(self, method: str, path: str, password: str) -> str:
        # RFC 7616, qop "auth" (or none, RFC 2069); each request counts up the nonce's use.
        chal = self.challenge
        algorithm = chal.get("algorithm", "MD5")
        base = algorithm.upper().removesuffix("-SESS")
        name = _DIGEST_HASHES[base]

        def h(text: str) -> str:
            return hashlib.new(name, text.encode("utf-8")).hexdigest()

        realm, nonce = chal.get("realm", ""), chal.get("nonce", "")
        self._count += 1
        nc = f"{self._count:08x}"
        cnonce = secrets.token_hex(8)
        ha1 = h(f"{self.user}:{realm}:{password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{path}")
        qops = [q.strip() for q in chal.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        else:
            response = h(f"{ha1}:{nonce}:{ha2}")
        parts = [
            f'username="{_quote(self.user or "")}"',
            f'realm="{_quote(realm)}"',
            f'nonce="{_quote(nonce)}"',
            f'uri="{_quote(path)}"',
            f"algorithm={algorithm}",
            f'response="{response}"',
        ]
        if "opaque" in chal:
            parts.append(f'opaque="{_quote(chal["opaque"])}"')
        if "auth" in qops:
            parts += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
        return "Digest " + ", ".join(parts)

    def learn(self, headers: Message) -> bool:
        """Take a ``401`` challenge into account; True if the request is worth sending again."""
        if self.user is None:
            return False
        offered = _challenges(headers)
        digest = offered.get("digest")
        if digest is not None and self._digest_usable(digest) and self.mode != "basic":
            stale = digest.get("stale", "").lower() == "true"
            first = self.scheme != "digest"
            self.scheme, self.challenge, self._count = "digest", digest, 0
            return first or stale
        if "basic" in offered and self.mode == "auto" and self.scheme is None:
            self.scheme = "basic"
            return True
        return False

    @staticmethod
    def _digest_usable(chal: Mapping[str, str]) -> bool:
        algorithm = chal.get("algorithm", "MD5").upper().removesuffix("-SESS")
        qops = [q.strip() for q in chal.get("qop", "").split(",") if q.strip()]
        return algorithm in _DIGEST_HASHES and (not qops or "auth" in qops) and "nonce" in chal


def _asks_for(headers: Message) -> str:
    offered = _challenges(headers)
    names: list[str] = [n for n in ("digest", "basic", "bearer", "negotiate") if n in offered]
    names += sorted(n for n in offered if n not in names)
    return " or ".join(n.capitalize() for n in names)


def http_error(
    url: str,
    code: int,
    body: str,
    *,
    what: str = "endpoint",
    content_type: str = "",
    asks_for: str = "",
    auth: Auth | None = None,
) -> EndpointError:
    """The one-line error for an HTTP failure ``code``, keeping the server's own reason."""
    shown = redact(url)
    detail = readable_reason(body, content_type)
    reason = f": {detail}" if detail else ""
    if code == 401:
        if auth is None or auth.user is None:
            asked = f"; the server asks for {asks_for}" if asks_for else ""
            return EndpointError(
                f"the {what} needs credentials (HTTP 401{asked})",
                f"Give --user and set the password in ${PASSWORD_ENV}.",
                file=shown,
            )
        wants = asks_for.lower()
        if auth.mode == "basic" and "digest" in wants and "basic" not in wants:
            return EndpointError(
                f"the {what} refused the credentials (HTTP 401): the server asks for Digest, "
                "and --auth basic sends Basic",
                "Leave out --auth (or give --auth digest).",
                file=shown,
            )
        if auth.mode == "digest" and auth.scheme != "digest":
            asked = f"the server asks for {asks_for}" if asks_for else "the server offers no Digest"
            return EndpointError(
                f"the {what} refused the credentials (HTTP 401): {asked}, and --auth digest "
                "sends only Digest",
                "Leave out --auth.",
                file=shown,
            )
        scheme = f" ({auth.scheme.capitalize()})" if auth.scheme else ""
        return EndpointError(
            f"the {what} refused the credentials{scheme} (HTTP 401)",
            f"Check --user and the password in ${PASSWORD_ENV}.",
            file=shown,
        )
    if code == 403:
        return EndpointError(
            f"the {what} forbids this request (HTTP 403{reason})",
            "Ask its administrator for access (see docs/sharing.md for the grants).",
            file=shown,
        )
    if code == 404:
        return EndpointError(
            f"the {what} was not found (HTTP 404)",
            f"Check the URL; usual paths: {_ENGINE_PATHS}.",
            file=shown,
        )
    if code == 405:
        return EndpointError(
            f"the {what} does not accept this request (HTTP 405{reason})",
            "Check the URL; the store may be read-only.",
            file=shown,
        )
    if code == 413:
        return EndpointError(
            f"the {what} refused a request this large (HTTP 413{reason})",
            "Ask its administrator to raise the server's request size limit.",
            file=shown,
        )
    if code >= 500:
        return EndpointError(
            f"the {what} failed (HTTP {code}{reason})",
            "Try again later, or ask its administrator.",
            file=shown,
        )
    return EndpointError(
        f"the {what} answered HTTP {code}{reason}", "Check the URL and the request.", file=shown
    )


def network_error(
    url: str, exc: BaseException, timeout: float, *, what: str = "endpoint"
) -> EndpointError:
    """The one-line error for a connection that failed or timed out."""
    shown = redact(url)
    if isinstance(exc, TimeoutError | socket.timeout):
        return _timeout_error(shown, timeout, what)
    if isinstance(exc, ssl.SSLError):
        text = exc.reason or str(exc)
    elif isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    elif isinstance(exc, socket.gaierror):
        text = str(exc)
    else:
        text = type(exc).__name__ if not str(exc) else str(exc)
    return EndpointError(
        f"cannot reach the {what} ({' '.join(text.split())[:200]})",
        "Check the URL and that the server is running.",
        file=shown,
    )


def _timeout_error(shown: str, timeout: float, what: str) -> EndpointError:
    return EndpointError(
        f"the {what} did not answer within {timeout:g} s",
        "Raise --timeout, or try again later.",
        file=shown,
    )


class HttpClient:
    """Requests to one or more URLs under one :class:`Budget` and one :class:`Auth`.

    Parameters
    ----------
    budget : Budget
        Shared by every request of the command.
    auth : Auth, optional
        Credentials (none by default).
    max_bytes : int, optional
        The largest body read (default :func:`max_response_bytes`).
    """

    def __init__(
        self, budget: Budget, auth: Auth | None = None, max_bytes: int | None = None
    ) -> None:
        self.budget = budget
        self.auth = auth or Auth()
        self.max_bytes = max_response_bytes() if max_bytes is None else max_bytes

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        what: str = "endpoint",
        ok: tuple[int, ...] = (),
        name: str | None = None,
    ) -> Response:
        """Send one request (again after a ``401`` challenge); a 2xx (or ``ok``) response.

        ``name`` is the URL errors show (default ``url``): the graph store's, not the one with
        ``?graph=`` that a request goes to.

        Raises
        ------
        EndpointError
            Unreachable, out of time, redirected, too large, or any other status.
        """
        label = name or url
        if body is not None and len(body) > _CHUNK and self.auth.user and not self.auth.scheme:
            # A server that wants credentials refuses a large upload before reading it (and
            # closes the connection: "broken pipe"): learn its scheme first with a GET, which
            # changes nothing.
            probe = self._once("GET", url, None, {}, what, label)
            if probe.status == 401:
                self.auth.learn(probe.headers)
        for _ in range(3):
            response = self._once(method, url, body, headers or {}, what, label)
            if response.status != 401 or not self.auth.learn(response.headers):
                break
        if 200 <= response.status < 300 or response.status in ok:
            return response
        if 300 <= response.status < 400 and response.status != 304:
            target = response.headers.get("Location", "")
            where = f" to {redact(target)}" if target else ""
            raise EndpointError(
                f"the {what} redirects{where} (HTTP {response.status})",
                "citykg follows no redirect, so that queries and credentials go only where "
                "you said: give that URL if you trust it.",
                file=redact(label),
            )
        asks = _asks_for(response.headers) if response.status == 401 else ""
        if response.status == 401 and not asks and self.auth.scheme == "basic":
            # Virtuoso answers refused Basic credentials with no challenge: ask once more
            # without any, to say which scheme it wants.
            probe = self._once(method, url, body, headers or {}, what, label, send_auth=False)
            asks = _asks_for(probe.headers) if probe.status == 401 else ""
        raise http_error(
            label,
            response.status,
            response.text(),
            what=what,
            content_type=response.content_type,
            asks_for=asks,
            auth=self.auth,
        )

    def _once(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: Mapping[str, str],
        what: str,
        label: str,
        *,
        send_auth: bool = True,
    ) -> Response:
        shown = redact(label)
        remaining = self.budget.remaining()
        if remaining <= 0:
            raise _timeout_error(shown, self.budget.seconds, what)
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        all_headers = {"User-Agent": "citykg", "Accept-Encoding": "identity", **headers}
        authorization = self.auth.header(method, path) if send_auth else None
        if authorization:
            all_headers["Authorization"] = authorization
        connection, target, proxy_headers = _connect(parts, path, remaining)
        all_headers.update(proxy_headers)
        fired = threading.Event()

        def expire() -> None:
            # The deadline: closing the socket ends any read or write still waiting.
            fired.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(remaining, expire)
        watchdog.daemon = True
        started = time.monotonic()
        watchdog.start()
        try:
            try:
                connection.request(method, target, body=body, headers=all_headers)
            except (BrokenPipeError, ConnectionResetError):
                # A server may answer (401, 413) and close before it has read a large body:
                # its answer is still there to read, and says more than "broken pipe".
                if fired.is_set():
                    raise
            answer = connection.getresponse()
            length = answer.getheader("Content-Length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                raise _too_large(shown, self.max_bytes, what)
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = answer.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    raise _too_large(shown, self.max_bytes, what)
                chunks.append(chunk)
            if fired.is_set():
                raise TimeoutError
            return Response(answer.status, answer.headers, b"".join(chunks))
        except EndpointError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            if fired.is_set() or isinstance(exc, TimeoutError | socket.timeout):
                raise _timeout_error(shown, self.budget.seconds, what) from None
            if isinstance(exc, http.client.IncompleteRead):
                raise EndpointError(
                    f"the {what}'s answer broke off before its end",
                    "Try again later, or ask its administrator.",
                    file=shown,
                ) from None
            if isinstance(exc, http.client.HTTPException) and not isinstance(
                exc, http.client.RemoteDisconnected
            ):
                raise EndpointError(
                    f"the {what}'s answer is not valid HTTP ({type(exc).__name__})",
                    "Check that the URL is the endpoint's.",
                    file=shown,
                ) from None
            raise network_error(label, exc, self.budget.seconds, what=what) from None
        finally:
            watchdog.cancel()
            connection.close()
            self.budget.spent += time.monotonic() - started


def _connect(
    parts: SplitResult, path: str, timeout: float
) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
    """A connection for ``parts``, the request target and headers for the proxy: through the
    proxy that ``$https_proxy``/``$http_proxy`` name unless ``$no_proxy`` exempts the host (as
    urllib, which citykg used before, does)."""
    host = parts.hostname or ""
    proxy = getproxies().get(parts.scheme)
    if proxy and not proxy_bypass(host):
        via = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        headers = {}
        if via.username is not None:
            token = f"{unquote(via.username)}:{unquote(via.password or '')}"
            headers["Proxy-Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()
        if parts.scheme == "https":
            tunnel = http.client.HTTPSConnection(via.hostname or "", via.port, timeout=timeout)
            tunnel.set_tunnel(host, parts.port, headers=headers)
            return tunnel, path, {}
        # Plain HTTP through a proxy: the full URL as the target (credentials for the server
        # go through the proxy too, as with any HTTP proxy).
        plain = http.client.HTTPConnection(via.hostname or "", via.port, timeout=timeout)
        return plain, urlunsplit(parts), headers
    if parts.scheme == "https":
        return http.client.HTTPSConnection(host, parts.port, timeout=timeout), path, {}
    return http.client.HTTPConnection(host, parts.port, timeout=timeout), path, {}


def _too_large(shown: str, limit: int, what: str) -> EndpointError:
    return EndpointError(
        f"the {what}'s answer is larger than {limit / (1 << 20):g} MB",
        f"Ask for less, or raise ${MAX_RESPONSE_ENV} (megabytes).",
        file=shown,
    )
