"""The fast measures agree with networkx; a sampled betweenness is within its stated error."""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import pytest

from citykg.analysis import algorithms, metrics
from citykg.analysis.algorithms import (
    betweenness_centrality,
    core_number,
    effective_size,
    eigenvector_centrality,
    louvain_of_edges,
    sample_error,
)
from citykg.analysis.metrics import LOUVAIN_NETWORKX_LINKS, louvain
from tests.conftest import Run


def graphs() -> list[nx.Graph]:
    """Connected and disconnected, sparse and dense, with isolated nodes and string labels."""
    found = [nx.path_graph(5), nx.star_graph(7), nx.complete_graph(6), nx.karate_club_graph()]
    for seed in range(6):
        G = nx.gnp_random_graph(30 + 10 * seed, (0.04, 0.1, 0.3)[seed % 3], seed=seed)
        found.append(nx.relabel_nodes(G, {n: f"n{n}" for n in G}) if seed % 2 else G)
    found.append(nx.bipartite.random_graph(40, 12, 0.15, seed=3))
    return found


@pytest.mark.parametrize("G", graphs(), ids=lambda G: f"{len(G)}-{G.number_of_edges()}")
def test_exact_measures_agree_with_networkx(G: nx.Graph) -> None:
    between = betweenness_centrality(G)
    assert between.exact and between.error == 0.0 and between.note() == ""
    expected = nx.betweenness_centrality(G)
    assert between.values == pytest.approx(expected, abs=1e-12)
    assert core_number(G) == nx.core_number(G)
    nodes = list(G)
    got, want = effective_size(G, nodes), nx.effective_size(G, nodes=nodes)
    for n in nodes:
        assert (math.isnan(got[n]) and math.isnan(want[n])) or got[n] == want[n]
    try:
        want_eigen = nx.eigenvector_centrality(G, max_iter=1000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:
        with pytest.raises(nx.PowerIterationFailedConvergence):
            eigenvector_centrality(G, max_iter=1000, tol=1e-10)
    else:
        assert eigenvector_centrality(G) == pytest.approx(want_eigen, abs=1e-12)


def test_eigenvector_gives_up_when_networkx_does() -> None:
    G = nx.karate_club_graph()
    with pytest.raises(nx.PowerIterationFailedConvergence):
        nx.eigenvector_centrality(G, max_iter=3)
    with pytest.raises(nx.PowerIterationFailedConvergence):
        eigenvector_centrality(G, max_iter=3)


@pytest.mark.parametrize("seed", range(4))
def test_a_sample_gives_networkx_estimate_from_the_same_sample(seed: int) -> None:
    G = nx.gnp_random_graph(150, 0.04, seed=seed)
    sampled = betweenness_centrality(G, seed=seed, work=1)  # the least work: 64 sources
    assert (sampled.sources, sampled.nodes, sampled.exact) == (64, 150, False)
    expected = nx.betweenness_centrality(G, k=64, seed=seed)
    assert sampled.values == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_a_sample_is_within_its_stated_error(seed: int) -> None:
    # a graph of hubs and long paths, where single sources matter a lot
    G = nx.barabasi_albert_graph(1500, 2, seed=seed)
    exact = betweenness_centrality(G, exact=True)
    assert exact.exact
    sampled = betweenness_centrality(G, seed=seed, work=200 * (len(G) + G.number_of_edges()))
    assert sampled.sources == 200 and not sampled.exact
    assert sampled.error == sample_error(200, 1500)
    worst = max(abs(sampled.values[n] - exact.values[n]) for n in G)
    assert 0 < worst <= sampled.error
    assert sampled.note() == (
        f"betweenness estimated from 200 of 1,500 nodes: each value within "
        f"±{sampled.error:.2g} of the exact one (95% confidence)"
    )


def test_stated_error_shrinks_with_the_sample() -> None:
    assert sample_error(23_000, 23_000) == 0.0
    assert sample_error(100, 20_000) > sample_error(1000, 20_000) > sample_error(10_000, 20_000)
    assert sample_error(2, 10**9) == 1.0  # never more than the range of a value


def test_louvain_of_edges_is_seeded_and_leaves_random_alone() -> None:
    G = nx.planted_partition_graph(6, 20, 0.6, 0.02, seed=1)
    edges = list(G.edges())
    random.seed(7)
    before = random.random()
    random.seed(7)
    first = louvain_of_edges(len(G), edges)
    assert random.random() == before  # igraph drew from its own generator
    assert louvain_of_edges(len(G), edges) == first
    assert sorted(n for group in first for n in group) == sorted(G)
    assert len(first) == 6  # the planted groups


def test_louvain_switches_to_igraph_above_the_threshold() -> None:
    small = nx.planted_partition_graph(4, 10, 0.8, 0.05, seed=2)
    assert small.number_of_edges() <= LOUVAIN_NETWORKX_LINKS
    seed = 42
    expected = nx.community.louvain_communities(small, seed=seed)
    assert sorted(map(sorted, louvain(small, seed=seed))) == sorted(map(sorted, expected))
    big = nx.planted_partition_graph(8, 150, 0.25, 0.001, seed=3)
    assert big.number_of_edges() > LOUVAIN_NETWORKX_LINKS
    found = louvain(big)
    assert len(found) == 8 and sum(map(len, found)) == len(big)
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)


def test_centrality_says_when_betweenness_is_sampled(
    run: Run, copenhagen_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(algorithms, "EXACT_WORK", 1)
    args = ("analyze", "centrality", "--top", "1", "--format", "csv", "--store", copenhagen_store)
    sampled = run(*args)
    error = sample_error(64, 236)
    assert sampled.stderr == (
        f"Note: betweenness estimated from 64 of 236 nodes: each value within ±{error:.2g} "
        "of the exact one (95% confidence); --exact computes it exactly.\n"
    )
    exact = run(*args, "--exact")
    assert exact.stderr == ""
    assert exact.stdout.splitlines()[1].startswith("c40,")


def test_brokers_refuse_a_projection_too_large(
    run: Run, copenhagen_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "BROKERS_MAX_LINKS", 100)
    result = run("analyze", "brokers", "--store", copenhagen_store)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the actor projection has ")
    assert result.output.strip().endswith(
        "links, more than brokers handles (100): Burt's constraint and the communities need it "
        "whole. Use 'citykg analyze centrality' (betweenness on the actor-collaboration graph) "
        "or 'citykg overlaps --all-pairs --top N'."
    )
