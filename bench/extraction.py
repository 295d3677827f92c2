"""Benchmark: reading the network out of a store (citykg.analysis.networks.extract) at scale.

Writes a synthetic dataset (cities, networks, one CSV of memberships with a source URL each)
into a temporary folder, builds a store from it without validation, then times, in the same
run:

1. the extraction query answered by pyoxigraph directly (the floor: Oxigraph's own work);
2. the same query through ``LocalSource`` (rdflib over Oxigraph: terms become rdflib terms);
3. ``extract``: the query through ``LocalSource`` and assembling entities and ties;
4. building the networkx graph from them.

Usage: ``python bench/extraction.py [--memberships 20000] [--seed 3]``
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from citykg.analysis.networks import Network, extract, network_query
from citykg.graph.build import build
from citykg.graph.store import open_dataset, read_info
from citykg.queries.sparql import LocalSource


def write_dataset(folder: Path, memberships: int, seed: int) -> None:
    rng = random.Random(seed)
    cities, networks = max(memberships // 3, 10), max(memberships // 80, 5)
    (folder / "dataset.yaml").write_text(
        "dataset:\n  id: bench\n  title: Extraction benchmark\n  description: synthetic\n"
        "  publisher: bench\nroles:\n  - {id: member, label: Member}\nnetworks:\n"
        + "".join(
            f"  - {{id: net-{j}, label: Network {j}, evidence: [{{source: 'https://example.org/n'}}]}}\n"
            for j in range(networks)
        ),
        encoding="utf-8",
    )
    with (folder / "cities-bench.csv").open("w", encoding="utf-8") as f:
        f.write("id,label,source_url\n")
        f.writelines(f"city-{i},City {i},https://example.org/c\n" for i in range(cities))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < memberships:
        pairs.add((rng.randrange(cities), rng.randrange(networks)))
    with (folder / "memberships-bench.csv").open("w", encoding="utf-8") as f:
        f.write("member,organization,role,source_url\n")
        f.writelines(f"city-{c},net-{n},member,https://example.org/m\n" for c, n in sorted(pairs))


def timed(label: str, func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:8.2f} s")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memberships", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, store = Path(tmp) / "data", Path(tmp) / "store"
        data.mkdir()
        write_dataset(data, args.memberships, args.seed)
        timed(
            f"build ({args.memberships:,} memberships, no validation)",
            lambda: build(store, [data], validate=False),
        )
        raw = ox.Store.read_only(str(store / read_info(store).data))
        query = network_query()
        t_ox, rows = timed(
            "query, pyoxigraph directly",
            lambda: list(raw.query(query, use_default_graph_as_union=True)),
        )
        source = LocalSource(open_dataset(store))
        t_rdf, _ = timed("query through LocalSource (rdflib terms)", lambda: source.select(query))
        t_ex, (entities, ties) = timed("extract (query + assembling)", lambda: extract(source))
        timed("networkx graph", lambda: Network.from_parts(entities, ties))
        print(f"{len(rows):,} rows; {len(entities):,} entities, {len(ties):,} ties")
        print(f"rdflib layer: {t_rdf / t_ox:.1f}x Oxigraph's own time; extract: {t_ex / t_ox:.1f}x")


if __name__ == "__main__":
    main()
