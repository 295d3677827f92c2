"""Fixed visual vocabulary of the map: one colour and shape per kind, one line style per relation.

Fixed (not derived from the data) so the same kind looks the same on every map a strategist
shares. Colours are from the Tableau 10/20 palettes, chosen to stay apart for the common kinds;
shapes are the vis-network shapes whose size follows the node's ``size`` (``box``/``ellipse``
would grow with the label instead).
"""

from __future__ import annotations

from typing import TypedDict

__all__ = [
    "DEFAULT_KIND",
    "DEFAULT_RELATION",
    "KINDS",
    "RELATIONS",
    "EdgeStyle",
    "NodeStyle",
    "kind_style",
    "relation_style",
]


class NodeStyle(TypedDict):
    """How nodes of one kind are drawn."""

    color: str
    shape: str


class EdgeStyle(TypedDict):
    """How edges of one relation are drawn (``dashes`` is false or a vis-network dash array)."""

    color: str
    dashes: bool | list[int]
    width: float


KINDS: dict[str, NodeStyle] = {
    "city": {"color": "#1f77b4", "shape": "dot"},
    "region": {"color": "#17becf", "shape": "hexagon"},
    "country": {"color": "#9edae5", "shape": "hexagon"},
    "organisation": {"color": "#ff7f0e", "shape": "square"},
    "administration": {"color": "#8c564b", "shape": "square"},
    "network": {"color": "#d62728", "shape": "diamond"},
    "project": {"color": "#2ca02c", "shape": "triangle"},
    "programme": {"color": "#98df8a", "shape": "triangle"},
    "cooperation": {"color": "#9467bd", "shape": "triangleDown"},
    "event": {"color": "#e377c2", "shape": "star"},
    "plan": {"color": "#bcbd22", "shape": "square"},
    "theme": {"color": "#7f7f7f", "shape": "dot"},
    "person": {"color": "#c49c94", "shape": "dot"},
}
DEFAULT_KIND: NodeStyle = {"color": "#c7c7c7", "shape": "dot"}

RELATIONS: dict[str, EdgeStyle] = {
    "member": {"color": "#9aa7b4", "dashes": False, "width": 1.0},
    "lead": {"color": "#2ca02c", "dashes": False, "width": 2.5},
    "partner": {"color": "#98c794", "dashes": False, "width": 1.5},
    "host": {"color": "#e377c2", "dashes": False, "width": 2.0},
    "founder": {"color": "#d62728", "dashes": False, "width": 2.0},
    "party": {"color": "#9467bd", "dashes": False, "width": 1.5},
    "participant": {"color": "#f7b6d2", "dashes": [2, 4], "width": 1.5},
    "steering-committee": {"color": "#ff7f0e", "dashes": False, "width": 2.5},
    "theme": {"color": "#bbbbbb", "dashes": [4, 4], "width": 1.0},
    "part-of": {"color": "#8c564b", "dashes": [8, 4], "width": 1.5},
}
DEFAULT_RELATION: EdgeStyle = {"color": "#b0b0b0", "dashes": False, "width": 1.0}


def kind_style(kind: str) -> NodeStyle:
    """The style of ``kind``; unknown kinds get a neutral grey dot.

    Examples
    --------
    >>> kind_style("city")["shape"]
    'dot'
    >>> kind_style("spaceship") == DEFAULT_KIND
    True
    """
    return KINDS.get(kind, DEFAULT_KIND)


def relation_style(relation: str) -> EdgeStyle:
    """The style of ``relation``; unknown relations get a thin grey line.

    Examples
    --------
    >>> relation_style("theme")["dashes"]
    [4, 4]
    """
    return RELATIONS.get(relation, DEFAULT_RELATION)
