"""Member lists from spreadsheets: "the members of network X" as a CSV, TSV or XLSX file.

Each row names a member. The loader matches the name to an actor the build's datasets and RDF
files define (by label or alternative label, ignoring case and accents; never to what another
member list created), creates a new city where none matches, and adds one ``org:Membership``
per row, in its own graph even when another source states the membership too; it never
guesses between two actors of the same name.

The column mapping comes from the command line (``LoadContext.options``), from ``# key: value``
lines at the top of a CSV file (a small YAML header), or from a sidecar file ``<file>.yaml``
next to the list; the command line wins. Keys: ``network`` (required), ``name_column``,
``country_column``, ``id_column``, ``start_column``, ``end_column``, ``role``, ``sheet``,
``source_url``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS

from citykg.errors import DataError, LoaderError, did_you_mean
from citykg.loaders.base import LoadContext, LoadedSource, Location, source_graph_iri
from citykg.loaders.common import (
    ID_PATTERN,
    TIME_PROPERTY,
    URL_PATTERN,
    add_membership_period,
    ends_before,
    id_of,
    membership_id,
    parse_date,
    read_text,
)
from citykg.loaders.limits import YamlLimitError, check_xlsx, load_yaml
from citykg.loaders.names import Named, NameIndex, fold, slug
from citykg.ontology.marks import has_internal_mark
from citykg.ontology.namespaces import CKG, ID, SCHEMA

__all__ = ["OPTION_KEYS", "MembersLoader", "MembersReport", "load_members", "read_table"]

#: Options a member list understands (command line, YAML header or sidecar).
OPTION_KEYS = (
    "network",
    "name_column",
    "country_column",
    "id_column",
    "start_column",
    "end_column",
    "role",
    "sheet",
    "source_url",
)
SUFFIXES = (".csv", ".tsv", ".xlsx")
ACTOR_KINDS = ("city", "region", "organisation", "administration")
ORGANIZATION_KINDS = ("network", "project", "programme", "cooperation", "organisation", "region")
NAME_COLUMNS = ("name", "city", "member", "label")


@dataclass
class MembersReport:
    """What a member list did: counts, and one line per row that needs a look."""

    rows: int = 0
    matched: int = 0
    created: int = 0
    already: int = 0
    ambiguous: int = 0
    skipped: int = 0
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    """A spreadsheet read into cells: the header, and each row with its 1-based line."""

    header: list[str]
    header_line: int
    rows: list[tuple[int, dict[str, str]]]
    options: dict[str, Any]


# --- Reading ------------------------------------------------------------------------------------


def _options_from_yaml(text: str, path: Path, line: int = 1) -> dict[str, Any]:
    try:
        value = load_yaml(text)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        raise DataError(
            exc.problem or "the YAML header is too big",
            exc.fix,
            file=path,
            line=line + mark.line if mark else line,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            "malformed YAML header",
            "Write one 'key: value' per line.",
            file=path,
            line=line + mark.line if mark else line,
        ) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DataError(
            "the YAML header must be 'key: value' lines",
            "Write 'network: c40'.",
            file=path,
            line=line,
        )
    for key in value:
        if key not in OPTION_KEYS:
            raise DataError(
                f"unknown option '{key}'",
                did_you_mean(str(key), OPTION_KEYS)
                or "Known options: " + ", ".join(OPTION_KEYS) + ".",
                file=path,
                line=line,
            )
    for key, option in value.items():
        if isinstance(option, (dict, list)):
            raise DataError(
                f"the option '{key}' must be one value, not a list or mapping",
                f"Write '{key}: value'.",
                file=path,
                line=line,
            )
    return {str(k): ("" if v is None else str(v)) for k, v in value.items()}


def _delimiter(header_line: str) -> str:
    # Chosen from the header alone: names in data rows ("Washington, D.C.") hold commas, and
    # csv.Sniffer guesses wrong on short lists where most rows have one cell.
    counts = {d: 0 for d in (";", ",", "\t")}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    # A header without any delimiter is a one-column list: every line is one name, commas and all.
    return best if counts[best] else "\x1f"


def _read_csv_table(path: Path) -> Table:
    text = read_text(path)
    lines = text.splitlines(keepends=True)
    header_lines = 0
    while header_lines < len(lines) and lines[header_lines].lstrip().startswith("#"):
        header_lines += 1
    yaml_text = "".join(line.lstrip()[1:] for line in lines[:header_lines])
    options = _options_from_yaml(yaml_text, path) if header_lines else {}
    body = "".join(lines[header_lines:])
    first = next((line for line in lines[header_lines:] if line.strip()), None)
    if first is None:
        raise DataError(
            "the list has no header row", "Put the column names in the first row.", file=path
        )
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _delimiter(first)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, dict[str, str]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            line = header_lines + reader.line_num
            last = end == len(lines) - header_lines
            if any("\n" in cell or "\r" in cell for cell in cells) or (
                last and body.count('"') % 2
            ):
                # No name or date holds a line break: a quote that is not closed on its line
                # reads the lines after it into one cell (100 members into one new city).
                raise DataError(
                    'a quote (") opened on this line is not closed on it',
                    "Close it; names and dates never run over several lines.",
                    file=path,
                    line=header_lines + start,
                )
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = [c.strip() for c in cells], line
                continue
            if len(cells) > len(header):
                raise DataError(
                    f"the row has {len(cells)} cells but the header has {len(header)}",
                    'Quote names that contain the delimiter, like "Washington, D.C.".',
                    file=path,
                    line=line,
                )
            rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=False)}))
    except csv.Error as exc:
        raise DataError(
            f"malformed CSV: {exc}",
            "Check the quoting.",
            file=path,
            line=header_lines + reader.line_num,
        ) from None
    assert header is not None
    return Table(header, header_line, rows, options)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx_table(path: Path, sheet: str | None) -> Table:
    import openpyxl  # imported here: only XLSX lists need it
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise DataError(
            "is not an Excel workbook (.xlsx)", "Save the list as .xlsx or .csv.", file=path
        ) from None
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise DataError(
                    f"the workbook has no sheet '{sheet}'",
                    did_you_mean(sheet, workbook.sheetnames)
                    or "Sheets: " + ", ".join(workbook.sheetnames) + ".",
                    file=path,
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        # The sheet's own dimensions may claim any range (one cell at XFD1048576 makes it
        # 17 billion cells): forgotten, rows come as written, each as wide as its last cell.
        worksheet.reset_dimensions()
        header: list[str] | None = None
        header_line = 0
        rows: list[tuple[int, dict[str, str]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
            if not values:
                continue
            cells = [_cell_text(v) for v in values]
            if not any(cells):
                continue
            if header is None:
                header, header_line = cells, number
                while header and not header[-1]:
                    header.pop()
                continue
            if any(cells[len(header) :]):
                column = len(header) + next(i for i, c in enumerate(cells[len(header) :]) if c)
                raise DataError(
                    f"the cell {get_column_letter(column + 1)}{number} is right of the "
                    f"header's last column ({get_column_letter(len(header))})",
                    "Give the column a name in the header row, or delete the cell.",
                    file=path,
                    line=number,
                )
            rows.append((number, {h: c for h, c in zip(header, cells, strict=False) if h}))
    finally:
        workbook.close()
    if header is None:
        raise DataError("the sheet is empty", "Put the column names in the first row.", file=path)
    return Table(header, header_line, rows, {})


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a member list (CSV, TSV or XLSX) into a :class:`Table`.

    CSV files may be UTF-8 with or without a byte-order mark, separated by ``,``, ``;`` or tabs,
    with quoted cells, blank lines and stray spaces; a CSV file may start with ``# key: value``
    lines that set options.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "m.csv").write_text('\\ufeffCity;Country\\n"Washington, D.C." ;US\\n\\n')
    >>> read_table(folder / "m.csv").rows
    [(2, {'City': 'Washington, D.C.', 'Country': 'US'})]
    """
    if not path.exists():
        raise LoaderError("no such file", "Check the path.", file=path)
    if path.is_dir():
        raise LoaderError(
            "is a folder, not a member list", "Give a .csv, .tsv or .xlsx file.", file=path
        )
    if not path.is_file():
        raise LoaderError(
            "is a device, pipe or socket, not a file", "Give a .csv, .tsv or .xlsx file.", file=path
        )
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx_table(path, sheet)
    if suffix in (".csv", ".tsv"):
        return _read_csv_table(path)
    raise LoaderError(
        f"cannot read '{path.suffix}' member lists", "Give a .csv, .tsv or .xlsx file.", file=path
    )


