"""SHACL validation of a citykg graph with pySHACL.

Like pySHACL itself, :func:`validate_graph` returns a result and raises nothing for a graph
that does not conform; the build turns a non-conforming result into a
:class:`citykg.errors.ValidationError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from citykg.errors import CitykgError, ValidationError, gather
from citykg.loaders.base import Location
from citykg.ontology import shapes_graph

__all__ = ["ValidationReport", "Violation", "raise_for_violations", "validate_graph"]


@dataclass(frozen=True, order=True)
class Violation:
    """One failed rule: which entity, which property, what the rule says."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: ``conforms`` and the sorted violations."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int


def _short(node: object, graph: Graph) -> str:
    if isinstance(node, URIRef):
        identifier = graph.value(node, DCTERMS.identifier)
        if identifier is not None:
            return str(identifier)
        return graph.namespace_manager.normalizeUri(node)
    return str(node)


def validate_graph(data: Graph) -> ValidationReport:
    """Validate ``data`` (ontology included, shortcuts materialised) against citykg's shapes.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate_graph(Graph()).conforms
    True
    """
    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=_short(focus, data),
                path=data.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "",
                message=str(message) if isinstance(message, Literal) else "violates a shape",
                # A node-level rule reports the entity itself as the value: say it once.
                value=_short(value, data) if value is not None and value != focus else "",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            )
        )
    return ValidationReport(bool(conforms), tuple(sorted(set(violations))), len(data))


def raise_for_violations(
    report: ValidationReport, locations: Mapping[str, Location], where: str
) -> None:
    """Raise :class:`ValidationError` for every violation at once, if there is any.

    ``locations`` maps short entity IDs to where they were written, so each message can name
    the file and line; ``where`` names the sources when the entity's place is unknown.
    """
    if report.conforms:
        return
    errors: list[CitykgError] = []
    for violation in report.violations:
        location = locations.get(violation.focus)
        value = f" (value {violation.value})" if violation.value else ""
        errors.append(
            ValidationError(
                f"{violation.focus}: {violation.message}{value}",
                "Fix the data and build again.",
                file=location.file if location else where,
                line=location.line if location else None,
            )
        )
    raise gather(errors)
