"""Benchmark: the weighted actor projection with a sparse matrix product vs networkx.

Generates a seeded synthetic membership list shaped like a city's international portfolio
(many small projects and agreements, some networks with hundreds of members), then times:

1. networkx's ``overlap_weighted_projected_graph`` (Jaccard) on a subsample of the
   collaborations (the whole list takes too long for a benchmark run);
2. citykg's ``sparse_projection`` on the same subsample (the ratio is measured here);
3. ``sparse_projection`` on the full list, from (actor, collaboration) pairs, including
   building the incidence matrix;
4. the all-pairs overlap table of the CLI (pairs with the shared items named) on the full list.

Both methods are checked to give identical weights on the subsample. Nothing is written.

The cost grows with the number of actor pairs that share something, not with the number of
memberships: a few networks with hundreds of members make tens of millions of pairs. ``--big``
sets the share of such networks (default 0.02; 0 gives a portfolio of small projects only).

Usage: ``python bench/projection.py [--memberships 250000] [--sample 0.05] [--seed 7] [--big 0.02]``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
from networkx.algorithms import bipartite

from citykg.graph.projection import incidence_matrix, sparse_projection


def memberships(total: int, seed: int, big: float = 0.02) -> list[tuple[str, str]]:
    """(actor, collaboration) pairs: lognormal sizes (2-62), a share ``big`` of 100-800."""
    rng = np.random.default_rng(seed)
    actors = max(total // 3, 10)
    pairs: list[tuple[str, str]] = []
    c = 0
    while len(pairs) < total:
        large = rng.random() < big
        size = int(rng.integers(100, 800)) if large else int(min(rng.lognormal(2.0, 0.8), 60)) + 2
        size = min(size, total - len(pairs))
        members = rng.choice(actors, size=size, replace=False)
        pairs += [(f"a{m}", f"c{c}") for m in members]
        c += 1
    return pairs


def timed(label: str, func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.3f} s")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memberships", type=int, default=250_000)
    parser.add_argument(
        "--sample",
        type=float,
        default=0.05,
        help="share of collaborations for the networkx baseline",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--big", type=float, default=0.02, help="share of networks with 100-800 members"
    )
    args = parser.parse_args()

    pairs = memberships(args.memberships, args.seed, args.big)
    collabs = sorted({c for _, c in pairs})
    rng = np.random.default_rng(args.seed + 1)
    keep = set(
        rng.choice(collabs, size=max(1, int(len(collabs) * args.sample)), replace=False).tolist()
    )
    sample = [(a, c) for a, c in pairs if c in keep]
    print(
        f"{len(pairs):,} memberships, {len({a for a, _ in pairs}):,} actors, "
        f"{len(collabs):,} collaborations; networkx baseline on {len(sample):,} memberships "
        f"({len(keep):,} collaborations)"
    )

    B = nx.Graph(sample)
    actors = sorted({a for a, _ in sample})
    t_nx, expected = timed(
        "networkx overlap_weighted_projected_graph (sample)",
        lambda: bipartite.overlap_weighted_projected_graph(B, actors),
    )
    t_sp, got = timed(
        "sparse_projection from the networkx graph (sample)",
        lambda: sparse_projection(B, actors, "jaccard"),
    )
    same = {frozenset(e[:2]): e[2] for e in expected.edges(data="weight")} == {
        frozenset(e[:2]): e[2] for e in got.to_graph().edges(data="weight")
    }
    print(f"identical weights on the sample: {same}; speed-up {t_nx / t_sp:.1f}x")

    def full() -> Any:
        M, rows, _ = incidence_matrix(pairs)
        return sparse_projection(M, rows, "jaccard")

    t_full, projection = timed("sparse_projection, full list (incl. incidence matrix)", full)
    print(f"{len(projection):,} actor pairs share at least one collaboration")
    print(f"full list: {t_full:.3f} s ({'under' if t_full < 2 else 'OVER'} the 2 s target)")


if __name__ == "__main__":
    main()
