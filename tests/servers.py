"""Real servers for tests: a free loopback port, ``oxigraph serve`` on a folder, and a
private Virtuoso (Debian's ``virtuoso-opensource``) on free ports."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import random
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from citykg.graph.serve import find_oxigraph


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def oxigraph_server(location: Path, *, union_default_graph: bool = False) -> Iterator[str]:
    """Run ``oxigraph serve`` (read-write) on ``location``; yield its base URL, stop it after.

    ``union_default_graph``: queries see every named graph, as citykg's own store does.
    """
    port = free_port()
    argv = [find_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        argv.append("--union-default-graph")
    process = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the oxigraph server exited: {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the oxigraph server did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


#: Debian's configuration of ``virtuoso-opensource`` (.ci/install installs the package).
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_DB = "/var/lib/virtuoso-opensource-7/db"


@dataclass(frozen=True)
class Virtuoso:
    """A private Virtuoso instance: its HTTP base URL and SQL port (user ``dba``/``dba``)."""

    base: str
    sql_port: int
    folder: Path

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    @property
    def crud(self) -> str:
        return self.base + "/sparql-graph-crud"

    @property
    def crud_auth(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def isql(self, statements: str) -> str:
        """Run SQL statements as ``dba`` (grants, users); their output."""
        done = subprocess.run(
            ["isql-vt", str(self.sql_port), "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout


@contextlib.contextmanager
def virtuoso_server(folder: Path) -> Iterator[Virtuoso]:
    """Run Debian's Virtuoso on free loopback ports with its database in ``folder``.

    Debian's ini with its database paths moved to ``folder`` and the two ports changed; every
    other setting is Debian's default, ``ResultSetMaxRows = 10000`` included. Stopped cleanly
    (``shutdown`` through isql) after.
    """
    if shutil.which("virtuoso-t") is None or not VIRTUOSO_INI.is_file():
        raise RuntimeError(
            "Virtuoso is not installed: run .ci/install (Debian's virtuoso-opensource)"
        )
    sql_port, http_port = free_port(), free_port()
    text = VIRTUOSO_INI.read_text(encoding="utf-8").replace(VIRTUOSO_DB, str(folder))
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)1111\b", rf"\g<1>{sql_port}", text)
    text = re.sub(r"(?m)^(ServerPort\s*=\s*)8890\b", rf"\g<1>{http_port}", text)
    ini = folder / "virtuoso.ini"
    ini.write_text(text, encoding="utf-8")
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        ["virtuoso-t", "-f", "-c", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    server = Virtuoso(f"http://127.0.0.1:{http_port}", sql_port, folder)
    try:
        deadline = time.monotonic() + 120
        probe = server.sparql + "?query=ASK%7B%7D"
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"Virtuoso exited ({process.returncode}): "
                    + (folder / "server.log").read_text(errors="replace")[-2000:]
                )
            try:
                with urllib.request.urlopen(probe, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("Virtuoso did not start within 120 s")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                server.isql("shutdown;")
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


# --- a fault server and a capped engine, in a thread -------------------------------------------

#: The answer of the fault server's SPARQL paths to a SELECT.
RESULTS = {
    "head": {"vars": ["x"]},
    "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]},
}
#: The page Virtuoso sends with a 403 (its markup, as measured).
VIRTUOSO_403 = (
    b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html>\n  <head>\n'
    b"    <title>SPARQL Graph Protocol request failed</title>\n  </head>\n  <body>\n"
    b"    <h1>HTTP/1.1 403 Forbidden</h1>\n    <h3>Error 42000</h3>\n"
    b"<xmp>SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD (user ID = 107)"
    b"</xmp></body></html>"
)
DIGEST_REALM = "SPARQL"


def citykg_lookup(query: str) -> bool:
    """True for the queries citykg sends to learn an endpoint's graphs (not the user's)."""
    return "GRAPH ?g" in query or query.startswith(
        "ASK { ?e <https://w3id.org/citykg/ontology#kind>"
    )


def sparql_answer(query: str) -> dict[str, Any]:
    """The fault server's well-formed answer: no named graphs, entities in the default graph."""
    if "GRAPH ?g" in query:
        return {"head": {"vars": ["g"]}, "results": {"bindings": []}}
    if re.match(r"\s*ASK\b", query):
        return {"head": {}, "boolean": True}
    return RESULTS


