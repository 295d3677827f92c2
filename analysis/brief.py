"""A briefing on one partner for a delegation visit or a request: what the page says, gathered.

:func:`load_brief` reads the graph from a SPARQL source and fills a
:class:`citykg.pagedata.Brief`; :func:`load_briefs` does it for every partner city at once
(one read of the graph). The page's sections come from:

- who the partner is: its names, country, population, coordinates, Wikidata ID and homepage
  (``sparql/actor-facts.rq``), and every collaboration it takes part in (the network);
- what it shares with the home city, each with its evidence and status (the data's own, read
  by :mod:`citykg.analysis.statuses`; derived by :func:`citykg.pagedata.evidence_status` only
  where the data gives none), period, and for agreements whether binding and whether the
  City Council approved them;
- the themes both work on (the themes of the collaborations each takes part in) and the home
  city's initiatives on each;
- the home's principles that apply, found by what they are about (:data:`PRINCIPLE_RULES`),
  with their text;
- agreements ending within the horizon, and shared agreements with no end date;
- the score and reasons of :func:`citykg.analysis.assess.assess_request`;
- when the page was made and from what.

A name that is not in the graph is no error: the brief says it shares nothing.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts(
...     [Entity("copenhagen", "city", "Copenhagen"), Entity("lisbon", "city", "Lisbon"),
...      Entity("c40", "network", "C40", themes=("climate",)),
...      Entity("climate", "theme", "Climate")],
...     [Tie("copenhagen", "c40", "member"), Tie("lisbon", "c40", "member")],
...     dt.date(2026, 1, 1),
... )
>>> b = build_brief(BriefContext(net, source="test"), "Lisbon", home="copenhagen")
>>> [s.item.label for s in b.shared], [t.theme.label for t in b.themes], b.score
(['C40'], ['Climate'], 3)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from rdflib import Literal

from citykg import __version__
from citykg.analysis.assess import Assessment, assess_request
from citykg.analysis.networks import (
    ACTOR_KINDS,
    Network,
    Tie,
    load_network,
    period_bounds,
    period_text,
)
from citykg.analysis.networks import Evidence as TieEvidence
from citykg.analysis.statuses import DataStatus, Statuses, by_role, read_statuses
from citykg.analysis.strategy import Strategy, home_strategy
from citykg.errors import CitykgError
from citykg.pagedata import (
    STATUSES,
    Brief,
    CommonTheme,
    Ending,
    Evidence,
    Initiative,
    Partner,
    PartnerTie,
    Principle,
    Provenance,
    Reason,
    Ref,
    Shared,
    Support,
    add_months,
    evidence_status,
)
from citykg.queries.homes import choose_home
from citykg.queries.library import get_query
from citykg.queries.sparql import SparqlSource

__all__ = [
    "AGREEMENT_KINDS",
    "DEFAULT_MONTHS",
    "NOT_THE_MEMBERS",
    "OWN_ROLES",
    "PRINCIPLE_RULES",
    "BriefContext",
    "build_brief",
    "load_brief",
    "load_briefs",
    "load_context",
    "partner_cities",
]

#: Roles that come from the collaboration itself (its hosts, parties, organizers): their
#: period and evidence are the collaboration's.
OWN_ROLES = ("host", "party", "organizer")
#: Collaborations whose dates are not those of a member's part in them (that a network
#: started in 2005 says nothing of when a city joined it).
NOT_THE_MEMBERS = ("network", "programme")
#: Agreements ending within this many months are flagged (as ``agreements-ending`` does).
DEFAULT_MONTHS = 6
#: What counts as an agreement that ends: everything but events (an event just happens).
AGREEMENT_KINDS = ("cooperation", "project", "programme", "network")
#: Which of the home's principles a brief shows, by what each is about (``about:`` in the
#: dataset, never the number), and what each checks.
PRINCIPLE_RULES = {
    "networks-first": "networks first",
    "request-assessment": "assess requests",
    "time-limited-agreements": "time-limited agreements",
    "council-approval": "City Council approval",
}
#: An actor's facts (``sparql/actor-facts.rq``): field -> sorted (value, language) pairs.
Facts = Mapping[str, tuple[tuple[str, str], ...]]


def _query(name: str) -> str:
    return (resources.files("citykg.analysis") / "sparql" / f"{name}.rq").read_text(
        encoding="utf-8"
    )


@dataclass
class BriefContext:
    """What every brief of one graph reads: the network and the graph-wide facts.

    Read it once with :func:`load_context`; :func:`build_brief` then makes any number of
    briefs from it.
    """

    net: Network
    source: str
    public: bool = True
    datasets: tuple[str, ...] = ()
    principle_texts: Mapping[str, str] = field(default_factory=dict)
    statuses: Statuses = field(default_factory=Statuses)
    facts: dict[str, Facts] = field(default_factory=dict)
    read_facts: Callable[[str], dict[str, Facts]] | None = None
    made: dt.date = field(default_factory=dt.date.today)
    #: The strategy of a home (its principles and purposes), read when first asked for.
    read_strategy: Callable[[str], Strategy] | None = None
    strategies: dict[str, Strategy] = field(default_factory=dict)

    def strategy_of(self, home: str) -> Strategy:
        """The strategy of ``home`` (an ID): no principles when the context cannot read one."""
        if home not in self.strategies:
            read = self.read_strategy
            self.strategies[home] = read(home) if read is not None else Strategy(home)
        return self.strategies[home]

    def facts_of(self, actor: str) -> Facts:
        """The actor's facts, read from the source when not read yet."""
        if actor not in self.facts and self.read_facts is not None:
            self.facts.update(self.read_facts(actor))
        return self.facts.get(actor, {})

    def provenance(self) -> Provenance:
        return Provenance(
            made=self.made,
            as_of=self.net.today,
            source=self.source,
            datasets=self.datasets,
            public=self.public,
            version=__version__,
        )

    # --- evidence ---------------------------------------------------------------------
    def entity_support(self, entity_id: str) -> Support:
        """The evidence of an entity and its status."""
        entity = self.net.entities.get(entity_id)
        return _support(entity.evidence if entity else (), self.statuses.entities.get(entity_id))

    def tie_support(self, ties: Iterable[Tie]) -> Support:
        """The evidence of an actor's part in a collaboration (all its roles), and its status.

        Each role's status is the data's own (:meth:`Statuses.of_tie`: a membership's; a host,
        party or organizer's that of the fact on the collaboration, else the collaboration's),
        else derived from its evidence. Several roles: the strongest of their statuses, and
        when they differ the note says which role is known how (:func:`by_role`).
        """
        supports = []
        roles = []
        for tie in ties:
            explicit = self.statuses.of_tie(tie.actor, tie.collaboration, tie.role)
            supports.append(_support(tie.evidence, explicit))
            roles.append((tie.role, DataStatus(supports[-1].status, as_of=supports[-1].as_of)))
        statuses = [s.status for s in supports if s.status]
        notes = sorted({s.note for s in supports if s.note})
        return Support(
            status=min(statuses, key=STATUSES.index) if statuses else None,
            evidence=tuple(sorted({e for s in supports for e in s.evidence})),
            as_of=min((s.as_of for s in supports if s.as_of), default=""),
            note="; ".join(n for n in (by_role(roles), *notes) if n),
        )


