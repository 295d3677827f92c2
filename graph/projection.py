"""Weighted projections of a bipartite graph: with networkx, and with a sparse matrix product.

Projecting actors onto each other (two actors are linked when they share a collaboration) is
what every overlap analysis needs. networkx's bipartite projections
(:func:`networkx.algorithms.bipartite.weighted_projected_graph` and
:func:`~networkx.algorithms.bipartite.overlap_weighted_projected_graph`) walk neighbour sets
pair by pair in Python; :func:`sparse_projection` computes the same weights as one product
``M @ M.T`` of the scipy.sparse incidence matrix, which is what makes all-pairs overlaps of
large member lists fast (see ``bench/projection.py``). Both give identical weights: the shared
counts are the same integers, and each ratio is one float64 division of the same two integers.

Weights:

- ``shared``: the number of shared neighbours;
- ``jaccard``: shared / size of the union of both neighbour sets;
- ``overlap``: shared / size of the smaller neighbour set.

Examples
--------
>>> import networkx as nx
>>> B = nx.Graph([("a", "x"), ("b", "x"), ("b", "y"), ("c", "y")])
>>> P = sparse_projection(B, ["a", "b", "c"], "jaccard").to_graph()
>>> sorted(P.edges(data="weight"))
[('a', 'b', 0.5), ('b', 'c', 0.5)]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
from networkx.algorithms import bipartite
from scipy import sparse

__all__ = ["WEIGHTS", "Projection", "incidence_matrix", "nx_projection", "sparse_projection"]

WEIGHTS = ("shared", "jaccard", "overlap")


def _check(weight: str) -> None:
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, not {weight!r}")


def nx_projection(B: nx.Graph, nodes: Iterable[Hashable], weight: str = "shared") -> nx.Graph:
    """The projection of ``B`` onto ``nodes`` with networkx's own bipartite functions.

    Examples
    --------
    >>> B = nx.Graph([("a", "x"), ("b", "x"), ("b", "y")])
    >>> sorted(nx_projection(B, ["a", "b"], "overlap").edges(data="weight"))
    [('a', 'b', 1.0)]
    """
    _check(weight)
    nodes = list(nodes)
    if weight == "shared":
        return bipartite.weighted_projected_graph(B, nodes)
    return bipartite.overlap_weighted_projected_graph(B, nodes, jaccard=weight == "jaccard")


def incidence_matrix(
    pairs: Iterable[tuple[Hashable, Hashable]], rows: Sequence[Hashable] | None = None
) -> tuple[sparse.csr_matrix, list[Hashable], list[Hashable]]:
    """A 0/1 sparse matrix from (row, column) pairs; repeated pairs count once.

    Returns the matrix, the row labels and the column labels (each in first-seen order, or
    ``rows`` as given).
    """
    row_index: dict[Hashable, int] = {r: i for i, r in enumerate(rows)} if rows is not None else {}
    col_index: dict[Hashable, int] = {}
    ri: list[int] = []
    ci: list[int] = []
    for r, c in pairs:
        if r not in row_index:
            if rows is not None:
                continue
            row_index[r] = len(row_index)
        ri.append(row_index[r])
        ci.append(col_index.setdefault(c, len(col_index)))
    data = np.ones(len(ri), dtype=np.int64)
    M = sparse.csr_matrix((data, (ri, ci)), shape=(len(row_index), len(col_index)))
    M.sum_duplicates()
    M.data[:] = 1  # a pair listed twice is still one tie
    return M, list(row_index), list(col_index)


@dataclass(frozen=True)
class Projection:
    """Projected pairs as arrays: ``nodes[rows[k]]`` and ``nodes[cols[k]]`` share ``shared[k]``."""

    nodes: list[Hashable]
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    shared: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64] | npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.rows)

    def to_graph(self) -> nx.Graph:
        """The projection as a networkx graph with a ``weight`` per edge (all nodes kept)."""
        G = nx.Graph()
        G.add_nodes_from(self.nodes)
        G.add_weighted_edges_from(
            (self.nodes[r], self.nodes[c], w)
            for r, c, w in zip(
                self.rows.tolist(), self.cols.tolist(), self.weights.tolist(), strict=True
            )
        )
        return G


def sparse_projection(
    B: nx.Graph | sparse.csr_matrix, nodes: Sequence[Hashable], weight: str = "shared"
) -> Projection:
    """The projection of a bipartite graph onto ``nodes``, as one sparse matrix product.

    Parameters
    ----------
    B : networkx.Graph or scipy.sparse.csr_matrix
        The bipartite graph, or its incidence matrix with one row per node of ``nodes``.
    nodes : sequence
        The side to project onto (the matrix's rows, in order).
    weight : {"shared", "jaccard", "overlap"}

    Returns
    -------
    Projection
        One entry per pair with at least one shared neighbour, row index < column index, in
        ascending row order (columns within a row in scipy's order).

    Examples
    --------
    >>> B = nx.Graph([("a", "x"), ("b", "x"), ("b", "y"), ("a", "y")])
    >>> p = sparse_projection(B, ["a", "b"])
    >>> p.shared.tolist(), p.weights.tolist()
    ([2], [2])
    """
    _check(weight)
    if isinstance(B, nx.Graph):
        node_set = set(nodes)
        pairs = ((n, m) for n in nodes for m in B[n] if m not in node_set)
        M, _, _ = incidence_matrix(pairs, rows=list(nodes))
    else:
        M = sparse.csr_matrix(B)
    M = M.astype(np.int32)  # counts fit; int32 makes the product a quarter faster than int64
    degree = np.asarray(M.sum(axis=1)).ravel().astype(np.int64)
    # The upper triangle by a mask on the COO arrays: scipy.sparse.triu and a global sort each
    # cost more than the product itself (4 s and 8 s for 30M pairs, see bench/projection.py).
    product = (M @ M.T).tocoo()
    keep = (product.row < product.col) & (product.data > 0)
    rows = product.row[keep].astype(np.int64)
    cols = product.col[keep].astype(np.int64)
    shared = product.data[keep].astype(np.int64)
    weights: npt.NDArray[np.float64] | npt.NDArray[np.int64]
    if weight == "shared":
        weights = shared
    elif weight == "jaccard":
        weights = shared / (degree[rows] + degree[cols] - shared)
    else:
        weights = shared / np.minimum(degree[rows], degree[cols])
    return Projection(list(nodes), rows, cols, shared, weights)
