"""Fixed visual vocabulary of the map: one colour and shape per kind, one line style and plain
words per relation, and the palettes for colouring by a node attribute.

Fixed (not derived from the data) so the same kind looks the same on every map a strategist
shares. Colours are from the Tableau 10/20 palettes, chosen to stay apart for the common kinds;
shapes are the vis-network shapes whose size follows the node's ``size`` (``box``/``ellipse``
would grow with the label instead). Kinds that share a shape differ clearly in colour (a
project is a green triangle, a programme an olive one pointing down).
"""

from __future__ import annotations

from typing import TypedDict

__all__ = [
    "DEFAULT_KIND",
    "DEFAULT_RELATION",
    "GROUP_COLOURS",
    "KINDS",
    "OTHER_COLOUR",
    "RELATIONS",
    "EdgeStyle",
    "NodeStyle",
    "kind_style",
    "relation_style",
    "role_words",
]


class NodeStyle(TypedDict):
    """How nodes of one kind are drawn, and the kind's name in the legend."""

    color: str
    shape: str
    name: str


class EdgeStyle(TypedDict):
    """How links of one relation are drawn and said.

    ``forward`` reads from the link's start to its end ("Copenhagen *member of* C40"),
    ``backward`` names the start from the end's side ("C40's *members*"); ``dashes`` is false
    or a vis-network dash array.
    """

    color: str
    dashes: bool | list[int]
    width: float
    forward: str
    backward: str


KINDS: dict[str, NodeStyle] = {
    "city": {"color": "#1f77b4", "shape": "dot", "name": "City"},
    "region": {"color": "#17becf", "shape": "hexagon", "name": "Region"},
    "country": {"color": "#9edae5", "shape": "hexagon", "name": "Country"},
    "organisation": {"color": "#ff7f0e", "shape": "square", "name": "Organisation"},
    "administration": {"color": "#8c564b", "shape": "square", "name": "Administration"},
    "network": {"color": "#d62728", "shape": "diamond", "name": "Network"},
    "project": {"color": "#2ca02c", "shape": "triangle", "name": "Project"},
    "programme": {"color": "#a4a51c", "shape": "triangleDown", "name": "Programme (funding)"},
    "cooperation": {"color": "#9467bd", "shape": "triangleDown", "name": "Cooperation"},
    "event": {"color": "#e377c2", "shape": "star", "name": "Event"},
    "plan": {"color": "#dbdb8d", "shape": "square", "name": "Plan"},
    "theme": {"color": "#8c8c8c", "shape": "dot", "name": "Theme"},
    "person": {"color": "#c49c94", "shape": "dot", "name": "Person"},
}
DEFAULT_KIND: NodeStyle = {"color": "#c7c7c7", "shape": "dot", "name": "Other"}

RELATIONS: dict[str, EdgeStyle] = {
    "member": {
        "color": "#8a96a3", "dashes": False, "width": 1.0,
        "forward": "member of", "backward": "members",
    },
    "lead": {
        "color": "#2ca02c", "dashes": False, "width": 2.5,
        "forward": "leads", "backward": "led by",
    },
    "partner": {
        "color": "#7fbf7b", "dashes": False, "width": 1.5,
        "forward": "partner in", "backward": "partners",
    },
    "host": {
        "color": "#e377c2", "dashes": False, "width": 2.0,
        "forward": "hosts", "backward": "hosted by",
    },
    "organizer": {
        "color": "#c5308f", "dashes": [6, 3], "width": 1.5,
        "forward": "organises", "backward": "organised by",
    },
    "founder": {
        "color": "#d62728", "dashes": False, "width": 2.0,
        "forward": "founded", "backward": "founded by",
    },
    "party": {
        "color": "#9467bd", "dashes": False, "width": 1.5,
        "forward": "party to", "backward": "parties",
    },
    "participant": {
        "color": "#f08bbf", "dashes": [2, 4], "width": 1.5,
        "forward": "takes part in", "backward": "taking part",
    },
    "innovation-city": {
        "color": "#17becf", "dashes": False, "width": 1.5,
        "forward": "innovation city of", "backward": "innovation cities",
    },
    "steering-committee": {
        "color": "#ff7f0e", "dashes": False, "width": 2.5,
        "forward": "on the steering committee of", "backward": "steering committee",
    },
    "part-of": {
        "color": "#8c564b", "dashes": [8, 4], "width": 1.5,
        "forward": "part of", "backward": "includes",
    },
    "theme": {
        "color": "#c4c4c4", "dashes": [3, 4], "width": 1.0,
        "forward": "works on the theme", "backward": "on this theme",
    },
    "overlap": {
        "color": "#5b8db8", "dashes": False, "width": 1.0,
        "forward": "shares collaborations with", "backward": "shares collaborations with",
    },
}  # fmt: skip
DEFAULT_RELATION: EdgeStyle = {
    "color": "#b0b0b0",
    "dashes": False,
    "width": 1.0,
    "forward": "linked to",
    "backward": "linked from",
}

GROUP_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939",
)  # fmt: skip
"""Colours for the largest groups when the map is coloured by community or country."""

OTHER_COLOUR = "#c7c7c7"
"""The colour of every group beyond :data:`GROUP_COLOURS`, and of nodes without the attribute."""


def kind_style(kind: str) -> NodeStyle:
    """The style of ``kind``; unknown kinds get a neutral grey dot named after the kind.

    Examples
    --------
    >>> kind_style("city")["shape"]
    'dot'
    >>> kind_style("spaceship")["name"], kind_style("spaceship")["color"] == DEFAULT_KIND["color"]
    ('Spaceship', True)
    """
    if kind in KINDS:
        return KINDS[kind]
    return {**DEFAULT_KIND, "name": kind.replace("-", " ").capitalize() or DEFAULT_KIND["name"]}


def relation_style(relation: str) -> EdgeStyle:
    """The style of ``relation``; unknown relations get a thin grey line and their own words.

    Examples
    --------
    >>> relation_style("theme")["dashes"]
    [3, 4]
    >>> relation_style("host")["forward"], relation_style("host")["backward"]
    ('hosts', 'hosted by')
    >>> relation_style("sister-city")["forward"]
    'sister city'
    """
    if relation in RELATIONS:
        return RELATIONS[relation]
    words = relation.replace("-", " ")
    return {**DEFAULT_RELATION, "forward": words, "backward": words}


def role_words(roles: list[str]) -> str:
    """Roles in plain words, joined: what the start of a link is to its end.

    Examples
    --------
    >>> role_words(["member", "steering-committee"])
    'member of, on the steering committee of'
    """
    return ", ".join(relation_style(r)["forward"] for r in roles)
