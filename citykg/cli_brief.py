"""``citykg brief`` (a briefing page on a partner) and ``citykg timeline`` (the home city's ties
over time): offline pages an officer takes into a meeting."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from citykg.analysis.brief import DEFAULT_MONTHS, load_brief, load_briefs
from citykg.analysis.timeline import load_timeline
from citykg.clitools import write_output
from citykg.options import Home, as_of_option, home_option, source_options
from citykg.pagedata import Brief
from citykg.queries.sparql import SparqlSource
from citykg.viz.brief import (
    IndexEntry,
    render_brief_html,
    render_brief_md,
    render_index_html,
    render_index_md,
)
from citykg.viz.timeline import render_timeline_html

__all__ = ["brief_command", "timeline_command"]

MONTHS_OPTION = click.option(
    "--months",
    type=click.IntRange(min=0),
    default=DEFAULT_MONTHS,
    show_default=True,
    help="Flag agreements ending within this many months of --as-of.",
)


def _public() -> bool:
    # source_options(public=True) consumes --include-internal; the page still says which it is
    return not click.get_current_context().params.get("include_internal", False)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "city"


def _render(brief: Brief, fmt: str) -> str:
    return render_brief_md(brief) if fmt == "md" else render_brief_html(brief)


def _summary(brief: Brief) -> str:
    home = brief.home.label
    if brief.partner is None:
        return f"{brief.request} is not in the graph; it shares nothing with {home}"
    n = len(brief.shared)
    return (
        f"{brief.partner.ref.label} shares {n} collaboration{'s' if n != 1 else ''} with "
        f"{home}; score {brief.score} ({brief.level})"
    )


def _write_all(
    source: SparqlSource,
    folder: Path,
    fmt: str,
    *,
    home: str,
    themes: tuple[str, ...],
    purpose: str | None,
    months: int,
    as_of: dt.date | None,
) -> None:
    if folder.exists() and not folder.is_dir():
        raise click.UsageError(f"--all writes a folder of pages, and {folder} is a file.")
    home_ref, briefs = load_briefs(
        source,
        home=home,
        themes=themes,
        purpose=purpose,
        months=months,
        today=as_of,
        public=_public(),
    )
    folder.mkdir(parents=True, exist_ok=True)
    extension = "md" if fmt == "md" else "html"
    taken = {f"index.{extension}"}
    entries = []
    for brief in briefs:
        assert brief.partner is not None  # a partner city is in the graph
        base = _slug(brief.partner.ref.id)
        name, n = f"{base}.{extension}", 2
        while name in taken:  # two IDs with the same slug, or a city called "index"
            name, n = f"{base}-{n}.{extension}", n + 1
        taken.add(name)
        write_output(_render(brief, fmt), folder / name, private=not _public())
        entries.append(IndexEntry(brief, name))
    index = (
        render_index_md(entries, home=home_ref.label)
        if fmt == "md"
        else render_index_html(entries, home=home_ref.label)
    )
    write_output(index, folder / f"index.{extension}", private=not _public())
    plural = "s" if len(entries) != 1 else ""
    click.echo(f"Wrote {len(entries)} brief{plural} and {folder / f'index.{extension}'}.")


@click.command("brief")
@click.argument("city", required=False)
@click.option(
    "--all",
    "all_partners",
    is_flag=True,
    help="One brief per partner city (every city sharing something with --home) and an index "
    "page, into the folder -o names.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (default: brief-<city>.html; Markdown goes to stdout; '-' for stdout); "
    "with --all, the folder.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="Output format.",
)
@MONTHS_OPTION
@click.option(
    "--theme",
    "themes",
    multiple=True,
    help="A theme the request is about (ID or name), scored as assess does; repeatable.",
)
@click.option(
    "--purpose",
    help="What the request is for (learn, influence, inspire, cooperate, brand-and-promote), "
    "scored as assess does.",
)
@as_of_option
@source_options(public=True)
@home_option("The city that receives the request.")
def brief_command(
    city: str | None,
    all_partners: bool,
    output: Path | None,
    fmt: str,
    home: Home,
    months: int,
    themes: tuple[str, ...],
    purpose: str | None,
    as_of: dt.date | None,
    source: SparqlSource,
) -> None:
    """Write a briefing on CITY for a delegation visit or a request: one page to print.

    The page says who the partner is, what it shares with the home city (networks, projects,
    programmes, agreements with their periods, binding and City Council approval, events),
    each with its evidence and whether it is stated in the strategy, listed in a public list
    or inferred; the themes both work on and the home city's initiatives on them; the
    strategy's principles that apply; agreements ending within --months; the assess score
    with its reasons; a small focus map; and when and from what it was made. It is one
    self-contained HTML file (no script, nothing fetched) that prints on two A4 pages, or
    Markdown with --format md. A city not in the graph gets an honest page: it shares nothing.
    Public profile unless --include-internal.
    """
    if all_partners and city:
        raise click.UsageError("Give a CITY or --all, not both.")
    if all_partners:
        if output is None or str(output) == "-":
            raise click.UsageError("--all writes one page per city: name a folder with -o.")
        _write_all(
            source,
            output,
            fmt,
            home=home.id,
            themes=themes,
            purpose=purpose,
            months=months,
            as_of=as_of,
        )
        return
    if not city:
        raise click.UsageError("Name the CITY to brief on, or give --all.")
    brief = load_brief(
        source,
        city,
        home=home.id,
        themes=themes,
        purpose=purpose,
        months=months,
        today=as_of,
        public=_public(),
    )
    page = _render(brief, fmt)
    if output is None and fmt == "md":
        write_output(page, None)
        return
    target = output or Path(f"brief-{_slug(brief.partner.ref.id if brief.partner else city)}.html")
    write_output(page, target, private=not _public())
    if str(target) != "-":
        click.echo(f"Wrote {target}: {_summary(brief)}.")


@click.command("timeline")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: citykg-timeline.html; '-' for stdout).",
)
@MONTHS_OPTION
@click.option("--title", default=None, help="The page's title.")
@as_of_option
@source_options(public=True)
@home_option("The city whose ties to draw.")
def timeline_command(
    output: Path | None,
    home: Home,
    months: int,
    title: str | None,
    as_of: dt.date | None,
    source: SparqlSource,
) -> None:
    """Write the home city's memberships, agreements, projects and events on a time axis.

    One offline HTML page: a bar per period, open to the right while it goes on, a point for a
    one-day event; agreements ending within --months of --as-of outlined; a click on a row
    shows its evidence. What the data gives no date is listed apart, never placed at a guessed
    date. Public profile unless --include-internal.
    """
    timeline = load_timeline(source, home=home.id, months=months, today=as_of, public=_public())
    target = output or Path("citykg-timeline.html")
    write_output(render_timeline_html(timeline, title=title), target, private=not _public())
    if str(target) != "-":
        dated, undated = len(timeline.dated), len(timeline.undated)
        click.echo(f"Wrote {target}: {dated} dated, {undated} undated.")
