"""A local SPARQL endpoint over the built store: the Oxigraph server (PyPI package ``oxigraph``).

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
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from citykg.errors import EndpointError
from citykg.graph.profile import public_copy
from citykg.graph.store import read_info, reading

__all__ = ["DEFAULT_PORT", "Server", "find_oxigraph", "serve"]

DEFAULT_PORT = 7878
#: Seconds to wait for the server to accept connections.
START_TIMEOUT = 15.0


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
    """A running Oxigraph server; :attr:`url` is its SPARQL query endpoint."""

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


def _port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
        return True
    return False


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


@contextlib.contextmanager
def serve(
    store: Path,
    *,
    port: int = DEFAULT_PORT,
    host: str = "127.0.0.1",
    writable: bool = False,
    cors: bool = False,
    include_internal: bool = False,
) -> Iterator[Server]:
    """Run the Oxigraph server over ``store`` for the duration of the ``with`` block.

    Serves the public profile unless ``include_internal``. Yields once the server accepts
    connections; stops it (and removes any copy it served) on exit, also on Ctrl-C.

    Raises
    ------
    StoreError
        No store at ``store``.
    EndpointError
        The port is taken, the program is missing, or the server did not start.
    """
    read_info(store)  # no store: say so before looking at ports and programs
    if _port_taken(host, port):
        raise EndpointError(
            f"port {port} on {host} is already in use", "Choose another with --port."
        )
    program = find_oxigraph()
    with contextlib.ExitStack() as stack:
        # The data folder stays locked for reading while it is copied or served in place.
        data = stack.enter_context(reading(store))
        scratch: Path | None = None
        if writable or not include_internal:
            scratch = Path(tempfile.mkdtemp(prefix="citykg-serve-"))
            location = scratch / "data"
            try:
                if include_internal:
                    shutil.copytree(data, location, ignore=shutil.ignore_patterns("LOCK"))
                else:
                    public_copy(store, location)
            except BaseException:
                shutil.rmtree(scratch, ignore_errors=True)
                raise
            stack.close()
        else:
            location = data
        yield from _run(program, location, store, host, port, writable, cors, scratch)


def _run(
    program: str,
    location: Path,
    store: Path,
    host: str,
    port: int,
    writable: bool,
    cors: bool,
    scratch: Path | None,
) -> Iterator[Server]:
    mode = "serve" if writable else "serve-read-only"
    argv = [program, mode, "--location", str(location)]
    argv += ["--bind", f"{host}:{port}", "--union-default-graph"] + (["--cors"] if cors else [])
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        server = Server(process, host, port, location, writable)
        try:
            _wait_until_ready(server, log, store)
            yield server
        finally:
            server.stop()
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)


def _wait_until_ready(server: Server, log: IO[bytes], store: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not _port_open(server.host, server.port):
        if server.process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            text = log.read().decode("utf-8", "replace")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            reason = lines[-1] if lines else f"exit code {server.process.poll()}"
            raise EndpointError(
                f"the Oxigraph server did not start ({reason})",
                "Check the store with 'citykg stats'.",
                file=store,
            )
        time.sleep(0.05)
