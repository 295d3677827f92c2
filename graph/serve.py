"""A local SPARQL endpoint over the built store: the Oxigraph server (PyPI package ``oxigraph``)
behind a small guard.

A served endpoint lets data leave the machine, so by default it serves the store's *public
profile* (:func:`citykg.graph.profile.public_copy`: no persons, contact details or entries
marked internal), written to a temporary folder when the server starts and deleted when it
stops: a snapshot of the store at that moment.

``include_internal`` serves the store's current data folder itself, read-only, in place
(``oxigraph serve-read-only``): citykg's data folders are never written after their build, so
the server and every citykg command read the same folder at once, and a new ``citykg build``
goes on working (restart the server to serve the new build).

Writable serves a throwaway *copy* read-write: a server writing into the store's data folder
would hold its lock (no citykg command could open the store while it runs), would change a
folder the store promises never changes, and would lose its writes at the next build. So the
store changes only through ``citykg build``; to keep what a tool wrote, read it back through
the endpoint before stopping the server.

Both serve the union of the store's named graphs as the default graph, as local queries see it.

The guard: the Oxigraph server listens on a loopback port of its own, and citykg listens on
the address the user gave and passes each request on (:class:`_Guard`). Before a query or an
update reaches the server, the guard checks it as local queries are checked
(:func:`citykg.queries.sparql.check_query`): a 16 KB query of 4,000 nested groups aborted the
server (any web page can make a browser POST such a form to 127.0.0.1), and ``SERVICE`` or
``LOAD`` make it fetch whatever address the query names and echo the answer; both are refused
unless ``allow_service``. The server runs queries with a time limit, is killed when citykg dies
(the parent-death signal), and its temporary copy is removed at the next start if citykg could
not remove it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import http.client
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

from citykg.defaults import DEFAULT_TIMEOUT
from citykg.errors import EndpointError, QueryError
from citykg.graph.profile import public_copy
from citykg.graph.store import read_info, reading
from citykg.queries.sparql import MAX_QUERY_CHARS, check_query

__all__ = ["DEFAULT_PORT", "Server", "find_oxigraph", "serve"]

DEFAULT_PORT = 7878
#: Seconds to wait for the server to accept connections.
START_TIMEOUT = 15.0
#: The prefix of the temporary folders that hold served copies.
SCRATCH_PREFIX = "citykg-serve-"
#: The file in a scratch folder that its server holds locked while it runs.
SCRATCH_LOCK = ".citykg-serve.lock"
#: The longest request body the guard reads for a query or an update (a query is at most
#: MAX_QUERY_CHARS characters, each at most 4 bytes, percent-encoded in a form: 3 per byte).
MAX_QUERY_BODY = 12 * MAX_QUERY_CHARS
#: Seconds a client may take to send its request or read the answer.
CLIENT_TIMEOUT = 60.0
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
     "upgrade", "content-length"}
)  # fmt: skip


def find_oxigraph() -> str:
    """The ``oxigraph`` server program: on PATH, or installed next to this Python.

    Examples
    --------
    >>> Path(find_oxigraph()).name
    'oxigraph'
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise EndpointError(
        "the Oxigraph server program 'oxigraph' is not installed",
        "Install it with 'pip install oxigraph' (in citykg's environment).",
    )


