"""The home city's memberships, agreements, projects and events over time, gathered.

:func:`load_timeline` reads the graph and fills a :class:`citykg.pagedata.Timeline`: one item
per collaboration the home city takes part in (one per period, if its roles have different
periods), with the first and last day its dates allow and its evidence.

Dates are never guessed. A tie's period is its own (a membership's ``org:memberDuring``);
without one, a project's, agreement's or event's own dates stand for it (the city takes part
for as long as they run; an event without an end is one day, or one month or year if that is
all its date says), but a network's or programme's do not (that the network started in 2005
says nothing of when the city joined). What has no date at all is listed apart.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> from citykg.analysis.brief import BriefContext
>>> net = Network.from_parts(
...     [Entity("cph", "city", "Copenhagen"), Entity("c40", "network", "C40", start="2005-10"),
...      Entity("force", "project", "FORCE", start="2016-09", end="2020-08")],
...     [Tie("cph", "c40", "member"), Tie("cph", "force", "lead")],
...     dt.date(2026, 1, 1),
... )
>>> t = build_timeline(BriefContext(net, source="test"), home="cph")
>>> [(i.item.id, i.first, i.last) for i in t.items]
[('force', datetime.date(2016, 9, 1), datetime.date(2020, 8, 31)), ('c40', None, None)]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from citykg.analysis.brief import (
    AGREEMENT_KINDS,
    DEFAULT_MONTHS,
    NOT_THE_MEMBERS,
    OWN_ROLES,
    BriefContext,
    load_context,
)
from citykg.analysis.networks import ACTOR_KINDS, Entity, Tie, period_bounds, period_text
from citykg.errors import CitykgError
from citykg.pagedata import Ref, Timeline, TimelineItem, add_months
from citykg.queries.homes import choose_home
from citykg.queries.sparql import SparqlSource

__all__ = ["build_timeline", "load_timeline", "tie_period"]


def tie_period(tie: Tie, entity: Entity) -> tuple[str | None, str | None, str]:
    """The period of ``tie`` in ``entity`` as the data gives it, and whose dates those are.

    Examples
    --------
    >>> tie_period(Tie("cph", "c40", "member"), Entity("c40", "network", start="2005"))
    (None, None, '')
    >>> tie_period(Tie("cph", "f", "lead"), Entity("f", "project", start="2016", end="2020"))
    ('2016', '2020', "the project's dates")
    """
    if tie.role not in OWN_ROLES and (tie.start or tie.end):
        return tie.start, tie.end, "the membership's own dates"
    if tie.role not in OWN_ROLES and entity.kind in NOT_THE_MEMBERS:
        return None, None, ""
    start = entity.start
    end = entity.end or (entity.start if entity.kind == "event" else None)
    if not start and not end:
        return None, None, ""
    return start, end, f"the {entity.kind}'s dates"


def _status(first: dt.date | None, last: dt.date | None, today: dt.date) -> str:
    if last is not None and last < today:
        return "past"
    if first is not None and first > today:
        return "future"
    return "current"


def build_timeline(context: BriefContext, *, home: str, months: int = DEFAULT_MONTHS) -> Timeline:
    """The timeline of ``home`` (a name or ID) from a :class:`BriefContext`.

    ``months``: items other than events whose last day falls within this many months of the
    context's date are marked ``ending_soon``.
    """
    if months < 0:
        raise CitykgError(f"the horizon must be 0 months or more, not {months}", "")
    net = context.net
    today = net.today
    horizon = add_months(today, months)
    home_id = net.resolve(home, ACTOR_KINDS, "actor")
    groups: dict[tuple[str, str | None, str | None, str], list[Tie]] = defaultdict(list)
    for tie in net.ties:
        if tie.actor != home_id:
            continue
        start, end, whose = tie_period(tie, net.entities[tie.collaboration])
        groups[(tie.collaboration, start, end, whose)].append(tie)
    items = []
    for (c, start, end, whose), ties in groups.items():
        entity = net.entities[c]
        first, last = period_bounds(start, end)
        # one day: a point; a year- or month-only date spans its year or month instead
        point = entity.kind == "event" and first is not None and first == last
        text = period_text(start, end)
        items.append(
            TimelineItem(
                item=Ref(c, entity.name, entity.kind),
                roles=tuple(sorted({t.role for t in ties})),
                start=start,
                end=end,
                first=first,
                last=last,
                period=f"{text} ({whose})" if text else "",
                status=_status(first, last, today),
                point=point,
                ending_soon=entity.kind in AGREEMENT_KINDS
                and last is not None
                and today <= last <= horizon,
                themes=tuple(sorted(net.label(t) for t in entity.themes)),
                tie=context.tie_support(ties),
                support=context.entity_support(c),
            )
        )

    def order(i: TimelineItem) -> tuple[object, ...]:
        when = i.first or i.last
        return (when is None, when or dt.date.min, i.item.label.casefold(), i.item.id, i.roles)

    items.sort(key=order)
    return Timeline(
        home=Ref(home_id, net.label(home_id), net.entities[home_id].kind),
        horizon_months=months,
        items=tuple(items),
        provenance=context.provenance(),
    )


def load_timeline(
    source: SparqlSource,
    *,
    home: str | None = None,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
    public: bool = True,
) -> Timeline:
    """Read the graph from ``source`` and make the timeline (see :func:`build_timeline`);
    ``home`` defaults to the store's one home."""
    home = home or choose_home(source).id
    context = load_context(source, today, public=public)
    return build_timeline(context, home=home, months=months)
