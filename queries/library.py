"""The named query library: ``.rq`` files with a header, typed parameters, run on any source.

A query file starts with comment lines that describe it::

    # title: Networks a city belongs to
    # description: Every network, project and programme an actor is a member of, with
    #   its role and period.
    # param: actor iri home

``# param: NAME TYPE [DEFAULT]``: without a default the parameter is required; the default
``-`` makes it optional (left unbound, so the query does not filter on it); the default
``home`` of an ``iri`` parameter stands for the home city (the store's one home, see
:func:`citykg.queries.homes.choose_home`). A default with spaces is quoted. Types:

``iri``      a short ID (``c40``), a prefixed name (``sdg:13``) or a full IRI; it must be in
             the graph (an unknown ID is an error naming the closest IDs)
``string``   any one-line text
``text``     text to search for, folded (lower case, no accents) as :func:`fold` does
``integer``  a whole number
``date``     ``YYYY-MM-DD``, or ``today``

``# bind: NAME = DATE + MONTHS months`` binds ``?NAME`` to the date MONTHS calendar months
after the date parameter DATE: date arithmetic is done here, not by the engine (engines
disagree on it, see :class:`Horizon`).

Values are bound with a ``VALUES`` block built from rdflib terms (:func:`bind_values`); user
text never becomes query syntax.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from citykg.errors import QueryError, closest, did_you_mean
from citykg.files import read_input
from citykg.fold import fold
from citykg.ontology.namespaces import ID, PREFIXES
from citykg.queries.homes import choose_home
from citykg.queries.sparql import (
    MAX_QUERY_CHARS,
    QueryShapeError,
    SelectResult,
    SparqlSource,
    SparqlSyntaxError,
    bind_values,
)

__all__ = [
    "PARAM_TYPES",
    "Horizon",
    "NamedQuery",
    "Param",
    "add_months",
    "get_query",
    "list_queries",
    "load_query_file",
    "parse_query",
    "prepare",
    "query_form",
    "resolve_params",
    "run_query",
]

#: Parameter types a query header may use, and what each accepts (for help texts).
PARAM_TYPES = {
    "iri": "a short ID like c40, a prefixed name like sdg:13, or a full IRI",
    "string": "any one-line text",
    "text": "text to search for, case and accents ignored",
    "integer": "a whole number",
    "date": "a date YYYY-MM-DD, or 'today'",
}
OPTIONAL = "-"
#: The default of an ``iri`` parameter that stands for the home city.
HOME = "home"


@dataclass(frozen=True)
class Param:
    """One ``# param:`` line of a query header."""

    name: str
    type: str
    default: str | None
    line: int

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def optional(self) -> bool:
        return self.default == OPTIONAL

    @property
    def home(self) -> bool:
        """Whether the default is the home city."""
        return self.type == "iri" and self.default == HOME

    def describe(self) -> str:
        """``name=default (type)``, ``name (type, required)`` or ``name (type, optional)``."""
        if self.required:
            return f"{self.name} ({self.type}, required)"
        if self.optional:
            return f"{self.name} ({self.type}, optional)"
        return f"{self.name}={self.default} ({self.type})"