def _sidecar_options(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.name + ".yaml")
    if not sidecar.exists():
        return {}
    return _options_from_yaml(read_text(sidecar), sidecar)


# --- Matching and emitting -----------------------------------------------------------------------


def _slug(text: str) -> str:
    # Names in scripts other than Latin get a stable ID from their text.
    return slug(text, "city-" + hashlib.sha1(text.encode()).hexdigest()[:8])


_KINDS_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?e ?id ?kind WHERE { ?e ckg:kind ?kind ; dcterms:identifier ?id }"""

_COUNTRY_OF_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
SELECT ?e ?country WHERE { ?e ckg:country ?country }"""

_CODES_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?id ?code WHERE {
    ?c ckg:kind "country" ; dcterms:identifier ?id ; skos:notation ?code
}"""

_UNNAMED_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?id WHERE {
    ?e ckg:kind "city" ; dcterms:identifier ?id . FILTER NOT EXISTS { ?e rdfs:label ?l }
}"""

_MEMBERSHIPS_QUERY = """
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?member ?org ?role WHERE {
    ?m org:member ?member ; org:organization ?org ; org:role ?role
}"""


class _Matcher:
    """What the graph loaded so far knows: kinds, names, countries."""

    def __init__(self, graph: Graph) -> None:
        self.kinds: dict[str, tuple[URIRef, str]] = {}
        for entity, identifier, kind in graph.query(_KINDS_QUERY):  # type: ignore[misc]
            self.kinds[str(identifier)] = (URIRef(str(entity)), str(kind))
        self.actors = NameIndex.from_graph(graph, ACTOR_KINDS)
        self.countries = NameIndex.from_graph(graph, ("country",))
        self.codes: dict[str, Named] = {}
        for entity, identifier, code in graph.query(_CODES_QUERY):  # type: ignore[misc]
            self.codes[str(code).upper()] = Named(str(identifier), URIRef(str(entity)), "country")
        #: Cities a dataset adds facts to (a country, say) that no source has named yet.
        self.unnamed_cities = {str(row[0]) for row in graph.query(_UNNAMED_QUERY)}  # type: ignore[index]
        self.country_of: dict[URIRef, URIRef] = {}
        for entity, country in graph.query(_COUNTRY_OF_QUERY):  # type: ignore[misc]
            self.country_of[URIRef(str(entity))] = URIRef(str(country))
        self.graph = graph

    def entity(
        self, identifier: str, kinds: tuple[str, ...], what: str, option: str, path: Path
    ) -> URIRef:
        found = self.kinds.get(identifier)
        if found is None or found[1] not in kinds:
            candidates = [i for i, (_, k) in self.kinds.items() if k in kinds]
            raise LoaderError(
                f"unknown {what} '{identifier}' in '{option}'",
                did_you_mean(identifier, candidates)
                or f"Give the ID of a {what} loaded before the list.",
                file=path,
            )
        return found[0]

    def country(self, text: str) -> Named | None:
        if text.upper() in self.codes:
            return self.codes[text.upper()]
        found = self.countries.lookup(text)
        return found[0] if len(found) == 1 else None

    def members_of(self, organization: URIRef) -> set[tuple[URIRef, URIRef]]:
        # Filtered here: the Oxigraph store binds only projected variables (notes/oxigraph.md).
        rows = self.graph.query(_MEMBERSHIPS_QUERY)
        return {(URIRef(str(m)), URIRef(str(r))) for m, o, r in rows if o == organization}  # type: ignore[misc]


