"""Helpers every loader shares: reading text files, dates, membership periods, passage IRIs.

The dataset loader, the member lists, the text loader, the Wikidata cache and the synthetic
world all write the same shapes of RDF (a membership's period, a quoted passage); these
functions are the one place that decides how.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, TIME, XSD

from citykg.errors import DataError
from citykg.files import read_input
from citykg.ontology.namespaces import ID

__all__ = [
    "ID_PATTERN",
    "QID_PATTERN",
    "TIME_PROPERTY",
    "URL_PATTERN",
    "add_membership_period",
    "decimal_literal",
    "ends_before",
    "id_of",
    "membership_id",
    "parse_date",
    "passage_iri",
    "read_text",
    "section_id",
]

#: A citykg ID: lower-case letters, digits and ``-``.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
QID_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: The W3C Time property that holds a date of each precision.
TIME_PROPERTY = {
    XSD.date: TIME.inXSDDate,
    XSD.gYearMonth: TIME.inXSDgYearMonth,
    XSD.gYear: TIME.inXSDgYear,
}


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped); :class:`DataError` naming
    the line of the first byte that is not UTF-8, or why the file cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = path.write_bytes(b"ok\\ncaf\\xe9\\n")
    >>> read_text(path)
    Traceback (most recent call last):
    ...
    citykg.errors.DataError: ...a.yaml:2: is not UTF-8 text. Save it as UTF-8.
    """
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
    match = _DATE_PATTERN.match(text)
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


def ends_before(start: Literal, end: Literal) -> bool:
    """Whether the period from ``start`` to ``end`` ends before it starts.

    Partial dates compare on their common prefix: 2020 does not end before 2020-08.

    Examples
    --------
    >>> ends_before(parse_date("2020-08"), parse_date("2020")), ends_before(
    ...     parse_date("2021"), parse_date("2020-12-31"))
    (False, True)
    """
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
        graph.add((instant, TIME_PROPERTY[value.datatype], value))


def membership_id(member: str, organization: str, role: str) -> str:
    """The short ID of a membership: one per member, organization and role, whichever source
    states it, so that two sources listing the same membership state one node.

    Examples
    --------
    >>> membership_id("copenhagen", "c40", "member")
    'membership/copenhagen/c40/member'
    """
    return f"membership/{member}/{organization}/{role}"


def section_id(document: str, section: str) -> str:
    """The ID of a section: scoped to its document, so that two documents may both have an
    ``s-introduction``.

    Examples
    --------
    >>> section_id("strategy", "s-introduction")
    'strategy/s-introduction'
    """
    return f"{document}/{section}"


def passage_iri(section: str, quote: str) -> URIRef:
    """The IRI of a quoted passage of ``section`` (a section's full ID, see
    :func:`section_id`): a digest of both, so that the same quote is one node in every source.

    Examples
    --------
    >>> str(passage_iri("strategy/s-intro", "We work with cities."))
    'https://w3id.org/citykg/id/passage/strategy/s-intro/8af91c0fc881'
    """
    digest = hashlib.sha1(f"{section}\n{quote}".encode()).hexdigest()[:12]
    return ID[f"passage/{section}/{digest}"]


def id_of(iri: URIRef) -> str:
    """The short ID of a citykg IRI (``https://w3id.org/citykg/id/c40`` -> ``c40``)."""
    return str(iri)[len(str(ID)) :]


def decimal_literal(number: Decimal) -> Literal:
    """An ``xsd:decimal`` in one canonical form, so that two sources writing 55.676 and
    55.6760 state the same value (the build compares single-valued fields term by term).

    Examples
    --------
    >>> str(decimal_literal(Decimal("55.6760"))), str(decimal_literal(Decimal("1E+3")))
    ('55.676', '1000')
    """
    text = format(number.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)
