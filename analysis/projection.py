"""Weighted projections of a bipartite graph: with networkx, and with a sparse matrix product.

Projecting actors onto each other (two actors are linked when they share a collaboration) is
what every overlap analysis needs. networkx's bipartite projections
(:func:`networkx.algorithms.bipartite.weighted_projected_graph` and
:func:`~networkx.algorithms.bipartite.overlap_weighted_projected_graph`) walk neighbour sets
pair by pair in Python; :func:`sparse_projection` computes the same weights as the product
``M @ M.T`` of the scipy.sparse incidence matrix, upper triangle only, in blocks of rows,
which is what makes all-pairs overlaps of large member lists fast (see
``bench/projection.py``). Both give identical weights: the shared counts are the same
integers, and each ratio is one float64 division of the same two integers.
:func:`projection_blocks` streams the pairs block by block and :func:`top_pairs` keeps the
best of them, so that a ranking needs no array of all pairs.

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

import mmap
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import networkx as nx
import numpy as np
import numpy.typing as npt
from networkx.algorithms import bipartite
from scipy import sparse

__all__ = [
    "BLOCK_PAIRS",
    "WEIGHTS",
    "Projection",
    "incidence_matrix",
    "nx_projection",
    "projection_blocks",
    "rank_order",
    "sparse_projection",
    "top_pairs",
]

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
    """Projected pairs as arrays: ``nodes[rows[k]]`` and ``nodes[cols[k]]`` share ``shared[k]``.

    Indices and counts are int32 and ``weights`` float64 (or the ``shared`` array itself for
    the ``shared`` weight): 20 bytes a pair, which is what tens of millions of pairs cost.
    """

    nodes: list[Hashable]
    rows: npt.NDArray[np.int32]
    cols: npt.NDArray[np.int32]
    shared: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float64] | npt.NDArray[np.int32]

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


#: Pairs per block of :func:`projection_blocks` (an upper bound): a block's temporaries (a
#: few MB) are recycled by the allocator, while one product of all rows touches gigabytes of
#: fresh memory, and on a VM first-touch page faults cost more than the product itself.
BLOCK_PAIRS = 1_000_000


#: A bipartite graph: networkx's, an adjacency mapping (node -> its neighbours), or the
#: incidence matrix with one row per projected node.
Bipartite: TypeAlias = (
    "nx.Graph | Mapping[Any, Iterable[Any]] | sparse.csr_matrix | sparse.csr_array"
)


def _matrix(B: Bipartite, nodes: Sequence[Hashable]) -> sparse.csr_matrix:
    """The int32 incidence matrix of ``B`` with one row per node of ``nodes``."""
    if not sparse.issparse(B):
        node_set = set(nodes)
        pairs = ((n, m) for n in nodes for m in B[n] if m not in node_set)
        M, _, _ = incidence_matrix(pairs, rows=list(nodes))
    else:
        M = B
    # counts fit; int32 makes the product a quarter faster than int64 and the output smaller
    return sparse.csr_matrix(M, dtype=np.int32)


def _pair_bounds(M: sparse.csr_matrix) -> npt.NDArray[np.int64]:
    """Per row ``i``: the number of (j > i, column) triples, an upper bound of its pairs."""
    members = M.T.tocsr()  # one row per column, row indices ascending (a transpose sorts)
    sizes = np.diff(members.indptr)
    rank = np.arange(members.nnz) - np.repeat(members.indptr[:-1], sizes)
    after = np.repeat(sizes, sizes) - rank - 1  # members of the column after this one
    bounds = np.bincount(members.indices, weights=after, minlength=M.shape[0])
    return bounds.astype(np.int64)


def _upper_blocks(
    M: sparse.csr_matrix, block: int
) -> Iterator[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32]]]:
    """(rows, cols, shared) of the pairs ``i < j`` of consecutive rows, block by block.

    A block is the product of its rows with the rows from its first row on
    (``M[a:b] @ M[a:].T``), which skips most of the lower triangle: half the work of
    ``M @ M.T``. The rows from ``a`` on, transposed, keep scipy's order of each row's
    columns, so the blocks list the pairs exactly as one product of all rows would.
    """
    ends = np.cumsum(_pair_bounds(M))
    start, n = 0, M.shape[0]
    while start < n:
        before = int(ends[start - 1]) if start else 0
        stop = max(int(np.searchsorted(ends, before + block, side="right")), start + 1)
        product = M[start:stop] @ M[start:].T
        rows = np.repeat(np.arange(start, stop, dtype=np.int32), np.diff(product.indptr))
        cols = product.indices.astype(np.int32, copy=False) + np.int32(start)
        upper = (cols > rows) & (product.data > 0)
        yield rows[upper], cols[upper], product.data[upper]
        start = stop


def _degrees(M: sparse.csr_matrix) -> npt.NDArray[np.int32]:
    return np.asarray(M.sum(axis=1), dtype=np.int32).ravel()


def _weigh(
    weight: str,
    rows: npt.NDArray[np.int32],
    cols: npt.NDArray[np.int32],
    shared: npt.NDArray[np.int32],
    degree: npt.NDArray[np.int32],
    out: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64] | npt.NDArray[np.int32]:
    """The weights of some pairs: ``shared`` itself, or one float64 division of two integers.

    int32 / int32 converts both exactly to float64 and divides once, as Python's int / int
    does in networkx: the weights are identical, not merely close.
    """
    if weight == "shared":
        return shared
    first = degree[rows]
    if weight == "jaccard":
        first += degree[cols]
        first -= shared
    else:
        np.minimum(first, degree[cols], out=first)
    return np.divide(shared, first, out=out)


def _fresh(size: int, dtype: type[np.int32] | type[np.float64]) -> npt.NDArray[Any]:
    """An uninitialised array in its own anonymous memory map.

    ``np.empty`` marks arrays of 4 MB and more for transparent huge pages (madvise); where
    the kernel then compacts memory on the first touch of each page (THP defrag ``madvise``,
    the kernel's default), filling 600 MB of pairs cost 0.9-1.4 s of system time on the
    benchmark VM, against 0.3 s in a plain mapping (bench/projection.py). Pages never
    written are never allocated.
    """
    itemsize = np.dtype(dtype).itemsize
    return np.frombuffer(mmap.mmap(-1, max(size * itemsize, 1)), dtype=dtype, count=size)


def projection_blocks(
    B: Bipartite,
    nodes: Sequence[Hashable],
    weight: str = "shared",
    block: int = BLOCK_PAIRS,
) -> Iterator[Projection]:
    """The projection onto ``nodes`` in blocks of consecutive rows, for streaming consumers.

    Together the blocks hold exactly the pairs of :func:`sparse_projection`, in its order,
    while only one block is in memory at a time.

    Parameters
    ----------
    B, nodes, weight
        As for :func:`sparse_projection`.
    block : int
        The most (row, column, shared item) triples a block may count, unless one row alone
        has more; this bounds its pairs and its memory.

    Examples
    --------
    >>> B = nx.Graph([("a", "x"), ("b", "x"), ("c", "x")])
    >>> [p.rows.tolist() for p in projection_blocks(B, ["a", "b", "c"], block=2)]
    [[0, 0], [1]]
    """
    _check(weight)
    M = _matrix(B, nodes)
    nodes = list(nodes)
    degree = _degrees(M)
    for rows, cols, shared in _upper_blocks(M, block):
        yield Projection(nodes, rows, cols, shared, _weigh(weight, rows, cols, shared, degree))


def sparse_projection(
    B: Bipartite,
    nodes: Sequence[Hashable],
    weight: str = "shared",
) -> Projection:
    """The projection of a bipartite graph onto ``nodes``, as sparse matrix products.

    Parameters
    ----------
    B : networkx.Graph, mapping or scipy.sparse.csr_matrix
        The bipartite graph, as networkx's, as a mapping of each node to its neighbours, or
        as its incidence matrix with one row per node of ``nodes``.
    nodes : sequence
        The side to project onto (the matrix's rows, in order).
    weight : {"shared", "jaccard", "overlap"}

    Returns
    -------
    Projection
        One entry per pair with at least one shared neighbour, row index < column index, in
        ascending row order (columns within a row in scipy's order, as in ``M @ M.T``).

    Examples
    --------
    >>> B = nx.Graph([("a", "x"), ("b", "x"), ("b", "y"), ("a", "y")])
    >>> p = sparse_projection(B, ["a", "b"])
    >>> p.shared.tolist(), p.weights.tolist()
    ([2], [2])
    """
    _check(weight)
    M = _matrix(B, nodes)
    degree = _degrees(M)
    # Preallocate by the exact upper bound and write each block in place: no concatenation
    # copies, and the pages of the bound that stay unused are never touched.
    bound = int(_pair_bounds(M).sum())
    rows, cols, shared = (_fresh(bound, np.int32) for _ in range(3))
    weights = shared if weight == "shared" else _fresh(bound, np.float64)
    end = 0
    for block_rows, block_cols, block_shared in _upper_blocks(M, BLOCK_PAIRS):
        stop = end + len(block_rows)
        rows[end:stop] = block_rows
        cols[end:stop] = block_cols
        shared[end:stop] = block_shared
        if weight != "shared":
            _weigh(
                weight,
                rows[end:stop],
                cols[end:stop],
                shared[end:stop],
                degree,
                out=weights[end:stop],
            )
        end = stop
    return Projection(list(nodes), rows[:end], cols[:end], shared[:end], weights[:end])


def rank_order(p: Projection) -> npt.NDArray[np.intp]:
    """The indices of ``p``'s pairs, most shared first, then by weight, row and column.

    Examples
    --------
    >>> B = nx.Graph([("a", "x"), ("b", "x"), ("b", "y"), ("c", "y"), ("c", "x")])
    >>> p = sparse_projection(B, ["a", "b", "c"], "jaccard")
    >>> [(p.nodes[p.rows[k]], p.nodes[p.cols[k]]) for k in rank_order(p)]
    [('b', 'c'), ('a', 'b'), ('a', 'c')]
    """
    return np.lexsort((p.cols, p.rows, -p.weights, -p.shared))


def _best(p: Projection, limit: int) -> npt.NDArray[np.intp]:
    """Indices of the first ``limit`` pairs of ``p`` in the ranking of :func:`top_pairs`.

    Linear thresholds instead of a sort: the ``limit``-th largest count, then among the pairs
    with that count the ``limit``-th largest weight, then among the pairs tied on both the
    smallest (row, column), which no two pairs share. So the set is exact, ties included.
    """
    if limit <= 0:
        return np.arange(0)
    if len(p) <= limit:
        return np.arange(len(p))
    at_least = np.cumsum(np.bincount(p.shared)[::-1])[::-1]  # pairs sharing >= s, per s
    count = int(np.flatnonzero(at_least >= limit)[-1])
    chosen = [np.flatnonzero(p.shared > count)]
    need = limit - len(chosen[0])
    tied = np.flatnonzero(p.shared == count)
    weights = p.weights[tied]
    if len(tied) > need:
        cut = np.partition(weights, len(tied) - need)[len(tied) - need]
        chosen.append(tied[weights > cut])
        need -= len(chosen[-1])
        tied = tied[weights == cut]
        # pairs are unique, so this key has no ties: the argpartition is exact
        key = p.rows[tied].astype(np.int64) * len(p.nodes) + p.cols[tied]
        if len(tied) > need:
            tied = tied[np.argpartition(key, need - 1)[:need]]
    chosen.append(tied)
    return np.concatenate(chosen)


def _take(p: Projection, index: npt.NDArray[np.intp]) -> Projection:
    return Projection(p.nodes, p.rows[index], p.cols[index], p.shared[index], p.weights[index])


_ARRAYS = ("rows", "cols", "shared", "weights")


def _best_of(parts: Sequence[Projection], limit: int) -> Projection:
    joined = Projection(
        parts[0].nodes,
        *(np.concatenate([getattr(p, name) for p in parts]) for name in _ARRAYS),
    )
    return _take(joined, _best(joined, limit))


def top_pairs(blocks: Iterable[Projection], limit: int) -> Projection:
    """The first ``limit`` pairs of a streamed projection, in the order of :func:`rank_order`.

    Most shared first, then the highest weight, then by row and column index (with sorted
    nodes, by their IDs). Each block keeps only its own first ``limit`` pairs,
    so memory stays at one block however many pairs there are, and no full sort is made;
    the result is exactly the start of a full sort (tests/test_projection.py).

    Parameters
    ----------
    blocks : iterable of Projection
        The parts of one projection, e.g. from :func:`projection_blocks`.
    limit : int
        How many pairs to keep.

    Examples
    --------
    >>> B = nx.Graph([("a", "x"), ("b", "x"), ("b", "y"), ("c", "y"), ("c", "x")])
    >>> p = top_pairs(projection_blocks(B, ["a", "b", "c"], "jaccard", block=1), 2)
    >>> [(p.nodes[r], p.nodes[c]) for r, c in zip(p.rows, p.cols)], p.shared.tolist()
    ([('b', 'c'), ('a', 'b')], [2, 1])
    """
    kept: list[Projection] = []
    size = 0
    for block in blocks:
        kept.append(_take(block, _best(block, limit)))
        size += len(kept[-1])
        if size > 4 * limit:  # a long stream: fold what is kept so far
            kept = [_best_of(kept, limit)]
            size = len(kept[0])
    if not kept:  # no rows at all
        empty = np.empty(0, dtype=np.int32)
        return Projection([], empty, empty, empty, empty)
    best = _best_of(kept, limit)
    return _take(best, rank_order(best))
