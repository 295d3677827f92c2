"""The records a briefing page and a timeline are made of: plain, frozen dataclasses.

The analysis layer (:mod:`citykg.analysis.brief`) fills them from a SPARQL source; the renderer
(:mod:`citykg.viz.brief`, :mod:`citykg.viz.timeline`) draws them. They live here, in the base
layer, because the renderer may not import the analysis layer: both sides import this module
and nothing else of each other.

Every fact a page shows carries a :class:`Support`: its evidence and its status, *stated* (a
quoted passage of a strategy), *listed* (a public list's URL, possibly with the date the list
describes) or *inferred* (the editor's inference, with a note); ``None`` when the data holds
no evidence for it. :func:`data_status` reads the data's own ``ckg:status`` (which citykg's
loaders write on every node with evidence); :func:`evidence_status` falls back to deriving it
from the evidence for RDF sources that give none.

Examples
--------
>>> evidence_status((Evidence(source="https://www.c40.org/"),))
'listed'
>>> evidence_status((Evidence(source="https://www.c40.org/"),), explicit="inferred")
'inferred'
>>> evidence_status(()) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from citykg.errors import CitykgError

__all__ = [
    "STATUSES",
    "Brief",
    "CommonTheme",
    "Ending",
    "Evidence",
    "Initiative",
    "Partner",
    "PartnerTie",
    "Principle",
    "Provenance",
    "Quantity",
    "Reason",
    "Ref",
    "Shared",
    "Support",
    "Timeline",
    "TimelineItem",
    "add_months",
    "data_status",
    "evidence_status",
]

#: The evidence statuses, strongest first (see :func:`evidence_status`).
STATUSES = ("stated", "listed", "inferred")


@dataclass(frozen=True, order=True)
class Evidence:
    """A quoted passage with its section and document, or a public source URL (``source``)."""

    quote: str = ""
    section: str = ""
    source: str = ""

    @property
    def url(self) -> str:
        """``source`` when it is a web address (a list's page), else ``""``."""
        return self.source if self.source.startswith(("https://", "http://")) else ""


#: The namespace of the status IRIs (``ckg:stated``, ``ckg:listed``, ``ckg:inferred``).
STATUS_NAMESPACE = "https://w3id.org/citykg/ontology#"


def data_status(values: Iterable[str], what: str, where: str | None = None) -> str | None:
    """The data's own status of a fact from its ``ckg:status`` values (IRIs or names).

    The one reader of ``ckg:status`` for every page (map, brief, timeline). Several sources
    may each give the node a status (a list and the strategy): the strongest counts, stated
    before listed before inferred. A value outside the three is an error naming ``what``.

    Examples
    --------
    >>> data_status([STATUS_NAMESPACE + "listed", STATUS_NAMESPACE + "stated"], "c40")
    'stated'
    >>> data_status([], "c40") is None
    True
    >>> data_status(["rumoured"], "c40")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    citykg.errors.CitykgError: 'c40' has the evidence status 'rumoured'. Use ckg:stated, ...
    """
    names = sorted({value.removeprefix(STATUS_NAMESPACE) for value in values})
    wrong = [name for name in names if name not in STATUSES]
    if wrong:
        raise CitykgError(
            f"'{what}' has the evidence status '{wrong[0]}'",
            "Use ckg:stated, ckg:listed or ckg:inferred.",
            file=where,
        )
    return min(names, key=STATUSES.index) if names else None


def evidence_status(evidence: Iterable[Evidence], explicit: str | None = None) -> str | None:
    """The status of a fact: the data's own (``explicit``, read by :func:`data_status`) if it
    has one, else derived.

    Derived, only for RDF sources that give no ``ckg:status``: *stated* when a quoted passage
    supports it, else *listed* when a source URL does, else ``None`` (no evidence: the page
    says so rather than guess *inferred*, which only the data's editor can declare).
    """
    if explicit:
        return explicit
    items = list(evidence)
    if any(e.quote for e in items):
        return "stated"
    if any(e.source for e in items):
        return "listed"
    return None


#: How a quantity's qualifier reads before its figure (``ckg:moreThan``: "more than 400").
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "moreThan": "more than",
    "atLeast": "at least",
    "lessThan": "less than",
    "upTo": "up to",
}


