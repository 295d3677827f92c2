"""The YAML/CSV dataset loader: citykg's own human-editable source format.

The format is documented in README.md ("Your own dataset"). A dataset is a folder; every
``*.yaml`` file maps kinds to lists of entries, every ``*.csv`` file holds the kind its name
starts with. This module reads them with line numbers, checks every field and reference, and
emits RDF following the citykg ontology.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from citykg.errors import DataError, did_you_mean, shown
from citykg.files import read_input
from citykg.loaders.base import LoadContext, LoadedSource, Location, source_graph_iri
from citykg.loaders.limits import BoundedComposer, YamlLimitError, load_yaml
from citykg.ontology.namespaces import BASE, CKG, ID, POS, SCHEMA, WD, sdg_iri

__all__ = [
    "KINDS",
    "DatasetLoader",
    "builtin_dataset_path",
    "load_dataset",
    "parse_date",
]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def builtin_dataset_path() -> Path:
    """The folder of the built-in Copenhagen dataset (package data)."""
    return Path(str(resources.files("citykg.loaders").joinpath("data", "copenhagen")))


# --- Reading files with line numbers ------------------------------------------------------------


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(BoundedComposer, yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text here, so that parse_date can say what is wrong with 2023-02-30.
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # A "\ud800" escape gives a lone surrogate, which no store or file can encode.
    text = loader.construct_yaml_str(node)
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise yaml.constructor.ConstructorError(
            None, None, "a text holds a lone surrogate escape such as \\ud800", node.start_mark
        )
    return text


_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


@dataclass
class Entry:
    """One entry of a dataset file, with where it was written."""

    kind: str
    fields: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    def error(self, name: str | None, problem: str, fix: str = "") -> DataError:
        return DataError(
            problem, fix, file=self.file, line=self.line_of(name) if name else self.line
        )


def _read_text(path: Path) -> str:
    try:
        raw = read_input(path)
    except IsADirectoryError:
        raise DataError("is a folder, not a file", "Give a dataset file.", file=path) from None
    except OSError as exc:
        raise DataError(
            f"cannot be read ({exc.strerror})", "Check its permissions.", file=path
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError("is not UTF-8 text", "Save it as UTF-8.", file=path, line=line) from None


def _read_yaml(path: Path) -> Iterator[Entry]:
    text = _read_text(path)
    try:
        document = load_yaml(text, _LineLoader)
    except YamlLimitError as exc:
        raise DataError(
            exc.problem or "the YAML is too big",
            exc.fix,
            file=path,
            line=exc.problem_mark.line + 1 if exc.problem_mark else None,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "malformed YAML").strip()
        raise DataError(
            f"malformed YAML: {problem}",
            "Check the indentation and quoting there.",
            file=path,
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(f"malformed YAML: {exc}", "Check the file's syntax.", file=path) from None
    if document is None:
        return
    if not isinstance(document, _Mapping):
        raise DataError(
            "the file must be a mapping from kinds to lists of entries",
            "Start it with a kind, such as 'cities:'.",
            file=path,
            line=1,
        )
    for kind, value in document.items():
        line = document.key_lines[kind]
        _check_kind(kind, path, line)
        if kind == "dataset":
            if not isinstance(value, _Mapping):
                raise DataError("'dataset' must be one mapping", "", file=path, line=line)
            yield Entry(kind, dict(value), str(path), value.line, dict(value.key_lines))
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            raise DataError(
                f"'{kind}' must be a list of entries",
                "Write each entry as '- id: ...'.",
                file=path,
                line=line,
            )
        for item in value:
            if not isinstance(item, _Mapping):
                raise DataError(
                    f"each entry of '{kind}' must be a mapping of fields",
                    "Write it as '- id: ...' with one field per line.",
                    file=path,
                    line=line,
                )
            yield Entry(kind, dict(item), str(path), item.line, dict(item.key_lines))


def _check_kind(kind: str, path: Path, line: int | None) -> None:
    if kind not in KINDS:
        raise DataError(f"unknown kind '{kind}'", did_you_mean(kind, KINDS), file=path, line=line)


def _csv_kind(path: Path) -> str:
    kind = path.stem.split("-", 1)[0].split(".", 1)[0]
    if kind not in KINDS or kind == "dataset":
        raise DataError(
            f"a CSV file's name must start with its kind, not '{kind}'",
            did_you_mean(kind, KINDS) or "Name it like cities-list.csv or memberships-list.csv.",
            file=path,
        )
    return kind


def _is_list_field(spec: object) -> bool:
    # List fields and references to several entries take "a|b" in a CSV cell.
    return spec in LIST_TYPES or (isinstance(spec, Ref) and spec.many)


def _read_csv(path: Path) -> Iterator[Entry]:
    kind = _csv_kind(path)
    text = _read_text(path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    row_start = 1  # the line the row being read starts on
    try:
        header = next(reader, None)
        row_start = reader.line_num + 1
        if header is None:
            return
        names = [h.strip() for h in header]
        known = FIELDS[kind].keys() | COMMON_FIELDS.keys() | {"source_url"}
        for column, name in enumerate(names, 1):
            if name not in known:
                raise DataError(
                    f"unknown column '{name}' (column {column}) for {kind}",
                    did_you_mean(name, known) or "Known columns: " + ", ".join(sorted(known)) + ".",
                    file=path,
                    line=1,
                )
        quote = getattr(dialect, "quotechar", None) or '"'
        for row in reader:
            line = reader.line_num
            if line == text.count("\n") + (not text.endswith("\n")) and text.count(quote) % 2:
                # The last row ran to the end of the file: a quote opened on its first line
                # was never closed, and every line after it went into one cell.
                raise DataError(
                    f"a quote ({quote}) opened on this line is never closed",
                    "Close it.",
                    file=path,
                    line=row_start,
                )
            row_start = line + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise DataError(
                    f"the row has {len(row)} cells but the header has {len(names)}",
                    "Quote cells that contain the delimiter.",
                    file=path,
                    line=line,
                )
            fields: dict[str, Any] = {}
            for name, cell in zip(names, row, strict=False):
                cell = cell.strip()
                if cell == "":
                    continue
                if name == "source_url":
                    fields.setdefault("evidence", []).append({"source": cell})
                elif _is_list_field(SPEC[kind].get(name, COMMON_FIELDS.get(name))):
                    fields[name] = [part.strip() for part in cell.split("|") if part.strip()]
                else:
                    fields[name] = cell
            yield Entry(kind, fields, str(path), line, {})
    except csv.Error as exc:
        raise DataError(
            f"malformed CSV: {exc}", "Check the quoting.", file=path, line=reader.line_num
        ) from None


# --- The format: kinds and fields -------------------------------------------------------------

# Field types. A reference type names the kinds it may point to.
STR, TEXT, URL, QID, DATE, INT, DEC, BOOL, LAT, LONG = (
    "str",
    "text",
    "url",
    "qid",
    "date",
    "int",
    "decimal",
    "bool",
    "lat",
    "long",
)
ALT_LABELS, EVIDENCE, SDGS, INTERNAL, SECTIONS, STR_LIST = (
    "alt_labels",
    "evidence",
    "sdgs",
    "internal",
    "sections",
    "str_list",
)
EMAIL, PHONE = "email", "phone"
# Names and short fields end up in every table, map label and export; a name of a megabyte is
# a pasting accident, not data.
MAX_LENGTH = {STR: 1_000, TEXT: 100_000}
EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()./-]{2,30}$")
LIST_TYPES = {ALT_LABELS, SDGS, STR_LIST}

ACTOR_KINDS = ("cities", "regions", "organisations", "administrations")
COLLABORATION_KINDS = ("networks", "projects", "programmes", "cooperations")


@dataclass(frozen=True)
class Ref:
    """A field that refers to entries of the given kinds (``many``: a list of them)."""

    kinds: tuple[str, ...]
    many: bool = False


COMMON_FIELDS: dict[str, Any] = {
    "id": STR,
    "label": STR,
    "alt_labels": ALT_LABELS,
    "description": TEXT,
    "themes": Ref(("themes",), many=True),
    "purposes": Ref(("purposes",), many=True),
    "sdgs": SDGS,
    "wikidata": QID,
    "homepage": URL,
    "owner": Ref(("administrations",)),
    "evidence": EVIDENCE,
    "internal": INTERNAL,
}

# Contact data: allowed on every entry, and internal by default (the loader marks each of
# these fields with ckg:internalProperty), because such data is about people.
CONTACT_FIELDS: dict[str, Any] = {
    "contact": Ref(("persons",), many=True),
    "email": EMAIL,
    "phone": PHONE,
    "notes": TEXT,
}
COMMON_FIELDS |= CONTACT_FIELDS

FIELDS: dict[str, dict[str, Any]] = {
    "dataset": {"title": STR, "publisher": STR},
    "documents": {"title": STR, "published": DATE, "url": URL, "sections": SECTIONS},
    "themes": {"broader": Ref(("themes",)), "sdg": INT},
    "purposes": {},
    "roles": {},
    "countries": {"code": STR},
    "cities": {
        "country": Ref(("countries",)),
        "region": Ref(("regions",)),
        "lat": LAT,
        "long": LONG,
        "population": INT,
        "capital": BOOL,
    },
    "regions": {"country": Ref(("countries",))},
    "organisations": {
        "country": Ref(("countries",)),
        "type": STR,
        "part_of": Ref(("organisations", "networks", "regions")),
        "located_in": Ref(("cities",)),
    },
    "administrations": {"part_of": Ref(("cities",))},
    "networks": {
        "founded": DATE,
        "member_count": INT,
        "part_of": Ref(("networks", "organisations")),
    },
    "projects": {
        "start": DATE,
        "end": DATE,
        "programme": Ref(("programmes",)),
        "budget_eur": DEC,
        "eu_contribution_eur": DEC,
        "grant_id": STR,
        "supports": Ref(("plans",), many=True),
    },
    "programmes": {"start": DATE, "end": DATE, "organizer": Ref(ACTOR_KINDS)},
    "cooperations": {
        "parties": Ref(ACTOR_KINDS, many=True),
        "programme": Ref(("programmes",)),
        "start": DATE,
        "end": DATE,
        "binding": BOOL,
        "council_approval_required": BOOL,
        "council_approved": DATE,
        "supports": Ref(("plans",), many=True),
    },
    "events": {
        "start": DATE,
        "end": DATE,
        "location": Ref(("cities",)),
        "hosts": Ref(ACTOR_KINDS, many=True),
        "part_of": Ref(("events",)),
        "organizer": Ref((*ACTOR_KINDS, *COLLABORATION_KINDS)),
    },
    "plans": {
        "type": STR,
        "year": DATE,
        "parties": Ref(ACTOR_KINDS, many=True),
    },
    "principles": {"number": INT, "text": TEXT},
    "memberships": {
        "member": Ref(ACTOR_KINDS),
        "organization": Ref((*COLLABORATION_KINDS, "organisations", "regions")),
        "role": Ref(("roles",)),
        "start": DATE,
        "end": DATE,
        "note": TEXT,
    },
    # Persons exist only as internal data: an entry without 'internal: true' is refused.
    "persons": {
        "name": STR,
        "post": STR,
        "works_for": Ref(ACTOR_KINDS),
    },
}

KINDS: tuple[str, ...] = tuple(FIELDS)

SPEC: dict[str, dict[str, Any]] = {
    kind: ({} if kind in ("dataset", "memberships") else dict(COMMON_FIELDS)) | extra
    for kind, extra in FIELDS.items()
}
SPEC["dataset"] |= {"id": STR, "description": TEXT, "homepage": URL}
SPEC["memberships"] |= {"evidence": EVIDENCE, "internal": INTERNAL} | CONTACT_FIELDS
SPEC["persons"] = {"id": STR, "internal": INTERNAL} | CONTACT_FIELDS | FIELDS["persons"]
del SPEC["persons"]["contact"]

REQUIRED: dict[str, tuple[str, ...]] = {
    kind: ("id", "label") for kind in KINDS if kind not in ("dataset", "documents", "memberships")
}
REQUIRED["dataset"] = ("id", "title")
REQUIRED["documents"] = ("id",)
REQUIRED["memberships"] = ("member", "organization")
REQUIRED["principles"] = ("id", "label", "number")
REQUIRED["persons"] = ("id", "name")

KIND_NAMES = {
    "documents": "document",
    "themes": "theme",
    "purposes": "purpose",
    "roles": "role",
    "countries": "country",
    "cities": "city",
    "regions": "region",
    "organisations": "organisation",
    "administrations": "administration",
    "networks": "network",
    "projects": "project",
    "programmes": "programme",
    "cooperations": "cooperation",
    "events": "event",
    "plans": "plan",
    "principles": "principle",
    "memberships": "membership",
    "sections": "section",
    "persons": "person",
}

CLASSES = {
    "documents": CKG.Document,
    "themes": CKG.Theme,
    "purposes": CKG.Purpose,
    "roles": CKG.Role,
    "countries": CKG.Country,
    "cities": CKG.City,
    "regions": CKG.Region,
    "organisations": CKG.Organisation,
    "administrations": CKG.Administration,
    "networks": CKG.CityNetwork,
    "projects": CKG.Project,
    "programmes": CKG.Programme,
    "cooperations": CKG.CooperationAgreement,
    "events": CKG.Event,
    "plans": CKG.Plan,
    "principles": CKG.Principle,
    "persons": CKG.Person,
}

ORGANISATION_TYPES = {
    "ministry": CKG.Ministry,
    "federation": CKG.Federation,
    "university": CKG.University,
    "company": CKG.Company,
    "un-body": CKG.UNBody,
    "international-organisation": CKG.InternationalOrganisation,
    "public-body": CKG.PublicBody,
    "research-institute": CKG.ResearchInstitute,
    "association": CKG.Association,
    "office": CKG.Office,
}
PLAN_TYPES = ("plan", "policy", "strategy", "statute", "handbook", "agreement")
SCHEMES = {"themes": CKG.ThemeScheme, "purposes": CKG.PurposeScheme, "roles": CKG.RoleScheme}

# Where a field's values go, for fields that map to one predicate (used for the internal mark).
PREDICATES = {
    "label": RDFS.label,
    "alt_labels": SKOS.altLabel,
    "description": DCTERMS.description,
    "themes": DCTERMS.subject,
    "purposes": CKG.purpose,
    "sdgs": CKG.contributesTo,
    "homepage": FOAF.homepage,
    "owner": CKG.ownedBy,
    "note": RDFS.comment,
    "text": DCTERMS.description,
    "population": CKG.population,
    "contact": CKG.contact,
    "email": FOAF.mbox,
    "phone": FOAF.phone,
    "notes": SKOS.note,
}


# --- Values ------------------------------------------------------------------------------------


def parse_date(value: object) -> Literal:
    """An ISO date, year-month or year as a typed literal.

    Raises ``ValueError`` for anything else, including dates that do not exist.

    Examples
    --------
    >>> parse_date("2023-07").datatype.endswith("gYearMonth")
    True
    >>> parse_date("2023-02-30")
    Traceback (most recent call last):
    ...
    ValueError: 2023-02-30 is not a date that exists
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value).strip()
    match = DATE_PATTERN.match(text)
    if not match:
        raise ValueError(f"{text} is not a date: write 2023-07-01, 2023-07 or 2023")
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"{text} has no month {month}")
    if day:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{text} is not a date that exists") from None
        return Literal(text, datatype=XSD.date)
    if month:
        return Literal(text, datatype=XSD.gYearMonth)
    return Literal(text, datatype=XSD.gYear)


