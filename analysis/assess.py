"""Request triage: how well does a request for cooperation or a delegation visit fit the strategy?

A strategy may say how requests are weighed (Copenhagen's third principle: requests "can be
assessed in relation to these city networks as well as industrial, political and resource
prioritisations"). :func:`assess_request` lists what the requesting city already shares with
the home city (networks, projects, programmes, agreements), which of the requested themes and
purpose the home city works on, who owns that work, what the home's principles ask, and a score
whose every point has a reason:

====================================================  ======
rule                                                  points
====================================================  ======
a city network both take part in (current)            +3
a project, programme or agreement both take part in   +2
an event both take part in                            +1
a shared collaboration that ended or has not started +1
a requested theme the home city has initiatives on    +2
a requested theme a principle prioritises             +2
the purpose matches the shared or matching work       +1
====================================================  ======

8 points or more is a ``strong fit``, 4 to 7 a ``possible fit``, fewer a ``weak fit``. A city
not in the graph is no error: it simply shares nothing, and themes and purpose still count.

Only the home's strategy counts (:mod:`citykg.analysis.strategy`): its principles, found by
what they are about (``theme-priority`` gives the prioritised themes, ``council-approval`` the
rule for binding agreements; ``networks-first``, ``time-limited-agreements`` and
``data-protection`` give advice), and the purposes its dataset states.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts(
...     [Entity("copenhagen", "city", "Copenhagen"), Entity("lisbon", "city", "Lisbon"),
...      Entity("c40", "network", "C40")],
...     [Tie("copenhagen", "c40", "member"), Tie("lisbon", "c40", "member")],
... )
>>> a = assess_request(net, "Nantes", home="copenhagen")
>>> a.city, a.score, a.level
(None, 0, 'weak fit')
>>> a = assess_request(net, "lisbon", home="copenhagen")
>>> a.score, [r.text for r in a.reasons]
(3, ['shares the city network C40 (current)'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from citykg.analysis.networks import ACTOR_KINDS, Network, load_network
from citykg.analysis.statuses import Statuses, read_statuses
from citykg.analysis.strategy import Principle, Strategy, home_strategy
from citykg.errors import CitykgError
from citykg.pagedata import STATUSES
from citykg.queries.homes import choose_home
from citykg.queries.sparql import SparqlSource

__all__ = [
    "Advice",
    "Assessment",
    "AssessmentReport",
    "Reason",
    "SharedItem",
    "assess",
    "assess_request",
    "home_initiatives",
]

#: A request usually comes from a city, but may come from a region or an organisation: any
#: actor in the graph is matched, so that one in it is never reported as missing.
REQUESTER_KINDS = ACTOR_KINDS
STRONG = 8
POSSIBLE = 4


@dataclass(frozen=True)
class Reason:
    """Points and why, and how the facts it rests on are known: ``rests_on`` pairs what (an
    actor's part in a collaboration, an initiative, a principle) with its status (stated,
    listed, inferred, or "" where the data gives none); ``status`` is the weakest of them, as
    a reason is only as sure as its least sure fact."""

    points: int
    text: str
    rests_on: tuple[tuple[str, str], ...] = ()

    @property
    def status(self) -> str:
        found = [s for _, s in self.rests_on]
        if not found:
            return ""
        if "" in found:
            return ""
        return max(found, key=STATUSES.index)

    @property
    def status_text(self) -> str:
        """``stated`` when every fact is; else each fact's status."""
        if not self.rests_on:
            return ""
        if len({s for _, s in self.rests_on}) == 1:
            return self.rests_on[0][1] or "no status in the data"
        return "; ".join(f"{what}: {s or 'no status'}" for what, s in self.rests_on)


@dataclass(frozen=True, order=True)
class Advice:
    """What one of the home's principles asks of the request."""

    principle: str
    number: int
    label: str
    about: str
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
    advice: tuple[Advice, ...]
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


def _shared(net: Network, home: str, city: str | None) -> list[SharedItem]:
    """The collaborations ``city`` and ``home`` both take part in, with each side's roles."""
    B = net.graph
    if city is None or city not in B or home not in B:
        return []
    shared = []
    for c in sorted(set(B[city]) & set(B[home])):
        mine, theirs = B.edges[home, c], B.edges[city, c]
        statuses = {mine["status"], theirs["status"]}
        status = "past" if "past" in statuses else "future" if "future" in statuses else "current"
        shared.append(
            SharedItem(c, B.nodes[c]["kind"], tuple(theirs["roles"]), tuple(mine["roles"]), status)
        )
    return shared


