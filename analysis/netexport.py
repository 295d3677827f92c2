"""Export the actor-collaboration graph for Gephi, spreadsheets and scripts.

Formats:

- ``graphml`` and ``gexf``: networkx's writers. Nodes carry ``label``, ``type`` (the kind),
  ``bipartite``, ``themes``, the centralities, ``core`` and ``community``; edges ``relation``
  (the most telling role), ``roles``, ``status`` (current, past or future),
  ``evidence_status`` (stated, listed or inferred), ``status_note`` (the editor's reason for
  an inference) and ``as_of`` (the date a list describes). In GEXF, nodes and edges with
  known dates get ``start``/``end`` (full ISO dates), which makes the file dynamic: Gephi's
  timeline shows when each membership held. Lists are joined with ``"; "`` because neither
  format holds lists.
- ``csv``: two files, nodes and edges (see :func:`csv_paths` for their names).
- ``json``: networkx's node-link format, with lists and evidence kept as they are.

All text is UTF-8: "København" and "Câmara Municipal de Lisboa" come back from networkx's own
readers as written.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts([Entity("cph", "city", "København"), Entity("c40", "network", "C40")],
...                          [Tie("cph", "c40", "member")])
>>> "København" in graph_export(net, "graphml")[""]
True
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from citykg.analysis.metrics import node_measures
from citykg.analysis.networks import Network, load_network, period_bounds, period_text
from citykg.analysis.statuses import Statuses, read_statuses
from citykg.errors import CitykgError
from citykg.files import (
    check_output_path,
    spreadsheet_safe,
    write_atomic_files,
    write_output_file,
)
from citykg.queries.sparql import SparqlSource

__all__ = [
    "GRAPH_FORMATS",
    "csv_paths",
    "export_network",
    "flat_graph",
    "graph_export",
    "measured_graph",
    "write_graph_export",
]

GRAPH_FORMATS = ("graphml", "gexf", "csv", "json")
NODE_COLUMNS = (
    "id",
    "label",
    "kind",
    "bipartite",
    "alt_labels",
    "themes",
    "purposes",
    "start",
    "end",
    "degree",
    "betweenness",
    "eigenvector",
    "core",
    "community",
)
EDGE_COLUMNS = (
    "source",
    "target",
    "relation",
    "roles",
    "status",
    "start",
    "end",
    "evidence",
    "evidence_status",
    "status_note",
    "as_of",
)
MEASURES = ("degree", "betweenness", "eigenvector", "core", "community")


def measured_graph(net: Network, statuses: Statuses | None = None) -> nx.Graph:
    """A copy of the actor-collaboration graph with each node's measures as attributes, and
    each link's ``evidence_status`` (stated, listed, inferred: the data's own, read by
    :mod:`citykg.analysis.statuses`, else derived from its evidence), ``status_note`` (the
    editor's reason) and ``as_of`` (the date its list describes)."""
    G = net.graph.copy()
    for node, values in node_measures(G).items():
        G.nodes[node].update(values)
    statuses = statuses or Statuses()
    for u, v, a in G.edges(data=True):
        actor, collaboration = (u, v) if G.nodes[u]["bipartite"] == 0 else (v, u)
        roles = [t["role"] for t in a.get("ties", ())] or list(a["roles"])
        link = statuses.of_link(actor, collaboration, roles, a["evidence"])
        a["evidence_status"] = link.status or ""
        a["status_note"] = link.note
        a["as_of"] = link.as_of
    return G


def _dates(start: str | None, end: str | None) -> dict[str, str]:
    lo, hi = period_bounds(start, end)
    out = {}
    if lo is not None:
        out["start"] = lo.isoformat()
    if hi is not None:
        out["end"] = hi.isoformat()
    return out


def _evidence_text(items: list[dict[str, str]]) -> str:
    parts = []
    for e in items:
        if e["quote"]:
            parts.append(f"“{e['quote']}” ({e['section']})" if e["section"] else f"“{e['quote']}”")
        elif e["source"]:
            parts.append(e["source"])
    return " | ".join(parts)


def flat_graph(net: Network, statuses: Statuses | None = None) -> nx.Graph:
    """The measured graph with only text and numbers as attributes (for GraphML, GEXF, CSV)."""
    G = measured_graph(net, statuses)
    F = nx.Graph(name="citykg", today=G.graph.get("today", ""))
    for node, a in G.nodes(data=True):
        attrs: dict[str, Any] = {
            "label": a["label"],
            "type": a["kind"],
            "kind": a["kind"],
            "bipartite": a["bipartite"],
            "alt_labels": "; ".join(a["alt_labels"]),
            "themes": "; ".join(a["theme_labels"]),
            "purposes": "; ".join(a["purposes"]),
            "period": period_text(a.get("start"), a.get("end")),
            **{m: a[m] for m in MEASURES},
            **_dates(a.get("start"), a.get("end")),
        }
        F.add_node(node, **attrs)
    for u, v, a in G.edges(data=True):
        F.add_edge(
            u,
            v,
            relation=a["relation"],
            roles="; ".join(a["roles"]),
            status=a["status"],
            period=period_text(a.get("start"), a.get("end")),
            evidence=_evidence_text(a["evidence"]),
            evidence_status=a["evidence_status"],
            status_note=a["status_note"],
            as_of=a["as_of"],
            **_dates(a.get("start"), a.get("end")),
        )
    return F


def _xml(write: Callable[..., None], G: nx.Graph) -> str:
    # networkx's generate_* functions give ASCII with character references (K&#248;benhavn);
    # its write_* functions write real UTF-8, which text editors and Gephi show as written.
    buffer = io.BytesIO()
    write(G, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    # Labels come from data: a name like =HYPERLINK(...) must open as text, not run.
    writer.writerows(
        {k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()}
        for row in rows
    )
    return buffer.getvalue()


def graph_export(net: Network, fmt: str, statuses: Statuses | None = None) -> dict[str, str]:
    """The graph as text in ``fmt``: ``{"": text}``, or for CSV ``{"nodes": ..., "edges": ...}``.

    Examples
    --------
    >>> from citykg.analysis.networks import Entity, Network, Tie
    >>> entities = [Entity("a", "city", "A"), Entity("n", "network", "N")]
    >>> net = Network.from_parts(entities, [Tie("a", "n", "lead")])
    >>> graph_export(net, "csv")["edges"].splitlines()[1]
    'a,n,lead,lead,current,,,,,,'
    """
    if fmt == "json":
        data = nx.node_link_data(measured_graph(net, statuses), edges="edges")
        return {"": json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"}
    if fmt not in GRAPH_FORMATS:
        raise CitykgError(f"unknown graph format '{fmt}'", "Use " + ", ".join(GRAPH_FORMATS) + ".")
    F = flat_graph(net, statuses)
    if fmt == "graphml":
        return {"": _xml(nx.write_graphml, F)}
    if fmt == "gexf":
        text = _xml(nx.write_gexf, F)
        # networkx stamps the day of writing; the reference date keeps the file reproducible
        stamp = f'lastmodifieddate="{net.today.isoformat()}"'
        return {"": re.sub(r'lastmodifieddate="[^"]*"', stamp, text, count=1)}
    nodes = [{"id": n, **a} for n, a in F.nodes(data=True)]
    edges = [{"source": u, "target": v, **a} for u, v, a in F.edges(data=True)]
    return {"nodes": _csv(nodes, NODE_COLUMNS), "edges": _csv(edges, EDGE_COLUMNS)}


def csv_paths(output: Path) -> tuple[Path, Path]:
    """Where the CSV node and edge lists go for ``-o OUTPUT``.

    An existing folder gets ``nodes.csv`` and ``edges.csv``; any other path is a prefix:
    ``out/cph`` gives ``out/cph-nodes.csv`` and ``out/cph-edges.csv``.

    Examples
    --------
    >>> [p.name for p in csv_paths(Path("out/cph"))]
    ['cph-nodes.csv', 'cph-edges.csv']
    """
    if output.is_dir():
        return output / "nodes.csv", output / "edges.csv"
    return output.with_name(output.name + "-nodes.csv"), output.with_name(
        output.name + "-edges.csv"
    )


def write_graph_export(
    files: dict[str, str], output: Path | None, *, private: bool = False
) -> list[Path]:
    """Write :func:`graph_export`'s result; returns the files written.

    A single-file format with ``output`` None is the caller's to print; CSV needs ``output``
    and writes both files or neither. New files are 0600 when ``private`` (internal data).
    """
    if "" in files:
        if output is None:
            return []
        targets = [(output, files[""])]
    else:
        if output is None:
            raise CitykgError(
                "CSV export writes two files (nodes and edges)",
                "Name a folder or a file prefix with -o.",
            )
        if not output.is_dir() and check_output_path(output):
            raise CitykgError(
                "is a stream, but a CSV export writes two files (nodes and edges)",
                "Name a folder or a file prefix with -o.",
                file=output,
            )
        nodes, edges = csv_paths(output)
        targets = [(nodes, files["nodes"]), (edges, files["edges"])]
        try:
            write_atomic_files(targets, private=private)
        except OSError as exc:
            raise CitykgError(
                f"cannot write the files ({exc.strerror}); neither was written",
                "Choose another -o path.",
                file=output,
            ) from None
        return [nodes, edges]
    write_output_file(output, files[""], private=private)
    return [output]


def export_network(source: SparqlSource, fmt: str, today: dt.date | None = None) -> dict[str, str]:
    """Read the graph from ``source`` and export it (see :func:`graph_export`)."""
    if fmt not in GRAPH_FORMATS:
        raise CitykgError(f"unknown graph format '{fmt}'", "Use " + ", ".join(GRAPH_FORMATS) + ".")
    return graph_export(load_network(source, today), fmt, read_statuses(source))