_TIME_PROPERTY = {
    XSD.date: TIME.inXSDDate,
    XSD.gYearMonth: TIME.inXSDgYearMonth,
    XSD.gYear: TIME.inXSDgYear,
}


def _ends_before(start: Literal, end: Literal) -> bool:
    # Partial dates compare on their common prefix: 2020 does not end before 2020-08.
    a, b = str(start), str(end)
    n = min(len(a), len(b))
    return b[:n] < a[:n]


def add_membership_period(
    graph: Graph, membership: URIRef, start: Literal | None, end: Literal | None
) -> None:
    """Add ``org:memberDuring`` as a W3C Time interval with stable IRIs (no blank nodes, so a
    push can be repeated); nothing when both dates are None."""
    if start is None and end is None:
        return
    period = URIRef(f"{membership}/period")
    graph.add((membership, ORG.memberDuring, period))
    graph.add((period, RDF.type, TIME.Interval))
    for value, predicate, suffix in (
        (start, TIME.hasBeginning, "start"),
        (end, TIME.hasEnd, "end"),
    ):
        if value is None:
            continue
        instant = URIRef(f"{period}/{suffix}")
        graph.add((period, predicate, instant))
        graph.add((instant, RDF.type, TIME.Instant))
        assert value.datatype is not None  # parse_date always types its literals
        graph.add((instant, _TIME_PROPERTY[value.datatype], value))


