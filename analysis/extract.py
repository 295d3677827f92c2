"""Targeted extraction: each analysis reads from the store only the parts of the graph it uses.

The graph is read in parts, one small SPARQL query each (``sparql/*.rq``), through any
:class:`~citykg.queries.sparql.SparqlSource` (the local store or an endpoint, which pages its
own results). Every read includes the entities (ID, kind, label, alternative labels); the
rest is asked for by name:

- ``ties``: who takes part in which collaboration (memberships, hosts, parties, organizers);
- ``roles``: the role and period of each tie and the dates of the entities (what
  ``current`` and ``past`` need);
- ``themes``: the themes of each entity and the broader theme of each theme;
- ``facts``: purposes, owning administrations, parent collaborations, principle numbers,
  whether an agreement binds and needs City Council approval, Council approvals;
- ``evidence``: quoted passages and source URLs of entities and memberships.

Overlaps of all pairs read the entities and ``ties`` only: at a million triples that is two
queries of about half a second each on Oxigraph, where the one wide query of everything took
over ten seconds (``bench/run.py``). Queries select literals (IDs, labels, dates), which
Oxigraph stores inline, and join their patterns in subqueries, which Oxigraph joins by
hashing; from the local store the rows come straight from pyoxigraph as strings
(:meth:`citykg.queries.sparql.LocalSource.select_lexical`).

A tie is a membership (its ``org:role``, ``member`` when it states none), a host
(``ckg:hostedBy``), a party to an agreement (``ckg:party``) or an organizer
(``schema:organizer``). Its period is the membership's own (``org:memberDuring``), else the
collaboration's dates; an event without an end ends when it starts. Without ``roles`` every
tie's role is empty and its period unknown. Fields with several values keep the smallest
(kind, label, dates) or all of them, sorted (alternative labels, themes, ...).

Examples
--------
>>> from citykg.graph.build import assemble
>>> from citykg.queries.sparql import LocalSource
>>> source = LocalSource(assemble(validate=False).dataset)
>>> entities, ties = extract(source, ["ties"])
>>> any(t.actor == "lisbon" and t.collaboration == "force" for t in ties)
True
>>> {t.role for t in ties}, "host" in {t.role for t in extract(source, ["roles"])[1]}
({''}, True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from citykg.queries.library import get_query
from citykg.queries.sparql import SparqlSource

__all__ = [
    "ACTOR_KINDS",
    "COLLABORATION_KINDS",
    "PARTS",
    "Entity",
    "Evidence",
    "Tie",
    "check_parts",
    "entity_datasets",
    "extract",
    "part_query",
]

ACTOR_KINDS = ("city", "region", "organisation", "administration")
#: The built-in vocabulary's dataset ID: every build includes it (loaders/data/vocabulary).
VOCABULARY = "vocabulary"
COLLABORATION_KINDS = ("network", "project", "programme", "cooperation", "event")
#: What :func:`extract` can read besides the entities, in the order it reads them.
PARTS = ("ties", "roles", "themes", "facts", "evidence")


@dataclass(frozen=True, order=True)
class Evidence:
    """A quoted passage (with its section and document) or a source URL."""

    quote: str = ""
    section: str = ""
    source: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"quote": self.quote, "section": self.section, "source": self.source}


@dataclass(frozen=True)
class Entity:
    """A node of the graph with the attributes the analyses read.

    Fields of a part that was not read keep their empty defaults.
    """

    id: str
    kind: str
    label: str = ""
    alt_labels: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    binding: bool | None = None
    council_approval_required: bool | None = None
    council_approved: str | None = None
    number: int | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def name(self) -> str:
        return self.label or self.id


@dataclass(frozen=True)
class Tie:
    """One actor taking part in one collaboration in one role (empty: roles not read)."""

    actor: str
    collaboration: str
    role: str
    start: str | None = None
    end: str | None = None
    evidence: tuple[Evidence, ...] = ()


@cache
def part_query(name: str) -> str:
    """The text of one extraction query, ``sparql/NAME.rq``.

    Examples
    --------
    >>> "SELECT ?member ?org" in part_query("ties")
    True
    """
    return (resources.files("citykg.analysis") / "sparql" / f"{name}.rq").read_text(
        encoding="utf-8"
    )


def check_parts(parts: Iterable[str]) -> frozenset[str]:
    """``parts`` as a set, with the parts they need (``evidence`` needs ``roles``, which needs
    ``ties``); ValueError for an unknown one.

    Examples
    --------
    >>> sorted(check_parts(["evidence"]))
    ['evidence', 'roles', 'ties']
    """
    wanted = set(parts)
    unknown = wanted - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts {sorted(unknown)}; use some of {', '.join(PARTS)}")
    if "evidence" in wanted:
        wanted.add("roles")
    if "roles" in wanted:
        wanted.add("ties")
    return frozenset(wanted)


Row = tuple[str | None, ...]


def _rows(source: SparqlSource, name: str) -> list[Row]:
    """The rows of one extraction query as strings: straight from pyoxigraph when local."""
    query = part_query(name)
    # the local store (also behind the CLI's deferred source) gives strings directly
    lexical = getattr(source, "select_lexical", None)
    if lexical is not None:
        rows: list[Row] = lexical(query)
        return rows
    result = source.select(query)
    return [
        tuple(None if row.get(v) is None else str(row[v]) for v in result.variables)
        for row in result.rows
    ]


# One record per entity ID: field -> values (with the section and document of a quote).
Values = list[tuple[str, str, str]]
Record = dict[str, Values]


def _add_fields(records: dict[str, Record], rows: Iterable[Row]) -> None:
    """Long-format rows (ID, field, value[, detail, extra]) into the records of known IDs."""
    for row in rows:
        entity, field, value = row[0], row[1], row[2]
        record = records.get(entity or "")
        if record is None or field is None or value is None:
            continue
        detail = (row[3] or "") if len(row) > 3 else ""
        extra = (row[4] or "") if len(row) > 4 else ""
        record.setdefault(field, []).append((value, detail, extra))


# values/first/evidence run millions of times for a world of 250k memberships, most often for
# an absent field or a single value: those skip building and sorting a set.
def _values(record: Record, name: str) -> tuple[str, ...]:
    found = record.get(name)
    if not found:
        return ()
    if len(found) == 1:
        return (found[0][0],)
    return tuple(sorted({v for v, _, _ in found}))


def _first(record: Record, name: str) -> str | None:
    found = record.get(name)
    return min(v for v, _, _ in found) if found else None


def _evidence(record: Record) -> tuple[Evidence, ...]:
    if "quote" not in record and "source" not in record:
        return ()
    items = {Evidence(q, s, d) for q, s, d in record.get("quote", [])}
    items |= {Evidence(source=url) for url, _, _ in record.get("source", [])}
    return tuple(sorted(items))


_SEVERAL = (
    ("alt", "alt_labels"),
    ("theme", "themes"),
    ("purpose", "purposes"),
    ("broader", "broader"),
    ("part-of", "part_of"),
    ("owner", "owners"),
)
_FIRST = (("start", "start"), ("end", "end"), ("council-approved", "council_approved"))


def _entity(entity_id: str, record: Record) -> Entity:
    # only the fields the record holds: most entities have a kind and a label and no more
    fields: dict[str, object] = {}
    for name, key in _SEVERAL:
        if name in record:
            fields[key] = _values(record, name)
    for name, key in _FIRST:
        if name in record:
            fields[key] = _first(record, name)
    if "number" in record:
        fields["number"] = int(_first(record, "number") or 0)
    for name, key in (
        ("binding", "binding"),
        ("council-approval-required", "council_approval_required"),
    ):
        if name in record:
            fields[key] = _first(record, name) in ("true", "1")
    if "quote" in record or "source" in record:
        fields["evidence"] = _evidence(record)
    kind = record["kind"]
    kind_name = kind[0][0] if len(kind) == 1 else _values(record, "kind")[0]
    return Entity(entity_id, kind_name, _first(record, "label") or "", **fields)  # type: ignore[arg-type]


def _entity_records(source: SparqlSource, parts: frozenset[str]) -> dict[str, Record]:
    records: dict[str, Record] = defaultdict(dict)
    for entity, kind, label in _rows(source, "entities"):
        if entity is None or kind is None:
            continue
        record = records[entity]
        record.setdefault("kind", []).append((kind, "", ""))
        if label is not None:
            record.setdefault("label", []).append((label, "", ""))
    records = dict(records)
    _add_fields(records, ((e, "alt", v) for e, v in _rows(source, "names")))
    for part, query in (("roles", "dates"), ("themes", "themes"), ("facts", "facts")):
        if part in parts:
            _add_fields(records, _rows(source, query))
    if "evidence" in parts:
        _add_fields(records, _rows(source, "evidence"))
    return records


def _plain_ties(source: SparqlSource) -> Iterator[Tie]:
    for actor, collaboration in set(_rows(source, "ties")):  # a pair once, however often tied
        if actor and collaboration:
            yield Tie(actor, collaboration, "")


def _membership_evidence(source: SparqlSource) -> dict[str, Record]:
    records: dict[str, Record] = defaultdict(dict)
    for key, field, value, detail, extra in _rows(source, "tie-evidence"):
        if key is not None and field is not None and value is not None:
            records[key].setdefault(field, []).append((value, detail or "", extra or ""))
    return records


def _ties_with_roles(
    source: SparqlSource, entities: dict[str, Entity], evidence: bool
) -> Iterator[Tie]:
    proofs = _membership_evidence(source) if evidence else {}
    # A membership's rows are grouped by its ID: with several values of a field (data built
    # without validation), the smallest counts, one tie per membership.
    memberships: dict[str, Record] = defaultdict(dict)
    for key, actor, collaboration, role, start, end in _rows(source, "roles"):
        if not actor or not collaboration:
            continue
        if key is None:  # a host, party or organizer: the collaboration's period
            collab = entities.get(collaboration)
            if collab is None or role is None:
                continue
            finish = collab.end or (collab.start if collab.kind == "event" else None)
            yield Tie(actor, collaboration, role, collab.start, finish, collab.evidence)
            continue
        record = memberships[key]
        for name, value in (
            ("member", actor),
            ("organization", collaboration),
            ("role", role),
            ("start", start),
            ("end", end),
        ):
            if value is not None:
                record.setdefault(name, []).append((value, "", ""))
    for key, record in memberships.items():
        actor, collaboration = _first(record, "member"), _first(record, "organization")
        assert actor is not None and collaboration is not None  # every row has both
        yield Tie(
            actor,
            collaboration,
            _first(record, "role") or "member",
            _first(record, "start"),
            _first(record, "end"),
            _evidence(proofs.get(key, {})),
        )


def extract(
    source: SparqlSource, parts: Sequence[str] | frozenset[str] = PARTS
) -> tuple[list[Entity], list[Tie]]:
    """Read the entities and the requested ``parts`` of the graph from ``source``.

    Parameters
    ----------
    source : SparqlSource
        The local store or an endpoint.
    parts : some of :data:`PARTS`
        What to read besides the entities (their IDs, kinds, labels and alternative labels);
        all of it by default. Without ``ties`` no tie is read.

    Returns
    -------
    (entities, ties)
        Entities of every kind the analyses use (actors, collaborations, themes, purposes,
        principles, plans), sorted by ID; ties sorted by actor, collaboration, role and
        period, without repeats. Ties whose actor is not an actor or whose collaboration is
        not a collaboration are dropped.
    """
    wanted = check_parts(parts)
    records = _entity_records(source, wanted)
    entities = {k: _entity(k, records[k]) for k in sorted(records)}
    found: Iterable[Tie] = ()
    if "roles" in wanted:
        found = _ties_with_roles(source, entities, "evidence" in wanted)
    elif "ties" in wanted:
        found = _plain_ties(source)
    kinds = {k: e.kind for k, e in entities.items()}
    kept = {
        t
        for t in found
        if kinds.get(t.actor) in ACTOR_KINDS and kinds.get(t.collaboration) in COLLABORATION_KINDS
    }
    ties = sorted(
        kept, key=lambda t: (t.actor, t.collaboration, t.role, t.start or "", t.end or "")
    )
    return list(entities.values()), ties


def entity_datasets(source: SparqlSource) -> dict[str, list[str]]:
    """Entity ID -> the datasets that state facts about it (``ckg:inDataset``), sorted.

    The shared vocabulary, in every build, tells no dataset from another and is left out. Read
    from the data, not from named graphs, so that a graph shared with ``citykg push`` (one
    graph) gives the same answer as the store it came from.
    """
    found: dict[str, set[str]] = {}
    for row in source.select(get_query("entity-datasets").text).rows:
        if str(row["in"]) != VOCABULARY:
            found.setdefault(str(row["id"]), set()).add(str(row["in"]))
    return {entity: sorted(names) for entity, names in sorted(found.items())}