def _column(table: Table, options: Mapping[str, Any], key: str, path: Path) -> str | None:
    wanted = options.get(key)
    if not wanted:
        return None
    by_fold = {h.casefold(): h for h in table.header}
    column = wanted if wanted in table.header else by_fold.get(str(wanted).casefold())
    if column is None:
        raise LoaderError(
            f"unknown column '{wanted}' for --{key.replace('_', '-')}",
            did_you_mean(str(wanted), table.header)
            or "The columns are: " + ", ".join(table.header) + ".",
            file=path,
            line=table.header_line,
        )
    return column


def _list_options(path: Path, context: LoadContext) -> tuple[dict[str, Any], Table]:
    """The list's table and its options: sidecar, then the file's header, then the command
    line, each overriding the one before."""
    sidecar = _sidecar_options(path) if path.is_file() else {}
    given = {k: v for k, v in context.options.items() if k in OPTION_KEYS and v not in (None, "")}
    table = read_table(path, str(given.get("sheet") or sidecar.get("sheet") or "") or None)
    options: dict[str, Any] = {**sidecar, **table.options, **given}
    if not options.get("network"):
        raise LoaderError(
            "the member list does not say which network it lists",
            "Give --network ID, or a line '# network: ID' at the top of the file.",
            file=path,
        )
    return options, table


