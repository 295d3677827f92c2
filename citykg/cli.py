"""The ``citykg`` command: thin click commands over the library.

Each command parses its options, calls one library function and formats the result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from citykg import __version__
from citykg.clitools import CitykgGroup, StepBar, render_rows, write_output
from citykg.graph.build import STEPS, assemble, build
from citykg.graph.export import RDF_FORMATS, export_rdf
from citykg.graph.stats import graph_stats
from citykg.graph.store import open_dataset
from citykg.loaders.rdf import rdf_source_options
from citykg.options import (
    TABLE_FORMATS,
    TEXT_FORMATS,
    format_option,
    include_internal_option,
    quiet_option,
    store_option,
    store_path,
    warn_internal,
)

__all__ = ["main"]

SOURCES = click.argument("sources", nargs=-1, type=click.Path(path_type=Path))


# Commands of other modules load when used: importing them all (networkx, scipy, SPARQLWrapper,
# Playwright's driver) would cost every command, even `citykg stats`, about half a second.
LAZY_COMMANDS = {
    "load": "citykg.cli_load:load_group",
    "load-text": "citykg.cli_load:load_text_command",
    "enrich": "citykg.cli_enrich:enrich_command",
    "overlaps": "citykg.cli_analysis:overlaps_command",
    "analyze": "citykg.cli_analysis:analyze_group",
    "assess": "citykg.cli_analysis:assess_command",
    "map": "citykg.cli_map:map_command",
    "brief": "citykg.cli_brief:brief_command",
    "timeline": "citykg.cli_brief:timeline_command",
    "queries": "citykg.cli_queries:queries_command",
    "query": "citykg.cli_queries:query_command",
    "push": "citykg.cli_queries:push_command",
    "serve": "citykg.cli_queries:serve_command",
    "synth": "citykg.cli_scale:synth_command",
    "sources": "citykg.cli_scale:sources_command",
}
#: The network formats of ``citykg export`` (citykg.analysis.netexport.NETWORK_FORMATS).
NETWORK_FORMATS = ("graphml", "gexf", "csv", "json")


@click.group(
    cls=CitykgGroup,
    lazy_commands=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="citykg")
def main() -> None:
    """A knowledge graph of a city's international networks, partners and initiatives."""


@main.command("build")
@SOURCES
@store_option
@click.option(
    "--no-validate", is_flag=True, help="Skip SHACL validation (for bulk loads you trust)."
)
@click.option("--wait", is_flag=True, help="Wait for another build of the same store to finish.")
@click.option(
    "--rdf-format",
    help="Read every file SOURCE as RDF in this format (ttl, nt, nquads, jsonld, rdfxml, trig) "
    "whatever its extension. (--format is the output format.)",
)
@quiet_option
@format_option(TEXT_FORMATS, "text")
def build_command(
    sources: tuple[Path, ...],
    store: Path | None,
    no_validate: bool,
    wait: bool,
    rdf_format: str | None,
    quiet: bool,
    fmt: str,
) -> None:
    """Build the graph from SOURCES (default: the built-in Copenhagen dataset) into the store.

    Loads, adds the ontology, materialises shortcuts, validates with SHACL and replaces the
    store atomically: a failed build leaves the previous store as it was.
    """
    steps = StepBar(STEPS, "Building", quiet or fmt == "json")
    try:
        # --rdf-format: every file source is read by the RDF loader in that format.
        options = rdf_source_options(sources, rdf_format) if rdf_format else None
        result = build(
            store_path(store),
            list(sources),
            validate=not no_validate,
            wait=wait,
            progress=steps,
            source_options=options,
        )
    finally:
        steps.close()
    if fmt == "json":
        payload = {
            "store": str(result.store),
            "triples": result.triples,
            "validated": result.validated,
            "sources": result.sources,
            "notes": list(result.notes),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for note in result.notes:
        click.echo(note, err=True)
    names = ", ".join(str(s["label"]) for s in result.sources)
    check = "validated" if result.validated else "not validated"
    click.echo(f"Built {result.store}: {result.triples} triples from {names} ({check}).")


@main.command("validate")
@SOURCES
@click.option("--rdf-format", help="Read every file SOURCE as RDF in this format (as for build).")
@format_option(TEXT_FORMATS, "text")
def validate_command(sources: tuple[Path, ...], rdf_format: str | None, fmt: str) -> None:
    """Check SOURCES (default: the built-in dataset) against the citykg shapes; write nothing.

    Exit code 0 when the data conforms, 1 when it does not (each violation on its own line).
    """
    options = rdf_source_options(sources, rdf_format) if rdf_format else None
    assembled = assemble(list(sources), validate=True, source_options=options)
    report = assembled.report
    assert report is not None
    rows = []
    for v in report.violations:
        location = assembled.locations.get(v.focus)
        where = (
            f"{location.file}:{location.line}"
            if location and location.line
            else (location.file if location else "")
        )
        rows.append(
            {
                "where": where,
                "entity": v.focus,
                "path": v.path,
                "message": v.message,
                "value": v.value,
            }
        )
    if fmt == "json":
        click.echo(
            json.dumps(
                {"conforms": report.conforms, "triples": report.triples, "violations": rows},
                indent=2,
                ensure_ascii=False,
            )
        )
    elif report.conforms:
        click.echo(f"Valid: {report.triples} triples conform to the citykg shapes.")
    else:
        for row in rows:
            prefix = f"{row['where']}: " if row["where"] else ""
            value = f" (value {row['value']})" if row["value"] else ""
            click.echo(f"{prefix}{row['entity']}: {row['message']}{value}", err=True)
        click.echo(f"Invalid: {len(rows)} violation{'s' if len(rows) != 1 else ''}.", err=True)
    if not report.conforms:
        sys.exit(1)


@main.command("stats")
@store_option
@format_option(TABLE_FORMATS, "table")
def stats_command(store: Path | None, fmt: str) -> None:
    """Count what the built graph holds, by kind of entity."""
    stats = graph_stats(open_dataset(store_path(store)))
    if fmt == "json":
        click.echo(json.dumps(stats.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(render_rows(["kind", "count"], list(stats.kinds), fmt), nl=False)
    if fmt == "table":
        click.echo(f"\n{stats.triples} triples in {len(stats.graphs)} named graphs.")


@main.command("export")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*sorted(RDF_FORMATS), *NETWORK_FORMATS]),
    default="ttl",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (default: stdout); for csv a folder or a file prefix.",
)
@include_internal_option
def export_command(
    store: Path | None, fmt: str, output: Path | None, include_internal: bool
) -> None:
    """Export the built graph as Turtle, N-Triples, JSON-LD or TriG, or as a network.

    The network formats (graphml, gexf, csv, json) hold actors and collaborations with their
    roles, centralities and communities; csv writes two files, nodes and edges: into the folder
    -o names, or to <prefix>-nodes.csv and <prefix>-edges.csv.

    Exports the public profile: internal entities, persons, contact data and internal fields
    are left out unless --include-internal is given.
    """
    warn_internal(include_internal)
    if fmt in NETWORK_FORMATS:
        from citykg.cli_analysis import export_network_command  # networkx only when needed
        from citykg.graph.source import open_source

        source = open_source(store_path(store), profile=not include_internal)
        export_network_command(source, fmt, output)
        return
    dataset = open_dataset(store_path(store))
    write_output(export_rdf(dataset, fmt, include_internal=include_internal), output)