@dataclass(frozen=True)
class NamedQuery:
    """A parsed query file: its header and its SPARQL text (header included, lines intact)."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    file: str
    form: str = field(default="SELECT")
    horizons: tuple[Horizon, ...] = ()


@dataclass(frozen=True)
class Horizon:
    """A ``# bind: NAME = DATE + MONTHS months`` line: a date computed in Python and bound.

    Engines disagree on date arithmetic (Virtuoso adds ``"P6M"^^xsd:duration`` to a date as six
    seconds), so a query gets the date ``months`` calendar months after ``date`` (the day
    clamped to the month's last, as XPath does) as a parameter of its own.
    """

    name: str
    date: str
    months: str
    line: int

    def value(self, bound: Mapping[str, Identifier]) -> Literal:
        start, months = bound[self.date], bound[self.months]
        assert isinstance(start, Literal) and isinstance(months, Literal)
        return Literal(add_months(start.toPython(), int(months.toPython())), datatype=XSD.date)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; a day the month lacks becomes its last day.

    Examples
    --------
    >>> add_months(dt.date(2024, 8, 31), 6)
    datetime.date(2025, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise QueryError(
            f"{months} months from {day.isoformat()} is not a date", "Give fewer months."
        )
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


_HEADER = re.compile(r"#\s*(title|description|param|bind)\s*:\s*(.*)$", re.I)
_HORIZON = re.compile(r"([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*\+\s*([A-Za-z_]\w*)\s+months$")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")


def query_form(text: str) -> str:
    """The query's form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (``""`` if none).

    Examples
    --------
    >>> query_form("# ask: SELECT?\\nPREFIX a: <urn:select#>\\nASK { ?s ?p ?o }")
    'ASK'
    >>> query_form("PREFIX select: <urn:x#>\\nASK { ?select select:p ?o }")
    'ASK'
    """
    stripped = re.sub(r"<[^>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*", " ", text)
    # A keyword, not a prefix (``select:``), a prefixed name (``ex:select``) or a variable.
    match = re.search(r"(?<![\w?$:.-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:.-])", stripped, re.I)
    return match.group(1).upper() if match else ""


def _check_default(param: Param, file: str) -> None:
    if param.default is None or param.optional or param.home:
        return
    try:
        _typed(param, param.default, today=dt.date(2000, 1, 1))
    except QueryError as exc:
        raise QueryError(
            f"the default of parameter '{param.name}' is wrong: {exc.problem}",
            "Correct the header.",
            file=file,
            line=param.line,
        ) from None


def parse_query(text: str, name: str, file: str, *, default_title: str | None = None) -> NamedQuery:
    """Parse a query file's header; :class:`QueryError` with the line for a bad header.

    Examples
    --------
    >>> q = parse_query("# title: T\\n# param: n integer 3\\nSELECT ?n WHERE { }", "t", "t.rq")
    >>> q.params[0].describe()
    'n=3 (integer)'
    """
    title = ""
    description: list[str] = []
    params: list[Param] = []
    horizons: list[Horizon] = []
    last = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match is None:
            # "#   more words" continues a description.
            if last == "description" and stripped[1:].startswith("  "):
                description.append(stripped[1:].strip())
            else:
                last = ""
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        last = key
        if key == "title":
            title = value
        elif key == "description":
            description = [value]
        elif key == "bind":
            horizons.append(_parse_horizon(value, file, number))
        else:
            params.append(_parse_param(value, file, number, [p.name for p in params]))
    title = title or default_title or ""
    if not title:
        raise QueryError(
            "the query has no '# title:' line",
            "Start the file with '# title: ...'.",
            file=file,
            line=1,
        )
    form = query_form(text)
    if not form:
        raise QueryError(
            "no SELECT, ASK, CONSTRUCT or DESCRIBE in the query",
            "Write a SPARQL query after the header.",
            file=file,
        )
    query = NamedQuery(
        name, title, " ".join(description), tuple(params), text, file, form, tuple(horizons)
    )
    for param in params:
        _check_default(param, file)
    types = {p.name: p.type for p in params}
    for horizon in horizons:
        if types.get(horizon.date) != "date" or types.get(horizon.months) != "integer":
            raise QueryError(
                f"'# bind: {horizon.name}' needs a date parameter '{horizon.date}' and an "
                f"integer parameter '{horizon.months}'",
                "Declare them with '# param:'.",
                file=file,
                line=horizon.line,
            )
    return query


def _parse_horizon(value: str, file: str, line: int) -> Horizon:
    match = _HORIZON.match(value.strip())
    if match is None:
        raise QueryError(
            "bad bind line", "Write '# bind: NAME = DATE + MONTHS months'.", file=file, line=line
        )
    return Horizon(match.group(1), match.group(2), match.group(3), line)


def _parse_param(value: str, file: str, line: int, seen: Sequence[str]) -> Param:
    try:
        parts = shlex.split(value)
    except ValueError as exc:
        raise QueryError(
            f"bad parameter line ({exc})",
            "Write '# param: NAME TYPE [DEFAULT]'.",
            file=file,
            line=line,
        ) from None
    if len(parts) not in (2, 3):
        raise QueryError(
            "bad parameter line", "Write '# param: NAME TYPE [DEFAULT]'.", file=file, line=line
        )
    name, type_ = parts[0], parts[1].lower()
    if not _NAME.match(name):
        raise QueryError(
            f"'{name}' is not a valid parameter name",
            "Use letters, digits and '_'.",
            file=file,
            line=line,
        )
    if name in seen:
        raise QueryError(
            f"parameter '{name}' is declared twice",
            "Declare each parameter once.",
            file=file,
            line=line,
        )
    if type_ not in PARAM_TYPES:
        hint = did_you_mean(type_, PARAM_TYPES) or "Use " + ", ".join(PARAM_TYPES) + "."
        raise QueryError(f"unknown parameter type '{type_}'", hint, file=file, line=line)
    return Param(name, type_, parts[2] if len(parts) == 3 else None, line)


def _package_files() -> dict[str, resources.abc.Traversable]:
    root = resources.files(__package__ or "citykg.queries")
    return {entry.name[:-3]: entry for entry in root.iterdir() if entry.name.endswith(".rq")}


def list_queries() -> list[NamedQuery]:
    """Every named query that ships with citykg, sorted by name."""
    files = _package_files()
    return [
        parse_query(files[name].read_text(encoding="utf-8"), name, f"{name}.rq")
        for name in sorted(files)
    ]


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; :class:`QueryError` suggesting the closest names if unknown.

    Examples
    --------
    >>> get_query("members-of").params[0].name
    'network'
    """
    files = _package_files()
    if name not in files:
        hint = did_you_mean(name, files) or "Run 'citykg queries' to list them."
        raise QueryError(f"unknown query '{name}'", hint)
    return parse_query(files[name].read_text(encoding="utf-8"), name, f"{name}.rq")


def load_query_file(path: Path) -> NamedQuery:
    """A user's own query file; its header is optional (the title defaults to the file name)."""
    try:
        text = read_input(path, 4 * MAX_QUERY_CHARS).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise QueryError(
            f"cannot read the query file ({reason})", "Check the path.", file=path
        ) from None
    return parse_query(text, path.stem, str(path), default_title=path.stem)


def _typed(param: Param, raw: str, *, today: dt.date) -> Identifier:
    name, kind = param.name, param.type
    if "\n" in raw or "\r" in raw:
        raise QueryError(f"parameter '{name}' must be one line", "Remove the line breaks.")
    if kind == "integer":
        try:
            return Literal(int(raw.strip()))
        except ValueError:
            example = param.default if param.default and param.default.isdigit() else "3"
            raise QueryError(
                f"parameter '{name}' must be an integer, not '{raw}'",
                f"Give a whole number: -p {name}={example}.",
            ) from None
    if kind == "date":
        if raw.strip().lower() == "today":
            return Literal(today)
        try:
            return Literal(dt.date.fromisoformat(raw.strip()), datatype=XSD.date)
        except ValueError:
            raise QueryError(
                f"parameter '{name}' must be a date YYYY-MM-DD, not '{raw}'",
                f"Give a date: -p {name}=2025-01-31.",
            ) from None
    if kind == "text":
        folded = fold(raw).strip()
        if not folded:
            raise QueryError(f"parameter '{name}' is empty", f"Give some text: -p {name}=climate.")
        return Literal(folded)
    if kind == "string":
        return Literal(raw)
    return _iri(name, raw.strip())


def _checked_iri(name: str, iri: str) -> URIRef:
    # Checked with Oxigraph's RFC 3987 parser before rdflib sees it: rdflib only logs a
    # warning for an IRI with a space or a quote in it, and the query then breaks.
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(
            f"parameter '{name}' is not a valid IRI ({exc})",
            f"Give a short ID (-p {name}=c40) or a full IRI such as "
            "https://w3id.org/citykg/id/c40.",
        ) from None
    return URIRef(iri)


def _iri(name: str, raw: str) -> URIRef:
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", raw):
        return _checked_iri(name, raw)
    prefix, colon, local = raw.partition(":")
    if colon and prefix in PREFIXES:
        return _checked_iri(name, str(PREFIXES[prefix]) + local)
    if not raw or any(c.isspace() or c in '<>"{}|^`\\' for c in raw):
        raise QueryError(
            f"parameter '{name}' must be an ID or an IRI, not '{raw}'",
            f"Give a short ID: -p {name}=c40.",
        )
    return _checked_iri(name, str(ID) + raw)


def resolve_params(
    query: NamedQuery,
    values: Mapping[str, str],
    source: SparqlSource,
    *,
    today: dt.date | None = None,
    home: Callable[[], str] | None = None,
) -> dict[str, Identifier]:
    """Check and type ``values`` (strings from the command line) for ``query``'s parameters.

    Defaults fill what is not given; optional parameters without a value stay unbound; the
    default ``home`` is ``home()`` (by default :func:`~citykg.queries.homes.choose_home` on
    ``source``, asked only when such a parameter is not given). IRIs must be in ``source``: an
    unknown ID raises :class:`QueryError` naming the closest IDs.
    """
    names = [p.name for p in query.params]
    for key in sorted(values):
        if key not in names:
            if names:
                hint = did_you_mean(key, names) or "Its parameters are: " + ", ".join(names) + "."
            else:
                hint = "It takes no parameters."
            raise QueryError(f"query '{query.name}' has no parameter '{key}'", hint)
    bound: dict[str, Identifier] = {}
    iris: dict[str, URIRef] = {}
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is None:
            raise QueryError(
                f"query '{query.name}' needs the parameter '{param.name}' "
                f"({PARAM_TYPES[param.type]})",
                f"Add -p {param.name}=VALUE.",
            )
        if raw == OPTIONAL and param.name not in values:
            continue
        if param.home and param.name not in values:
            raw = home() if home is not None else choose_home(source).id
        term = _typed(param, raw, today=today or dt.date.today())
        bound[param.name] = term
        if isinstance(term, URIRef):
            iris[param.name] = term
    _check_known(iris, values, source)
    for horizon in query.horizons:
        if horizon.date in bound and horizon.months in bound:
            bound[horizon.name] = horizon.value(bound)
    return bound


_KNOWN = """SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"""
_IDS = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?id WHERE { ?x dcterms:identifier ?id }"""


def _check_known(
    iris: Mapping[str, URIRef], values: Mapping[str, str], source: SparqlSource
) -> None:
    for name, iri in sorted(iris.items()):
        if source.select(_KNOWN, {"x": iri}).rows:
            continue
        given = values.get(name, str(iri))
        short = str(iri)[len(str(ID)) :] if str(iri).startswith(str(ID)) else given
        ids = [str(row["id"]) for row in source.select(_IDS).rows if row["id"] is not None]
        if not ids:
            raise QueryError(
                f"{source.name} holds no citykg entities in its default graph",
                "Give --graph with the graph 'citykg push' wrote.",
            )
        found = closest(short, ids)
        hint = (
            ("Did you mean " + " or ".join(f"'{c}'" for c in found) + "?")
            if found
            else "Search with 'citykg query search -p text=...'."
        )
        raise QueryError(f"unknown ID '{given}' for parameter '{name}' in {source.name}", hint)


@dataclass(frozen=True)
class Prepared:
    """A query text ready to send, and how to map a position in it back to the user's file."""

    text: str
    prologue: int  # characters added before line 1
    values_line: int  # the line the VALUES block went into (0: none)
    values_column: int  # the column after which it went
    values_length: int

    def position(self, line: int, column: int) -> tuple[int, int]:
        """The (line, column) in the original text of (line, column) in :attr:`text`."""
        if self.values_line and line == self.values_line and column > self.values_column:
            column = max(self.values_column, column - self.values_length)
        if line == 1:
            column = max(1, column - self.prologue)
        return line, column


def prepare(text: str, bindings: Mapping[str, Identifier] | None = None) -> Prepared:
    """``text`` with the citykg prefixes it does not declare and a VALUES block for ``bindings``.

    The prefixes make a query that runs on the local store (where rdflib knows them) run the
    same on an endpoint. They go on line 1, and the VALUES block on the line of the WHERE
    brace, so that line numbers in error messages stay the file's.

    Examples
    --------
    >>> p = prepare("SELECT ?x WHERE { ?x a ckg:City }")
    >>> p.text.count("PREFIX ckg:")
    1
    """
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*|)\s*:", text)}
    missing = [p for p in PREFIXES if p.lower() not in declared]
    prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in missing)
    with_prefixes = prologue + text
    bound = bind_values(with_prefixes, bindings)
    if bound == with_prefixes:
        return Prepared(bound, len(prologue), 0, 0, 0)
    # bind_values inserts its block right after the WHERE brace; find where that was.
    start = next(i for i, (a, b) in enumerate(zip(with_prefixes, bound, strict=False)) if a != b)
    line = with_prefixes.count("\n", 0, start) + 1
    column = start - (with_prefixes.rfind("\n", 0, start) + 1)
    return Prepared(bound, len(prologue), line, column, len(bound) - len(with_prefixes))


