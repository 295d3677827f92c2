"""The ``citykg`` command: thin click commands over the library.

Each command parses its options, calls one library function and formats the result. The
library (rdflib, pyoxigraph, networkx) is imported inside the commands and the other modules'
commands load when used, so that ``citykg --help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from citykg.clitools import (
    CitykgGroup,
    ProgressBar,
    echo_build_result,
    render_rows,
    terminal_safe,
    write_output,
)
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
# Their short help for `citykg --help`, which then imports none of them (nor rdflib, networkx):
# the first sentence of each command's docstring; tests/test_cli_help.py checks they agree.
LAZY_HELP = {
    "load": "Add a member list or a document's text to the store.",
    "load-text": "Add a strategy document's plain text FILE: its sections, passages, purposes "
    "and mentions.",
    "enrich": "Ask Wikidata about every entity with a Wikidata ID; keep the answers; rebuild "
    "the store.",
    "overlaps": "Who shares which collaborations with ACTOR (default: the home city), most "
    "shared first.",
    "analyze": "Network analyses: centrality, communities, brokers, theme coverage.",
    "assess": "Triage a request for cooperation or a delegation visit against the strategy.",
    "map": "Write the network map as one self-contained HTML file that opens offline anywhere.",
    "queries": "List the named queries, with their parameters.",
    "query": "Run the named query NAME (see 'citykg queries'), or your own with --file.",
    "push": "Upload the built graph to a remote store, replacing one named graph in one request.",
    "serve": "Start a local SPARQL endpoint over the built store, until Ctrl-C.",
    "synth": "Write a synthetic world of city networks (deterministic for --seed).",
    "sources": "List the sources the built graph was made from, with the triples each added.",
    "brief": "Write a briefing on CITY for a delegation visit or a request: one page to print.",
    "timeline": "Write the home city's memberships, agreements, projects and events on a time "
    "axis.",
}
# The formats of ``citykg export``, spelled here so that ``--help`` needs neither rdflib nor
# networkx; tests/test_build_cli.py checks them against citykg.graph.export.RDF_FORMATS and
# citykg.analysis.netexport.GRAPH_FORMATS.
#: The RDF formats of ``citykg export``.
RDF_FORMATS = ("jsonld", "nt", "trig", "ttl")
#: The network formats of ``citykg export``.
NETWORK_FORMATS = ("graphml", "gexf", "csv", "json")


@click.group(
    cls=CitykgGroup,
    lazy_commands=LAZY_COMMANDS,
    lazy_help=LAZY_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="citykg", prog_name="citykg")
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

    Every build includes the shared vocabulary (themes, purposes, roles, countries). Sources
    may share IDs: an ID is one entity, and two sources that disagree on one of its single
    values stop the build naming both places. The order of SOURCES does not matter. Loads,
    adds the ontology, materialises shortcuts, validates with SHACL and replaces the store
    atomically: a failed build leaves the previous store as it was, and every problem found
    is listed at once.
    """
    from citykg.graph.build import STEPS, build
    from citykg.loaders.rdf import rdf_source_options

    # --rdf-format: every file source is read by the RDF loader in that format.
    options = rdf_source_options(sources, rdf_format) if rdf_format else None
    with ProgressBar("Building", STEPS, quiet=quiet or fmt == "json") as bar:
        result = build(
            store_path(store),
            list(sources),
            validate=not no_validate,
            wait=wait,
            progress=bar,
            source_options=options,
        )
    echo_build_result(result, fmt)


@main.command("validate")
@SOURCES
@click.option("--rdf-format", help="Read every file SOURCE as RDF in this format (as for build).")
@format_option(TEXT_FORMATS, "text")
def validate_command(sources: tuple[Path, ...], rdf_format: str | None, fmt: str) -> None:
    """Check SOURCES (default: the built-in dataset) against the citykg shapes; write nothing.

    Exit code 0 when the data conforms, 1 when it does not (each violation on its own line).
    """
    from citykg.graph.build import assemble
    from citykg.loaders.rdf import rdf_source_options

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
            line = f"{prefix}{row['entity']}: {row['message']}{value}"
            click.echo(terminal_safe(line), err=True)
        click.echo(f"Invalid: {len(rows)} violation{'s' if len(rows) != 1 else ''}.", err=True)
    if not report.conforms:
        sys.exit(1)


@main.command("stats")
@store_option
@click.option(
    "--by",
    type=click.Choice(("kind", "dataset", "home")),
    default="kind",
    show_default=True,
    help="Count by kind of entity, or per dataset or per home city and kind (an entity two "
    "datasets share counts in each).",
)
@format_option(TABLE_FORMATS, "table")
def stats_command(store: Path | None, by: str, fmt: str) -> None:
    """Count what the built graph holds, by kind of entity (or per dataset or home)."""
    from citykg.graph.stats import graph_stats, source_stats
    from citykg.graph.store import open_dataset

    if by != "kind":
        headers = (
            ["dataset", "home", "kind", "count"] if by == "dataset" else ["home", "kind", "count"]
        )
        rows = source_stats(open_dataset(store_path(store)), by)
        click.echo(render_rows(headers, rows, fmt), nl=False)
        return
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
@click.option(
    "--dataset",
    "datasets",
    multiple=True,
    metavar="ID",
    help="Network formats: only the actors and collaborations this dataset states facts about "
    "(citykg stats --by dataset lists them).",
)
@include_internal_option
def export_command(
    store: Path | None,
    fmt: str,
    output: Path | None,
    datasets: tuple[str, ...],
    include_internal: bool,
) -> None:
    """Export the built graph as Turtle, N-Triples, JSON-LD or TriG, or as a network.

    The network formats (graphml, gexf, csv, json) hold actors and collaborations with their
    roles, centralities, communities and the datasets that state them; csv writes two files,
    nodes and edges: into the folder -o names, or to <prefix>-nodes.csv and <prefix>-edges.csv.

    Exports the public profile: internal entities, persons, contact data and internal fields
    are left out unless --include-internal is given.
    """
    from citykg.graph.export import export_rdf
    from citykg.graph.store import open_dataset

    if datasets and fmt not in NETWORK_FORMATS:
        raise click.UsageError(
            "--dataset goes with the network formats (" + ", ".join(NETWORK_FORMATS) + ")."
        )
    warn_internal(include_internal)
    if fmt in NETWORK_FORMATS:
        from citykg.cli_analysis import export_network_command  # networkx only when needed
        from citykg.graph.source import open_source

        source = open_source(store_path(store), profile=not include_internal)
        export_network_command(source, fmt, output, private=include_internal, datasets=datasets)
        return
    dataset = open_dataset(store_path(store))
    text = export_rdf(dataset, fmt, include_internal=include_internal)
    write_output(text, output, private=include_internal)