@dataclass(frozen=True, order=True)
class Quantity:
    """A figure the data gives about an entity (a ``schema:QuantitativeValue``)."""

    measure: str
    value: str = ""
    min: str = ""
    max: str = ""
    qualifier: str = "exact"
    unit: str = ""
    year: str = ""
    start: str = ""
    end: str = ""
    status: str = ""

    @property
    def figure(self) -> str:
        """The figure in words, with its qualifier and unit.

        Examples
        --------
        >>> Quantity("Member cities", value="100", qualifier="about", unit="cities").figure
        'about 100 cities'
        >>> Quantity("Participants", min="10000", max="15000", unit="participants").figure
        '10,000-15,000 participants'
        """
        number = (
            _grouped(self.value)
            if self.value
            else "-".join(_grouped(n) for n in (self.min, self.max) if n)
        )
        if self.value == "" and self.min and not self.max:
            number = "at least " + _grouped(self.min)
        elif self.value == "" and self.max and not self.min:
            number = "up to " + _grouped(self.max)
        words = [QUALIFIER_WORDS.get(self.qualifier, self.qualifier), number, self.unit]
        return " ".join(w for w in words if w)

    @property
    def when(self) -> str:
        """The time it refers to: ``2021``, ``by 2050``, ``from 2020``, ``2020-2050``."""
        if self.year:
            return self.year
        if self.start and self.end:
            return f"{self.start}-{self.end}"
        return f"by {self.end}" if self.end else f"from {self.start}" if self.start else ""

    @property
    def text(self) -> str:
        """One line: measure, figure, time and status.

        Examples
        --------
        >>> Quantity("Population growth", value="130000", qualifier="about",
        ...          unit="inhabitants", end="2050", status="stated").text
        'Population growth: about 130,000 inhabitants (by 2050; stated)'
        """
        notes = "; ".join(n for n in (self.when, self.status) if n)
        return f"{self.measure}: {self.figure}" + (f" ({notes})" if notes else "")