def _evidence(items: Iterable[TieEvidence]) -> tuple[Evidence, ...]:
    return tuple(sorted({Evidence(e.quote, e.section, e.source) for e in items}))


def _support(items: Iterable[TieEvidence], explicit: DataStatus | None) -> Support:
    evidence = _evidence(items)
    explicit = explicit or DataStatus()
    return Support(
        status=evidence_status(evidence, explicit.status),
        evidence=evidence,
        as_of=explicit.as_of,
        note=explicit.note,
    )


def _read_facts(source: SparqlSource, actor: str | None = None) -> dict[str, Facts]:
    bindings = {"id": Literal(actor)} if actor is not None else None
    found: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in source.select(_query("actor-facts"), bindings).rows:
        value = row.get("value")
        if value is None:
            continue
        lang = str(row["lang"]) if row.get("lang") is not None else ""
        found[str(row["id"])][str(row["field"])].append((str(value), lang))
    return {a: {f: tuple(sorted(set(v))) for f, v in fs.items()} for a, fs in found.items()}


def _read_datasets(source: SparqlSource) -> tuple[str, ...]:
    names = []
    for row in source.select(_query("datasets")).rows:
        title = str(row["title"]) if row.get("title") is not None else str(row["dataset"])
        publisher = row.get("publisher")
        names.append(f"{title} ({publisher})" if publisher is not None else title)
    return tuple(dict.fromkeys(names))


def _read_principle_texts(source: SparqlSource) -> dict[str, str]:
    rows = source.select(get_query("principles").text).rows
    return {str(r["id"]): str(r["text"]) for r in rows if r.get("text") is not None}


