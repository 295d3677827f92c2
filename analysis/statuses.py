"""The data's own statuses: one reader of ``ckg:status`` for every page and analysis.

citykg's loaders write on every node with evidence how its fact is known (``ckg:status``:
stated, listed or inferred), the editor's reason for an inference (``ckg:inferenceNote``) and
the date a public list describes (``ckg:asOf``): on entities, memberships and single facts
(``rdf:Statement`` nodes of per-fact evidence). :func:`read_statuses` reads them all with
``sparql/evidence-status.rq``; :meth:`Statuses.of_tie` says which one a tie of the network
rests on. The status values are read by :func:`citykg.pagedata.data_status` (the strongest of
several); pages derive a status from the evidence only where the data gives none
(:func:`citykg.pagedata.evidence_status`, for RDF sources that do not write one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

from citykg.pagedata import STATUSES, Evidence, data_status, evidence_status
from citykg.queries.sparql import SparqlSource

__all__ = ["FACT_ROLES", "DataStatus", "Statuses", "by_role", "read_statuses"]

#: A role stated on the collaboration itself, and the property that states it there.
FACT_ROLES = {"host": "hostedBy", "party": "party", "organizer": "organizer"}


@dataclass(frozen=True)
class DataStatus:
    """A fact's status as the data gives it (``None``: none given), the editor's reason, and
    the date the list behind it describes."""

    status: str | None = None
    note: str = ""
    as_of: str = ""


def by_role(roles: Iterable[tuple[str, DataStatus]]) -> str:
    """How each role of one link is known, when they differ; ``""`` when they agree.

    A link shows one status (the strongest of its roles'); when its roles are known
    differently (a membership the strategy states beside roles only a list gives) this says
    which is which, so that no role passes for stated because another one is.

    Examples
    --------
    >>> by_role([("member", DataStatus("stated")), ("steering-committee",
    ...          DataStatus("listed", as_of="2025")), ("lead", DataStatus("listed", as_of="2025"))])
    'member: stated; lead, steering-committee: listed (list as of 2025)'
    >>> by_role([("member", DataStatus("listed")), ("lead", DataStatus("listed"))])
    ''
    """
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for role, found in roles:
        if found.status:
            groups[(found.status, found.as_of)].append(role)
    if len(groups) < 2:
        return ""
    return "; ".join(
        ", ".join(sorted(groups[key]))
        + f": {key[0]}"
        + (f" (list as of {key[1]})" if key[1] else "")
        for key in sorted(groups, key=lambda k: (STATUSES.index(k[0]), k[1]))
    )


@dataclass
class Statuses:
    """Every status the data gives, by entity ID, by membership (member, organisation, role)
    and by single fact (subject ID, property name, value)."""

    entities: dict[str, DataStatus] = field(default_factory=dict)
    ties: dict[tuple[str, str, str], DataStatus] = field(default_factory=dict)
    facts: dict[tuple[str, str, str], DataStatus] = field(default_factory=dict)

    def of_tie(self, actor: str, collaboration: str, role: str) -> DataStatus | None:
        """The status a tie rests on: its membership's; for a host, party or organizer, the
        fact stated on the collaboration (per-fact evidence), else the collaboration's own.

        Examples
        --------
        >>> s = Statuses(entities={"days": DataStatus("stated")},
        ...              facts={("days", "hostedBy", "tide"): DataStatus("inferred", "why")})
        >>> s.of_tie("tide", "days", "host").status, s.of_tie("sea", "days", "host").status
        ('inferred', 'stated')
        """
        found = self.ties.get((actor, collaboration, role))
        if found is None and role in FACT_ROLES:
            found = self.facts.get((collaboration, FACT_ROLES[role], actor))
            if found is None:
                found = self.entities.get(collaboration)
        return found

    def of_link(
        self,
        actor: str,
        collaboration: str,
        roles: Iterable[str],
        evidence: Iterable[Mapping[str, str]] = (),
    ) -> DataStatus:
        """The status of an actor's link to a collaboration (all its roles): the strongest of
        the roles' own (:meth:`of_tie`), a role without one counting what ``evidence`` (the
        link's ``{quote, section, source}`` items) derives; their reasons and as-of dates, and
        when the roles are known differently, which is which (:func:`by_role`).

        Examples
        --------
        >>> s = Statuses(ties={("a", "n", "member"): DataStatus("inferred", "seen", "2025")})
        >>> s.of_link("a", "n", ["member"])
        DataStatus(status='inferred', note='seen', as_of='2025')
        >>> s.of_link("a", "n", ["member", "lead"], [{"quote": "a leads n"}]).status
        'stated'
        """
        roles = list(roles)
        given = [self.of_tie(actor, collaboration, role) for role in roles]
        found = [g for g in given if g is not None and g.status]
        statuses = [g.status for g in found if g.status]
        items = [
            Evidence(e.get("quote", ""), e.get("section", ""), e.get("source", ""))
            for e in evidence
        ]
        derived = evidence_status(items) if len(found) < len(given) else None
        if derived:
            statuses.append(derived)
        each = [
            (role, g if g is not None and g.status else DataStatus(derived))
            for role, g in zip(roles, given, strict=True)
        ]
        notes = sorted({g.note for g in found if g.note})
        return DataStatus(
            status=min(statuses, key=STATUSES.index) if statuses else None,
            note="; ".join(n for n in (by_role(each), *notes) if n),
            as_of=", ".join(sorted({g.as_of for g in found if g.as_of})),
        )


def read_statuses(source: SparqlSource) -> Statuses:
    """Read every ``ckg:status``, ``ckg:inferenceNote`` and ``ckg:asOf`` of ``source``.

    Raises
    ------
    CitykgError
        A status that is not ckg:stated, ckg:listed or ckg:inferred.
    """
    query = (resources.files("citykg.analysis") / "sparql" / "evidence-status.rq").read_text(
        "utf-8"
    )
    values: dict[tuple[str, tuple[str, ...]], dict[str, set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )
    names: dict[tuple[str, tuple[str, ...]], str] = {}
    for row in source.select(query).rows:
        key: tuple[str, tuple[str, ...]]
        if row.get("subject") is not None:
            parts = tuple(str(row[k]) for k in ("subject", "property", "object"))
            key = ("fact", parts)
        elif all(row.get(k) is not None for k in ("member", "org", "role")):
            key = ("tie", tuple(str(row[k]) for k in ("member", "org", "role")))
        else:
            key = ("entity", (str(row["id"]),))
        # How an error names it: an entity's or membership's ID, a fact's three parts.
        names[key] = str(row["id"]) if row.get("id") is not None else "/".join(key[1])
        for name in ("status", "note", "asOf"):
            if row.get(name) is not None:
                values[key][name].add(str(row[name]))
    statuses = Statuses()
    for (what, parts), found in sorted(values.items()):
        status = DataStatus(
            status=data_status(found.get("status", ()), names[(what, parts)], source.name),
            note="; ".join(sorted(found.get("note", ()))),
            as_of=", ".join(sorted(found.get("asOf", ()))),
        )
        if what == "entity":
            statuses.entities[parts[0]] = status
        elif what == "tie":
            statuses.ties[(parts[0], parts[1], parts[2])] = status
        else:
            statuses.facts[(parts[0], parts[1], parts[2])] = status
    return statuses
