"""What does citykg serve's guard cost? The same queries through it and to Oxigraph directly.

``citykg serve`` passes every request through a small Python guard that checks queries before
the Oxigraph server sees them (graph/serve.py). This builds a synthetic store, serves it with
``serve()`` (which starts both), and times small queries (latency) and a large result (every
triple as JSON: throughput) against the guard's port and the server's own port, in the same
run.

    python bench/serve_guard.py [SIZE]      # default 100k triples
"""

from __future__ import annotations

import socket
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from citykg.graph.build import build
from citykg.graph.serve import serve
from citykg.loaders.synth import counts_for_size, parse_size, write_synth

SMALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/citykg/ontology#City> }"
LARGE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def ask(base: str, query: str) -> int:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        base + "/query", data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=600) as answer:
        return len(answer.read())


def timed(base: str, query: str, times: int) -> tuple[float, int]:
    seconds = []
    size = 0
    for _ in range(times):
        start = time.perf_counter()
        size = ask(base, query)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), size


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    size = parse_size(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        world = Path(folder) / "world.nt"
        write_synth(world, counts=counts_for_size(size))
        build(Path(folder) / "store", [world], validate=False)
        port = free_port()
        with serve(Path(folder) / "store", port=port, include_internal=True) as server:
            argv = server.process.args
            assert isinstance(argv, list)
            backend = "http://" + str(argv[argv.index("--bind") + 1])
            guard = server.base
            for name, query, times in (("small query", SMALL, 50), ("all triples", LARGE, 5)):
                direct, bytes_direct = timed(backend, query, times)
                through, bytes_through = timed(guard, query, times)
                assert bytes_direct == bytes_through
                print(
                    f"{name:12} direct {direct * 1000:8.1f} ms   through the guard "
                    f"{through * 1000:8.1f} ms   ratio {through / direct:4.2f}   "
                    f"({bytes_direct / 1e6:.1f} MB)"
                )


if __name__ == "__main__":
    main()