def load_context(
    source: SparqlSource,
    today: dt.date | None = None,
    *,
    public: bool = True,
    all_facts: bool = False,
) -> BriefContext:
    """Read what briefs and timelines need from ``source`` (statuses relative to ``today``).

    ``public`` says whether ``source`` is the public profile (the page says which).
    ``all_facts`` reads every actor's facts at once (for :func:`load_briefs`); otherwise
    :func:`load_brief` reads the one partner's.
    """
    net = load_network(source, today)
    statuses = read_statuses(source)
    return BriefContext(
        net=net,
        source=source.name,
        public=public,
        datasets=_read_datasets(source),
        principle_texts=_read_principle_texts(source),
        statuses=statuses,
        facts=_read_facts(source) if all_facts else {},
        read_facts=None if all_facts else lambda actor: _read_facts(source, actor),
        read_strategy=lambda home: home_strategy(source, home),
    )


# --- the brief -----------------------------------------------------------------------------


def _ref(net: Network, entity_id: str) -> Ref:
    entity = net.entities.get(entity_id)
    return Ref(entity_id, net.label(entity_id), entity.kind if entity else "")


def _number(text: str, kind: Callable[[str], float]) -> float | None:
    try:
        return kind(text)
    except ValueError:
        return None


def _partner(context: BriefContext, partner_id: str, home_work: set[str]) -> Partner:
    net = context.net
    entity = net.entities[partner_id]
    facts = context.facts_of(partner_id)

    def one(name: str) -> str:
        values = facts.get(name, ())
        english = [v for v, lang in values if lang in ("en", "")]
        return (english or [v for v, _ in values] or [""])[0]

    names = {entity.label}
    alt = []
    for value, lang in facts.get("alt", ()):
        if value not in names:
            names.add(value)
            alt.append(f"{value} ({lang})" if lang else value)
    for value in entity.alt_labels:  # from an endpoint without language tags in the facts
        if value not in names:
            names.add(value)
            alt.append(value)
    population = _number(one("population"), float)
    wikidata = one("wikidata")
    B = net.graph
    ties = tuple(
        sorted(
            (
                PartnerTie(
                    _ref(net, c),
                    tuple(B.edges[partner_id, c]["roles"]),
                    B.edges[partner_id, c]["status"],
                    c in home_work,
                )
                for c in B[partner_id]
            ),
            key=lambda t: (not t.shared, t.item.kind, t.item.label.casefold(), t.item.id),
        )
    )
    return Partner(
        ref=_ref(net, partner_id),
        alt_labels=tuple(sorted(alt, key=str.casefold)),
        description=one("description"),
        country=", ".join(sorted({v for v, lang in facts.get("country", ()) if lang in ("en", "")}))
        or one("country"),
        population=int(population) if population is not None else None,
        lat=_number(one("lat"), float),
        long=_number(one("long"), float),
        wikidata=wikidata.rsplit("/", 1)[-1] if "wikidata.org/entity/" in wikidata else "",
        homepage=one("homepage"),
        ties=ties,
        support=context.entity_support(partner_id),
    )


def _last_day(text: str | None) -> dt.date | None:
    return period_bounds(None, text)[1]


def _shared(
    context: BriefContext, assessment: Assessment, partner_id: str, home_id: str
) -> tuple[Shared, ...]:
    net = context.net
    B = net.graph
    ties: dict[tuple[str, str], list[Tie]] = defaultdict(list)
    for tie in net.ties:
        if tie.actor in (partner_id, home_id):
            ties[(tie.actor, tie.collaboration)].append(tie)
    out = []
    for item in assessment.shared:
        c = item.id
        entity = net.entities[c]
        sides = [B.edges[partner_id, c], B.edges[home_id, c]]
        own = entity.kind not in NOT_THE_MEMBERS
        # an event without an end is over the day (month, year) it starts
        end = entity.end or (entity.start if entity.kind == "event" else None)
        start, end = (entity.start, end) if own else (None, None)
        side_periods = [_own_period(ties[(a, c)]) for a in (partner_id, home_id)]
        # what both share ends when the first of the collaboration and the two parts ends
        ends = [e for e in (end if own else entity.end, *(p[1] for p in side_periods)) if e]
        last = min(ends, key=lambda e: _last_day(e) or dt.date.max, default=None)
        out.append(
            Shared(
                item=_ref(net, c),
                start=start,
                end=last,
                period=period_text(start, end),
                status=item.status,
                partner_roles=item.roles,
                home_roles=item.home_roles,
                partner=context.tie_support(ties[(partner_id, c)]),
                home=context.tie_support(ties[(home_id, c)]),
                support=context.entity_support(c),
                partner_relation=sides[0]["relation"],
                home_relation=sides[1]["relation"],
                partner_period=period_text(*side_periods[0]),
                home_period=period_text(*side_periods[1]),
                part_of=tuple(_ref(net, p) for p in entity.part_of if p in net.entities),
                binding=entity.binding,
                council_approval_required=entity.council_approval_required,
                council_approved=entity.council_approved,
            )
        )
    order = {k: i for i, k in enumerate(("cooperation", "network", "project", "programme"))}
    out.sort(key=lambda s: (order.get(s.item.kind, 9), s.item.label.casefold(), s.item.id))
    return tuple(out)


