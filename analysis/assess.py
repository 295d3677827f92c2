"""Request triage: how well does a request for cooperation or a delegation visit fit the strategy?

The strategy's third principle says requests "can be assessed in relation to these city networks
as well as industrial, political and resource prioritisations". :func:`assess_request` lists
what the requesting city already shares with the home city (networks, projects, programmes,
agreements), which of the requested themes and purpose the home city works on, who owns that
work, what principle 6 (City Council approval of binding agreements) asks, and a score whose
every point has a reason:

====================================================  ======
rule                                                  points
====================================================  ======
a city network both take part in (current)            +3
a project, programme or agreement both take part in   +2
an event both take part in                            +1
a shared collaboration that ended or has not started +1
a requested theme the home city has initiatives on    +2
a requested theme principle 1 prioritises             +2
the purpose matches the shared or matching work       +1
====================================================  ======

8 points or more is a ``strong fit``, 4 to 7 a ``possible fit``, fewer a ``weak fit``. A city
not in the graph is no error: it simply shares nothing, and themes and purpose still count.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts(
...     [Entity("copenhagen", "city", "Copenhagen"), Entity("lisbon", "city", "Lisbon"),
...      Entity("c40", "network", "C40")],
...     [Tie("copenhagen", "c40", "member"), Tie("lisbon", "c40", "member")],
... )
>>> a = assess_request(net, "Nantes")
>>> a.city, a.score, a.level
(None, 0, 'weak fit')
>>> a = assess_request(net, "lisbon")
>>> a.score, [r.text for r in a.reasons]
(3, ['shares the city network C40 (current)'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from citykg.analysis.networks import ACTOR_KINDS, Network, load_network
from citykg.errors import CitykgError
from citykg.queries.sparql import SparqlSource

__all__ = ["Assessment", "AssessmentReport", "Reason", "SharedItem", "assess", "assess_request"]

#: A request usually comes from a city, but may come from a region or an organisation: any
#: actor in the graph is matched, so that one in it is never reported as missing.
REQUESTER_KINDS = ACTOR_KINDS
STRONG = 8
POSSIBLE = 4


@dataclass(frozen=True)
class Reason:
    """Points and why."""

    points: int
    text: str


@dataclass(frozen=True)
class SharedItem:
    """A collaboration both take part in, with each side's roles."""

    id: str
    kind: str
    roles: tuple[str, ...]
    home_roles: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Assessment:
    """The answer to one request (see the module's docstring for the rules)."""

    name: str
    city: str | None
    near: tuple[str, ...]
    home: str
    shared: tuple[SharedItem, ...]
    agreements: tuple[str, ...]
    themes: tuple[str, ...]
    theme_initiatives: tuple[tuple[str, tuple[str, ...]], ...]
    purpose: str | None
    purpose_initiatives: tuple[str, ...]
    owners: tuple[tuple[str, str], ...]
    council: str
    council_covered_by: tuple[str, ...]
    reasons: tuple[Reason, ...]

    @property
    def score(self) -> int:
        return sum(r.points for r in self.reasons)

    @property
    def level(self) -> str:
        if self.score >= STRONG:
            return "strong fit"
        if self.score >= POSSIBLE:
            return "possible fit"
        return "weak fit"


def _principle(net: Network, number: int) -> str | None:
    for pid in net.of_kind("principle"):
        if net.entities[pid].number == number:
            return pid
    return None


def _find_city(net: Network, name: str, home: str) -> tuple[str | None, tuple[str, ...]]:
    found = net.matches(name, REQUESTER_KINDS)
    if len(found) > 1:
        listed = ", ".join(f"'{i}' ({net.label(i)})" for i in found)
        raise CitykgError(f"the city name '{name}' is ambiguous", f"Use one of the IDs {listed}.")
    if found and found[0] == home:
        raise CitykgError(
            f"'{name}' is the home city itself", "Name the city the request comes from."
        )
    if found:
        return found[0], ()
    return None, tuple(n for n in net.suggestions(name, REQUESTER_KINDS) if n != home)