def _kinds_text(kinds: tuple[str, ...]) -> str:
    names = [KIND_NAMES.get(k, k) for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _passage_iri(section: str, quote: str) -> URIRef:
    digest = hashlib.sha1(f"{section}\n{quote}".encode()).hexdigest()[:12]
    return ID[f"passage/{section}/{digest}"]


# --- Checking and emitting --------------------------------------------------------------------


class _Builder:
    """Turns checked entries into triples. One instance per load."""

    def __init__(self, entries: list[Entry], context: LoadContext, graph: Graph) -> None:
        self.entries = entries
        self.context = context
        self.graph = graph
        self.kind_of: dict[str, str] = {}
        self.where: dict[str, Entry] = {}
        self.sections: dict[str, URIRef] = {}
        self.locations: dict[URIRef, Location] = {}
        self.ids: dict[str, URIRef] = {}

    # Pass 1: IDs.
    def collect_ids(self) -> None:
        for entry in self.entries:
            # Unknown fields first: a misspelt 'lable' says so, not that 'label' is missing.
            self._check_fields(entry)
            for name in REQUIRED[entry.kind]:
                if name not in entry.fields or entry.fields[name] in (None, "", []):
                    what = KIND_NAMES.get(entry.kind, entry.kind)
                    raise entry.error(None, f"the {what} has no '{name}'", f"Add '{name}: ...'.")
            if entry.kind in ("dataset", "memberships"):
                continue
            self._claim(entry, entry.fields["id"], entry.kind)
            if entry.kind == "documents":
                for section in entry.fields.get("sections") or []:
                    if isinstance(section, dict) and "id" in section:
                        self._claim(entry, section["id"], "sections", name="sections")

    def _claim(self, entry: Entry, value: object, kind: str, name: str = "id") -> None:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            raise entry.error(
                name,
                f"{shown(value)} is not a valid ID",
                "Use lower-case letters, digits and '-', starting with a letter or digit.",
            )
        if value in self.kind_of:
            first = self.where[value]
            raise entry.error(
                name,
                f"duplicate ID '{value}' (also at {first.file}:{first.line_of('id')})",
                "Give each entry its own ID.",
            )
        if value in self.context.known:
            raise entry.error(
                name, f"duplicate ID '{value}': an earlier source defines it", "Rename one."
            )
        self.kind_of[value] = kind
        self.where[value] = entry

    # References.
    def ref(self, entry: Entry, name: str, value: object, kinds: tuple[str, ...]) -> URIRef:
        if not isinstance(value, str) or not value:
            raise entry.error(
                name, f"'{name}' must be an ID, not {shown(value)}", "Write the ID of an entry."
            )
        kind = self.kind_of.get(value)
        if kind is None and value in self.context.known:
            return self.context.known[value]
        if kind is None:
            candidates = [k for k, v in self.kind_of.items() if v in kinds]
            candidates += list(self.context.known)
            what = _kinds_text(kinds)
            raise entry.error(
                name, f"unknown {what} '{value}' in '{name}'", did_you_mean(value, candidates)
            )
        if kind not in kinds:
            what = _kinds_text(kinds)
            raise entry.error(
                name,
                f"'{value}' in '{name}' is a {KIND_NAMES.get(kind, kind)}, not a {what}",
                f"Point '{name}' to a {what}.",
            )
        return self.iri(value)

    def iri(self, entity_id: str) -> URIRef:
        return ID[entity_id]

    # Pass 2: fields.
    def emit_all(self) -> None:
        memberships_seen: dict[tuple[str, str, str], Entry] = {}
        for entry in self.entries:
            self._check_fields(entry)
            if entry.kind == "dataset":
                self._emit_dataset(entry)
            elif entry.kind == "memberships":
                self._emit_membership(entry, memberships_seen)
            elif entry.kind == "persons":
                self._emit_person(entry)
            else:
                self._emit_entity(entry)

    def _check_fields(self, entry: Entry) -> None:
        spec = SPEC[entry.kind]
        for name in entry.fields:
            if name not in spec:
                raise entry.error(
                    name,
                    f"unknown field '{name}' for a {KIND_NAMES.get(entry.kind, entry.kind)}",
                    did_you_mean(name, spec) or "Known fields: " + ", ".join(sorted(spec)) + ".",
                )

    def _value(self, entry: Entry, name: str) -> Any:
        """The checked Python value of a scalar field, or None."""
        value = entry.fields.get(name)
        if value is None or value == "":
            return None
        kind = SPEC[entry.kind][name]
        try:
            return self._convert(kind, value)
        except ValueError as exc:
            raise entry.error(name, f"'{name}' {exc}", "Correct the value.") from None

    @staticmethod
    def _convert(kind: str, value: Any) -> Any:
        """``value`` checked and converted for a field of type ``kind``; ValueError says why not."""
        if kind in (STR, TEXT):
            if isinstance(value, (dict, list)):
                raise ValueError("must be text, not a list or mapping")
            text = str(value).strip()
            if len(text) > MAX_LENGTH[kind]:
                raise ValueError(
                    f"must be at most {MAX_LENGTH[kind]} characters long, not {len(text)}"
                )
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
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "yes", "false", "no"):
                return text in ("true", "yes")
            raise ValueError("must be true or false")
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

    def _list(self, entry: Entry, name: str) -> list[Any]:
        value = entry.fields.get(name)
        if value is None:
            return []
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [value]
        if not isinstance(value, list):
            raise entry.error(name, f"'{name}' must be a list", f"Write '{name}: [a, b]'.")
        return value

    def _refs(self, entry: Entry, name: str) -> list[URIRef]:
        spec = SPEC[entry.kind][name]
        assert isinstance(spec, Ref)
        values = self._list(entry, name) if spec.many else [entry.fields.get(name)]
        return [self.ref(entry, name, v, spec.kinds) for v in values if v not in (None, "")]

    def _emit_dataset(self, entry: Entry) -> None:
        node = URIRef(BASE + "dataset/" + str(entry.fields["id"]))
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

    def _emit_entity(self, entry: Entry) -> None:
        g = self.graph
        entity_id = entry.fields["id"]
        node = self.iri(entity_id)
        kind = entry.kind
        self.ids[entity_id] = node
        self.locations[node] = Location(entry.file, entry.line)
        g.add((node, RDF.type, CLASSES[kind]))
        g.add((node, CKG.kind, Literal(KIND_NAMES[kind])))
        g.add((node, DCTERMS.identifier, Literal(entity_id)))
        label = self._value(entry, "label") or self._value(entry, "title")
        if label is None:
            raise entry.error(None, "the document has no 'label' or 'title'", "Add 'label: ...'.")
        g.add((node, RDFS.label, Literal(label, lang="en")))
        if kind in SCHEMES:
            g.add((node, SKOS.inScheme, SCHEMES[kind]))
            g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
        self._emit_common(entry, node)
        getattr(self, "_emit_" + kind)(entry, node)

    def _emit_common(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        for item in self._list(entry, "alt_labels"):
            g.add((node, SKOS.altLabel, self._alt_label(entry, item)))
        if (description := self._value(entry, "description")) is not None:
            g.add((node, DCTERMS.description, Literal(description, lang="en")))
        for theme in self._refs(entry, "themes"):
            g.add((node, DCTERMS.subject, theme))
        for purpose in self._refs(entry, "purposes"):
            g.add((node, CKG.purpose, purpose))
        for goal in self._list(entry, "sdgs"):
            g.add((node, CKG.contributesTo, self._sdg(entry, "sdgs", goal)))
        if (homepage := self._value(entry, "homepage")) is not None:
            g.add((node, FOAF.homepage, homepage))
        for owner in self._refs(entry, "owner"):
            g.add((node, CKG.ownedBy, owner))
        if (qid := self._value(entry, "wikidata")) is not None and entry.kind != "cities":
            g.add((node, OWL.sameAs, WD[qid]))
        self._emit_evidence(entry, node)
        self._emit_contact(entry, node)
        self._emit_internal(entry, node)

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
        if entry.fields.get("internal") is not True:
            raise entry.error(
                "internal" if "internal" in entry.fields else None,
                f"the person '{person_id}' is not marked internal",
                "Add 'internal: true' to the entry: persons are only kept as internal data.",
            )
        g = self.graph
        node = self.iri(person_id)
        self.ids[person_id] = node
        self.locations[node] = Location(entry.file, entry.line)
        name = self._value(entry, "name")
        g.add((node, RDF.type, CKG.Person))
        g.add((node, CKG.kind, Literal("person")))
        g.add((node, DCTERMS.identifier, Literal(person_id)))
        g.add((node, RDFS.label, Literal(name, lang="en")))
        g.add((node, FOAF.name, Literal(name)))
        g.add((node, CKG.internal, Literal(True)))
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
            number = int(str(goal))
            return sdg_iri(number)
        except ValueError:
            raise entry.error(
                name, f"'{goal}' is not a UN goal", "SDGs are numbered 1 to 17."
            ) from None

    def _alt_label(self, entry: Entry, item: object) -> Literal:
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

    def _emit_evidence(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        for item in self._list(entry, "evidence"):
            if isinstance(item, dict) and set(item) == {"source"}:
                source = item["source"]
                if not isinstance(source, str) or not URL_PATTERN.match(source.strip()):
                    raise entry.error(
                        "evidence",
                        f"evidence source {shown(source)} is not a URL",
                        "Give an http(s) URL.",
                    )
                g.add((node, DCTERMS.source, URIRef(source.strip())))
                continue
            if isinstance(item, dict) and set(item) == {"section", "quote"}:
                section = self.ref(entry, "evidence", item["section"], ("sections",))
                quote = item["quote"]
                if not isinstance(quote, str) or not quote.strip():
                    raise entry.error(
                        "evidence", "an evidence quote is empty", "Quote the passage."
                    )
                quote = " ".join(quote.split())
                passage = _passage_iri(str(item["section"]), quote)
                g.add((passage, RDF.type, CKG.Passage))
                g.add((passage, PROV.value, Literal(quote)))
                g.add((passage, DCTERMS.isPartOf, section))
                for document in g.objects(section, DCTERMS.isPartOf):
                    g.add((passage, PROV.wasQuotedFrom, document))
                g.add((node, PROV.wasDerivedFrom, passage))
                continue
            raise entry.error(
                "evidence",
                f"evidence {shown(item)} is neither {{section, quote}} nor {{source}}",
                "Write '- {section: s-c40, quote: \"...\"}' or '- {source: https://...}'.",
            )

    def _emit_internal(self, entry: Entry, node: URIRef) -> None:
        value = entry.fields.get("internal")
        if value is None or value is False:
            return
        # A city's place repeats its label and holds its population: it shares the city's marks.
        targets = [node]
        if entry.kind == "cities":
            targets.append(ID["place/" + self._id_of(node)])
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
        self, entry: Entry, node: URIRef, start_name: str = "start", end_name: str = "end"
    ) -> tuple[Literal | None, Literal | None]:
        start = self._value(entry, start_name)
        end = self._value(entry, end_name)
        if start is not None and end is not None and _ends_before(start, end):
            raise entry.error(
                end_name, f"the end {end} is before the start {start}", "Swap or correct the dates."
            )
        return start, end

    def _dates(self, entry: Entry, node: URIRef) -> None:
        start, end = self._period(entry, node)
        if start is not None:
            self.graph.add((node, SCHEMA.startDate, start))
        if end is not None:
            self.graph.add((node, SCHEMA.endDate, end))

    # One method per kind.
    def _emit_documents(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        if (published := self._value(entry, "published")) is not None:
            g.add((node, SCHEMA.datePublished, published))
        if (url := self._value(entry, "url")) is not None:
            g.add((node, FOAF.homepage, url))
        sections = self._list(entry, "sections")
        for number, section in enumerate(sections, 1):
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
            iri = self.iri(section["id"])
            self.ids[section["id"]] = iri
            g.add((iri, RDF.type, CKG.Section))
            g.add((iri, CKG.kind, Literal("section")))
            g.add((iri, DCTERMS.identifier, Literal(section["id"])))
            g.add((iri, RDFS.label, Literal(str(section["title"]).strip(), lang="en")))
            g.add((iri, DCTERMS.isPartOf, node))
            g.add((iri, CKG.number, Literal(number)))

    def _emit_themes(self, entry: Entry, node: URIRef) -> None:
        for broader in self._refs(entry, "broader"):
            self.graph.add((node, SKOS.broader, broader))
        if (goal := entry.fields.get("sdg")) is not None:
            self.graph.add((node, SKOS.exactMatch, self._sdg(entry, "sdg", goal)))

    def _emit_purposes(self, entry: Entry, node: URIRef) -> None:
        return None

    _emit_roles = _emit_purposes

    def _emit_countries(self, entry: Entry, node: URIRef) -> None:
        if (code := self._value(entry, "code")) is not None:
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise entry.error(
                    "code",
                    f"'{code}' is not an ISO 3166-1 alpha-2 code",
                    "Write two capital letters, like DK.",
                )
            self.graph.add((node, SKOS.notation, Literal(code)))
        if (qid := self._value(entry, "wikidata")) is not None:
            self.graph.add((node, SKOS.exactMatch, WD[qid]))

    def _emit_cities(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        place = ID["place/" + entry.fields["id"]]
        g.add((node, SCHEMA.location, place))
        g.add((place, RDF.type, SCHEMA.City))
        g.add((place, RDFS.label, Literal(self._value(entry, "label"), lang="en")))
        if (qid := self._value(entry, "wikidata")) is not None:
            g.add((place, SKOS.exactMatch, WD[qid]))
        for name, predicate in (("lat", POS.lat), ("long", POS.long)):
            if (number := self._value(entry, name)) is not None:
                g.add((place, predicate, Literal(number, datatype=XSD.decimal)))
        if (population := self._value(entry, "population")) is not None:
            g.add((place, CKG.population, Literal(population, datatype=XSD.integer)))
        for country in self._refs(entry, "country"):
            g.add((node, CKG.country, country))
            g.add((place, CKG.country, country))
        for region in self._refs(entry, "region"):
            g.add((node, CKG.inRegion, region))
        if (capital := self._value(entry, "capital")) is not None:
            g.add((node, CKG.capital, Literal(capital)))

    def _emit_regions(self, entry: Entry, node: URIRef) -> None:
        for country in self._refs(entry, "country"):
            self.graph.add((node, CKG.country, country))

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
            g.add((node, SCHEMA.location, ID["place/" + self._id_of(city)]))

    def _id_of(self, iri: URIRef) -> str:
        return str(iri)[len(str(ID)) :]

    def _emit_administrations(self, entry: Entry, node: URIRef) -> None:
        refs = self._refs(entry, "part_of")
        if not refs:
            raise entry.error(
                None, "the administration has no 'part_of'", "Name the city it belongs to."
            )
        for city in refs:
            self.graph.add((node, ORG.unitOf, city))

    def _emit_networks(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        if (founded := self._value(entry, "founded")) is not None:
            g.add((node, SCHEMA.foundingDate, founded))
        if (count := self._value(entry, "member_count")) is not None:
            g.add((node, CKG.memberCount, Literal(count, datatype=XSD.integer)))
        for parent in self._refs(entry, "part_of"):
            g.add((node, ORG.subOrganizationOf, parent))

    def _emit_projects(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        self._dates(entry, node)
        for programme in self._refs(entry, "programme"):
            g.add((node, CKG.programme, programme))
        for name, predicate in (
            ("budget_eur", CKG.budget),
            ("eu_contribution_eur", CKG.euContribution),
        ):
            if (amount := self._value(entry, name)) is not None:
                if amount < 0:
                    raise entry.error(name, f"'{name}' is negative", "Give the amount in euros.")
                g.add((node, predicate, Literal(amount, datatype=XSD.decimal)))
        if (grant := self._value(entry, "grant_id")) is not None:
            g.add((node, CKG.grantId, Literal(grant)))
        for plan in self._refs(entry, "supports"):
            g.add((node, CKG.supports, plan))

    def _emit_programmes(self, entry: Entry, node: URIRef) -> None:
        self._dates(entry, node)
        for organizer in self._refs(entry, "organizer"):
            self.graph.add((node, SCHEMA.organizer, organizer))

    def _emit_cooperations(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        self._dates(entry, node)
        parties = self._refs(entry, "parties")
        if len(set(parties)) < 2:
            raise entry.error(
                "parties",
                "a cooperation needs at least two different parties",
                "List both parties' IDs.",
            )
        for party in parties:
            g.add((node, CKG.party, party))
        for programme in self._refs(entry, "programme"):
            g.add((node, CKG.programme, programme))
        for name, predicate in (
            ("binding", CKG.binding),
            ("council_approval_required", CKG.councilApprovalRequired),
        ):
            if (flag := self._value(entry, name)) is not None:
                g.add((node, predicate, Literal(flag)))
        if (approved := self._value(entry, "council_approved")) is not None:
            g.add((node, CKG.councilApproved, approved))
        for plan in self._refs(entry, "supports"):
            g.add((node, CKG.supports, plan))

    def _emit_events(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        self._dates(entry, node)
        for city in self._refs(entry, "location"):
            g.add((node, SCHEMA.location, ID["place/" + self._id_of(city)]))
        for host in self._refs(entry, "hosts"):
            g.add((node, CKG.hostedBy, host))
        for parent in self._refs(entry, "part_of"):
            g.add((node, SCHEMA.superEvent, parent))
        for organizer in self._refs(entry, "organizer"):
            g.add((node, SCHEMA.organizer, organizer))

    def _emit_plans(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        if (kind := self._value(entry, "type")) is not None:
            if kind not in PLAN_TYPES:
                raise entry.error(
                    "type",
                    f"unknown plan type '{kind}'",
                    did_you_mean(kind, PLAN_TYPES) or "Known types: " + ", ".join(PLAN_TYPES) + ".",
                )
            g.add((node, DCTERMS.type, Literal(kind)))
        if (year := self._value(entry, "year")) is not None:
            g.add((node, DCTERMS.issued, year))
        for party in self._refs(entry, "parties"):
            g.add((node, CKG.party, party))

    def _emit_principles(self, entry: Entry, node: URIRef) -> None:
        g = self.graph
        g.add((node, SKOS.inScheme, CKG.PrincipleScheme))
        number = self._value(entry, "number")
        g.add((node, CKG.number, Literal(number, datatype=XSD.integer)))
        g.add((node, SKOS.notation, Literal(str(number))))
        if (text := self._value(entry, "text")) is not None:
            g.add((node, DCTERMS.description, Literal(text, lang="en")))

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
        key = (self._id_of(member), self._id_of(organization), self._id_of(role))
        if key in seen:
            first = seen[key]
            raise entry.error(
                "member",
                f"duplicate membership of '{key[0]}' in '{key[1]}' as '{key[2]}'"
                f" (also at {first.file}:{first.line})",
                "Remove one of them.",
            )
        seen[key] = entry
        short = "membership/" + "/".join(key)
        node = ID[short]
        self.locations[node] = Location(entry.file, entry.line)
        g.add((node, RDF.type, ORG.Membership))
        g.add((node, DCTERMS.identifier, Literal(short)))
        g.add((node, ORG.member, member))
        g.add((node, ORG.organization, organization))
        g.add((node, ORG.role, role))
        label = f"{key[0]} in {key[1]} ({key[2]})"
        g.add((node, RDFS.label, Literal(label, lang="en")))
        start, end = self._period(entry, node)
        add_membership_period(g, node, start, end)
        if (note := self._value(entry, "note")) is not None:
            g.add((node, RDFS.comment, Literal(note, lang="en")))
        self._emit_evidence(entry, node)
        self._emit_contact(entry, node)
        self._emit_internal(entry, node)


def _entries(folder: Path) -> Iterator[Entry]:
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".csv"))
    if not files:
        raise DataError(
            "the folder holds no .yaml or .csv files", "Give a dataset folder.", file=folder
        )
    inside = folder.resolve()
    for path in files:
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            # A link placed in a folder that someone else builds (root, a service) would
            # show the first line of any file the builder can read in an error message.
            raise DataError(
                "is a link to a file outside the dataset folder",
                "Copy the file into the folder instead of linking to it.",
                file=path,
            )
        if path.suffix == ".csv":
            yield from _read_csv(path)
        else:
            yield from _read_yaml(path)


def load_dataset(path: Path, context: LoadContext | None = None) -> LoadedSource:
    """Load a dataset folder (or one of its files) into a new graph.

    Parameters
    ----------
    path : Path
        A dataset folder, or a single ``.yaml``/``.csv`` file of one.
    context : LoadContext, optional
        IDs known from earlier sources.

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
    if path.is_dir():
        entries = list(_entries(path))
    elif path.suffix == ".csv":
        entries = list(_read_csv(path))
    else:
        entries = list(_read_yaml(path))
    if not entries:
        raise DataError(
            "the dataset has no entries",
            "Add at least one kind with entries, such as 'cities:'.",
            file=path,
        )
    graph = Graph()
    builder = _Builder(entries, context, graph)
    builder.collect_ids()
    # Documents first, so that passages find their sections' documents.
    builder.entries.sort(key=lambda e: 0 if e.kind == "documents" else 1)
    builder.emit_all()
    dataset_ids = [str(e.fields["id"]) for e in entries if e.kind == "dataset"]
    slug = dataset_ids[0] if dataset_ids else (path.stem if path.is_file() else path.name)
    slug = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-") or "dataset"
    return LoadedSource(
        name=source_graph_iri(slug),
        label=slug,
        path=str(path),
        loader=DatasetLoader.name,
        graph=graph,
        ids=builder.ids,
        locations=builder.locations,
    )


class DatasetLoader:
    """Loads citykg's YAML/CSV dataset folders."""

    name = "dataset"
    description = "citykg's YAML/CSV dataset format (a folder of .yaml and .csv files)"

    def accepts(self, path: Path) -> bool:
        if path.is_dir():
            return any(p.suffix in (".yaml", ".yml") for p in path.iterdir())
        return path.suffix in (".yaml", ".yml")

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]:
        return [load_dataset(path, context)]