def _name_column(table: Table, options: Mapping[str, Any], path: Path) -> str:
    column = _column(table, options, "name_column", path)
    if column is not None:
        return column
    by_fold = {h.casefold(): h for h in table.header}
    found = next((by_fold[c] for c in NAME_COLUMNS if c in by_fold), None)
    if found is None:
        raise LoaderError(
            "no column holds the members' names",
            "Give --name-column; the columns are: " + ", ".join(table.header) + ".",
            file=path,
            line=table.header_line,
        )
    return found


def _source(options: Mapping[str, Any], path: Path) -> URIRef:
    source_url = str(options.get("source_url") or "")
    if source_url and not URL_PATTERN.match(source_url):
        raise LoaderError(
            f"'{source_url}' is not a URL", "Give --source-url as an http(s) URL.", file=path
        )
    return URIRef(source_url) if source_url else URIRef(path.resolve().as_uri())


class _Rows:
    """Adds a member list's rows one by one, counting what happened to each."""

    def __init__(
        self, path: Path, table: Table, options: Mapping[str, Any], context: LoadContext
    ) -> None:
        self.path = path
        self.name_column = _name_column(table, options, path)
        self.columns = {
            key: _column(table, options, key, path)
            for key in ("country_column", "id_column", "start_column", "end_column")
        }
        self.source = _source(options, path)
        self.matcher = _Matcher(context.graph)
        self.network_id = str(options["network"])
        self.organization = self.matcher.entity(
            self.network_id, ORGANIZATION_KINDS, "network", "network", path
        )
        role_id = str(options.get("role") or "member")
        self.role = self.matcher.entity(role_id, ("role",), "role", "role", path)
        self.existing = self.matcher.members_of(self.organization)
        # A city that only a list of an internal network names is as internal as the network.
        self.internal = has_internal_mark(context.graph, self.organization)
        self.graph = Graph()
        self.report = MembersReport()
        self.created: dict[str, URIRef] = {}
        self.done: dict[URIRef, int] = {}
        self.facts: dict[tuple[URIRef, URIRef], Location] = {}
        self.locations: dict[URIRef, Location] = {}

    def row(self, line: int, cells: Mapping[str, str]) -> None:
        report = self.report
        report.rows += 1
        where = f"{self.path.name}:{line}"
        member_name = " ".join(cells.get(self.name_column, "").split())
        if not member_name:
            report.skipped += 1
            report.lines.append(f"{where}: the row has no name in '{self.name_column}'; skipped.")
            return
        country = self._country(cells, member_name, where)
        member = _match(
            self.matcher, cells, self.columns["id_column"], member_name, country, report, where
        )
        if member is None:
            return
        new = member == _CREATE
        if new:
            before = len(self.created)
            member = _create_city(
                self.graph, self.matcher, self.created, member_name, country, self.source, cells,
                self.columns["id_column"],
            )  # fmt: skip
            new = len(self.created) > before
            if self.internal:
                self.graph.add((member, CKG.internal, Literal(True)))
            if new:
                self.locations[member] = Location(str(self.path), line)
                report.lines.append(f"{where}: created city '{id_of(member)}' for '{member_name}'.")
        if member in self.done:
            report.skipped += 1
            report.lines.append(
                f"{where}: '{member_name}' is listed again (first on line {self.done[member]}); "
                "skipped."
            )
            return
        self.done[member] = line
        self._add(member, member_name, new, cells, line, where)

    def _country(self, cells: Mapping[str, str], member_name: str, where: str) -> Named | None:
        column = self.columns["country_column"]
        text = cells.get(column, "") if column else ""
        if not text:
            return None
        country = self.matcher.country(text)
        if country is None:
            self.report.lines.append(
                f"{where}: unknown country '{text}' for '{member_name}'; ignored."
            )
        return country

    def _add(
        self,
        member: URIRef,
        member_name: str,
        new: bool,
        cells: Mapping[str, str],
        line: int,
        where: str,
    ) -> None:
        report = self.report
        if new:
            report.created += 1
        else:
            report.matched += 1
        if (member, self.role) in self.existing:
            # Another source states the membership too: the list states it in its own graph
            # all the same, with its source and dates (the build reports a conflict if the
            # other source gives other dates), so that nothing the list says is dropped.
            report.already += 1
            dated = any(
                cells.get(c, "")
                for c in (self.columns["start_column"], self.columns["end_column"])
                if c
            )
            if dated:
                report.lines.append(
                    f"{where}: '{member_name}' is already listed in '{self.network_id}' by "
                    "another source; the row's dates are added to that membership."
                )
        node = _add_membership(
            self.graph, member, self.organization, self.role, self.source, cells, self.columns,
            self.path, line,
        )  # fmt: skip
        for fact in _period_facts(self.graph, node):
            self.facts[fact] = Location(str(self.path), line)

    def summary(self, name: str) -> str:
        r = self.report
        return (
            f"{name}: {r.rows} rows for '{self.network_id}': {r.matched} matched, "
            f"{r.created} created, {r.ambiguous} ambiguous, {r.skipped} skipped "
            f"({r.already} already listed by another source)."
        )


