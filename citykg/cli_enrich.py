"""``citykg enrich``: Wikidata facts for the store's entities, kept in a reviewable cache."""

from __future__ import annotations

import json
from pathlib import Path

import click

from citykg.clitools import ProgressBar, build_notes, echo_build_result
from citykg.graph.enrich import ENRICH_STEPS, enrich
from citykg.loaders.wikidata import WIKIDATA_ENDPOINT
from citykg.options import (
    TEXT_FORMATS,
    Seconds,
    format_option,
    quiet_option,
    store_option,
    store_path,
)

__all__ = ["enrich_command"]


@click.command("enrich")
@click.option(
    "--wikidata",
    "endpoint",
    metavar="URL",
    default=WIKIDATA_ENDPOINT,
    show_default=True,
    help="The Wikidata SPARQL endpoint to ask (or a mirror of it).",
)
@click.option(
    "--refresh", is_flag=True, help="Ask about every item again, not only those the cache lacks."
)
@click.option(
    "--network",
    "networks",
    multiple=True,
    help="Also ask for the members (P463) of this network ID (repeatable).",
)
@click.option(
    "--cache",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Cache file (default: wikidata-cache.ttl beside the dataset).",
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=60,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Items per request.",
)
@click.option(
    "--no-load", is_flag=True, help="Only write the cache; do not rebuild the store with it."
)
@store_option
@quiet_option
@format_option(TEXT_FORMATS, "text")
def enrich_command(
    endpoint: str,
    refresh: bool,
    networks: tuple[str, ...],
    cache: Path | None,
    timeout: float,
    batch_size: int,
    no_load: bool,
    store: Path | None,
    quiet: bool,
    fmt: str,
) -> None:
    """Ask Wikidata about every entity with a Wikidata ID; keep the answers; rebuild the store.

    Asks for English and local labels, coordinates, population, country, inception and
    website (and with --network, members with start and end dates). The answers are written to
    a cache file that later builds load offline; only items the cache lacks are asked unless
    --refresh is given. The store gains only facts its dataset lacks.
    """
    with ProgressBar("Enriching", ENRICH_STEPS, quiet=quiet or fmt == "json") as bar:
        result = enrich(
            store_path(store),
            cache=cache,
            endpoint=endpoint,
            refresh=refresh,
            networks=networks,
            timeout=timeout,
            batch_size=batch_size,
            load=not no_load,
            progress=bar,
        )
    notes = build_notes(result.build, result.cache) if result.build else []
    if fmt == "json":
        payload = {
            "cache": str(result.cache),
            "items": result.items,
            "asked": result.asked,
            "networks": result.networks,
            "triples": result.build.triples if result.build else None,
            "notes": notes,
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"Asked {endpoint} about {result.asked} of {result.items} items; cache: {result.cache}."
    )
    if result.build is not None:
        echo_build_result(result.build, fmt, source=result.cache)