def assess_request(
    net: Network,
    city: str,
    themes: Sequence[str] = (),
    purpose: str | None = None,
    home: str = "copenhagen",
) -> Assessment:
    """Assess a request from ``city`` (a name, alt name or ID; accents and case are ignored).

    Parameters
    ----------
    net : Network
    city : str
        The requesting city (or region, or organisation). Unknown: assessed as sharing
        nothing. Ambiguous (two entities with that name): :class:`CitykgError` listing them.
    themes : theme IDs or names the request is about (unknown: CitykgError).
    purpose : a purpose ID or name (learn, influence, inspire, cooperate, brand-and-promote).
    home : the city that receives the request.
    """
    net.require("roles", "themes", "facts")
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    theme_ids = tuple(dict.fromkeys(net.resolve(t, ["theme"], "theme") for t in themes))
    purpose_id = net.resolve(purpose, ["purpose"], "purpose") if purpose else None
    city_id, near = _find_city(net, city, home_id)
    B = net.graph
    home_work = sorted(B[home_id]) if home_id in B else []
    reasons: list[Reason] = []

    shared: list[SharedItem] = []
    if city_id is not None and city_id in B:
        for c in sorted(set(B[city_id]) & set(home_work)):
            mine, theirs = B.edges[home_id, c], B.edges[city_id, c]
            statuses = {mine["status"], theirs["status"]}
            status = (
                "past" if "past" in statuses else "future" if "future" in statuses else "current"
            )
            shared.append(
                SharedItem(
                    c, B.nodes[c]["kind"], tuple(theirs["roles"]), tuple(mine["roles"]), status
                )
            )
    for item in shared:
        label = net.label(item.id)
        if item.status != "current":
            when = "ended" if item.status == "past" else "not started"
            reasons.append(Reason(1, f"shares the {item.kind} {label} ({when})"))
        elif item.kind == "network":
            reasons.append(Reason(3, f"shares the city network {label} (current)"))
        elif item.kind == "event":
            reasons.append(Reason(1, f"shares the event {label}"))
        else:
            reasons.append(Reason(2, f"shares the {item.kind} {label} (current)"))
    agreements = tuple(s.id for s in shared if s.kind == "cooperation")

    prioritised: set[str] = set()
    p1 = _principle(net, 1)
    if p1 is not None:
        for t in net.entities[p1].themes:
            prioritised |= net.narrower.get(t, {t})
    theme_initiatives = []
    for t in theme_ids:
        work = tuple(c for c in home_work if net.has_theme(c, t))
        theme_initiatives.append((t, work))
        if work:
            plural = "s" if len(work) != 1 else ""
            text = f"{net.label(home_id)} works on {net.label(t)} in {len(work)} initiative{plural}"
            reasons.append(Reason(2, text))
        else:
            reasons.append(Reason(0, f"{net.label(home_id)} has no initiative on {net.label(t)}"))
        if t in prioritised and p1 is not None:
            reasons.append(
                Reason(2, f"principle {net.entities[p1].number} prioritises {net.label(t)}")
            )

    relevant = sorted({s.id for s in shared} | {c for _, work in theme_initiatives for c in work})
    purpose_initiatives: tuple[str, ...] = ()
    if purpose_id is not None:
        purpose_initiatives = tuple(c for c in relevant if purpose_id in net.entities[c].purposes)
        if purpose_initiatives:
            n = len(purpose_initiatives)
            text = f"the purpose '{net.label(purpose_id)}' matches {n} of these initiatives"
            reasons.append(Reason(1, text))
        else:
            text = f"the purpose '{net.label(purpose_id)}' matches none of these initiatives"
            reasons.append(Reason(0, text))

    owners = tuple(sorted({(o, c) for c in relevant for o in net.entities[c].owners}))

    p6 = _principle(net, 6)
    rule = f" (principle {net.entities[p6].number}: {net.label(p6)})" if p6 else ""
    covered = tuple(a for a in agreements if net.entities[a].council_approved)
    name = net.label(city_id) if city_id else city
    must = f"A binding agreement must be assessed for City Council approval{rule}"
    if covered:
        dates = ", ".join(f"{net.label(a)} on {net.entities[a].council_approved}" for a in covered)
        council = (
            f"{must}; the Council approved {dates}: check whether the new one falls within it."
        )
    elif agreements:
        council = (
            f"{must}; no existing agreement with {name} records a Council approval that would "
            "cover it."
        )
    else:
        council = (
            f"A binding agreement with {name} would be new: assess whether it must be presented "
            f"to the City Council for approval{rule}."
        )

    return Assessment(
        name=city,
        city=city_id,
        near=near,
        home=home_id,
        shared=tuple(shared),
        agreements=agreements,
        themes=theme_ids,
        theme_initiatives=tuple(theme_initiatives),
        purpose=purpose_id,
        purpose_initiatives=purpose_initiatives,
        owners=owners,
        council=council,
        council_covered_by=covered,
        reasons=tuple(reasons),
    )


@dataclass(frozen=True)
class AssessmentReport:
    """An assessment with the network it came from (for labels)."""

    net: Network
    assessment: Assessment


def assess(
    source: SparqlSource,
    city: str,
    themes: Sequence[str] = (),
    purpose: str | None = None,
    home: str = "copenhagen",
    today: dt.date | None = None,
) -> AssessmentReport:
    """Read the graph from ``source`` and :func:`assess_request`."""
    net = load_network(source, today, ["roles", "themes", "facts"])
    return AssessmentReport(net, assess_request(net, city, themes, purpose, home))