def _period_facts(graph: Graph, membership: URIRef) -> list[tuple[URIRef, URIRef]]:
    """The (instant, predicate) pairs of a membership's period: where a date is stated."""
    return [
        (instant, predicate)
        for instant in (URIRef(f"{membership}/period/start"), URIRef(f"{membership}/period/end"))
        for predicate in TIME_PROPERTY.values()
        if (instant, predicate, None) in graph
    ]


def load_members(path: Path, context: LoadContext | None = None) -> LoadedSource:
    """Load a member list into a new graph of memberships (and the cities it had to create).

    Parameters
    ----------
    path : Path
        A ``.csv``, ``.tsv`` or ``.xlsx`` file with one member per row.
    context : LoadContext
        The graph loaded so far (names are matched against it) and the options
        (``network`` and the column mapping).

    Returns
    -------
    LoadedSource
        The memberships; ``report`` starts with a summary whose counts add up to the rows
        (matched, created, ambiguous, skipped; and how many of the memberships another source
        states too), then one line per row that needs a look.

    Examples
    --------
    >>> import tempfile
    >>> from citykg.graph.build import assemble
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "c40.csv").write_text("City\\nKØBENHAVN\\nAtlantis\\n")
    >>> context = LoadContext(graph=assemble(validate=False).dataset, options={"network": "c40"})
    >>> loaded = load_members(folder / "c40.csv", context)
    >>> print(loaded.report[0].replace(": 1 matched", ":\\n1 matched"))
    c40.csv: 2 rows for 'c40':
    1 matched, 1 created, 0 ambiguous, 0 skipped (1 already listed by another source).
    """
    context = context or LoadContext()
    options, table = _list_options(path, context)
    rows = _Rows(path, table, options, context)
    for line, cells in table.rows:
        rows.row(line, cells)
    graph_slug = "members-" + _slug(path.stem)
    return LoadedSource(
        name=source_graph_iri(graph_slug),
        label=graph_slug,
        path=str(path),
        loader=MembersLoader.name,
        graph=rows.graph,
        ids={id_of(iri): iri for iri in rows.created.values()},
        locations=rows.locations,
        report=[rows.summary(path.name), *rows.report.lines],
        facts=rows.facts,
    )


#: What :func:`_match` returns for a row that becomes a new city.
_CREATE = URIRef("urn:citykg:create-city")


def _match(
    matcher: _Matcher,
    cells: Mapping[str, str],
    id_column: str | None,
    member_name: str,
    country: Named | None,
    report: MembersReport,
    where: str,
) -> URIRef | None:
    """The matching actor, ``_CREATE`` for a new city, or None (ambiguous: reported)."""
    if id_column and (identifier := cells.get(id_column, "")):
        found = matcher.kinds.get(identifier)
        if found is not None and found[1] in ACTOR_KINDS:
            return found[0]
        return _CREATE
    candidates = matcher.actors.lookup(member_name)
    if country is not None and len(candidates) > 1:
        # A candidate in another country is another place of the same name.
        candidates = [
            c for c in candidates if matcher.country_of.get(c.iri, country.iri) == country.iri
        ]
    elif country is not None and len(candidates) == 1:
        other = matcher.country_of.get(candidates[0].iri)
        if other is not None and other != country.iri:
            candidates = []
    if len(candidates) == 1:
        return candidates[0].iri
    if not candidates:
        return _CREATE
    report.ambiguous += 1
    ids = ", ".join(c.identifier for c in candidates)
    report.lines.append(
        f"{where}: '{member_name}' is ambiguous ({ids}); not added. "
        "Add a country column, or an id column with the ID."
    )
    return None