def _own_period(ties: Sequence[Tie]) -> tuple[str | None, str | None]:
    """An actor's own dates in a collaboration (its memberships'), not the collaboration's:
    the earliest start and the latest end, each only if every membership gives one."""
    memberships = [t for t in ties if t.role not in OWN_ROLES]
    starts = [t.start for t in memberships if t.start]
    ends = [t.end for t in memberships if t.end]
    start = None
    if memberships and len(starts) == len(memberships):
        start = min(starts, key=lambda s: period_bounds(s, None)[0] or dt.date.max)
    end = None
    if memberships and len(ends) == len(memberships):
        end = max(ends, key=lambda e: _last_day(e) or dt.date.min)
    return start, end


def _themes(
    net: Network, partner_id: str | None, home_id: str, partner_work: set[str]
) -> tuple[CommonTheme, ...]:
    B = net.graph
    home_work = sorted(B[home_id]) if home_id in B else []
    if partner_id is None:
        return ()

    def topics(work: Iterable[str]) -> set[str]:
        return {t for c in work for t in net.entities[c].themes if t in net.entities}

    common = topics(partner_work) & topics(home_work)
    themes = []
    for t in sorted(common, key=lambda t: (net.label(t).casefold(), t)):
        initiatives = [
            Initiative(_ref(net, c), c in partner_work) for c in home_work if net.has_theme(c, t)
        ]
        initiatives.sort(key=lambda i: (not i.shared, i.item.label.casefold(), i.item.id))
        themes.append(CommonTheme(_ref(net, t), tuple(initiatives)))
    return tuple(themes)


def _names(items: Sequence[Shared]) -> str:
    labels = [s.item.label for s in items]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _principles(
    context: BriefContext,
    name: str,
    home: str,
    shared: Sequence[Shared],
    assessment: Assessment,
    known: bool,
) -> tuple[Principle, ...]:
    net = context.net
    networks = [s for s in shared if s.item.kind == "network"]
    agreements = [s for s in shared if s.item.kind == "cooperation"]
    applies = {}
    if networks:
        plural = "s" if len(networks) != 1 else ""
        applies["networks-first"] = (
            f"{name} and {home} share the network{plural} {_names(networks)}."
        )
    elif known:
        applies["networks-first"] = f"{name} is in none of {home}'s networks."
    else:
        applies["networks-first"] = (
            f"{name} is not in the graph: it shares none of {home}'s networks."
        )
    applies["request-assessment"] = (
        f"The request scores {assessment.score} ({assessment.level}) against {home}'s "
        "networks and priorities; the reasons are below."
    )
    if agreements:
        parts = [
            f"{s.item.label} runs until {s.end}" if s.end else f"{s.item.label} has no end date"
            for s in agreements
        ]
        applies["time-limited-agreements"] = "; ".join(parts) + "."
    else:
        applies["time-limited-agreements"] = (
            f"{home} has no agreement with {name} yet: a new one is for a limited period."
        )
    applies["council-approval"] = assessment.council
    out = []
    # The home's own principles, each shown for the first rule it is about.
    for principle in context.strategy_of(assessment.home).principles:
        topic = next((t for t in PRINCIPLE_RULES if t in principle.topics), None)
        if topic is None:
            continue
        entity = net.entities.get(principle.id)
        out.append(
            Principle(
                number=principle.number,
                label=principle.label,
                text=context.principle_texts.get(principle.id, ""),
                evidence=_evidence(entity.evidence) if entity else (),
                applies=applies[topic],
            )
        )
    out.sort(key=lambda p: p.number)
    return tuple(out)


