"""The public profile for outputs that leave through the network: push and serve.

Both commands live on the queries branch; each test runs once its command is registered (and
fails until that command sends the public profile by default and accepts --include-internal).
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from citykg.cli import main
from citykg.options import INTERNAL_WARNING
from tests.servers import free_port

SECRETS = (
    "anna.jensen@secret.example",
    "lisbon-desk@secret.example",
    "SECRET-Anna Jensen",
    "SECRET-negotiation note, Lisbon wants a two-year term",
    "SECRET-Network Label",
)


class GraphStore(BaseHTTPRequestHandler):
    """A Graph Store endpoint that holds nothing and keeps every body it is sent."""

    received: ClassVar[list[bytes]] = []

    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.received.append(self.rfile.read(length))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def graph_store() -> Iterator[tuple[str, list[bytes]]]:
    received: list[bytes] = []
    handler = type("Handler", (GraphStore,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store", received
    server.shutdown()
    server.server_close()


def test_push_sends_the_public_profile(
    protected_store: Path, graph_store: tuple[str, list[bytes]]
) -> None:
    url, received = graph_store
    runner = CliRunner()
    result = runner.invoke(main, ["push", "--graph-store", url, "--store", str(protected_store)])
    assert result.exit_code == 0, result.stderr
    sent = b"".join(received).decode("utf-8")
    assert "A City Network" in sent
    assert [s for s in SECRETS if s in sent] == []
    received.clear()
    result = runner.invoke(
        main, ["push", "--graph-store", url, "--store", str(protected_store), "--include-internal"]
    )
    assert result.exit_code == 0, result.stderr
    assert INTERNAL_WARNING in result.stderr
    sent = b"".join(received).decode("utf-8")
    assert all(s in sent for s in SECRETS)


def _ask(url: str, query: str) -> list[dict[str, dict[str, str]]]:
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        rows: list[dict[str, dict[str, str]]] = json.load(response)["results"]["bindings"]
        return rows


@contextlib.contextmanager
def _serving(store: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "citykg",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()
            with contextlib.suppress(OSError):
                _ask(url, "SELECT * WHERE {} LIMIT 1")
                break
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield url
    finally:
        # Ctrl-C, as a user stops it: 'citykg serve' then stops the Oxigraph server it
        # started (SIGTERM would leave that server running on its own).
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


MAILS = "SELECT ?mail WHERE { ?s <http://xmlns.com/foaf/0.1/mbox> ?mail }"


@pytest.mark.server
def test_serve_answers_from_the_public_profile(protected_store: Path) -> None:
    with _serving(protected_store) as url:
        assert _ask(url, MAILS) == []
        assert _ask(url, "SELECT ?s WHERE { ?s ?p 'A City Network'@en }") != []
    with _serving(protected_store, "--include-internal") as url:
        assert len(_ask(url, MAILS)) == 2