def _create_city(
    graph: Graph,
    matcher: _Matcher,
    created: dict[str, URIRef],
    member_name: str,
    country: Named | None,
    source: URIRef,
    cells: Mapping[str, str],
    id_column: str | None,
) -> URIRef:
    key = fold(member_name) + "\0" + (country.identifier if country else "")
    if key in created:
        return created[key]
    base = cells.get(id_column, "") if id_column else ""
    if not base or not ID_PATTERN.match(base):
        base = _slug(member_name)
    identifier = base
    taken = base in matcher.kinds and base not in matcher.unnamed_cities
    # A city a dataset adds facts to without naming it is waiting for this list to name it.
    if taken or identifier in {id_of(i) for i in created.values()}:
        identifier = f"{base}-{country.identifier}" if country else base
        number = 2
        while identifier in matcher.kinds or identifier in {id_of(i) for i in created.values()}:
            identifier = f"{base}-{number}"
            number += 1
    node, place = ID[identifier], ID["place/" + identifier]
    label = Literal(member_name, lang="en")
    for triple in (
        (node, RDF.type, CKG.City),
        (node, CKG.kind, Literal("city")),
        (node, DCTERMS.identifier, Literal(identifier)),
        (node, RDFS.label, label),
        (node, SCHEMA.location, place),
        (node, DCTERMS.source, source),
        # what a list gives is listed (the dataset loader derives the same from a source)
        (node, CKG.status, CKG.listed),
        (place, RDF.type, SCHEMA.City),
        (place, RDFS.label, label),
    ):
        graph.add(triple)
    if country is not None:
        graph.add((node, CKG.country, country.iri))
        graph.add((place, CKG.country, country.iri))
    created[key] = node
    return node


def _add_membership(
    graph: Graph,
    member: URIRef,
    organization: URIRef,
    role: URIRef,
    source: URIRef,
    cells: Mapping[str, str],
    columns: Mapping[str, str | None],
    path: Path,
    line: int,
) -> URIRef:
    short = membership_id(*(id_of(i) for i in (member, organization, role)))
    node = ID[short]
    graph.add((node, RDF.type, ORG.Membership))
    graph.add((node, DCTERMS.identifier, Literal(short)))
    graph.add((node, ORG.member, member))
    graph.add((node, ORG.organization, organization))
    graph.add((node, ORG.role, role))
    member_id, org_id, role_id = short.split("/")[1:]
    graph.add((node, RDFS.label, Literal(f"{member_id} in {org_id} ({role_id})", lang="en")))
    graph.add((node, DCTERMS.source, source))
    graph.add((node, CKG.status, CKG.listed))
    dates: dict[str, Literal] = {}
    for key in ("start_column", "end_column"):
        column = columns.get(key)
        if column and (text := cells.get(column, "")):
            try:
                dates[key] = parse_date(text)
            except ValueError as exc:
                raise DataError(
                    f"'{column}': {exc}", "Correct the date.", file=path, line=line
                ) from None
    if not dates:
        return node
    start, end = dates.get("start_column"), dates.get("end_column")
    if start is not None and end is not None and ends_before(start, end):
        raise DataError(
            f"the end {end} is before the start {start}",
            "Swap or correct the dates.",
            file=path,
            line=line,
        )
    add_membership_period(graph, node, start, end)
    return node


class MembersLoader:
    """Loads member lists of a network from ``.csv``, ``.tsv`` and ``.xlsx`` files."""

    name = "members"
    description = "member lists from spreadsheets (.csv, .tsv, .xlsx) with a column mapping"
    #: Matches names against what the other sources loaded: runs after them.
    reads_graph = True

    def accepts(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in SUFFIXES

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]:
        return [load_members(path, context)]
