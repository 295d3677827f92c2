"""``citykg synth`` (a synthetic world for tests and benchmarks) and ``citykg sources``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from citykg.clitools import ProgressBar, render_rows
from citykg.graph.sources import list_sources
from citykg.loaders.synth import (
    FORMATS,
    SIZES,
    counts_for_size,
    parse_size,
    write_synth,
)
from citykg.options import TABLE_FORMATS, format_option, quiet_option, store_option, store_path

__all__ = ["sources_command", "synth_command"]


@click.command("synth")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="A file for nt/ttl, a folder for yaml.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="nt",
    show_default=True,
    help="yaml: citykg's dataset folder (YAML + CSV); nt/ttl: RDF streamed to one file.",
)
@click.option(
    "--size",
    default="10k",
    show_default=True,
    help="About how many triples: " + ", ".join(SIZES) + " or any number (2.5M, 40000).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="The same seed gives byte-identical output.",
)
@click.option("--cities", type=int, help="Exact number of cities (overrides --size for this kind).")
@click.option("--networks", type=int, help="Exact number of networks.")
@click.option("--network-memberships", type=int, help="Exact total of network memberships.")
@click.option("--projects", type=int, help="Exact number of projects.")
@click.option("--organisations", type=int, help="Exact number of organisations.")
@quiet_option
def synth_command(
    output: Path,
    fmt: str,
    size: str,
    seed: int,
    cities: int | None,
    networks: int | None,
    network_memberships: int | None,
    projects: int | None,
    organisations: int | None,
    quiet: bool,
) -> None:
    """Write a synthetic world of city networks (deterministic for --seed).

    Cities with countries, coordinates and populations; networks with heavy-tailed sizes;
    memberships with roles and periods; projects with a lead and partners; themes; evidence.
    It follows the citykg ontology and validates: build it with 'citykg build OUTPUT'.
    """
    counts = counts_for_size(
        parse_size(size),
        cities=cities,
        organisations=organisations,
        networks=networks,
        network_memberships=network_memberships,
        projects=projects,
    )
    with ProgressBar("Generating", quiet=quiet) as bar:
        result = write_synth(output, fmt=fmt, counts=counts, seed=seed, progress=bar)
    kinds = ", ".join(f"{n} {k}" for k, n in result.counts.items() if k != "dataset")
    click.echo(
        f"Wrote {result.path} ({result.format}, seed {result.seed}): "
        f"{result.triples} triples; {kinds}."
    )


@click.command("sources")
@store_option
@format_option(TABLE_FORMATS, "table")
def sources_command(store: Path | None, fmt: str) -> None:
    """List the sources the built graph was made from, with the triples each added."""
    rows = list_sources(store_path(store))
    if fmt == "json":
        click.echo(json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False))
        return
    headers = ["source", "loader", "triples", "graph", "path"]
    table = [[r.label, r.loader, r.triples, r.graph, r.path] for r in rows]
    click.echo(render_rows(headers, table, fmt), nl=False)
