"""Benchmark: the weighted actor projection with a sparse matrix product vs networkx.

Generates a seeded synthetic membership list shaped like a city's international portfolio
(many small projects and agreements, some networks with hundreds of members), then times:

1. networkx's ``overlap_weighted_projected_graph`` (Jaccard) on a subsample of the
   collaborations (the whole list takes too long for a benchmark run);
2. citykg's ``sparse_projection`` on the same subsample (the ratio is measured here; a
   second ratio extrapolates networkx's time per pair of the sample to the full list);
3. ``sparse_projection`` on the full list, from (actor, collaboration) pairs, including
   building the incidence matrix: every pair with its weight (the < 2 s target);
4. the ranking of ``citykg overlaps --all-pairs --top 10`` on the full list: the first 10
   pairs, streamed block by block (``top_pairs``), incidence matrix included.

Both methods are checked to give identical weights on the subsample. Nothing is written.

``--end-to-end`` adds the whole command: ``citykg synth`` writes a world of about 250k
memberships (counts below; its heavy-tailed network sizes give more pairs than the list
above), ``citykg build --no-validate`` loads it into a temporary store (``--store DIR``
keeps it, and reuses it when it exists), then ``citykg overlaps --all-pairs --top 10
--format json`` is timed in a fresh process, and the same steps are timed one by one in
another (extraction from the store, the filtered graph, the ranked pairs).

The cost grows with the number of actor pairs that share something, not with the number of
memberships: a few networks with hundreds of members make tens of millions of pairs. ``--big``
sets the share of such networks (default 0.02; 0 gives a portfolio of small projects only).

Usage: ``python bench/projection.py [--memberships 250000] [--sample 0.05] [--seed 7]
[--big 0.02] [--end-to-end [--store DIR]]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from networkx.algorithms import bipartite

from citykg.analysis.projection import (
    incidence_matrix,
    projection_blocks,
    sparse_projection,
    top_pairs,
)

TARGET_SECONDS, TARGET_RATIO = 2.0, 20.0
#: ``citykg synth`` counts for about 250k memberships (253,111 with seed 7), 78k actors.
SYNTH = [
    "--cities", "30000", "--organisations", "48000", "--networks", "1500",
    "--network-memberships", "120000", "--projects", "17500",
]  # fmt: skip
COMMAND = ["overlaps", "--all-pairs", "--top", "10", "--format", "json"]


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


def citykg(*args: str) -> list[str]:
    return [sys.executable, "-m", "citykg", *args]


def steps(store: str) -> None:
    """Time the steps of ``citykg overlaps --all-pairs --top 10`` one by one (this process)."""
    from citykg.analysis.networks import load_network
    from citykg.analysis.overlaps import all_pair_overlaps
    from citykg.graph.source import open_source

    _, net = timed(
        "  extraction of the ties from the store (load_network)",
        lambda: load_network(open_source(Path(store)), parts=["ties"]),
    )
    print(f"  {len(net.ties):,} ties")
    timed(
        "  ranked top 10 (all_pair_overlaps)",
        lambda: all_pair_overlaps(net, limit=10),
    )


def end_to_end(store: Path | None, seed: int) -> float:
    """Synthesise, build and time the command; returns its wall time."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = store or Path(tmp) / "store"
        if not folder.exists():
            world = Path(tmp) / "world.nt"
            subprocess.run(
                citykg("synth", "-q", "-o", str(world), "--seed", str(seed), *SYNTH), check=True
            )
            start = time.perf_counter()
            subprocess.run(
                citykg("build", "-q", "--no-validate", "--store", str(folder), str(world)),
                check=True,
            )
            print(f"synth world built into {folder} in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        out = subprocess.run(
            citykg(*COMMAND, "--store", str(folder)), check=True, capture_output=True, text=True
        )
        seconds = time.perf_counter() - start
        print(f"{'citykg ' + ' '.join(COMMAND):<58} {seconds:8.3f} s")
        top = json.loads(out.stdout)[0]
        print(f"  first row: {top['actor_a']} / {top['actor_b']}, {top['shared']} shared")
        subprocess.run(
            [sys.executable, __file__, "--steps", str(folder)],
            check=True,
            cwd=Path(__file__).parent,
        )
    return seconds


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
    parser.add_argument("--end-to-end", action="store_true", help="also time the command")
    parser.add_argument("--store", type=Path, help="keep (or reuse) the end-to-end store here")
    parser.add_argument("--steps", metavar="STORE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.steps:
        steps(args.steps)
        return

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
    ratio, sample_pairs = t_nx / t_sp, len(got)
    print(
        f"identical weights on the sample: {same}; speed-up {ratio:.1f}x ({sample_pairs:,} pairs)"
    )

    def full() -> Any:
        M, rows, _ = incidence_matrix(pairs)
        return sparse_projection(M, rows, "jaccard")

    def top() -> Any:
        M, rows, _ = incidence_matrix(pairs)
        return top_pairs(projection_blocks(M, rows, "jaccard"), 10)

    t_full, projection = timed("sparse_projection, full list (incl. incidence matrix)", full)
    pairs_total = len(projection)
    del projection
    t_top, _ = timed("top 10 pairs, streamed (incl. incidence matrix)", top)
    print(f"{pairs_total:,} actor pairs share at least one collaboration")
    # networkx's time per pair of the sample, times the pairs of the full list: an estimate
    estimate = t_nx / max(sample_pairs, 1) * pairs_total
    print(
        f"networkx on the full list, extrapolated per pair: ~{estimate:.0f} s, "
        f"{estimate / t_full:.0f}x the full list"
    )
    met = t_full < TARGET_SECONDS and ratio >= TARGET_RATIO
    print(
        f"full list: {t_full:.3f} s, {ratio:.1f}x networkx on the sample: target "
        f"(< {TARGET_SECONDS:g} s, >= {TARGET_RATIO:g}x) {'MET' if met else 'NOT MET'}"
    )
    if args.end_to_end:
        print()
        t_e2e = end_to_end(args.store, args.seed)
        print(f"projection only {t_full:.3f} s (top 10: {t_top:.3f} s); end to end {t_e2e:.3f} s")


if __name__ == "__main__":
    main()
