"""The YAML/CSV dataset loader: citykg's own human-editable source format.

The format is documented in docs/dataset-format.md, and how several datasets share one graph
in docs/cities.md. A dataset is a folder; every ``*.yaml`` file maps kinds to lists of entries,
every ``*.csv`` file holds the kind its name starts with (:mod:`citykg.loaders.reading`; the
kinds and fields are :mod:`citykg.loaders.kinds`).

Loading has two steps, so that datasets refer to each other whatever their order
(:class:`PreparedDataset`): :func:`prepare_dataset` reads the files and checks every entry on
its own, declaring the IDs the dataset defines or adds facts to; then :meth:`~PreparedDataset.load`
resolves references against every source's declarations and emits RDF following the citykg
ontology. Each step reports all its problems at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from citykg.errors import DataError, did_you_mean, shown
from citykg.loaders.base import (
    Declared,
    LoadContext,
    LoadedSource,
    Location,
    PendingRef,
    Quote,
    source_graph_iri,
)
from citykg.loaders.common import (
    ID_PATTERN,
    QID_PATTERN,
    TIME_PROPERTY,
    URL_PATTERN,
    add_membership_period,
    decimal_literal,
    ends_before,
    id_of,
    membership_id,
    parse_date,
    passage_iri,
    section_id,
)
from citykg.loaders.kinds import (
    BOOL,
    CLASSES,
    CONTACT_FIELDS,
    DATE,
    DEC,
    DEFINITION_REQUIRED,
    EMAIL,
    EMAIL_PATTERN,
    FACT_PREDICATES,
    INT,
    KIND_NAMES,
    KINDS,
    LANG_PATTERN,
    LAT,
    LONG,
    MAX_LENGTH,
    NAME_FIELDS,
    ORGANISATION_TYPES,
    PART_OF,
    PHONE,
    PHONE_PATTERN,
    PLAN_TYPES,
    PREDICATES,
    PRINCIPLE_TOPICS,
    QID,
    QUALIFIERS,
    REQUIRED,
    SCHEMES,
    SPEC,
    STATUSES,
    STR,
    TEXT,
    URL,
    Ref,
    kinds_text,
)
from citykg.loaders.names import slug as ascii_slug
from citykg.loaders.reading import Entry, Flag, Problems, dataset_files, read_file
from citykg.ontology.namespaces import BASE, CKG, ID, POS, SCHEMA, WD, sdg_iri

__all__ = [
    "KINDS",
    "DatasetLoader",
    "PreparedDataset",
    "builtin_dataset_path",
    "dataset_iri",
    "load_dataset",
    "prepare_dataset",
    "statement_iri",
    "vocabulary_path",
]


def builtin_dataset_path() -> Path:
    """The folder of the built-in Copenhagen dataset (package data)."""
    return _data_folder("copenhagen")


def vocabulary_path() -> Path:
    """The folder of the shared vocabulary (themes, purposes, roles, countries) that every
    build includes (package data)."""
    return _data_folder("vocabulary")


def _data_folder(name: str) -> Path:
    return Path(str(resources.files("citykg.loaders").joinpath("data", name)))


def dataset_iri(dataset_id: str) -> URIRef:
    """The IRI of the dataset called ``dataset_id`` (its ``dcat:Dataset`` node).

    Examples
    --------
    >>> str(dataset_iri("copenhagen"))
    'https://w3id.org/citykg/dataset/copenhagen'
    """
    return URIRef(BASE + "dataset/" + dataset_id)


#: The singular kinds a reference field may point to, by field spec.
def _singular(kinds: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(KIND_NAMES[k] for k in kinds)


# --- Reading and declaring ----------------------------------------------------------------------


@dataclass
class PreparedDataset:
    """A dataset read and checked entry by entry: the IDs it declares, ready to load."""

    path: Path
    slug: str
    entries: list[Entry]
    declared: dict[str, Declared]
    notes: list[str] = field(default_factory=list)

    def load(self, context: LoadContext) -> list[LoadedSource]:
        """Resolve references against ``context`` (every source's declarations) and emit."""
        builder = _Builder(self, context)
        builder.emit_all()
        builder.problems.raise_all()
        return [
            LoadedSource(
                name=source_graph_iri(self.slug),
                label=self.slug,
                path=str(self.path),
                loader=DatasetLoader.name,
                graph=builder.graph,
                ids=builder.ids,
                locations=builder.locations,
                report=list(self.notes),
                facts=builder.facts,
                pending=builder.pending,
                additions=builder.additions,
                quotes=builder.quotes,
            )
        ]


def _read_entries(path: Path, problems: Problems, notes: list[str]) -> list[Entry]:
    if path.is_dir():
        files, skipped = dataset_files(path)
        notes.extend(skipped)
        if not files:
            raise DataError(
                "the folder holds no .yaml or .csv files", "Give a dataset folder.", file=path
            )
    else:
        files = [path]
    entries: list[Entry] = []
    for file in files:
        with problems.collect():
            entries.extend(read_file(file))
    return entries


def prepare_dataset(path: Path) -> PreparedDataset:
    """Read a dataset folder (or one of its files) and check each entry on its own.

    Raises
    ------
    DataError
        Every problem found, sorted by file and line: files that cannot be read, unknown
        kinds and fields, missing fields, bad or duplicate IDs.
    """
    problems = Problems()
    notes: list[str] = []
    entries = _read_entries(path, problems, notes)
    if not entries and not problems:
        raise DataError(
            "the dataset has no entries",
            "Add at least one kind with entries, such as 'cities:'.",
            file=path,
        )
    declared: dict[str, Declared] = {}
    where: dict[str, Entry] = {}
    for entry in entries:
        with problems.collect():
            _check_entry(entry, problems)
            _declare(entry, declared, where, problems)
    problems.raise_all()
    dataset_ids = [str(e.fields["id"]) for e in entries if e.kind == "dataset"]
    slug = dataset_ids[0] if dataset_ids else (path.stem if path.is_file() else path.name)
    slug = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-") or "dataset"
    return PreparedDataset(path, slug, entries, declared, notes)


def _check_entry(entry: Entry, problems: Problems) -> None:
    spec = SPEC[entry.kind]
    # Unknown fields first: a misspelt 'lable' says so, not that 'label' is missing.
    for name in entry.fields:
        if name not in spec:
            problems.add(
                entry.error(
                    name,
                    f"unknown field '{name}' for a {KIND_NAMES.get(entry.kind, entry.kind)}",
                    did_you_mean(name, spec) or "Known fields: " + ", ".join(sorted(spec)) + ".",
                )
            )
    required = REQUIRED[entry.kind]
    if _defines(entry):
        required += DEFINITION_REQUIRED.get(entry.kind, ())
    for name in required:
        if name not in entry.fields or entry.fields[name] in (None, "", []):
            what = KIND_NAMES.get(entry.kind, entry.kind)
            problems.add(entry.error(None, f"the {what} has no '{name}'", f"Add '{name}: ...'."))


def _defines(entry: Entry) -> bool:
    """Whether the entry names its entity (and so defines it) or only adds facts to it."""
    return any(entry.fields.get(name) not in (None, "") for name in NAME_FIELDS)


def _check_id(entry: Entry, value: object, name: str) -> str:
    if isinstance(value, str) and ID_PATTERN.match(value):
        return value
    fix = "Use lower-case letters, digits and '-', starting with a letter or digit."
    ascii_form = ascii_slug(str(value), "") if isinstance(value, str) else ""
    if ascii_form and ascii_form != value:
        fix += f" Did you mean '{ascii_form}'?"
    raise entry.error(name, f"{shown(value)} is not a valid ID", fix)


def _declare(
    entry: Entry, declared: dict[str, Declared], where: dict[str, Entry], problems: Problems
) -> None:
    if entry.kind in ("dataset", "memberships") or "id" not in entry.fields:
        return
    identifier = _check_id(entry, entry.fields["id"], "id")
    _claim(entry, identifier, KIND_NAMES[entry.kind], _defines(entry), "id", declared, where)
    if entry.kind != "documents":
        return
    for section in entry.fields.get("sections") or []:
        if isinstance(section, dict) and "id" in section:
            with problems.collect():
                local = _check_id(entry, section["id"], "sections")
                full = section_id(identifier, local)
                _claim(entry, full, "section", True, "sections", declared, where)


def _claim(
    entry: Entry,
    identifier: str,
    kind: str,
    defines: bool,
    name: str,
    declared: dict[str, Declared],
    where: dict[str, Entry],
) -> None:
    if identifier in declared:
        first = where[identifier]
        raise entry.error(
            name,
            f"duplicate ID '{identifier}' (also at {first.file}:{first.line_of('id')})",
            "Give each entry its own ID.",
        )
    declared[identifier] = Declared(kind, Location(entry.file, entry.line_of(name)), defines)
    where[identifier] = entry


# --- Values ------------------------------------------------------------------------------------


class _ReadAsYesNo(ValueError):
    """A text field got a YAML yes/no value: the fix is to quote it."""


def _convert(kind: str, value: Any) -> Any:
    """``value`` checked and converted for a field of type ``kind``; ValueError says why not."""
    if isinstance(value, Flag) and kind != BOOL:
        raise _ReadAsYesNo(f"is {value.text}, which YAML reads as {str(value.value).lower()}")
    if kind in (STR, TEXT):
        if isinstance(value, (dict, list)):
            raise ValueError("must be text, not a list or mapping")
        text = str(value).strip()
        if len(text) > MAX_LENGTH[kind]:
            raise ValueError(f"must be at most {MAX_LENGTH[kind]} characters long, not {len(text)}")
        return text or None
    if kind == EMAIL:
        if not isinstance(value, str) or not EMAIL_PATTERN.match(value.strip()):
            raise ValueError("must be an e-mail address like name@example.org")
        return URIRef("mailto:" + value.strip())
    if kind == PHONE:
        text = str(value).strip()  # YAML reads 4533663366 as a number
        if isinstance(value, (bool, dict, list)) or not PHONE_PATTERN.match(text):
            raise ValueError("must be a phone number like +45 33 66 33 66")
        return URIRef("tel:" + re.sub(r"[^0-9+]", "", text))
    if kind == URL:
        if not isinstance(value, str) or not URL_PATTERN.match(value.strip()):
            raise ValueError("must be a URL starting with http:// or https://")
        return URIRef(value.strip())
    if kind == QID:
        if not isinstance(value, str) or not QID_PATTERN.match(value.strip()):
            raise ValueError("must be a Wikidata ID like Q1748")
        return value.strip()
    if kind == DATE:
        try:
            return parse_date(value)
        except ValueError as exc:
            raise ValueError(f"has a bad date: {exc}") from None
    if kind == BOOL:
        if isinstance(value, (bool, Flag)):
            return bool(value)
        text = str(value).strip().lower()
        if text in ("true", "yes", "false", "no"):
            return text in ("true", "yes")
        raise ValueError("must be true or false")
    return _number(kind, value)


def _number(kind: str, value: Any) -> int | Decimal:
    if isinstance(value, (bool, dict, list)):
        raise ValueError("must be a number")
    try:
        number = Decimal(str(value).replace("_", "").strip())
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not number.is_finite():
        raise ValueError("must be a finite number")
    if kind == INT:
        if number != number.to_integral_value():
            raise ValueError("must be a whole number")
        return int(number)
    if kind in (LAT, LONG):
        limit = 90 if kind == LAT else 180
        if not -limit <= number <= limit:
            raise ValueError(f"must be between -{limit} and {limit}")
    return number


# --- Emitting ------------------------------------------------------------------------------------

#: The fields of a quantity (``quantities:``).
QUANTITY_FIELDS = (
    "measure",
    "value",
    "min",
    "max",
    "qualifier",
    "year",
    "start",
    "end",
    "evidence",
    "status",
    "reason",
)


@dataclass(frozen=True)
class _Item:
    """One evidence item: a quoted passage or a source URL (with its as-of date), and the
    fields it supports (``for:``; empty: the entry as a whole)."""

    passage: URIRef | None
    source: URIRef | None
    as_of: Literal | None
    fields: tuple[str, ...]


def _fact_predicate(kind: str, name: str) -> URIRef | None:
    """The predicate a fact of field ``name`` is stated with, if it can be reified."""
    if name == "part_of":
        return PART_OF.get(kind)
    if name not in SPEC.get(kind, {}):
        return None
    predicate = FACT_PREDICATES.get(name)
    return predicate if isinstance(predicate, URIRef) else None


def statement_iri(subject: URIRef, predicate: URIRef, value: Node) -> URIRef:
    """The stable IRI of the ``rdf:Statement`` node of a triple: a digest of the triple, so
    that every source reifying it states one node.

    Examples
    --------
    >>> from citykg.ontology.namespaces import CKG, ID
    >>> str(statement_iri(ID["c40"], CKG.hostedBy, ID["copenhagen"]))[:47]
    'https://w3id.org/citykg/id/statement/3a3ec75a54'
    """
    digest = hashlib.sha1(f"{subject.n3()} {predicate.n3()} {value.n3()}".encode()).hexdigest()
    return ID["statement/" + digest[:16]]


def _number_literal(number: int | Decimal) -> Literal:
    if number == number.to_integral_value() if isinstance(number, Decimal) else True:
        return Literal(int(number), datatype=XSD.integer)
    assert isinstance(number, Decimal)
    return decimal_literal(number)


class _Builder:
    """Turns a prepared dataset's entries into triples, gathering every problem."""

    def __init__(self, prepared: PreparedDataset, context: LoadContext) -> None:
        self.prepared = prepared
        self.context = context
        self.graph = Graph()
        self.problems = Problems()
        self.locations: dict[URIRef, Location] = {}
        self.ids: dict[str, URIRef] = {}
        self.facts: dict[tuple[URIRef, URIRef], Location] = {}
        self.pending: list[PendingRef] = []
        self.additions: dict[URIRef, Location] = {}
        self.declared = prepared.declared
        self.dataset_node = dataset_iri(prepared.slug)
        # Sections by their ID within the document, for evidence that names only that.
        self.local_sections: dict[str, list[str]] = {}
        for identifier, declared in self.declared.items():
            if declared.kind == "section":
                self.local_sections.setdefault(identifier.split("/", 1)[1], []).append(identifier)
        self.home: URIRef | None = None
        # Statuses (and the reasons of inferences) by node, from every entry of the dataset.
        self.statuses: dict[URIRef, dict[str, set[str]]] = {}
        self.entry_items: dict[int, list[_Item]] = {}
        self.quotes: list[Quote] = []
        self.documents = sorted(i for i, d in self.declared.items() if d.kind == "document")

    # References.
    def kind_of(self, identifier: str) -> str | None:
        return (
            self.declared[identifier].kind
            if identifier in self.declared
            else (self.context.kinds.get(identifier))
        )

    def ref(self, entry: Entry, name: str, value: object, kinds: tuple[str, ...]) -> URIRef:
        if isinstance(value, Flag) or not isinstance(value, str) or not value:
            written = value.text if isinstance(value, Flag) else shown(value)
            raise entry.error(
                name, f"'{name}' must be an ID, not {written}", "Write the ID of an entry."
            )
        if kinds == ("sections",):
            return self._section(entry, name, value)
        if "," in value:
            raise entry.error(
                name,
                f"'{name}' holds '{value}': a list written as one text",
                f"Write '{name}: [{', '.join(v.strip() for v in value.split(','))}]' "
                "(in a CSV cell, separate the items with '|').",
            )
        allowed = _singular(kinds)
        kind = self.kind_of(value)
        if kind is None:
            # Perhaps a source that reads the graph (a member list) creates it: the build
            # checks once every source has loaded.
            self.pending.append(
                PendingRef(
                    value,
                    allowed,
                    name,
                    kinds_text(kinds),
                    Location(entry.file, entry.line_of(name)),
                )
            )
            return ID[value]
        if kind not in allowed:
            what = kinds_text(kinds)
            raise entry.error(
                name,
                f"'{value}' in '{name}' is a {kind}, not a {what}",
                f"Point '{name}' to a {what}.",
            )
        return ID[value]

    def _section(self, entry: Entry, name: str, value: str) -> URIRef:
        if "/" in value:
            found = [value] if self.kind_of(value) == "section" else []
        else:
            found = self.local_sections.get(value, [])
            if not found:
                found = sorted(
                    i
                    for i, k in self.context.kinds.items()
                    if k == "section" and i.split("/", 1)[-1] == value
                )
        if len(found) == 1:
            return ID[found[0]]
        if found:
            raise entry.error(
                name,
                f"the section '{value}' is in several documents ({', '.join(found)})",
                f"Write the one you mean in full, like 'section: {found[0]}'.",
            )
        known = sorted(self.local_sections) or sorted(
            i for i, k in self.context.kinds.items() if k == "section"
        )
        raise entry.error(
            name,
            f"unknown section '{value}' in '{name}'",
            did_you_mean(value, known) or "Known sections: " + ", ".join(known) + ".",
        )

    def _refs(self, entry: Entry, name: str) -> list[URIRef]:
        spec = SPEC[entry.kind][name]
        assert isinstance(spec, Ref)
        values = self._list(entry, name) if spec.many else [entry.fields.get(name)]
        return [self.ref(entry, name, v, spec.kinds) for v in values if v not in (None, "")]

    def _value(self, entry: Entry, name: str) -> Any:
        """The checked Python value of a scalar field, or None."""
        value = entry.fields.get(name)
        if value is None or value == "":
            return None
        try:
            return _convert(SPEC[entry.kind][name], value)
        except _ReadAsYesNo as exc:
            raise entry.error(
                name, f"'{name}' {exc}", f'Quote it: {name}: "{value.text}".'
            ) from None
        except ValueError as exc:
            raise entry.error(name, f"'{name}' {exc}", "Correct the value.") from None

    def _list(self, entry: Entry, name: str) -> list[Any]:
        value = entry.fields.get(name)
        if value is None:
            return []
        if isinstance(value, str) and "," in value:
            items = ", ".join(v.strip() for v in value.split(","))
            raise entry.error(
                name,
                f"'{name}' is the text '{value}', not a list",
                f"Write '{name}: [{items}]'.",
            )
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [value]
        if not isinstance(value, list):
            raise entry.error(name, f"'{name}' must be a list", f"Write '{name}: [a, b]'.")
        return value

    def _fact(self, entry: Entry, name: str, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        """Add a single-valued statement, remembering where it was written."""
        self.graph.add((s, p, o))
        self.facts[(s, p)] = Location(entry.file, entry.line_of(name))

    def _attempt(self, step: Callable[[], object]) -> None:
        with self.problems.collect():
            step()

    # The entries.
    def emit_all(self) -> None:
        entries = self.prepared.entries
        for entry in entries:
            if entry.kind == "dataset":
                self._attempt(partial(self._emit_dataset, entry))
        if not any(e.kind == "dataset" for e in entries):
            self.graph.add((self.dataset_node, RDF.type, DCAT.Dataset))
            self.graph.add((self.dataset_node, DCTERMS.title, Literal(self.prepared.slug)))
        # Documents first, so that passages find their sections' documents.
        ordered = sorted(entries, key=lambda e: 0 if e.kind == "documents" else 1)
        memberships_seen: dict[tuple[str, str, str], Entry] = {}
        for entry in ordered:
            if entry.kind == "dataset":
                continue
            if entry.kind == "memberships":
                self._attempt(partial(self._emit_membership, entry, memberships_seen))
            elif entry.kind == "persons":
                self._attempt(partial(self._emit_person, entry))
            else:
                self._emit_entity(entry)
        self._emit_statuses()

    def _emit_dataset(self, entry: Entry) -> None:
        node = self.dataset_node
        g = self.graph
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, Literal(self._value(entry, "title"), lang="en")))
        for name, predicate in (
            ("description", DCTERMS.description),
            ("publisher", DCTERMS.publisher),
        ):
            if (value := self._value(entry, name)) is not None:
                g.add((node, predicate, Literal(value, lang="en")))
        if (homepage := self._value(entry, "homepage")) is not None:
            g.add((node, FOAF.homepage, homepage))
        for home in self._refs(entry, "home"):
            g.add((node, CKG.home, home))
            self.home = home

    def _emit_entity(self, entry: Entry) -> None:
        g = self.graph
        entity_id = entry.fields.get("id")
        if not isinstance(entity_id, str) or entity_id not in self.declared:
            return
        node = ID[entity_id]
        kind = entry.kind
        where = Location(entry.file, entry.line)
        self.ids[entity_id] = node
        defines = _defines(entry)
        if defines:
            self.locations[node] = where
        else:
            self.additions[node] = where
        g.add((node, RDF.type, CLASSES[kind]))
        self._fact(entry, "id", node, CKG.kind, Literal(KIND_NAMES[kind]))
        g.add((node, DCTERMS.identifier, Literal(entity_id)))
        g.add((node, CKG.inDataset, self.dataset_node))
        if kind in SCHEMES:
            g.add((node, SKOS.inScheme, SCHEMES[kind]))
        if defines:
            self._attempt(lambda: self._emit_label(entry, node))
        for step in self._common_steps(entry, node):
            self._attempt(step)
        self._attempt(lambda: getattr(self, "_emit_" + kind)(entry, node))
        # After the fields, whose triples the per-field evidence reifies.
        self._attempt(lambda: self._emit_truth(entry, node, entity_id))

    def _emit_label(self, entry: Entry, node: URIRef) -> None:
        label = self._value(entry, "label") or self._value(entry, "title")
        label_field = "label" if entry.fields.get("label") not in (None, "") else "title"
        self._fact(entry, label_field, node, RDFS.label, Literal(label, lang="en"))
        if entry.kind in SCHEMES:
            self.graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))

    def _common_steps(self, entry: Entry, node: URIRef) -> list[Callable[[], None]]:
        g = self.graph

        def alt_labels() -> None:
            for item in self._list(entry, "alt_labels"):
                g.add((node, SKOS.altLabel, self._alt_label(entry, item)))

        def description() -> None:
            if (text := self._value(entry, "description")) is not None:
                g.add((node, DCTERMS.description, Literal(text, lang="en")))

        def themes() -> None:
            for theme in self._refs(entry, "themes"):
                g.add((node, DCTERMS.subject, theme))

        def purposes() -> None:
            self._emit_purposes_of(entry, node, self._refs(entry, "purposes"))

        def sdgs() -> None:
            for goal in self._list(entry, "sdgs"):
                g.add((node, CKG.contributesTo, self._sdg(entry, "sdgs", goal)))

        def homepage() -> None:
            if (url := self._value(entry, "homepage")) is not None:
                g.add((node, FOAF.homepage, url))

        def owner() -> None:
            for administration in self._refs(entry, "owner"):
                g.add((node, CKG.ownedBy, administration))

        def wikidata() -> None:
            if (qid := self._value(entry, "wikidata")) is not None and entry.kind != "cities":
                self._fact(entry, "wikidata", node, OWL.sameAs, WD[qid])

        def relations() -> None:
            self._emit_relations(entry, node)

        return [
            alt_labels,
            description,
            themes,
            purposes,
            sdgs,
            homepage,
            owner,
            wikidata,
            relations,
            lambda: self._emit_evidence(entry, node),
            lambda: self._emit_contact(entry, node),
            lambda: self._emit_internal(entry, node),
        ]

    def _emit_purposes_of(self, entry: Entry, node: URIRef, purposes: list[URIRef]) -> None:
        """``ckg:purpose`` on the entity and, in a home's dataset, a statement of whose
        purposes they are: the home's strategy says why the home takes part."""
        g = self.graph
        for purpose in purposes:
            g.add((node, CKG.purpose, purpose))
        if not purposes or self.home is None:
            return
        statement = ID[f"purpose/{id_of(self.home)}/{id_of(node)}"]
        g.add((statement, RDF.type, CKG.PurposeStatement))
        g.add((statement, CKG.statedBy, self.home))
        g.add((statement, CKG.concerns, node))
        for purpose in purposes:
            g.add((statement, CKG.purpose, purpose))
        # The statement names the entity in its IRI and says its purposes: it is as internal
        # as the entity, or as its purposes.
        internal = entry.fields.get("internal")
        hidden = internal.value if isinstance(internal, Flag) else internal
        if hidden is True or (isinstance(hidden, list) and "purposes" in hidden):
            g.add((statement, CKG.internal, Literal(True)))

    def _emit_contact(self, entry: Entry, node: URIRef) -> None:
        # Contact data is internal by default: each field present is marked, so the public
        # profile leaves its values out without the author having to say so.
        g = self.graph
        spec = SPEC[entry.kind]
        if "contact" in spec:
            for person in self._refs(entry, "contact"):
                g.add((node, CKG.contact, person))
        for name, predicate in (("email", FOAF.mbox), ("phone", FOAF.phone)):
            if (value := self._value(entry, name)) is not None:
                g.add((node, predicate, value))
        if (notes := self._value(entry, "notes")) is not None:
            g.add((node, SKOS.note, Literal(notes)))
        for name in CONTACT_FIELDS:
            if name in spec and entry.fields.get(name) not in (None, "", []):
                g.add((node, CKG.internalProperty, PREDICATES[name]))

    def _emit_person(self, entry: Entry) -> None:
        person_id = entry.fields["id"]
        if entry.fields.get("internal") is not True and not (
            isinstance(entry.fields.get("internal"), Flag) and entry.fields["internal"].value
        ):
            raise entry.error(
                "internal" if "internal" in entry.fields else None,
                f"the person '{person_id}' is not marked internal",
                "Add 'internal: true' to the entry: persons are only kept as internal data.",
            )
        g = self.graph
        node = ID[person_id]
        self.ids[person_id] = node
        self.locations[node] = Location(entry.file, entry.line)
        g.add((node, RDF.type, CKG.Person))
        g.add((node, CKG.kind, Literal("person")))
        g.add((node, DCTERMS.identifier, Literal(person_id)))
        g.add((node, CKG.internal, Literal(True)))
        if (name := self._value(entry, "name")) is not None:
            self._fact(entry, "name", node, RDFS.label, Literal(name, lang="en"))
            g.add((node, FOAF.name, Literal(name)))
        employers = self._refs(entry, "works_for")
        for employer in employers:
            g.add((node, SCHEMA.worksFor, employer))
        if (title := self._value(entry, "post")) is not None:
            # W3C ORG: the person holds a post in the organisation; the post is as internal
            # as its holder.
            post = ID["post/" + person_id]
            g.add((post, RDF.type, ORG.Post))
            g.add((post, RDFS.label, Literal(title, lang="en")))
            g.add((post, ORG.heldBy, node))
            g.add((post, CKG.internal, Literal(True)))
            g.add((node, ORG.holds, post))
            for employer in employers:
                g.add((post, ORG.postIn, employer))
        self._emit_contact(entry, node)

    def _sdg(self, entry: Entry, name: str, goal: object) -> URIRef:
        try:
            return sdg_iri(int(str(goal)))
        except ValueError:
            raise entry.error(
                name, f"'{goal}' is not a UN goal", "SDGs are numbered 1 to 17."
            ) from None

    def _alt_label(self, entry: Entry, item: object) -> Literal:
        if isinstance(item, Flag):
            item = item.text
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = str(item).strip()
            if text:
                return Literal(text)
        if isinstance(item, dict) and len(item) == 1:
            ((lang, text),) = item.items()
            if isinstance(lang, str) and LANG_PATTERN.match(lang) and isinstance(text, (str, int)):
                return Literal(str(text).strip(), lang=lang)
        raise entry.error(
            "alt_labels",
            f"alternative label {shown(item)} is neither a name nor a 'language: name' pair",
            "Write 'C40' or 'da: København'.",
        )

    # Evidence, status, per-fact evidence and quantities (docs/dataset-format.md, "Status,
    # per-fact evidence and quantities").
    def _emit_evidence(self, entry: Entry, node: URIRef) -> None:
        """The entry-level evidence (items without ``for:``) on the node, and its status."""
        items = self._evidence_items(entry, entry.fields.get("evidence"), "evidence")
        self.entry_items[id(entry)] = items
        whole = [item for item in items if not item.fields]
        self._attach(node, whole)
        status, reason = self._resolve_status(
            partial(
                entry.error,
                next((n for n in ("status", "reason", "evidence") if n in entry.fields), None),
            ),
            entry.fields.get("status"),
            entry.fields.get("reason"),
            whole,
        )
        self._record_status(node, status, reason)

    def _evidence_items(self, entry: Entry, value: object, name: str) -> list[_Item]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise entry.error(name, f"'{name}' must be a list", f"Write '{name}: [{{...}}]'.")
        return [self._evidence_item(entry, item, name) for item in value]

    def _evidence_item(self, entry: Entry, item: object, name: str) -> _Item:
        g = self.graph
        line = getattr(item, "line", 0) or entry.line_of(name)
        error = partial(DataError, file=entry.file, line=line)
        keys = set(item) if isinstance(item, dict) else set()
        if not keys or keys - {"section", "quote", "source", "as_of", "for"}:
            raise error(
                f"evidence {shown(item)} is neither {{section, quote}} nor {{source}}",
                "Write '- {section: s-c40, quote: \"...\"}' or '- {source: https://...}'.",
            )
        assert isinstance(item, dict)
        fields = self._for_fields(entry, item.get("for"), error) if "for" in item else ()
        if "source" in keys:
            if keys & {"section", "quote"}:
                raise error(
                    "an evidence item has both a quote and a source",
                    "Give each its own item.",
                )
            source = item["source"]
            if not isinstance(source, str) or not URL_PATTERN.match(source.strip()):
                raise error(f"evidence source {shown(source)} is not a URL", "Give an http(s) URL.")
            as_of = None
            if item.get("as_of") not in (None, ""):
                try:
                    as_of = parse_date(item["as_of"])
                except ValueError as exc:
                    raise error(f"'as_of' has a bad date: {exc}", "Correct the value.") from None
            return _Item(None, URIRef(source.strip()), as_of, fields)
        if "as_of" in keys:
            raise error(
                "an as-of date (as_of) without a source",
                "Give the URL of the public list it describes: '{source: https://..., as_of: "
                "2025-11}' (in a CSV file, the column source_url).",
            )
        if keys & {"section", "quote"} != {"section", "quote"}:
            raise error(
                f"evidence {shown(item)} is neither {{section, quote}} nor {{source}}",
                "Write '- {section: s-c40, quote: \"...\"}' or '- {source: https://...}'.",
            )
        section = self.ref(entry, name, item["section"], ("sections",))
        quote = item["quote"]
        if not isinstance(quote, str) or not quote.strip():
            raise error("an evidence quote is empty", "Quote the passage.")
        quote = " ".join(quote.split())
        full = id_of(section)
        passage = passage_iri(full, quote)
        g.add((passage, RDF.type, CKG.Passage))
        g.add((passage, PROV.value, Literal(quote)))
        g.add((passage, DCTERMS.isPartOf, section))
        g.add((passage, PROV.wasQuotedFrom, ID[full.split("/", 1)[0]]))
        self.quotes.append(Quote(full, quote, Location(entry.file, line)))
        return _Item(passage, None, None, fields)

    def _for_fields(
        self, entry: Entry, value: object, error: Callable[..., DataError]
    ) -> tuple[str, ...]:
        names = value if isinstance(value, list) else [value]
        for name in names:
            if not isinstance(name, str) or not name:
                raise error(
                    f"'for' must list field names, not {shown(name)}", "Write 'for: [hosts]'."
                )
            self._check_fact_field(entry, name, "for", error)
        return tuple(names)

    def _check_fact_field(
        self, entry: Entry, name: str, where: str, error: Callable[..., DataError]
    ) -> None:
        if entry.fields.get(name) in (None, "", []):
            known = sorted(n for n in entry.fields if _fact_predicate(entry.kind, n) is not None)
            raise error(
                f"'{where}' names the field '{name}', which the "
                f"{KIND_NAMES.get(entry.kind, entry.kind)} does not have",
                did_you_mean(name, known) or "Fields it has: " + ", ".join(known) + ".",
            )
        if _fact_predicate(entry.kind, name) is None:
            raise error(
                f"the field '{name}' cannot have evidence or an inference of its own",
                "Give it to the whole entry (without 'for').",
            )

    def _attach(self, node: URIRef, items: list[_Item]) -> None:
        g = self.graph
        for item in items:
            if item.passage is not None:
                g.add((node, PROV.wasDerivedFrom, item.passage))
            if item.source is not None:
                g.add((node, DCTERMS.source, item.source))
            if item.as_of is not None:
                g.add((node, CKG.asOf, item.as_of))

    def _resolve_status(
        self,
        error: Callable[[str, str], DataError],
        explicit: object,
        reason: object,
        items: list[_Item],
    ) -> tuple[str | None, str | None]:
        """The status of a fact: ``explicit`` checked against ``items``, or derived from them
        (a quote: stated; else a source URL: listed; else none)."""
        quoted = any(item.passage is not None for item in items)
        sourced = any(item.source is not None for item in items)
        if isinstance(explicit, Flag) or (explicit is not None and not isinstance(explicit, str)):
            raise error(
                f"the status {shown(explicit)} is not text", "Write stated, listed or inferred."
            )
        text = reason.text if isinstance(reason, Flag) else reason
        if text is not None and (
            not isinstance(text, str) or "\n" in text.strip() or not text.strip()
        ):
            raise error(
                "a 'reason' is one line of text", "Say in one line why the editor infers it."
            )
        if explicit in (None, ""):
            if text is not None:
                raise error(
                    "a 'reason' without 'status: inferred'",
                    "Add 'status: inferred', or remove the reason.",
                )
            return ("stated" if quoted else "listed" if sourced else None), None
        if explicit not in STATUSES:
            raise error(
                f"unknown status '{explicit}'",
                did_you_mean(str(explicit), STATUSES) or "Write stated, listed or inferred.",
            )
        if explicit == "inferred":
            if text is None:
                raise error(
                    "the status 'inferred' has no 'reason'",
                    "Add 'reason: ...': one line on why the editor infers it.",
                )
            return "inferred", text.strip()
        if text is not None:
            raise error(
                f"a 'reason' with the status '{explicit}'",
                "A reason is only for 'status: inferred'; remove it.",
            )
        if explicit == "stated" and not quoted:
            raise error(
                "the status 'stated' without a quote",
                "Add evidence {section, quote} from the strategy, or write the status the "
                "evidence gives ('listed' for a source URL, 'inferred' with a reason).",
            )
        if explicit == "listed" and not sourced:
            raise error(
                "the status 'listed' without a source URL",
                "Add evidence {source: https://...}, or write 'status: inferred' with a reason.",
            )
        return explicit, None

    def _record_status(self, node: URIRef, status: str | None, reason: str | None) -> None:
        if status is not None:
            self.statuses.setdefault(node, {}).setdefault(status, set())
            if reason is not None:
                self.statuses[node][status].add(reason)

    def _emit_statuses(self) -> None:
        """One ``ckg:status`` per node: the strongest any of the dataset's entries gives it (a
        membership a list gives and the strategy quotes is stated)."""
        for node, found in self.statuses.items():
            status = next(s for s in STATUSES if s in found)
            self.graph.add((node, CKG.status, CKG[status]))
            for reason in sorted(found[status]):
                self.graph.add((node, CKG.inferenceNote, Literal(reason, lang="en")))

    def _emit_relations(self, entry: Entry, node: URIRef) -> None:
        spec = SPEC[entry.kind]
        for name in ("supports", "based_on", "concerns", "commits_to"):
            if name in spec:
                for target in self._refs(entry, name):
                    self.graph.add((node, PREDICATES[name], target))

    def _emit_truth(self, entry: Entry, node: URIRef, owner: str) -> None:
        """Per-field evidence and inferences as ``rdf:Statement`` nodes, and the quantities."""
        # Parsed (and reported) once, by _emit_evidence.
        items = self.entry_items.get(id(entry), [])
        inferred = entry.fields.get("inferred")
        if inferred is not None and not isinstance(inferred, dict):
            raise entry.error(
                "inferred",
                "'inferred' must map field names to reasons",
                "Write 'inferred: {owner: \"why the editor infers it\"}'.",
            )
        error = partial(entry.error, "inferred")
        reasons: dict[str, str] = {}
        for name, reason in (inferred or {}).items():
            self._check_fact_field(entry, name, "inferred", error)
            if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
                raise error(
                    f"the inference of '{name}' has no one-line reason",
                    f"Write '{name}: \"why the editor infers it\"'.",
                )
            if any(name in item.fields for item in items):
                raise error(
                    f"the field '{name}' is inferred and has evidence of its own (for:)",
                    "Keep one: the evidence, or the inference.",
                )
            reasons[name] = reason.strip()
        for name in sorted({n for item in items for n in item.fields} | reasons.keys()):
            supporting = [item for item in items if name in item.fields]
            for triple in self._field_triples(entry, node, name):
                statement = statement_iri(*triple)
                self._emit_statement(statement, triple)
                self._attach(statement, supporting)
                if name in reasons:
                    self._record_status(statement, "inferred", reasons[name])
                else:
                    status, _ = self._resolve_status(entry.error, None, None, supporting)
                    self._record_status(statement, status, None)
        self._emit_quantities(entry, node, owner)

    def _emit_statement(self, statement: URIRef, triple: tuple[URIRef, URIRef, Node]) -> None:
        g = self.graph
        subject, predicate, value = triple
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, subject))
        g.add((statement, RDF.predicate, predicate))
        g.add((statement, RDF.object, value))

    def _field_triples(
        self, entry: Entry, node: URIRef, name: str
    ) -> list[tuple[URIRef, URIRef, Node]]:
        """The triples the entry's field ``name`` gave (on a city, its place's for the place's
        fields)."""
        predicate = _fact_predicate(entry.kind, name)
        assert predicate is not None  # checked by _check_fact_field
        subject = node
        if entry.kind == "cities" and name in ("lat", "long", "population"):
            subject = ID["place/" + id_of(node)]
        values = list(self.graph.objects(subject, predicate))
        spec = SPEC[entry.kind].get(name)
        if isinstance(spec, Ref):
            given = set(self._refs(entry, name))
            if name in ("location", "located_in"):
                given = {ID["place/" + id_of(city)] for city in given}
            values = [v for v in values if v in given]
        elif name == "sdgs":
            goals = {self._sdg(entry, name, goal) for goal in self._list(entry, name)}
            values = [v for v in values if v in goals]
        return [(subject, predicate, v) for v in sorted(values, key=lambda v: v.n3())]

    def _emit_quantities(self, entry: Entry, node: URIRef, owner: str) -> None:
        measures: dict[str, int] = {}
        seen: set[URIRef] = set()
        for item in self._list(entry, "quantities"):
            with self.problems.collect():
                quantity, measure = self._emit_quantity(entry, node, owner, item, seen)
                measures[measure] = measures.get(measure, 0) + 1
                seen.add(quantity)
        # A count given both ways would be a bare exact number beside the qualified one.
        for name, measure in (("member_count", "member-cities"), ("population", "inhabitants")):
            if measure in measures and entry.fields.get(name) not in (None, ""):
                raise entry.error(
                    name,
                    f"'{name}' and a '{measure}' quantity both give the count",
                    f"Keep the quantity (it says 'about', 'more than' or the year) and remove "
                    f"'{name}'.",
                )

    def _emit_quantity(
        self, entry: Entry, node: URIRef, owner: str, item: object, seen: set[URIRef]
    ) -> tuple[URIRef, str]:
        g = self.graph
        line = getattr(item, "line", 0) or entry.line_of("quantities")
        error = partial(DataError, file=entry.file, line=line)
        if not isinstance(item, dict):
            raise error(
                f"a quantity must be a mapping, not {shown(item)}",
                "Write '- {measure: member-cities, value: 100, evidence: [...]}'.",
            )
        unknown = sorted(set(item) - set(QUANTITY_FIELDS))
        if unknown:
            raise error(
                f"unknown field '{unknown[0]}' in a quantity",
                did_you_mean(unknown[0], QUANTITY_FIELDS)
                or "A quantity has " + ", ".join(QUANTITY_FIELDS) + ".",
            )
        if item.get("measure") in (None, ""):
            raise error("a quantity has no 'measure'", "Add 'measure: ...' (a measure's ID).")
        measure = self.ref(entry, "quantities", item["measure"], ("measures",))
        numbers: dict[str, int | Decimal] = {}
        for key in ("value", "min", "max"):
            if item.get(key) is not None:
                try:
                    numbers[key] = _number(DEC, item[key])
                except ValueError as exc:
                    raise error(f"a quantity's '{key}' {exc}", "Correct the value.") from None
        if "value" in numbers and numbers.keys() & {"min", "max"}:
            raise error(
                "a quantity has both 'value' and a range ('min'/'max')",
                "Give one: the value, or min and max.",
            )
        if not numbers:
            raise error("a quantity has no 'value' (nor 'min'/'max')", "Add 'value: ...'.")
        if "min" in numbers and "max" in numbers and numbers["min"] > numbers["max"]:
            raise error(
                f"a quantity's min {numbers['min']} is above its max {numbers['max']}",
                "Swap or correct them.",
            )
        qualifier = item.get("qualifier", "exact")
        if isinstance(qualifier, Flag) or qualifier not in QUALIFIERS:
            raise error(
                f"unknown qualifier {shown(qualifier)}",
                did_you_mean(str(qualifier), QUALIFIERS)
                or "Known qualifiers: " + ", ".join(QUALIFIERS) + ".",
            )
        times: dict[str, Literal] = {}
        for key in ("year", "start", "end"):
            if item.get(key) not in (None, ""):
                try:
                    times[key] = parse_date(item[key])
                except ValueError as exc:
                    raise error(
                        f"a quantity's '{key}' has a bad date: {exc}", "Correct it."
                    ) from None
        if "year" in times and times.keys() & {"start", "end"}:
            raise error(
                "a quantity has both 'year' and a period ('start'/'end')",
                "Give one: 'year' for a point in time, 'start'/'end' for a period.",
            )
        if "start" in times and "end" in times and ends_before(times["start"], times["end"]):
            raise error(
                f"the end {times['end']} is before the start {times['start']}",
                "Swap or correct the dates.",
            )
        when = (
            str(times["year"])
            if "year" in times
            else f"{times.get('start', '')}..{times.get('end', '')}"
            if times
            else "undated"
        )
        quantity = ID[f"quantity/{owner}/{id_of(measure)}/{when}"]
        if quantity in seen:
            raise error(
                f"a second '{id_of(measure)}' quantity for the same time ({when})",
                "Give each quantity its own year or period, or remove one.",
            )
        g.add((node, CKG.quantity, quantity))
        g.add((quantity, RDF.type, SCHEMA.QuantitativeValue))
        g.add((quantity, CKG.measure, measure))
        for key, predicate in (
            ("value", SCHEMA.value),
            ("min", SCHEMA.minValue),
            ("max", SCHEMA.maxValue),
        ):
            if key in numbers:
                g.add((quantity, predicate, _number_literal(numbers[key])))
        g.add((quantity, CKG.qualifier, QUALIFIERS[str(qualifier)]))
        if "year" in times:
            g.add((quantity, DCTERMS.temporal, times["year"]))
        for key, predicate in (("start", CKG.periodStart), ("end", CKG.periodEnd)):
            if key in times:
                g.add((quantity, predicate, times[key]))
        items = self._evidence_items(entry, item.get("evidence"), "quantities")
        if any(i.fields for i in items):
            raise error(
                "a quantity's evidence has 'for'",
                "A quantity's evidence supports the quantity; remove 'for'.",
            )
        self._attach(quantity, items)
        status, reason = self._resolve_status(error, item.get("status"), item.get("reason"), items)
        self._record_status(quantity, status, reason)
        return quantity, id_of(measure)

    def _evidence_documents(self, entry: Entry) -> set[str]:
        """The documents the entry's quotes come from (sections that resolve)."""
        found: set[str] = set()
        for item in self._list(entry, "evidence"):
            if isinstance(item, dict) and isinstance(item.get("section"), str):
                with self.problems.collect():
                    section = self._section(entry, "evidence", item["section"])
                    found.add(id_of(section).split("/", 1)[0])
        return found

    def _emit_internal(self, entry: Entry, node: URIRef) -> None:
        value = entry.fields.get("internal")
        if isinstance(value, Flag):
            value = value.value
        if value is None or value is False:
            return
        # A city's place repeats its label and holds its population: it shares the city's marks.
        targets = [node]
        if entry.kind == "cities":
            targets.append(ID["place/" + id_of(node)])
        if value is True:
            for target in targets:
                self.graph.add((target, CKG.internal, Literal(True)))
            return
        if not isinstance(value, list):
            raise entry.error(
                "internal", "'internal' must be true or a list of fields", "Write 'internal: true'."
            )
        for name in value:
            if not isinstance(name, str):
                raise entry.error(
                    "internal",
                    f"{shown(name)} in 'internal' is not a field name",
                    "List field names.",
                )
            if name not in PREDICATES and name not in SPEC[entry.kind]:
                raise entry.error(
                    "internal",
                    f"unknown field '{name}' in 'internal'",
                    did_you_mean(name, PREDICATES),
                )
            predicate = PREDICATES.get(name)
            if predicate is None:
                raise entry.error(
                    "internal", f"field '{name}' cannot be marked internal", "Mark the whole entry."
                )
            for target in targets:
                self.graph.add((target, CKG.internalProperty, predicate))

    def _period(
        self, entry: Entry, start_name: str = "start", end_name: str = "end"
    ) -> tuple[Literal | None, Literal | None]:
        start = self._value(entry, start_name)
        end = self._value(entry, end_name)
        if start is not None and end is not None and ends_before(start, end):
            raise entry.error(
                end_name, f"the end {end} is before the start {start}", "Swap or correct the dates."
            )
        return start, end

    def _dates(self, entry: Entry, node: URIRef) -> None:
        start, end = self._period(entry)
        if start is not None:
            self._fact(entry, "start", node, SCHEMA.startDate, start)
        if end is not None:
            self._fact(entry, "end", node, SCHEMA.endDate, end)

    def _publisher(self, entry: Entry, node: URIRef, default: URIRef | None) -> None:
        publishers = self._refs(entry, "publisher") or ([default] if default else [])
        for publisher in publishers:
            self._fact(entry, "publisher", node, DCTERMS.publisher, publisher)

    # One method per kind.
    def _emit_documents(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        if (published := self._value(entry, "published")) is not None:
            self._fact(entry, "published", node, SCHEMA.datePublished, published)
        if (url := self._value(entry, "url")) is not None:
            g.add((node, FOAF.homepage, url))
        # A home's dataset publishes its documents: they are the home's strategy.
        self._publisher(entry, node, self.home if _defines(entry) else None)
        for number, section in enumerate(self._list(entry, "sections"), 1):
            self._emit_section(entry, node, number, section)

    def _emit_section(self, entry: Entry, document: URIRef, number: int, section: object) -> None:
        if not isinstance(section, dict) or "id" not in section or not section.get("title"):
            raise entry.error(
                "sections",
                "each section needs an 'id' and a 'title'",
                "Write '- {id: s-intro, title: Introduction}'.",
            )
        extra = set(section) - {"id", "title"}
        if extra:
            raise entry.error(
                "sections",
                f"unknown field '{sorted(extra)[0]}' in a section",
                "A section has 'id' and 'title'.",
            )
        full = section_id(id_of(document), str(section["id"]))
        iri = ID[full]
        g = self.graph
        self.ids[full] = iri
        g.add((iri, RDF.type, CKG.Section))
        g.add((iri, CKG.kind, Literal("section")))
        g.add((iri, DCTERMS.identifier, Literal(full)))
        g.add((iri, RDFS.label, Literal(str(section["title"]).strip(), lang="en")))
        g.add((iri, DCTERMS.isPartOf, document))
        g.add((iri, CKG.number, Literal(number)))

    def _emit_themes(self, entry: Entry, node: URIRef) -> None:
        for broader in self._refs(entry, "broader"):
            self.graph.add((node, SKOS.broader, broader))
        if (goal := entry.fields.get("sdg")) is not None:
            # A mapping, not an identity: what is on the theme contributes to the goal only
            # as far as the theme and the goal overlap (reported as a mapping).
            self._fact(entry, "sdg", node, SKOS.closeMatch, self._sdg(entry, "sdg", goal))

    def _emit_purposes(self, entry: Entry, node: URIRef) -> None:
        return None

    def _emit_measures(self, entry: Entry, node: URIRef) -> None:
        if (unit := self._value(entry, "unit")) is not None:
            self._fact(entry, "unit", node, SCHEMA.unitText, Literal(unit, lang="en"))

    _emit_roles = _emit_purposes

    def _emit_countries(self, entry: Entry, node: URIRef) -> None:
        if (code := self._value(entry, "code")) is not None:
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise entry.error(
                    "code",
                    f"'{code}' is not an ISO 3166-1 alpha-2 code",
                    "Write two capital letters, like DK.",
                )
            self._fact(entry, "code", node, SKOS.notation, Literal(code))
        if (qid := self._value(entry, "wikidata")) is not None:
            self._fact(entry, "wikidata", node, SKOS.exactMatch, WD[qid])

    def _emit_cities(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        place = ID["place/" + entry.fields["id"]]
        g.add((node, SCHEMA.location, place))
        g.add((place, RDF.type, SCHEMA.City))
        if (label := self._value(entry, "label")) is not None:
            self._fact(entry, "label", place, RDFS.label, Literal(label, lang="en"))
        if (qid := self._value(entry, "wikidata")) is not None:
            self._fact(entry, "wikidata", place, SKOS.exactMatch, WD[qid])
        for name, predicate in (("lat", POS.lat), ("long", POS.long)):
            if (number := self._value(entry, name)) is not None:
                self._fact(entry, name, place, predicate, decimal_literal(number))
        if (population := self._value(entry, "population")) is not None:
            literal = Literal(population, datatype=XSD.integer)
            self._fact(entry, "population", place, CKG.population, literal)
        for country in self._refs(entry, "country"):
            self._fact(entry, "country", node, CKG.country, country)
            self._fact(entry, "country", place, CKG.country, country)
        for region in self._refs(entry, "region"):
            self._fact(entry, "region", node, CKG.inRegion, region)
        if (capital := self._value(entry, "capital")) is not None:
            self._fact(entry, "capital", node, CKG.capital, Literal(capital))

    def _emit_regions(self, entry: Entry, node: URIRef) -> None:
        for country in self._refs(entry, "country"):
            self._fact(entry, "country", node, CKG.country, country)

    def _emit_organisations(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        self._emit_regions(entry, node)
        if (kind := self._value(entry, "type")) is not None:
            if kind not in ORGANISATION_TYPES:
                raise entry.error(
                    "type",
                    f"unknown organisation type '{kind}'",
                    did_you_mean(kind, ORGANISATION_TYPES)
                    or "Known types: " + ", ".join(ORGANISATION_TYPES) + ".",
                )
            g.add((node, RDF.type, ORGANISATION_TYPES[kind]))
        for parent in self._refs(entry, "part_of"):
            g.add((node, ORG.subOrganizationOf, parent))
        for city in self._refs(entry, "located_in"):
            g.add((node, SCHEMA.location, ID["place/" + id_of(city)]))

    def _emit_administrations(self, entry: Entry, node: URIRef) -> None:
        refs = self._refs(entry, "part_of")
        if not refs and _defines(entry):
            raise entry.error(
                None, "the administration has no 'part_of'", "Name the city it belongs to."
            )
        for city in refs:
            self._fact(entry, "part_of", node, ORG.unitOf, city)

    def _emit_networks(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        if (founded := self._value(entry, "founded")) is not None:
            self._fact(entry, "founded", node, SCHEMA.foundingDate, founded)
        if (count := self._value(entry, "member_count")) is not None:
            literal = Literal(count, datatype=XSD.integer)
            self._fact(entry, "member_count", node, CKG.memberCount, literal)
        for parent in self._refs(entry, "part_of"):
            g.add((node, ORG.subOrganizationOf, parent))

    def _emit_projects(self, entry: Entry, node: URIRef) -> None:
        self._dates(entry, node)
        for programme in self._refs(entry, "programme"):
            self._fact(entry, "programme", node, CKG.programme, programme)
        for name, predicate in (
            ("budget_eur", CKG.budget),
            ("eu_contribution_eur", CKG.euContribution),
        ):
            if (amount := self._value(entry, name)) is not None:
                if amount < 0:
                    raise entry.error(name, f"'{name}' is negative", "Give the amount in euros.")
                self._fact(entry, name, node, predicate, decimal_literal(amount))
        if (grant := self._value(entry, "grant_id")) is not None:
            self._fact(entry, "grant_id", node, CKG.grantId, Literal(grant))

    def _emit_programmes(self, entry: Entry, node: URIRef) -> None:
        self._dates(entry, node)
        for organizer in self._refs(entry, "organizer"):
            self.graph.add((node, SCHEMA.organizer, organizer))

    def _emit_cooperations(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        self._dates(entry, node)
        parties = self._refs(entry, "parties")
        if len(set(parties)) < 2 and _defines(entry):
            raise entry.error(
                "parties",
                "a cooperation needs at least two different parties",
                "List both parties' IDs.",
            )
        for party in parties:
            g.add((node, CKG.party, party))
        for programme in self._refs(entry, "programme"):
            self._fact(entry, "programme", node, CKG.programme, programme)
        for name, predicate in (
            ("binding", CKG.binding),
            ("council_approval_required", CKG.councilApprovalRequired),
        ):
            if (flag := self._value(entry, name)) is not None:
                self._fact(entry, name, node, predicate, Literal(flag))
        if (approved := self._value(entry, "council_approved")) is not None:
            self._fact(entry, "council_approved", node, CKG.councilApproved, approved)

    def _emit_events(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        self._dates(entry, node)
        for city in self._refs(entry, "location"):
            self._fact(entry, "location", node, SCHEMA.location, ID["place/" + id_of(city)])
        for host in self._refs(entry, "hosts"):
            g.add((node, CKG.hostedBy, host))
        for parent in self._refs(entry, "part_of"):
            self._fact(entry, "part_of", node, SCHEMA.superEvent, parent)
        for organizer in self._refs(entry, "organizer"):
            g.add((node, SCHEMA.organizer, organizer))

    def _emit_plans(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        kind = self._value(entry, "type")
        if kind is not None:
            if kind not in PLAN_TYPES:
                raise entry.error(
                    "type",
                    f"unknown plan type '{kind}'",
                    did_you_mean(kind, PLAN_TYPES) or "Known types: " + ", ".join(PLAN_TYPES) + ".",
                )
            self._fact(entry, "type", node, DCTERMS.type, Literal(kind))
        if (year := self._value(entry, "year")) is not None:
            self._fact(entry, "year", node, DCTERMS.issued, year)
        for party in self._refs(entry, "parties"):
            g.add((node, CKG.party, party))
        # A home's plans are its own; an agreement is between parties and has no publisher.
        default = self.home if _defines(entry) and kind != "agreement" else None
        self._publisher(entry, node, default)

    def _emit_principles(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        g.add((node, SKOS.inScheme, CKG.PrincipleScheme))
        if (number := self._value(entry, "number")) is not None:
            self._fact(entry, "number", node, CKG.number, Literal(number, datatype=XSD.integer))
            g.add((node, SKOS.notation, Literal(str(number))))
        if (text := self._value(entry, "text")) is not None:
            g.add((node, DCTERMS.description, Literal(text, lang="en")))
        for topic in self._topics(entry):
            g.add((node, CKG.principleAbout, topic))
        documents = self._refs(entry, "document")
        if not documents and _defines(entry):
            documents = [ID[d] for d in self._principle_documents(entry)]
        for document in documents:
            self._fact(entry, "document", node, DCTERMS.isPartOf, document)

    def _principle_documents(self, entry: Entry) -> list[str]:
        quoted = self._evidence_documents(entry)
        if len(quoted) == 1:
            return sorted(quoted)
        if not quoted and len(self.documents) == 1:
            return self.documents
        return self._no_document(entry, quoted)

    def _no_document(self, entry: Entry, quoted: set[str]) -> list[str]:
        why = (
            f"its quotes come from several documents ({', '.join(sorted(quoted))})"
            if quoted
            else "the dataset has no single document it could be part of"
        )
        raise entry.error(
            None,
            f"the principle '{entry.fields['id']}' is part of no strategy: {why}",
            "Add 'document: ID' (the document that sets the principle).",
        )

    def _topics(self, entry: Entry) -> list[URIRef]:
        found = []
        for item in self._list(entry, "about"):
            text = item.text if isinstance(item, Flag) else item
            if text not in PRINCIPLE_TOPICS:
                raise entry.error(
                    "about",
                    f"unknown principle topic '{text}' in 'about'",
                    did_you_mean(str(text), PRINCIPLE_TOPICS)
                    or "Known topics: " + ", ".join(PRINCIPLE_TOPICS) + ".",
                )
            found.append(PRINCIPLE_TOPICS[text])
        return found

    def _emit_membership(self, entry: Entry, seen: dict[tuple[str, str, str], Entry]) -> None:
        g = self.graph
        (member,) = self._refs(entry, "member")
        (organization,) = self._refs(entry, "organization")
        if member == organization:
            raise entry.error(
                "member",
                "a membership's member and organization are the same",
                "Correct one of them.",
            )
        role_refs = self._refs(entry, "role")
        role = role_refs[0] if role_refs else self.ref(entry, "role", "member", ("roles",))
        key = (id_of(member), id_of(organization), id_of(role))
        if key in seen:
            first = seen[key]
            raise entry.error(
                "member",
                f"duplicate membership of '{key[0]}' in '{key[1]}' as '{key[2]}'"
                f" (also at {first.file}:{first.line})",
                "Remove one of them.",
            )
        seen[key] = entry
        short = membership_id(*key)
        node = ID[short]
        self.locations[node] = Location(entry.file, entry.line)
        g.add((node, RDF.type, ORG.Membership))
        g.add((node, DCTERMS.identifier, Literal(short)))
        g.add((node, ORG.member, member))
        g.add((node, ORG.organization, organization))
        g.add((node, ORG.role, role))
        label = f"{key[0]} in {key[1]} ({key[2]})"
        g.add((node, RDFS.label, Literal(label, lang="en")))
        start, end = self._period(entry)
        add_membership_period(g, node, start, end)
        for name, value in (("start", start), ("end", end)):
            if value is not None:
                instant = URIRef(f"{node}/period/{name}")
                assert value.datatype is not None  # parse_date always types its literals
                predicate = TIME_PROPERTY[value.datatype]
                self.facts[(instant, predicate)] = Location(entry.file, entry.line_of(name))
        if (note := self._value(entry, "note")) is not None:
            g.add((node, RDFS.comment, Literal(note, lang="en")))
        for step in (
            lambda: self._emit_relations(entry, node),
            lambda: self._emit_evidence(entry, node),
            lambda: self._emit_contact(entry, node),
            lambda: self._emit_internal(entry, node),
            lambda: self._emit_truth(entry, node, short),
        ):
            self._attempt(step)


def load_dataset(path: Path, context: LoadContext | None = None) -> LoadedSource:
    """Load a dataset folder (or one of its files) into a new graph.

    On its own (without the build), references to IDs that no other source in ``context``
    declares are left in :attr:`LoadedSource.pending` unchecked.

    Parameters
    ----------
    path : Path
        A dataset folder, or a single ``.yaml``/``.csv`` file of one.
    context : LoadContext, optional
        IDs the other sources of the build declare.

    Returns
    -------
    LoadedSource
        The graph, the IDs it defines, and where each entity was written.

    Examples
    --------
    >>> source = load_dataset(builtin_dataset_path())
    >>> "copenhagen" in source.ids
    True
    """
    context = context or LoadContext()
    prepared = prepare_dataset(path)
    for identifier, declared in prepared.declared.items():
        context.kinds.setdefault(identifier, declared.kind)
    (loaded,) = prepared.load(context)
    return loaded


class DatasetLoader:
    """Loads citykg's YAML/CSV dataset folders."""

    name = "dataset"
    description = "citykg's YAML/CSV dataset format (a folder of .yaml and .csv files)"

    def accepts(self, path: Path) -> bool:
        if path.is_dir():
            return any(p.suffix in (".yaml", ".yml") for p in path.iterdir())
        return path.suffix in (".yaml", ".yml")

    def prepare(self, path: Path, context: LoadContext) -> PreparedDataset:
        return prepare_dataset(path)

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]:
        return [load_dataset(path, context)]