def _link_status(net: Network, statuses: Statuses, actor: str, collaboration: str) -> str:
    # The data's statuses only: the network assess reads holds no evidence to derive one from
    # (a graph whose loader wrote none shows "no status in the data", never a guess).
    edge = net.graph.edges[actor, collaboration]
    roles = [t["role"] for t in edge.get("ties", ())] or list(edge.get("roles", ()))
    return statuses.of_link(actor, collaboration, roles).status or ""


def _shared_reasons(
    net: Network, shared: Sequence[SharedItem], home: str, city: str | None, statuses: Statuses
) -> list[Reason]:
    reasons = []
    for item in shared:
        label = net.label(item.id)
        # Both parts: the home's and the requester's, each as the data knows it.
        rests_on = tuple(
            (net.label(actor), _link_status(net, statuses, actor, item.id))
            for actor in (home, city)
            if actor is not None
        )
        if item.status != "current":
            when = "ended" if item.status == "past" else "not started"
            reasons.append(Reason(1, f"shares the {item.kind} {label} ({when})", rests_on))
        elif item.kind == "network":
            reasons.append(Reason(3, f"shares the city network {label} (current)", rests_on))
        elif item.kind == "event":
            reasons.append(Reason(1, f"shares the event {label}", rests_on))
        else:
            reasons.append(Reason(2, f"shares the {item.kind} {label} (current)", rests_on))
    return reasons


def _entity_status(statuses: Statuses, entity: str) -> str:
    found = statuses.entities.get(entity)
    return (found.status or "") if found else ""


def _theme_work(
    net: Network,
    home: str,
    work: Sequence[str],
    themes: Sequence[str],
    strategy: Strategy,
    statuses: Statuses,
) -> tuple[list[tuple[str, tuple[str, ...]]], list[Reason]]:
    """Per requested theme, the home's initiatives on it, and the reasons: the work, and a
    principle about theme priority that names it (or a broader theme)."""
    prioritised: dict[str, Principle] = {}
    for principle in strategy.about("theme-priority"):
        for t in principle.themes:
            for narrower in net.narrower.get(t, {t}):
                prioritised.setdefault(narrower, principle)
    found, reasons = [], []
    for t in themes:
        initiatives = tuple(c for c in work if net.has_theme(c, t))
        found.append((t, initiatives))
        if initiatives:
            plural = "s" if len(initiatives) != 1 else ""
            count = f"{len(initiatives)} initiative{plural}"
            text = f"{net.label(home)} works on {net.label(t)} in {count}"
            # One initiative known for sure is enough: the strongest of theirs.
            known = [_entity_status(statuses, c) for c in initiatives]
            best = min((k for k in known if k), key=STATUSES.index, default="")
            reasons.append(Reason(2, text, (("its initiatives", best),)))
        else:
            reasons.append(Reason(0, f"{net.label(home)} has no initiative on {net.label(t)}"))
        if t in prioritised:
            principle = prioritised[t]
            reasons.append(
                Reason(
                    2,
                    f"principle {principle.number} prioritises {net.label(t)}",
                    ((f"principle {principle.number}", _entity_status(statuses, principle.id)),),
                )
            )
    return found, reasons


def _purpose_reasons(
    net: Network, purpose: str | None, relevant: Sequence[str], strategy: Strategy
) -> tuple[tuple[str, ...], list[Reason]]:
    """The relevant initiatives the home's strategy gives ``purpose``, and the reason."""
    if purpose is None:
        return (), []
    matching = tuple(c for c in relevant if purpose in strategy.purposes.get(c, ()))
    n = len(matching)
    name = net.label(purpose)
    if matching:
        return matching, [Reason(1, f"the purpose '{name}' matches {n} of these initiatives")]
    return (), [Reason(0, f"the purpose '{name}' matches none of these initiatives")]


def _cite(principle: Principle) -> str:
    return f"principle {principle.number}: {principle.label}"


def _council(
    net: Network, strategy: Strategy, agreements: Sequence[str], name: str
) -> tuple[str, tuple[str, ...]]:
    """What the home's council-approval principle asks of a binding agreement, and the
    existing agreements a recorded approval may cover."""
    rules = strategy.about("council-approval")
    home = net.label(strategy.home) if strategy.home else "the home city"
    if not rules:
        return f"No principle of {home}'s strategy is about council approval.", ()
    rule = f" ({_cite(rules[0])})"
    covered = tuple(a for a in agreements if net.entities[a].council_approved)
    must = f"A binding agreement must be assessed for City Council approval{rule}"
    if covered:
        dates = ", ".join(f"{net.label(a)} on {net.entities[a].council_approved}" for a in covered)
        return (
            f"{must}; the Council approved {dates}: check whether the new one falls within it.",
            covered,
        )
    if agreements:
        return (
            f"{must}; no existing agreement with {name} records a Council approval that would "
            "cover it."
        ), ()
    return (
        f"A binding agreement with {name} would be new: assess whether it must be presented "
        f"to the City Council for approval{rule}."
    ), ()


