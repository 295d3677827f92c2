"""The RDF-file loader: Turtle, N-Triples, N-Quads, JSON-LD, RDF/XML and TriG.

The format comes from the file's extension, or from ``--rdf-format`` (the ``format`` option of the
load context). Each file goes into its own named graph, ``source_graph_iri(<file stem>)``, so
that a rebuild without it removes it.

Quads formats (TriG, N-Quads, JSON-LD with named graphs): every triple of the file, whatever
its graph in the file, goes into the file's one graph. A file must not write into citykg's own
graphs (the ontology, the inferred shortcuts, another source), and a source must be replaceable
as a whole; the file's graph names are counted in the load report instead.

The loader does not parse: it hands the file to the store, which reads it with Oxigraph's own
parsers (the ``ox-`` formats of oxrdflib) — about ten times faster than rdflib's parsers. A
syntax error becomes one :class:`citykg.errors.LoaderError` naming the file and line
(:func:`parse_error`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from citykg.errors import LoaderError, did_you_mean
from citykg.loaders.base import LoadContext, LoadedSource, source_graph_iri
from citykg.loaders.limits import check_rdfxml

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "QUADS_FORMATS",
    "RdfLoader",
    "ox_format",
    "parse_error",
    "rdf_format",
]

#: ``--format`` names (and their aliases) -> the rdflib plugin names of Oxigraph's parsers.
FORMATS: dict[str, str] = {
    "turtle": "ox-turtle",
    "ttl": "ox-turtle",
    "nt": "ox-nt",
    "ntriples": "ox-nt",
    "nquads": "ox-nquads",
    "nq": "ox-nquads",
    "json-ld": "ox-json-ld",
    "jsonld": "ox-json-ld",
    "rdfxml": "ox-xml",
    "xml": "ox-xml",
    "trig": "ox-trig",
}

#: File extensions the loader accepts without ``--format``.
EXTENSIONS: dict[str, str] = {
    ".ttl": "ox-turtle",
    ".turtle": "ox-turtle",
    ".nt": "ox-nt",
    ".nq": "ox-nquads",
    ".jsonld": "ox-json-ld",
    ".json-ld": "ox-json-ld",
    ".rdf": "ox-xml",
    ".owl": "ox-xml",
    ".xml": "ox-xml",
    ".trig": "ox-trig",
}

_OX = {
    "ox-turtle": ox.RdfFormat.TURTLE,
    "ox-nt": ox.RdfFormat.N_TRIPLES,
    "ox-nquads": ox.RdfFormat.N_QUADS,
    "ox-json-ld": ox.RdfFormat.JSON_LD,
    "ox-xml": ox.RdfFormat.RDF_XML,
    "ox-trig": ox.RdfFormat.TRIG,
}
_NAMES = {
    "ox-turtle": "Turtle",
    "ox-nt": "N-Triples",
    "ox-nquads": "N-Quads",
    "ox-json-ld": "JSON-LD",
    "ox-xml": "RDF/XML",
    "ox-trig": "TriG",
}
#: Formats that can name graphs: their graphs are merged into the file's graph.
QUADS_FORMATS = frozenset({"ox-nquads", "ox-trig", "ox-json-ld"})


def rdf_format(path: Path, requested: object = None) -> str:
    """The oxrdflib format name for ``path``: from ``requested`` (a ``--format`` name) if given,
    else from the file's extension.

    Examples
    --------
    >>> rdf_format(Path("world.nt")), rdf_format(Path("x.txt"), "ttl")
    ('ox-nt', 'ox-turtle')
    """
    if requested:
        name = str(requested).lower()
        if name not in FORMATS:
            raise LoaderError(
                f"unknown RDF format '{requested}'",
                did_you_mean(name, FORMATS) or "Known formats: " + ", ".join(sorted(FORMATS)) + ".",
            )
        return FORMATS[name]
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise LoaderError(
            f"cannot tell the RDF format from the extension '{suffix}'",
            "Give --rdf-format ("
            + ", ".join(sorted(set(FORMATS) - {"nq", "jsonld", "xml", "ntriples"}))
            + ").",
            file=path,
        )
    return EXTENSIONS[suffix]


def rdf_source_options(sources: Iterable[Path], fmt: str) -> dict[str, dict[str, object]]:
    """Per-source build options that read every file of ``sources`` as RDF in ``fmt``.

    Folders keep their own loader.

    Examples
    --------
    >>> rdf_source_options([Path(__file__)], "ttl")[__file__]
    {'loader': 'rdf', 'format': 'ttl'}
    """
    return {str(p): {"loader": RdfLoader.name, "format": fmt} for p in sources if p.is_file()}


def ox_format(name: str) -> ox.RdfFormat | None:
    """Oxigraph's own format for an ``ox-`` rdflib format name, None for other names."""
    return _OX.get(name)


# "at line 2 column 37", "between line 3 column 11 and line 4 column 1",
# "at line 1 between columns 1 and 5": the first line and column are where it went wrong.
_POSITION = re.compile(r"^Parser error (?:at|between) line (\d+)[^:]*?columns? (\d+)[^:]*: ")
_SUFFIX = re.compile(r" \([^()]*, line \d+\)$")


def parse_error(exc: SyntaxError, path: Path, fmt: str) -> LoaderError:
    """One clear :class:`LoaderError` for Oxigraph's ``SyntaxError`` on ``path``.

    Oxigraph's messages read ``Parser error at line 2 column 37: <problem> (file, line 2)``;
    the line goes to the error's ``line`` and the problem is kept (RDF/XML errors carry no
    position).

    Examples
    --------
    >>> err = SyntaxError("Parser error at line 2 column 37: The object is bad (x.nt, line 2)")
    >>> str(parse_error(err, Path("x.nt"), "ox-nt"))  # doctest: +NORMALIZE_WHITESPACE
    'x.nt:2: malformed N-Triples: The object is bad (column 37). Fix the file or give the right \
--rdf-format.'
    """
    message = str(exc.msg if exc.msg else exc)
    message = _SUFFIX.sub("", message)
    column = ""
    match = _POSITION.match(message)
    line = exc.lineno
    if match:
        line = int(match.group(1))
        column = f" (column {match.group(2)})"
        message = message[match.end() :]
    problem = f"malformed {_NAMES.get(fmt, fmt)}: {message.strip().rstrip('.')}{column}"
    return LoaderError(
        problem, "Fix the file or give the right --rdf-format.", file=path, line=line or None
    )


def _slug(path: Path) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-") or "rdf"


class RdfLoader:
    """Loads one RDF file into its own named graph.

    Examples
    --------
    >>> RdfLoader().accepts(Path("partners.ttl"))  # only files that exist
    False
    >>> rdf_format(Path("partners.ttl"))
    'ox-turtle'
    """

    name = "rdf"
    description = (
        "RDF files: Turtle, N-Triples, N-Quads, JSON-LD, RDF/XML, TriG "
        "(.ttl .nt .nq .jsonld .rdf .trig)"
    )

    def accepts(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in EXTENSIONS

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]:
        if path.is_dir():
            raise LoaderError(
                "is a folder, not an RDF file", "Give the RDF files themselves.", file=path
            )
        fmt = rdf_format(path, context.options.get("format"))
        if fmt == "ox-xml":
            # Oxigraph's RDF/XML parser expands entities without a bound.
            check_rdfxml(path)
        slug = _slug(path)
        return [
            LoadedSource(
                name=source_graph_iri(slug),
                label=slug,
                path=str(path),
                loader=self.name,
                file=path,
                rdf_format=fmt,
            )
        ]
