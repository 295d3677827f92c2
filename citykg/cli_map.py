"""``citykg map``: the interactive network map (or a PNG of it) of the built graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from citykg.analysis.mapgraph import load_map_graph
from citykg.options import Home, as_of_option, home_option, source_options
from citykg.queries.sparql import SparqlSource
from citykg.viz import LAYOUTS, MapOptions, filter_view, view_title, write_html, write_png
from citykg.viz.payload import COLOUR_BY

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
    "--dataset",
    "datasets",
    multiple=True,
    metavar="ID",
    help="Only what this dataset states facts about (citykg stats --by dataset lists them), "
    "with the themes it uses.",
)
@click.option(
    "--overlaps-of",
    metavar="ID",
    help="The actors sharing collaborations with this one; width = number shared.",
)
@click.option(
    "--min-shared",
    type=click.IntRange(min=1),
    default=None,
    help="With --overlaps-of: show at first only partners sharing at least this many "
    "(default 2; the page has a slider).",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="network",
    show_default=True,
    help="network: placed by their links; geo: a world map of the partners of --overlaps-of "
    "(default: the home city), cities at their coordinates (from the data, else GeoNames).",
)
@click.option(
    "--expand",
    is_flag=True,
    help="Draw every node: long member lists no longer start folded into one.",
)
@click.option(
    "--colour-by",
    type=click.Choice(COLOUR_BY),
    default=None,
    help="What node colour shows at first (default: kind; community above 1,000 nodes).",
)
@click.option(
    "--physics/--no-physics",
    default=False,
    help="Start with the layout's physics running (a bounded run). Off by default: the map is "
    "laid out before it is shown and stays still.",
)
@click.option("--title", default=None, help="The page's title (default: says what the view is).")
@click.option(
    "--open", "open_after", is_flag=True, help="Open the map in the browser when written."
)
@as_of_option
@source_options(public=True)
@home_option("The home city, emphasised on the map.")
def map_command(
    output: Path | None,
    fmt: str,
    focus: str | None,
    depth: int,
    themes: tuple[str, ...],
    networks: tuple[str, ...],
    kinds: tuple[str, ...],
    datasets: tuple[str, ...],
    overlaps_of: str | None,
    min_shared: int | None,
    layout: str,
    home: Home,
    expand: bool,
    colour_by: str | None,
    physics: bool,
    title: str | None,
    open_after: bool,
    as_of: dt.date | None,
    source: SparqlSource,
) -> None:
    """Write the network map as one self-contained HTML file that opens offline anywhere.

    Nodes are shaped by kind, coloured by kind, community or country, and sized by how much
    they connect others; links point from the member to what it belongs to. Click anything for
    its links, evidence and sources; the rest fades. The page has a legend in plain words, a
    search box (accents and case do not matter), filters by kind, theme, network and dataset, and a
    link to the view on screen. The map shows the public profile: internal entities, persons
    and contact data are left out unless --include-internal is given. With --endpoint it maps
    what a SPARQL endpoint holds (a graph 'citykg push' shared).
    """
    if focus and overlaps_of:
        raise click.UsageError("--focus and --overlaps-of are two different views: give one.")
    geo = layout == "geo"
    if geo and focus:
        raise click.UsageError(
            "--layout geo maps the partners of --overlaps-of (default: --home); "
            "--focus goes with the network layout."
        )
    if min_shared is not None and not (overlaps_of or geo):
        raise click.UsageError("--min-shared goes with --overlaps-of or --layout geo.")
    home_given = home.given is not None
    # The geo layout maps the home's partners: it needs one; the network layout only
    # emphasises it, and draws no home when the store names none or several.
    home_id = home.id if home_given or geo else home.optional("none is emphasised")
    graph = load_map_graph(
        source,
        as_of,
        focus=focus,
        radius=depth,
        overlaps_of=overlaps_of or (home_id if geo else None),
        home=home_id,
        require_home=home_given or geo,
        places=geo,
    )
    if "home_missing" in graph.graph:
        click.echo(
            f"Note: no home city '{home_id}' in the graph, so none is emphasised; "
            "give one with --home.",
            err=True,
        )
    if "centrality_note" in graph.graph:
        click.echo(f"Note: node sizes: {graph.graph['centrality_note']}.", err=True)
    heading = title or view_title(
        graph, themes=themes, networks=networks, kinds=kinds, geo=geo, datasets=datasets
    )
    graph = filter_view(
        graph,
        kinds=kinds or None,
        themes=themes or None,
        networks=networks or None,
        datasets=datasets or None,
    )
    options: MapOptions = {
        "physics": physics,
        "expand": expand,
        "colour_by": colour_by,
        # on the world map every partner has its place; the network star starts at 2 shared
        "min_weight": (min_shared or 1) if geo else (min_shared or 2) if overlaps_of else None,
        "layout": layout,
    }
    target = output or Path(f"citykg-map.{fmt}")
    private = bool(getattr(source, "private", False))  # --include-internal
    if fmt == "png":
        write_png(graph, target, title=heading, private=private, **options)
    else:
        write_html(graph, target, title=heading, private=private, **options)
    click.echo(f"Wrote {target}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links.")
    if open_after:
        click.launch(str(target.resolve()))
