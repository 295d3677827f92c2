"""Theme coverage: for each theme, the home city's initiatives, networks and partners working on
it, and the gaps: themes with no initiative or no partner, partners with no theme.

An initiative is one of the home's (:func:`~citykg.analysis.assess.home_initiatives`: a
collaboration it takes part in, or one its strategy gives a purpose) tagged with the theme or a
narrower one (``skos:broader``): an initiative on climate adaptation counts for climate action
too. Another city's initiatives in the same graph do not count. A partner is an actor other
than the home city with a tie to one of the home's initiatives.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts(
...     [Entity("cph", "city", "Copenhagen"), Entity("lis", "city", "Lisbon"),
...      Entity("force", "project", "FORCE", themes=("waste",)),
...      Entity("waste", "theme", "Waste"), Entity("sport", "theme", "Sport")],
...     [Tie("cph", "force", "lead"), Tie("lis", "force", "partner")],
... )
>>> [(r.theme, r.partner_cities, r.gap) for r in theme_coverage(net, "cph").themes]
[('sport', (), 'no initiative'), ('waste', ('lis',), '')]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from citykg.analysis.assess import home_initiatives
from citykg.analysis.networks import ACTOR_KINDS, Network, load_network
from citykg.analysis.strategy import Strategy, home_strategy
from citykg.queries.homes import choose_home
from citykg.queries.sparql import SparqlSource

__all__ = ["ThemeCoverage", "ThemeReport", "ThemeRow", "analyze_themes", "theme_coverage"]


@dataclass(frozen=True)
class ThemeRow:
    """What works on one theme."""

    theme: str
    initiatives: tuple[str, ...]
    networks: tuple[str, ...]
    partner_cities: tuple[str, ...]
    other_partners: tuple[str, ...]

    @property
    def gap(self) -> str:
        """``no initiative``, ``no partner`` or empty."""
        if not self.initiatives:
            return "no initiative"
        if not self.partner_cities and not self.other_partners:
            return "no partner"
        return ""


@dataclass(frozen=True)
class ThemeCoverage:
    """Theme rows (sorted by theme ID) and the partners no theme reaches (sorted by ID)."""

    home: str
    themes: tuple[ThemeRow, ...]
    unthemed_partners: tuple[str, ...]


def theme_coverage(net: Network, home: str, strategy: Strategy | None = None) -> ThemeCoverage:
    """Per theme: the home's initiatives, networks among them, partner cities and other partners.

    ``home`` (an ID or name) is the city whose initiatives and partners are counted; it is
    never its own partner. ``strategy`` adds the initiatives the home's strategy gives a
    purpose without taking part in them.
    """
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    work = home_initiatives(net, home_id, strategy or Strategy(home_id))
    B = net.graph
    rows = []
    for theme in net.of_kind("theme"):
        initiatives = tuple(c for c in work if net.has_theme(c, theme))
        partners = sorted({a for c in initiatives for a in B[c] if a != home_id})
        rows.append(
            ThemeRow(
                theme,
                initiatives,
                tuple(c for c in initiatives if B.nodes[c]["kind"] == "network"),
                tuple(a for a in partners if B.nodes[a]["kind"] == "city"),
                tuple(a for a in partners if B.nodes[a]["kind"] != "city"),
            )
        )
    partners = sorted({a for c in work for a in B[c] if a != home_id})
    unthemed = tuple(
        a for a in partners if not any(net.entities[c].themes for c in set(B[a]) & set(work))
    )
    return ThemeCoverage(home_id, tuple(rows), unthemed)


@dataclass(frozen=True)
class ThemeReport:
    """Theme coverage with the network it came from (for labels)."""

    net: Network
    coverage: ThemeCoverage


def analyze_themes(
    source: SparqlSource, home: str | None = None, today: dt.date | None = None
) -> ThemeReport:
    """Read the graph and ``home``'s strategy from ``source`` and report :func:`theme_coverage`.

    ``home`` defaults to the store's one home (:func:`~citykg.queries.homes.choose_home`).
    """
    home = home or choose_home(source).id
    net = load_network(source, today, ["ties", "themes"])
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    return ThemeReport(net, theme_coverage(net, home_id, home_strategy(source, home_id)))
