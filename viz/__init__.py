"""citykg.viz: interactive, offline HTML network maps of a city's international networks.

The renderer takes networkx graphs (the caller selects the subgraph: a focus, a theme, a
network, the overlaps of two actors) and writes one self-contained HTML page, or a PNG of it.

Examples
--------
>>> import networkx as nx
>>> from citykg.viz import render_html
>>> G = nx.DiGraph()
>>> G.add_node("copenhagen", label="København", kind="city", home=True)
>>> G.add_node("c40", label="C40", kind="network")
>>> G.add_edge("copenhagen", "c40", relation="member")
>>> "citykg-data" in render_html(G, title="Copenhagen")
True
"""

from .clusters import member_groups
from .errors import BrowserUnavailableError, UnknownNodeError, VizError
from .layout import fast_layout
from .map import LAYOUTS, MapOptions, render_html, write_html
from .png import find_chromium, write_png
from .views import ego_view, filter_view, find_node, view_title

__all__ = [
    "LAYOUTS",
    "BrowserUnavailableError",
    "MapOptions",
    "UnknownNodeError",
    "VizError",
    "ego_view",
    "fast_layout",
    "filter_view",
    "find_chromium",
    "find_node",
    "member_groups",
    "render_html",
    "view_title",
    "write_html",
    "write_png",
]