def digest_ok(header: str, method: str, user: str, password: str, nonce: str) -> bool:
    """Check a Digest ``Authorization`` header (RFC 7616, MD5 or SHA-256, qop auth)."""
    if not header.startswith("Digest "):
        return False
    fields = {
        m[0]: m[1] or m[2]
        for m in re.findall(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', header[7:])
    }
    name = {"MD5": "md5", "SHA-256": "sha256"}.get(fields.get("algorithm", "MD5"))
    if name is None or fields.get("nonce") != nonce or fields.get("username") != user:
        return False

    def h(text: str) -> str:
        return hashlib.new(name, text.encode("utf-8")).hexdigest()

    ha1 = h(f"{user}:{DIGEST_REALM}:{password}")
    ha2 = h(f"{method}:{fields.get('uri', '')}")
    expected = h(f"{ha1}:{nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
    return hmac.compare_digest(expected, fields.get("response", ""))


class _FaultHandler(BaseHTTPRequestHandler):
    server: _FaultServer
    protocol_version = "HTTP/1.1"

    def _send(
        self,
        code: int,
        body: bytes,
        content_type: str = "text/plain",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _json(self, data: Any, headers: dict[str, str] | None = None) -> None:
        self._send(200, json.dumps(data).encode(), "application/sparql-results+json", headers)

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        form = parse_qs(body.decode("utf-8", "replace"))
        query = (form.get("query") or [""])[0]
        path = urlsplit(self.path).path
        if path == "/slow":
            time.sleep(3)
            self._json(sparql_answer(query))
        elif path == "/drip":  # a byte a second, for ever: the status line never ends
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            with contextlib.suppress(OSError):
                for _ in range(600):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.2)
            self.close_connection = True
        elif path == "/endless":  # an answer that never ends
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            with contextlib.suppress(OSError):
                while True:
                    self.wfile.write(b" " * 65536)
            self.close_connection = True
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b"boom\nsecond line")
        elif path == "/virtuoso-403":
            self._send(403, VIRTUOSO_403, "text/html; charset=UTF-8")
        elif path == "/syntax":
            if citykg_lookup(query):
                self._json(sparql_answer(query))
            else:
                self._send(400, b"error at 3:2: expected OPTIONAL")
        elif path == "/virtuoso-syntax":
            if citykg_lookup(query):
                self._json(sparql_answer(query))
            else:
                self._send(
                    400,
                    b"Virtuoso 37000 Error SP030: SPARQL compiler, line 4: syntax error at "
                    b"'?x' before '}'\n\nSPARQL query:\ndefine sql:big-data-const 0 "
                    + query.encode(),
                )
        elif path == "/anytime":  # Virtuoso's partial answer at its time limit, status 200
            self._json(
                sparql_answer(query),
                {
                    "X-SQL-State": "S1TAT",
                    "X-SQL-Message": "RC...: Returning incomplete results, query interrupted by "
                    "result timeout.",
                },
            )
        elif path == "/html":
            self._send(200, b"<html>not SPARQL</html>", "text/html")
        elif path.startswith("/bad-json/"):
            kind = path.rsplit("/", 1)[1]
            broken = {
                "truncated": b'{"head": {"vars": ["x"]}, "results": {"bindings": [',
                "deep": b"[" * 100000 + b"]" * 100000,
                "vars": b'{"head": {"vars": "x"}, "results": {"bindings": []}}',
                "term": b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": 5}}]}}',
            }[kind]
            if citykg_lookup(query):
                self._json(sparql_answer(query))
            else:
                self._send(200, broken, "application/sparql-results+json")
        elif path == "/basic":
            expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
            if self.headers.get("Authorization") != expected:
                self._send(401, b"who are you?", headers={"WWW-Authenticate": 'Basic realm="x"'})
            else:
                self._json(sparql_answer(query))
        elif path in ("/digest", "/digest-sha256", "/digest-store"):
            algorithm = "SHA-256" if path == "/digest-sha256" else "MD5"
            nonce = self.server.nonce
            if digest_ok(
                self.headers.get("Authorization", ""), self.command, "alice", "s3crét", nonce
            ):
                if path == "/digest-store":
                    self._send(404 if self.command == "GET" else 204, b"")
                else:
                    self._json(sparql_answer(query))
            else:
                challenge = (
                    f'Digest realm="{DIGEST_REALM}", nonce="{nonce}", opaque="o", '
                    f'qop="auth", algorithm="{algorithm}"'
                )
                self._send(401, b"", "text/html", {"WWW-Authenticate": challenge})
        elif path == "/store":
            self._send(404 if self.command == "GET" else 204, b"")
        elif path == "/redirect":
            self._send(302, b"", headers={"Location": self.server.elsewhere + "/store?graph=x"})
        elif path == "/sparql":
            self._json(sparql_answer(query))
        else:
            self._send(404, b"no such path")

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass


class _FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    requests: list[tuple[str, str, dict[str, str], bytes]]
    nonce: str
    elsewhere: str

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that gave up (timeouts, size limits) leave broken pipes behind: expected.
        pass


class FaultServer:
    """A real HTTP server on 127.0.0.1 answering with the faults its paths name.

    ``requests`` records (method, path, headers, body) of every request it received.
    """

    def __init__(self, elsewhere: str = "") -> None:
        self._server = _FaultServer(("127.0.0.1", 0), _FaultHandler)
        self._server.requests = []
        self._server.nonce = "n0nce"
        self._server.elsewhere = elsewhere
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.requests = self._server.requests
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _EngineHandler(BaseHTTPRequestHandler):
    server: _EngineServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8"))
        query = form["query"][0]
        self.server.queries.append(query)
        graphs = [ox.NamedNode(g) for g in form.get("default-graph-uri", [])]
        try:
            if graphs:
                result = self.server.store.query(query, default_graph=graphs)
            elif re.search(r"\bFROM\b", query):  # the query's own dataset
                result = self.server.store.query(query)
            else:
                result = self.server.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            body = str(exc).encode()
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        headers: dict[str, str] = {}
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = [
                {n: _json_term(t) for n, t in zip(names, solution, strict=True) if t is not None}
                for solution in result
            ]
            if self.server.shuffle:
                random.shuffle(rows)
            cap = self.server.cap
            if cap is not None and len(rows) > cap:
                rows = rows[:cap]
                if self.server.header:
                    headers["X-SPARQL-MaxRows"] = str(cap)
            data: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": rows}}
        elif isinstance(result, ox.QueryTriples):
            data = {}
        else:
            data = {"head": {}, "boolean": bool(result)}
        if isinstance(result, ox.QueryTriples):
            body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
            content_type = "application/n-triples"
        else:
            body = json.dumps(data).encode()
            content_type = "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


class _EngineServer(ThreadingHTTPServer):
    daemon_threads = True
    store: ox.Store
    cap: int | None
    header: bool
    shuffle: bool
    queries: list[str]


class CappedEngine:
    """A SPARQL endpoint over a pyoxigraph store that cuts every SELECT at ``cap`` rows, as
    Virtuoso does: with an ``X-SPARQL-MaxRows`` header (``header``) or silently; ``shuffle``
    answers in a new order each time (an engine whose order is not stable)."""

    def __init__(
        self, store: ox.Store, cap: int | None, *, header: bool = True, shuffle: bool = False
    ) -> None:
        self._server = _EngineServer(("127.0.0.1", 0), _EngineHandler)
        self._server.store = store
        self._server.cap = cap
        self._server.header = header
        self._server.shuffle = shuffle
        self._server.queries = []
        self.queries = self._server.queries
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/sparql"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
