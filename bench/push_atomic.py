"""Does a Graph Store PUT replace a graph in one step? Watch it from a concurrent reader.

Starts an Oxigraph server (the ``oxigraph`` package) on a temporary folder, PUTs a graph of N
synthetic triples, then PUTs a replacement (same subjects, new values) while another thread
counts the graph's triples, old and new, as fast as it can. ``citykg push`` relies on the
reader seeing only the old graph or the new one, never a mix or an empty graph.

    python bench/push_atomic.py [N]        # default 100000
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from citykg.graph.serve import find_oxigraph

GRAPH = "https://example.org/g"


def triples(n: int, tag: str) -> bytes:
    return "".join(f'<urn:s{i}> <urn:p> "{tag}{i}" .\n' for i in range(n)).encode()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [find_oxigraph(), "serve", "--location", folder, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(1)

            def put(data: bytes) -> float:
                request = urllib.request.Request(
                    f"{base}/store?graph={GRAPH}",
                    data=data,
                    method="PUT",
                    headers={"Content-Type": "application/n-triples"},
                )
                start = time.perf_counter()
                urllib.request.urlopen(request, timeout=600).read()
                return time.perf_counter() - start

            def count() -> tuple[int, int]:
                query = (
                    "SELECT (COUNT(*) AS ?n) (SUM(IF(STRSTARTS(STR(?o), 'old'), 1, 0)) AS ?old) "
                    f"WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
                )
                request = urllib.request.Request(
                    f"{base}/query",
                    data=query.encode(),
                    headers={
                        "Content-Type": "application/sparql-query",
                        "Accept": "application/sparql-results+json",
                    },
                )
                row = json.load(urllib.request.urlopen(request, timeout=600))["results"][
                    "bindings"
                ][0]
                return int(row["n"]["value"]), int(row["old"]["value"])

            print(f"PUT {n} triples: {put(triples(n, 'old')):.2f} s; graph now {count()}")
            seen: dict[tuple[int, int], int] = {}
            done = threading.Event()

            def watch() -> None:
                while not done.is_set():
                    state = count()
                    seen[state] = seen.get(state, 0) + 1

            watcher = threading.Thread(target=watch)
            watcher.start()
            took = put(triples(n, "new"))
            time.sleep(0.3)
            done.set()
            watcher.join()
            print(f"PUT a replacement: {took:.2f} s")
            print("(triples, of them old) seen by the reader meanwhile, with how often:")
            for state, times in sorted(seen.items()):
                print(f"  {state}: {times} reads")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
