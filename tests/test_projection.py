"""The sparse projection gives exactly networkx's weights; Burt's constraint matches networkx."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms import bipartite

from citykg.analysis.metrics import burt_constraint
from citykg.analysis.projection import (
    WEIGHTS,
    incidence_matrix,
    nx_projection,
    projection_blocks,
    rank_order,
    sparse_projection,
    top_pairs,
)


def weights(G: nx.Graph) -> dict[frozenset[object], object]:
    return {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}


def random_bipartite(seed: int) -> tuple[nx.Graph, list[int]]:
    # sizes and densities vary with the seed: sparse and dense, more or fewer columns
    n, m = 20 + seed * 7, 5 + seed * 3
    p = (0.05, 0.15, 0.4)[seed % 3]
    B = bipartite.random_graph(n, m, p, seed=seed)
    return B, list(range(n))


@pytest.mark.parametrize("weight", WEIGHTS)
@pytest.mark.parametrize("seed", range(12))
def test_sparse_projection_is_identical_to_networkx(seed: int, weight: str) -> None:
    B, top = random_bipartite(seed)
    expected = nx_projection(B, top, weight)
    got = sparse_projection(B, top, weight).to_graph()
    assert sorted(got.nodes) == sorted(expected.nodes)
    assert weights(got) == weights(expected)  # exact equality, floats included
    for w in weights(got).values():
        assert type(w) is (int if weight == "shared" else float)


@pytest.mark.parametrize("seed", range(4))
def test_projection_onto_the_other_side(seed: int) -> None:
    B, top = random_bipartite(seed)
    bottom = sorted(set(B) - set(top))
    assert weights(sparse_projection(B, bottom, "jaccard").to_graph()) == weights(
        bipartite.overlap_weighted_projected_graph(B, bottom)
    )


def test_incidence_matrix_counts_a_repeated_pair_once() -> None:
    M, rows, cols = incidence_matrix([("a", "x"), ("a", "x"), ("b", "x")])
    assert (rows, cols) == (["a", "b"], ["x"])
    assert M.toarray().tolist() == [[1], [1]]
    p = sparse_projection(M, rows, "jaccard")
    assert (p.shared.tolist(), p.weights.tolist()) == ([1], [1.0])


@pytest.mark.parametrize("weight", WEIGHTS)
@pytest.mark.parametrize("seed", range(6))
def test_blocks_list_the_pairs_of_one_full_product_in_its_order(seed: int, weight: str) -> None:
    # the order of M @ M.T's upper triangle (ascending rows, scipy's order within a row) is
    # what the networkx graphs of the analyses are built in: the blocks must not change it
    B, top = random_bipartite(seed)
    M, _, _ = incidence_matrix(((n, m) for n in top for m in B[n]), rows=top)
    product = (M @ M.T).tocoo()
    upper = product.row < product.col
    full = sparse_projection(M, top, weight)
    assert full.rows.tolist() == product.row[upper].tolist()
    assert full.cols.tolist() == product.col[upper].tolist()
    assert full.shared.tolist() == product.data[upper].tolist()
    blocks = list(projection_blocks(M, top, weight, block=1))
    assert len(blocks) > 1
    for name in ("rows", "cols", "shared", "weights"):
        joined = np.concatenate([getattr(b, name) for b in blocks])
        assert joined.tolist() == getattr(full, name).tolist()


@pytest.mark.parametrize("weight", WEIGHTS)
@pytest.mark.parametrize("seed", range(12))
def test_top_pairs_is_the_start_of_the_full_ranking(seed: int, weight: str) -> None:
    # few collaborations and equal sizes: many pairs tie on the count and on the weight, so
    # the cut falls inside ties that only the row and column indices break
    rng = np.random.default_rng(seed)
    actors, collabs = 30 + 10 * seed, 3 + seed % 5
    B = nx.Graph((a, ("c", c)) for a in range(actors) for c in range(collabs) if rng.random() < 0.5)
    nodes = sorted(n for n in B if isinstance(n, int))
    full = sparse_projection(B, nodes, weight)
    order = rank_order(full)
    distinct = set(zip(full.shared.tolist(), full.weights.tolist(), strict=True))
    assert len(distinct) < len(full) / 4
    for block in (1, 7, 1_000_000):
        blocks = list(projection_blocks(B, nodes, weight, block=block))
        for limit in (0, 1, 2, 5, 17, 100, len(full) - 1, len(full), len(full) + 3):
            top = top_pairs(blocks, limit)
            for name in ("rows", "cols", "shared", "weights"):
                assert getattr(top, name).tolist() == getattr(full, name)[order][:limit].tolist()


def test_no_pairs() -> None:
    p = sparse_projection(nx.Graph([(1, "x"), (2, "y")]), [1, 2], "jaccard")
    assert (len(p), p.weights.tolist()) == (0, [])
    assert list(projection_blocks(nx.Graph(), [], "jaccard")) == []
    assert len(top_pairs(projection_blocks(nx.Graph(), [], "jaccard"), 3)) == 0


def test_unknown_weight() -> None:
    with pytest.raises(ValueError, match="weight must be one of shared, jaccard, overlap"):
        sparse_projection(nx.Graph([(1, 2)]), [1], "cosine")


@pytest.mark.parametrize("seed", range(6))
def test_burt_constraint_matches_networkx(seed: int) -> None:
    G = nx.gnp_random_graph(25, 0.2, seed=seed)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = 1 + (u * v) % 4
    nodes = sorted(G)
    expected = nx.constraint(G, nodes=nodes, weight="weight")
    got = burt_constraint(G, nodes)
    for n in nodes:
        if math.isnan(expected[n]):
            assert math.isnan(got[n])
        else:
            assert got[n] == pytest.approx(expected[n], rel=1e-12)