@dataclass
class Server:
    """A running Oxigraph server behind citykg's guard; :attr:`url` is its query endpoint.

    ``host`` and ``port`` are where the guard listens (what clients use); the Oxigraph server
    itself listens on a loopback port only the guard knows.
    """

    process: subprocess.Popen[bytes]
    host: str
    port: int
    location: Path
    writable: bool

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base + "/query"

    def wait(self) -> int:
        """Block until the server exits (Ctrl-C raises KeyboardInterrupt here)."""
        return self.process.wait()

    def stop(self) -> None:
        """Stop the server: SIGTERM, then SIGKILL if it has not gone within 5 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- The guard ---------------------------------------------------------------------------------


class _Guard(ThreadingHTTPServer):
    """Listens where the user asked and passes requests on to the Oxigraph server."""

    daemon_threads = True
    allow_reuse_address = True  # a port in TIME_WAIT after the last server is not "in use"

    def __init__(
        self,
        address: tuple[str, int],
        family: socket.AddressFamily,
        backend: int,
        *,
        allow_service: bool,
        cors: bool,
    ) -> None:
        self.address_family = family
        self.backend = backend
        self.allow_service = allow_service
        self.cors = cors
        super().__init__(address, _GuardHandler)


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Body:
    """The request body as a file http.client can stream, at most ``length`` bytes."""

    def __init__(self, stream: io.BufferedIOBase, length: int) -> None:
        self.stream = stream
        self.left = length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.stream.read(size) if size else b""
        self.left -= len(data)
        return data


def _texts(values: dict[str, list[str]], *names: str) -> list[str]:
    return [text for name in names for text in values.get(name, [])]


def _check_sparql(texts: list[str], allow_service: bool) -> None:
    fix = "Start 'citykg serve' with --allow-service to allow it."
    for text in texts:
        try:
            check_query(text, allow_service=allow_service, fix=fix)
        except QueryError as exc:
            raise _Refused(400, exc.message) from None


class _GuardHandler(BaseHTTPRequestHandler):
    server: _Guard
    timeout = CLIENT_TIMEOUT
    server_version = "citykg-serve"

    def log_message(self, format: str, *args: Any) -> None:
        return None  # the server is quiet, as Oxigraph's is

    def setup(self) -> None:
        super().setup()
        # The answer goes out in the pieces the server sends: no waiting to fill packets.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._pass_on()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _pass_on(self) -> None:
        try:
            body = self._checked()
        except _Refused as refused:
            self._refuse(refused)
            return
        connection = http.client.HTTPConnection("127.0.0.1", self.server.backend)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            length = int(self.headers.get("Content-Length") or 0)
            if body is not None:
                headers["Content-Length"] = str(len(body))
                connection.request(self.command, self.path, body=body, headers=headers)
            elif length:
                headers["Content-Length"] = str(length)
                connection.request(
                    self.command, self.path, body=_Body(self.rfile, length), headers=headers
                )
            else:
                connection.request(self.command, self.path, headers=headers)
            answer = connection.getresponse()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in _HOP_BY_HOP or key.lower() == "content-length":
                    self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                while chunk := answer.read1(1024 * 1024):
                    self.wfile.write(chunk)
        except (OSError, http.client.HTTPException):
            # The client went away, or the server did: nothing more can be said to either.
            self.close_connection = True
        finally:
            connection.close()

    def _checked(self) -> bytes | None:
        """Check a query or an update before it goes on; returns the body if it was read."""
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/query", "/update"):
            return None
        update = url.path == "/update"
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _Refused(411, "send the request with a Content-Length")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BODY:
            raise _Refused(413, f"the request is over {MAX_QUERY_BODY} bytes")
        body = self.rfile.read(length) if length else b""
        texts = _texts(urllib.parse.parse_qs(url.query), "update" if update else "query")
        kind = self.headers.get_content_type() if body else ""
        if kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            texts += _texts(form, "update" if update else "query")
        elif kind in ("application/sparql-query", "application/sparql-update"):
            texts.append(body.decode("utf-8", "replace"))
        elif body:
            raise _Refused(415, f"a {url.path} request must be a form or a SPARQL text")
        _check_sparql(texts, self.server.allow_service)
        return body

    def _refuse(self, refused: _Refused) -> None:
        text = (refused.message + "\n").encode("utf-8")
        self.send_response(refused.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(text)


def _listen(host: str, port: int, backend: int, allow_service: bool, cors: bool) -> _Guard:
    """Bind the guard where the user asked; one clear error for each way that can fail."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise EndpointError(
            f"cannot listen on '{host}' ({getattr(exc, 'strerror', None) or exc})",
            "Give an address of this machine with --host, such as 127.0.0.1.",
        ) from None
    family, _, _, _, address = infos[0]
    try:
        return _Guard(
            (str(address[0]), port), family, backend, allow_service=allow_service, cors=cors
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise EndpointError(
                f"port {port} on {host} is already in use", "Choose another with --port."
            ) from None
        raise EndpointError(
            f"cannot listen on {host} port {port} ({exc.strerror or exc})",
            "Give an address of this machine with --host, such as 127.0.0.1.",
        ) from None


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- Temporary copies --------------------------------------------------------------------------


def _clean_stale_copies() -> None:
    """Remove served copies whose citykg and server are gone (``kill -9`` leaves them).

    A running server's copy holds :data:`SCRATCH_LOCK` locked (citykg and the Oxigraph server
    both keep it open); a copy whose lock can be taken belongs to no one.
    """
    for folder in Path(tempfile.gettempdir()).glob(SCRATCH_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_uid != os.getuid() or not (folder / SCRATCH_LOCK).is_file():
                continue
            with open(folder / SCRATCH_LOCK, "a") as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # in use
                shutil.rmtree(folder, ignore_errors=True)


def _kill_with_parent() -> None:
    """In the server's process before it starts: die when citykg dies (Linux's
    PR_SET_PDEATHSIG), so that ``kill -9`` of citykg leaves no server behind."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() == 1:  # citykg died before the signal was asked for
        os._exit(1)


# --- Serving -----------------------------------------------------------------------------------


@contextlib.contextmanager
def serve(
    store: Path,
    *,
    port: int = DEFAULT_PORT,
    host: str = "127.0.0.1",
    writable: bool = False,
    cors: bool = False,
    include_internal: bool = False,
    allow_service: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[Server]:
    """Run the Oxigraph server over ``store`` for the duration of the ``with`` block.

    Serves the public profile unless ``include_internal``. Yields once the server accepts
    connections; stops it (and removes any copy it served) on exit, also on Ctrl-C. Queries and
    updates with ``SERVICE`` or ``LOAD`` are refused unless ``allow_service``; a query may run
    ``timeout`` seconds.

    Raises
    ------
    StoreError
        No store at ``store``.
    EndpointError
        The port is taken, the address is not this machine's, the program is missing, or the
        server did not start.
    """
    read_info(store)  # no store: say so before looking at ports and programs
    program = find_oxigraph()
    backend = _free_loopback_port()
    guard = _listen(host, port, backend, allow_service, cors)
    _clean_stale_copies()
    with contextlib.ExitStack() as stack:
        stack.callback(guard.server_close)
        # The data folder stays locked for reading while it is copied or served in place.
        data = stack.enter_context(reading(store))
        lock: IO[str] | None = None
        scratch: Path | None = None
        if writable or not include_internal:
            scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
            lock = open(scratch / SCRATCH_LOCK, "w")  # noqa: SIM115 - held while serving
            fcntl.flock(lock, fcntl.LOCK_EX)
            stack.callback(shutil.rmtree, scratch, True)
            stack.callback(lock.close)
            location = scratch / "data"
            if include_internal:
                shutil.copytree(data, location, ignore=shutil.ignore_patterns("LOCK"))
            else:
                public_copy(store, location)
        else:
            location = data
        process = _start(program, location, backend, writable, cors, timeout, lock)
        server = Server(process, host, port, location, writable)
        stack.callback(server.stop)
        _wait_until_ready(server, backend, store)
        thread = threading.Thread(target=guard.serve_forever, name="citykg-guard", daemon=True)
        thread.start()
        stack.callback(guard.shutdown)
        yield server


def _start(
    program: str,
    location: Path,
    backend: int,
    writable: bool,
    cors: bool,
    timeout: float,
    lock: IO[str] | None,
) -> subprocess.Popen[bytes]:
    mode = "serve" if writable else "serve-read-only"
    argv = [program, mode, "--location", str(location), "--bind", f"127.0.0.1:{backend}"]
    argv += ["--union-default-graph", "--timeout-s", str(max(1, round(timeout)))]
    argv += ["--cors"] if cors else []
    # The server keeps the copy's lock open too: a copy is in use while either runs.
    return subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        pass_fds=(lock.fileno(),) if lock is not None else (),
        preexec_fn=_kill_with_parent,  # only a prctl call, before exec
    )


def _wait_until_ready(server: Server, backend: int, store: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not _port_open(backend):
        if server.process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            assert server.process.stdout is not None
            text = server.process.stdout.read().decode("utf-8", "replace")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            reason = lines[-1] if lines else f"exit code {server.process.poll()}"
            raise EndpointError(
                f"the Oxigraph server did not start ({reason})",
                "Check the store with 'citykg stats'.",
                file=store,
            )
        time.sleep(0.05)
    # From here on nobody reads the server's output: let it go nowhere instead of filling a pipe.
    assert server.process.stdout is not None
    threading.Thread(target=_drain, args=(server.process.stdout,), daemon=True).start()


def _drain(stream: IO[bytes]) -> None:
    with contextlib.suppress(OSError, ValueError):
        while stream.read(64 * 1024):
            pass


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False
