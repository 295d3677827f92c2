"""Render a networkx graph as one self-contained, offline HTML network map.

The page is our own template (``templates/map.html``, ``map.css``, ``map.js``) around the
vis-network 9.1.2 build that pyvis ships, inlined, so the file opens from a USB stick or an
e-mail attachment with no network: no script, style sheet, font or image is fetched, and a
Content-Security-Policy with ``default-src 'none'`` makes the browser refuse any request the
page might still try. The graph's data sits in a ``<script type="application/json">`` block
with ``<``, ``>`` and ``&`` escaped, and the page writes it with ``textContent`` only.

We do not use pyvis's ``Network.from_nx``/``add_edge`` to build the data: they scan every
existing edge for each new one (64 s for 5,000 nodes), rewrite the caller's ``size`` and
``weight`` attributes in place, and pyvis's own templates load Bootstrap and tom-select from
CDNs. Building the node and edge lists ourselves takes milliseconds. From pyvis we only take
the vis-network files it ships.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Hashable
from importlib import resources
from os import PathLike
from pathlib import Path

import networkx as nx

import citykg
from citykg.files import write_atomic

from .errors import VizError
from .layout import fast_layout, scale_positions
from .payload import build_payload, embed_json

__all__ = ["LARGE_GRAPH", "VIS_VERSION", "render_html", "write_html"]

LARGE_GRAPH = 300
"""Above this many nodes, positions are computed in Python and physics starts off."""

VIS_VERSION = "9.1.2"


def _vis_file(name: str) -> str:
    try:
        lib = resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}" / name
        return lib.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise VizError(
            f"the vis-network {VIS_VERSION} files are not in the installed pyvis package",
            "Install pyvis 0.3.2 (pip install 'pyvis==0.3.2'), which ships them.",
        ) from exc


def _template(name: str) -> str:
    return (resources.files("citykg.viz") / "templates" / name).read_text(encoding="utf-8")


def _inline_script(js: str) -> str:
    # Inside <script>, "</script" ends the element and "<!--" can start an escaped state;
    # in JavaScript source "<\/" and "<\!--" mean the same inside strings and regexes.
    return re.sub(r"<(/script|!--)", r"<\\\1", js, flags=re.IGNORECASE)


def _inline_style(css: str) -> str:
    return re.sub(r"</style", r"<\\/style", css, flags=re.IGNORECASE)


def _csp(*scripts: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    # Only our own inline scripts may run (by hash: an injected inline handler such as
    # onerror=... would be refused even if markup ever got in), and nothing may be fetched.
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; "
        "base-uri 'none'; form-action 'none'"
    )


def _has_position(attrs: dict[str, object]) -> bool:
    x, y = attrs.get("x"), attrs.get("y")
    return isinstance(x, int | float) and isinstance(y, int | float) and not isinstance(x, bool)


def _positions(G: nx.Graph, physics: bool, seed: int) -> dict[Hashable, tuple[float, float]] | None:
    """Canvas positions, or None to let the browser's physics place the nodes."""
    given = {v: (float(a["x"]), float(a["y"])) for v, a in G.nodes(data=True) if _has_position(a)}
    n = G.number_of_nodes()
    if n and len(given) == n:
        return scale_positions(given)
    if physics and n <= LARGE_GRAPH:
        return None
    order = sorted(G, key=str)
    if n <= LARGE_GRAPH:
        # networkx's spring layout is good and quick for small graphs; feed it nodes in a fixed
        # order so the result does not depend on the caller's insertion order
        H = nx.Graph()
        H.add_nodes_from(order)
        H.add_edges_from((u, v) for u, v in G.edges() if u != v)
        pos = nx.spring_layout(H, seed=seed, pos=given or None)
        return scale_positions({v: (float(p[0]), float(p[1])) for v, p in pos.items()}, 150.0)
    return scale_positions(fast_layout(G, order=order, seed=seed, initial=given or None))


def render_html(
    G: nx.Graph,
    *,
    title: str,
    physics: bool | None = None,
    seed: int = 42,
) -> str:
    """The interactive map of ``G`` as one self-contained HTML page.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph (directed graphs get arrows, multigraphs one line per edge). Node
        attributes: ``label``, ``kind``, ``alt_labels``, ``themes``, ``networks``, ``period``,
        ``evidence`` (list of ``{"quote", "section", "source"}``), optional ``centrality``
        (sizes the node; without it, degree does), ``community``, ``x``/``y``. Edge
        attributes: ``relation``, optional ``weight`` (line width) and ``label``. All are
        optional and the graph is not modified.
    title : str
        Page title and heading.
    physics : bool or None
        Start with vis-network's physics on or off. ``None`` (default): on up to
        :data:`LARGE_GRAPH` nodes, off above, where positions are computed in Python so the map
        is usable at once. The page has a switch either way.
    seed : int
        Layout seed; the same graph and seed give byte-identical HTML.

    Returns
    -------
    str
        The page. It makes no network requests.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("copenhagen", label="København", kind="city", alt_labels=["Copenhagen"])
    >>> G.add_node("c40", label="C40", kind="network")
    >>> G.add_edge("copenhagen", "c40", relation="member")
    >>> page = render_html(G, title="Copenhagen in C40")
    >>> page.startswith("<!DOCTYPE html>") and "København" in page
    True
    >>> page == render_html(G, title="Copenhagen in C40")
    True
    """
    if not isinstance(G, nx.Graph):
        raise VizError(
            f"render_html needs a networkx graph, got {type(G).__name__}",
            "Select a subgraph first (e.g. with citykg.viz.ego_view) and pass that.",
        )
    use_physics = G.number_of_nodes() <= LARGE_GRAPH if physics is None else bool(physics)
    positions = _positions(G, use_physics, seed)
    payload = build_payload(G, title=title, physics=use_physics, positions=positions)

    vis_js = _inline_script(_vis_file("vis-network.min.js"))
    map_js = _inline_script(_template("map.js"))
    parts = {
        "CSP": html.escape(_csp(vis_js, map_js), quote=False),
        "VERSION": html.escape(citykg.__version__),
        "TITLE": html.escape(title),
        "VIS_CSS": _inline_style(_vis_file("vis-network.css")),
        "MAP_CSS": _inline_style(_template("map.css")),
        "DATA": embed_json(payload),
        "VIS_JS": vis_js,
        "MAP_JS": map_js,
    }
    # one pass, so text inserted for one marker is never searched for the next
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], _template("map.html"))


def write_html(
    G: nx.Graph,
    path: str | PathLike[str],
    *,
    title: str,
    physics: bool | None = None,
    seed: int = 42,
    private: bool = False,
) -> Path:
    """Write :func:`render_html` of ``G`` to ``path`` (UTF-8) and return the path; a new
    file is 0600 when ``private`` (the map holds internal data).

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.Graph([("a", "b")])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = write_html(G, os.path.join(d, "map.html"), title="Demo")
    ...     out.stat().st_size > 100_000
    True
    """
    out = Path(path)
    page = render_html(G, title=title, physics=physics, seed=seed)
    try:
        write_atomic(out, page, private=private)
    except OSError as exc:
        raise VizError(
            f"cannot write the map ({exc.strerror or exc})",
            "Check that the folder exists and is writable.",
            file=out,
        ) from exc
    return out