def _advice(
    net: Network, strategy: Strategy, city: str | None, name: str, shared: Sequence[SharedItem]
) -> tuple[Advice, ...]:
    """What the home's other principles ask of this request, each citing its principle."""
    advice = []
    home = net.label(strategy.home)
    networks = [s for s in shared if s.kind == "network" and s.status == "current"]
    for p in strategy.about("networks-first"):
        found = ", ".join(net.label(s.id) for s in networks)
        text = (
            f"{name} is in {home}'s networks: {found}"
            if networks
            else f"{name} is in none of {home}'s current networks"
        )
        advice.append(Advice(p.id, p.number, p.label, "networks-first", text))
    is_city = city is None or net.entities[city].kind == "city"
    for p in strategy.about("time-limited-agreements") if is_city else ():
        text = f"an agreement with {name} should cover specific fields for a limited period"
        advice.append(Advice(p.id, p.number, p.label, "time-limited-agreements", text))
    for p in strategy.about("data-protection"):
        text = "agree how citizen and company data is protected before any is shared"
        advice.append(Advice(p.id, p.number, p.label, "data-protection", text))
    return tuple(sorted(advice))


def assess_request(
    net: Network,
    city: str,
    themes: Sequence[str] = (),
    purpose: str | None = None,
    *,
    home: str,
    strategy: Strategy | None = None,
    statuses: Statuses | None = None,
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
    home : the city that receives the request (an ID or a name).
    strategy : the home's strategy (:func:`~citykg.analysis.strategy.home_strategy`); without
        it no principle applies and no purpose matches.
    statuses : the data's statuses (:func:`~citykg.analysis.statuses.read_statuses`), shown
        with each reason; without them a reason's facts have the status their evidence gives.
    """
    net.require("roles", "themes", "facts")
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    strategy = strategy or Strategy(home_id)
    theme_ids = tuple(dict.fromkeys(net.resolve(t, ["theme"], "theme") for t in themes))
    purpose_id = net.resolve(purpose, ["purpose"], "purpose") if purpose else None
    city_id, near = _find_city(net, city, home_id)
    name = net.label(city_id) if city_id else city
    work = home_initiatives(net, home_id, strategy)

    statuses = statuses or Statuses()
    shared = _shared(net, home_id, city_id)
    reasons = _shared_reasons(net, shared, home_id, city_id, statuses)
    agreements = tuple(s.id for s in shared if s.kind == "cooperation")
    theme_initiatives, theme_reasons = _theme_work(
        net, home_id, work, theme_ids, strategy, statuses
    )
    reasons += theme_reasons
    relevant = sorted({s.id for s in shared} | {c for _, found in theme_initiatives for c in found})
    purpose_initiatives, purpose_reasons = _purpose_reasons(net, purpose_id, relevant, strategy)
    reasons += purpose_reasons
    council, covered = _council(net, strategy, agreements, name)
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
        owners=tuple(sorted({(o, c) for c in relevant for o in net.entities[c].owners})),
        council=council,
        council_covered_by=covered,
        advice=_advice(net, strategy, city_id, name, shared),
        reasons=tuple(reasons),
    )


def home_initiatives(net: Network, home: str, strategy: Strategy) -> list[str]:
    """The home's initiatives: the collaborations it takes part in, and those its strategy
    gives a purpose (an event in the city that it neither hosts nor organises), by ID.

    Examples
    --------
    >>> from citykg.analysis.networks import Entity, Network, Tie
    >>> net = Network.from_parts(
    ...     [Entity("a", "city"), Entity("n", "network"), Entity("e", "event")],
    ...     [Tie("a", "n", "member")],
    ... )
    >>> home_initiatives(net, "a", Strategy("a", purposes={"e": ("learn",)}))
    ['e', 'n']
    """
    B = net.graph
    tied = set(B[home]) if home in B else set()
    stated = {c for c in strategy.purposes if c in B and B.nodes[c].get("bipartite") == 1}
    return sorted(tied | stated)


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
    *,
    home: str | None = None,
    today: dt.date | None = None,
) -> AssessmentReport:
    """Read the graph and ``home``'s strategy from ``source`` and :func:`assess_request`.

    ``home`` (an ID or a name) defaults to the store's one home
    (:func:`~citykg.queries.homes.choose_home`).
    """
    home = home or choose_home(source).id
    net = load_network(source, today, ["roles", "themes", "facts"])
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    strategy = home_strategy(source, home_id)
    statuses = read_statuses(source)
    return AssessmentReport(
        net,
        assess_request(
            net, city, themes, purpose, home=home_id, strategy=strategy, statuses=statuses
        ),
    )