def _grouped(number: str) -> str:
    whole, _, fraction = number.partition(".")
    if not whole.lstrip("-").isdigit():
        return number
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day).

    Examples
    --------
    >>> add_months(dt.date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Support:
    """The evidence behind one fact and its status (``None``: the data gives none)."""

    status: str | None = None
    evidence: tuple[Evidence, ...] = ()
    as_of: str = ""
    note: str = ""


@dataclass(frozen=True, order=True)
class Ref:
    """An entity of the graph by ID, with its label and kind."""

    id: str
    label: str
    kind: str = ""


@dataclass(frozen=True)
class Reason:
    """Points of the ``assess`` score and why."""

    points: int
    text: str


@dataclass(frozen=True)
class Shared:
    """A collaboration the partner and the home city both take part in.

    ``status`` is current, past or future as of the brief's date (as ``assess`` says);
    ``start``/``end``/``period`` are the collaboration's own dates (none for a network or a
    programme, whose dates are not its members'), except that ``end`` is the first end of
    the collaboration and of either side's part in it. ``partner``/``home`` are the evidence of
    each side's part, ``support`` that of the collaboration itself; each side's ``relation``
    is its most telling role (how the focus map draws the link) and ``period`` its own
    membership dates where the data gives them. The agreement fields are ``None`` where the
    data does not record them.
    """

    item: Ref
    start: str | None
    end: str | None
    period: str
    status: str
    partner_roles: tuple[str, ...]
    home_roles: tuple[str, ...]
    partner: Support
    home: Support
    support: Support
    partner_relation: str = ""
    home_relation: str = ""
    partner_period: str = ""
    home_period: str = ""
    part_of: tuple[Ref, ...] = ()
    binding: bool | None = None
    council_approval_required: bool | None = None
    council_approved: str | None = None


@dataclass(frozen=True)
class PartnerTie:
    """One collaboration the partner takes part in, and whether the home city does too."""

    item: Ref
    roles: tuple[str, ...]
    status: str
    shared: bool


@dataclass(frozen=True)
class Partner:
    """Who the partner is: names, place, numbers where the graph has them, its collaborations."""

    ref: Ref
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    country: str = ""
    population: int | None = None
    lat: float | None = None
    long: float | None = None
    wikidata: str = ""
    homepage: str = ""
    ties: tuple[PartnerTie, ...] = ()
    support: Support = field(default_factory=Support)


@dataclass(frozen=True)
class Initiative:
    """One of the home city's initiatives on a theme; ``shared`` when the partner is in it."""

    item: Ref
    shared: bool


@dataclass(frozen=True)
class CommonTheme:
    """A theme both sides work on, with the home city's initiatives on it."""

    theme: Ref
    initiatives: tuple[Initiative, ...]


@dataclass(frozen=True)
class Principle:
    """A principle of the strategy that applies here: its text, evidence and why it applies."""

    number: int
    label: str
    text: str
    evidence: tuple[Evidence, ...]
    applies: str


@dataclass(frozen=True)
class Ending:
    """A shared agreement (or tie) whose end falls within the horizon."""

    item: Ref
    end: str
    last_day: dt.date
    days_left: int


@dataclass(frozen=True)
class Provenance:
    """When and from what a page was made."""

    made: dt.date
    as_of: dt.date
    source: str
    datasets: tuple[str, ...]
    public: bool
    version: str


@dataclass(frozen=True)
class Brief:
    """Everything one briefing page shows about one partner (see :mod:`citykg.analysis.brief`).

    ``partner`` is ``None`` for a name that is not in the graph: such a partner shares nothing,
    and ``near`` lists the closest names.
    """

    request: str
    home: Ref
    partner: Partner | None
    near: tuple[Ref, ...]
    shared: tuple[Shared, ...]
    themes: tuple[CommonTheme, ...]
    principles: tuple[Principle, ...]
    horizon_months: int
    ending: tuple[Ending, ...]
    open_ended: tuple[Ref, ...]
    score: int
    level: str
    reasons: tuple[Reason, ...]
    council: str
    provenance: Provenance

    @property
    def horizon(self) -> dt.date:
        """The last day of the horizon: ``horizon_months`` after the brief's date."""
        return add_months(self.provenance.as_of, self.horizon_months)

    @property
    def title(self) -> str:
        name = self.partner.ref.label if self.partner else self.request
        return f"Briefing: {name} and {self.home.label}"


@dataclass(frozen=True)
class TimelineItem:
    """One of the home city's ties on the time axis (or, undated, listed apart).

    ``first``/``last`` are the first and last day the data's dates allow (a year-only date
    spans its year); ``None`` where the data has no date: an unknown end is open (ongoing),
    an unknown start is unknown, never a guessed day. ``point`` marks an event on one day.
    """

    item: Ref
    roles: tuple[str, ...]
    start: str | None
    end: str | None
    first: dt.date | None
    last: dt.date | None
    period: str
    status: str
    point: bool
    ending_soon: bool
    themes: tuple[str, ...]
    tie: Support
    support: Support

    @property
    def dated(self) -> bool:
        return self.first is not None or self.last is not None


@dataclass(frozen=True)
class Timeline:
    """The home city's memberships, agreements, projects and events over time."""

    home: Ref
    horizon_months: int
    items: tuple[TimelineItem, ...]
    provenance: Provenance

    @property
    def horizon(self) -> dt.date:
        """The last day of the horizon: ``horizon_months`` after the timeline's date."""
        return add_months(self.provenance.as_of, self.horizon_months)

    @property
    def dated(self) -> tuple[TimelineItem, ...]:
        return tuple(i for i in self.items if i.dated)

    @property
    def undated(self) -> tuple[TimelineItem, ...]:
        return tuple(i for i in self.items if not i.dated)
