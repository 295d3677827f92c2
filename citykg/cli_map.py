"""``citykg map``: the interactive network map (or a PNG of it) of the built graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from citykg.analysis.mapgraph import load_map_graph
from citykg.options import as_of_option, source_options
from citykg.queries.sparql import SparqlSource
from citykg.viz import filter_view, write_html, write_png

__all__ = ["map_command"]

KINDS = ("city", "region", "organisation", "administration", "network", "project", "programme",
         "cooperation", "event", "theme")  # fmt: skip


@click.command("map")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: citykg-map.html or .png).")  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["html", "png"]), default="html", show_default=True
)
@click.option(
    "--focus",
    metavar="ID",
    help="Only what lies within --depth links of this actor or collaboration.",
)
@click.option(
    "--depth", type=click.IntRange(min=0), default=2, show_default=True, help="Links from --focus."
)
@click.option(
    "--theme",
    "themes",
    multiple=True,
    metavar="T",
    help="Only what is tagged with this theme (ID or name).",
)
@click.option(
    "--network", "networks", multiple=True, metavar="N", help="Only this network and its members."
)
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only these kinds of node."
)
@click.option(
    "--overlaps-of",
    metavar="ID",
    help="The actors sharing collaborations with this one; width = number shared.",
)
@click.option(
    "--physics/--no-physics",
    default=None,
    help="Start with the layout's physics on or off (default: on for small maps).",
)
@click.option("--title", default=None, help="The page's title.")
@click.option(
    "--open", "open_after", is_flag=True, help="Open the map in the browser when written."
)
@as_of_option
@source_options(public=True)
def map_command(
    output: Path | None,
    fmt: str,
    focus: str | None,
    depth: int,
    themes: tuple[str, ...],
    networks: tuple[str, ...],
    kinds: tuple[str, ...],
    overlaps_of: str | None,
    physics: bool | None,
    title: str | None,
    open_after: bool,
    as_of: dt.date | None,
    source: SparqlSource,
) -> None:
    """Write the network map as one self-contained HTML file that opens offline anywhere.

    Nodes are coloured and shaped by kind and sized by centrality; the page has a legend, a
    search box (accents and case do not matter), filters by kind, theme and network, and shows
    a node's evidence when clicked. The map shows the public profile: internal entities,
    persons and contact data are left out unless --include-internal is given. With
    --endpoint it maps what a SPARQL endpoint holds (a graph 'citykg push' shared).
    """
    if focus and overlaps_of:
        raise click.UsageError("--focus and --overlaps-of are two different views: give one.")
    graph = load_map_graph(
        source,
        as_of,
        focus=focus,
        radius=depth,
        overlaps_of=overlaps_of,
    )
    graph = filter_view(
        graph, kinds=kinds or None, themes=themes or None, networks=networks or None
    )
    heading = title or _title(focus, overlaps_of)
    target = output or Path(f"citykg-map.{fmt}")
    private = bool(getattr(source, "private", False))  # --include-internal
    if fmt == "png":
        write_png(graph, target, title=heading, physics=physics, private=private)
    else:
        write_html(graph, target, title=heading, physics=physics, private=private)
    click.echo(f"Wrote {target}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links.")
    if open_after:
        click.launch(str(target.resolve()))


def _title(focus: str | None, overlaps_of: str | None) -> str:
    if overlaps_of:
        return f"Who shares collaborations with {overlaps_of}"
    if focus:
        return f"Around {focus}"
    return "International networks"