def _ending(
    shared: Sequence[Shared], today: dt.date, months: int
) -> tuple[tuple[Ending, ...], tuple[Ref, ...]]:
    horizon = add_months(today, months)
    ending, open_ended = [], []
    for s in shared:
        if s.item.kind not in AGREEMENT_KINDS:
            continue
        last = _last_day(s.end)
        if last is None:
            if s.item.kind == "cooperation" and s.status != "past":
                open_ended.append(s.item)
        elif today <= last <= horizon:
            ending.append(Ending(s.item, s.end or "", last, (last - today).days))
    ending.sort(key=lambda e: (e.last_day, e.item.id))
    return tuple(ending), tuple(open_ended)


def build_brief(
    context: BriefContext,
    city: str,
    *,
    home: str,
    themes: Sequence[str] = (),
    purpose: str | None = None,
    months: int = DEFAULT_MONTHS,
) -> Brief:
    """The brief on ``city`` (a name, alt name or ID) for ``home``.

    Parameters
    ----------
    context : BriefContext
        From :func:`load_context`.
    city : str
        The partner. Not in the graph: a brief that says it shares nothing. Ambiguous (two
        actors by that name): :class:`CitykgError` listing their IDs, as ``assess`` does.
    home : str
        The home city (name or ID).
    themes, purpose
        What the request is about, passed to :func:`~citykg.analysis.assess.assess_request`.
    months : int
        Agreements ending within this many months of the context's date are listed.
    """
    if months < 0:
        raise CitykgError(f"the horizon must be 0 months or more, not {months}", "")
    net = context.net
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    assessment = assess_request(
        net, city, themes, purpose, home=home_id, strategy=context.strategy_of(home_id)
    )
    home_id = assessment.home
    partner_id = assessment.city
    B = net.graph
    home_work = set(B[home_id]) if home_id in B else set()
    partner = None
    partner_work: set[str] = set()
    shared: tuple[Shared, ...] = ()
    if partner_id is not None:
        partner = _partner(context, partner_id, home_work)
        partner_work = set(B[partner_id]) if partner_id in B else set()
        shared = _shared(context, assessment, partner_id, home_id)
    name = partner.ref.label if partner else city
    ending, open_ended = _ending(shared, net.today, months)
    return Brief(
        request=city,
        home=_ref(net, home_id),
        partner=partner,
        near=tuple(_ref(net, n) for n in assessment.near),
        shared=shared,
        themes=_themes(net, partner_id, home_id, partner_work),
        principles=_principles(
            context, name, net.label(home_id), shared, assessment, partner is not None
        ),
        horizon_months=months,
        ending=ending,
        open_ended=open_ended,
        score=assessment.score,
        level=assessment.level,
        reasons=tuple(Reason(r.points, r.text) for r in assessment.reasons),
        council=assessment.council,
        provenance=context.provenance(),
    )


def load_brief(
    source: SparqlSource,
    city: str,
    *,
    home: str | None = None,
    themes: Sequence[str] = (),
    purpose: str | None = None,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
    public: bool = True,
) -> Brief:
    """Read the graph from ``source`` and make the brief on ``city`` (see :func:`build_brief`);
    ``home`` defaults to the store's one home."""
    home = home or choose_home(source).id
    context = load_context(source, today, public=public)
    return build_brief(context, city, home=home, themes=themes, purpose=purpose, months=months)


def partner_cities(net: Network, home: str) -> list[str]:
    """The IDs of the cities that share at least one collaboration with ``home``, by label."""
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    B = net.graph
    if home_id not in B:
        return []
    found = {a for c in B[home_id] for a in B[c] if a != home_id}
    cities = [a for a in found if net.entities[a].kind == "city"]
    return sorted(cities, key=lambda a: (net.label(a).casefold(), a))


def load_briefs(
    source: SparqlSource,
    *,
    home: str | None = None,
    themes: Sequence[str] = (),
    purpose: str | None = None,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
    public: bool = True,
) -> tuple[Ref, list[Brief]]:
    """The home city and one brief per partner city of it (:func:`partner_cities`), made from
    one read of the graph; ``home`` defaults to the store's one home."""
    home = home or choose_home(source).id
    context = load_context(source, today, public=public, all_facts=True)
    net = context.net
    home_ref = _ref(net, net.resolve(home, ACTOR_KINDS, "actor"))
    briefs = [
        build_brief(context, city, home=home, themes=themes, purpose=purpose, months=months)
        for city in partner_cities(net, home)
    ]
    return home_ref, briefs