def run_query(
    query: NamedQuery,
    values: Mapping[str, str],
    source: SparqlSource,
    *,
    today: dt.date | None = None,
    home: Callable[[], str] | None = None,
) -> SelectResult:
    """Run ``query`` with the parameter ``values`` on ``source``.

    SELECT gives its rows; ASK one row ``{"ask": true|false}``; CONSTRUCT and DESCRIBE one
    row per triple (``subject``, ``predicate``, ``object``, sorted).

    Raises
    ------
    QueryError
        Bad or missing parameters, an unknown ID, or a syntax error (with the file's line and
        column).
    EndpointError
        The endpoint failed.

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> from citykg.queries.sparql import LocalSource
    >>> source = LocalSource(assemble(validate=False).dataset)
    >>> rows = run_query(get_query("members-of"), {"network": "force"}, source).rows
    >>> str(rows[0]["member"]), str(rows[0]["role"])
    ('aage-vestergaard-larsen', 'partner')
    """
    bindings = resolve_params(query, values, source, today=today, home=home)
    prepared = prepare(query.text, bindings)
    try:
        if query.form == "ASK":
            return SelectResult(("ask",), ({"ask": Literal(source.ask(prepared.text))},))
        if query.form in ("CONSTRUCT", "DESCRIBE"):
            graph = source.construct(prepared.text)
            names = ("subject", "predicate", "object")
            triples = [
                (cast(Identifier, s), cast(Identifier, p), cast(Identifier, o))
                for s, p, o in sorted(graph)
            ]
            return SelectResult(names, tuple(dict(zip(names, t, strict=True)) for t in triples))
        return source.select(prepared.text)
    except QueryShapeError as exc:
        # Over a bound, or SERVICE: the query's text is the place to change.
        raise QueryShapeError(exc.problem, exc.fix, file=query.file) from None
    except SparqlSyntaxError as exc:
        if exc.line and exc.column:
            line, column = prepared.position(exc.line, exc.column)
            raise QueryError(
                f"SPARQL syntax error at column {column}: {exc.detail}",
                "Correct the query.",
                file=query.file,
                line=line,
            ) from None
        if exc.line:  # a line without a column (Virtuoso): the lines are the file's own
            raise QueryError(
                f"SPARQL syntax error: {exc.detail}",
                "Correct the query.",
                file=query.file,
                line=exc.line,
            ) from None
        raise QueryError(
            f"SPARQL syntax error: {exc.detail}", "Correct the query.", file=query.file
        ) from None
