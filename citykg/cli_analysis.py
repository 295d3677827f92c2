"""Commands for overlaps, network analyses, request triage and network exports.

``citykg overlaps``, ``citykg analyze centrality|communities|brokers|themes``, ``citykg assess``;
``citykg export --format graphml|gexf|csv|json`` dispatches to :func:`export_network_command`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from citykg.analysis.algorithms import Betweenness
from citykg.analysis.assess import Assessment, assess
from citykg.analysis.metrics import analyze_brokers, analyze_centrality, analyze_communities
from citykg.analysis.netexport import export_network, write_graph_export
from citykg.analysis.networks import Network
from citykg.analysis.overlaps import OverlapReport, find_overlaps
from citykg.analysis.themes import analyze_themes
from citykg.clitools import json_safe, render_rows, terminal_safe, write_output
from citykg.options import (
    TABLE_FORMATS,
    TEXT_FORMATS,
    Home,
    as_of_option,
    format_option,
    home_option,
    source_options,
    top_option,
)
from citykg.queries.sparql import SparqlSource

__all__ = [
    "analyze_group",
    "assess_command",
    "export_network_command",
    "overlaps_command",
]


SHORT = 3


@dataclass(frozen=True)
class Named:
    """An entity in a row: its label in a table or CSV, ``{"id", "label"}`` in JSON."""

    id: str
    label: str


def _named(net: Network, ids: Iterable[str]) -> list[Named]:
    return [Named(i, net.label(i)) for i in ids]


def _json_default(value: Any) -> Any:
    if isinstance(value, Named):
        return {"id": value.id, "label": value.label}
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _emit(
    headers: Sequence[str],
    rows: list[dict[str, Any]],
    fmt: str,
    top: int | None,
    *,
    counts: Sequence[str] = (),
    short: Sequence[str] = (),
) -> None:
    """Print rows: JSON keeps lists as lists, CSV joins them with '; '.

    In a table, the ``counts`` columns show how many items a list holds and the ``short``
    columns their first few, so that rows fit a terminal; CSV and JSON have them all.
    """
    rows = rows[:top] if top else rows
    if fmt == "json":
        text = json.dumps(rows, indent=2, ensure_ascii=False, default=_json_default)
        click.echo(json_safe(text))
        return

    def cell(header: str, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        value = [v.label if isinstance(v, Named) else v for v in value]
        if fmt == "table" and header in counts:
            return len(value)
        if fmt == "table" and header in short and len(value) > SHORT:
            return "; ".join(value[:SHORT]) + f"; … (+{len(value) - SHORT})"
        return "; ".join(value)

    flat = [[cell(h, r[h]) for h in headers] for r in rows]
    click.echo(render_rows(headers, flat, fmt), nl=False)


# --- overlaps ------------------------------------------------------------------------------


def _overlap_rows(report: OverlapReport, fmt: str) -> tuple[list[str], list[dict[str, Any]]]:
    net = report.net

    def items(ids: Sequence[str]) -> list[Any]:
        if fmt == "json":
            return [{"id": i, "label": net.label(i), "kind": net.entities[i].kind} for i in ids]
        return [net.label(i) for i in ids]

    digits = 6 if fmt == "json" else 3
    if report.mode == "actor":
        headers = ["actor", "label", "kind", "shared", "jaccard", "items"]
        rows = [
            {
                "actor": o.other,
                "label": net.label(o.other),
                "kind": net.entities[o.other].kind,
                "shared": o.shared,
                "jaccard": round(o.jaccard, digits),
                "items": items(o.items),
            }
            for o in report.rows
        ]
        return headers, rows
    first, second, what = (
        ("actor_a", "actor_b", "items") if report.mode == "pairs" else ("a", "b", "members")
    )
    headers = [first, second, "shared", "jaccard", what]
    rows = [
        {
            first: o.actor,
            second: o.other,
            "shared": o.shared,
            "jaccard": round(o.jaccard, digits),
            what: items(o.items),
        }
        for o in report.rows
    ]
    return headers, rows


@click.command("overlaps")
@click.argument("actor", required=False)
@click.option("--all-pairs", is_flag=True, help="Every pair of actors that shares a collaboration.")
@click.option("--networks", is_flag=True, help="Pairs of collaborations that share members.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Only collaborations of this kind (network, project, programme, cooperation, "
    "event); repeatable.",
)
@click.option("--theme", help="Only collaborations on this theme or a narrower one (ID or name).")
@click.option(
    "--current/--past", "current", default=None, help="Only ties that hold now / that have ended."
)
@top_option
@format_option(TABLE_FORMATS, "table")
@as_of_option
@source_options(public=True)
@home_option("The actor whose overlaps to list when ACTOR is not given.")
def overlaps_command(
    actor: str | None,
    all_pairs: bool,
    networks: bool,
    kinds: tuple[str, ...],
    theme: str | None,
    current: bool | None,
    top: int | None,
    fmt: str,
    as_of: dt.date | None,
    source: SparqlSource,
    home: Home,
) -> None:
    """Who shares which collaborations with ACTOR (default: the home city), most shared first.

    Each row names the shared collaborations. --all-pairs lists every pair of actors,
    --networks every pair of collaborations with the members they share. ACTOR is an ID or a
    name (case and accents do not matter: 'kobenhavn' is Copenhagen).
    """
    if all_pairs and networks:
        raise click.UsageError("Use --all-pairs or --networks, not both.")
    mode = "pairs" if all_pairs else "networks" if networks else "actor"
    status = None if current is None else "current" if current else "past"
    report = find_overlaps(
        source,
        actor or (home.id if mode == "actor" else ""),
        mode=mode,
        kinds=kinds,
        theme=theme,
        status=status,
        today=as_of,
        limit=top,
    )
    headers, rows = _overlap_rows(report, fmt)
    _emit(headers, rows, fmt, top)


# --- analyze -------------------------------------------------------------------------------


@click.group("analyze")
def analyze_group() -> None:
    """Network analyses: centrality, communities, brokers, theme coverage."""


exact_option = click.option(
    "--exact",
    is_flag=True,
    help="Exact betweenness however large the graph (slow: on a large graph it is estimated "
    "from a sample of nodes, and a note on stderr says how closely).",
)


def _note(betweenness: Betweenness) -> None:
    if not betweenness.exact:
        click.echo(f"Note: {betweenness.note()}; --exact computes it exactly.", err=True)


@analyze_group.command("centrality")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Only nodes of this kind (city, network, ...); repeatable.",
)
@exact_option
@top_option
@format_option(TABLE_FORMATS, "table")
@as_of_option
@source_options(public=True)
def centrality_command(
    kinds: tuple[str, ...],
    exact: bool,
    top: int | None,
    fmt: str,
    as_of: dt.date | None,
    source: SparqlSource,
) -> None:
    """Degree, betweenness and eigenvector centrality, core number and community of each node.

    Computed on the actor-collaboration graph; sorted by betweenness.
    """
    report = analyze_centrality(source, kinds=kinds, today=as_of, exact=exact)
    _note(report.betweenness)
    rows = report.rows
    headers = [
        "id",
        "label",
        "kind",
        "ties",
        "degree",
        "betweenness",
        "eigenvector",
        "core",
        "community",
    ]
    _emit(headers, [vars(r) for r in rows], fmt, top)


@analyze_group.command("communities")
@top_option
@format_option(TABLE_FORMATS, "table")
@as_of_option
@source_options(public=True)
def communities_command(
    top: int | None, fmt: str, as_of: dt.date | None, source: SparqlSource
) -> None:
    """Louvain communities of the actor-collaboration graph (seeded: the same on every run)."""
    result = analyze_communities(source, today=as_of)
    net = result.net
    headers = ["community", "size", "actors", "collaborations", "hubs"]
    rows = [
        {
            "community": c.number,
            "size": c.size,
            "actors": list(c.actors),
            "collaborations": _named(net, c.collaborations),
            "hubs": _named(net, c.hubs),
        }
        for c in result.communities
    ]
    _emit(headers, rows, fmt, top, counts=["actors"], short=["collaborations"])


@analyze_group.command("brokers")
@exact_option
@top_option
@format_option(TABLE_FORMATS, "table")
@as_of_option
@source_options(public=True)
def brokers_command(
    exact: bool, top: int | None, fmt: str, as_of: dt.date | None, source: SparqlSource
) -> None:
    """Actors that bridge otherwise separate groups.

    Betweenness on the actor projection (actors linked when they share a collaboration), with
    Burt's constraint and effective size, and the communities their contacts fall into.
    """
    result = analyze_brokers(source, today=as_of, exact=exact)
    _note(result.betweenness)
    headers = [
        "id",
        "label",
        "kind",
        "betweenness",
        "constraint",
        "effective_size",
        "communities",
        "collaborations",
    ]
    rows = [
        {**vars(b), "collaborations": _named(result.net, b.collaborations)} for b in result.brokers
    ]
    _emit(headers, rows, fmt, top, short=["collaborations"])


@analyze_group.command("themes")
@click.option("--unlinked", is_flag=True, help="List the partners no theme reaches instead.")
@click.option("--gaps", is_flag=True, help="Only themes with no initiative or no partner.")
@top_option
@format_option(TABLE_FORMATS, "table")
@as_of_option
@source_options(public=True)
@home_option("The city whose initiatives and partners are counted.")
def themes_command(
    home: Home,
    unlinked: bool,
    gaps: bool,
    top: int | None,
    fmt: str,
    as_of: dt.date | None,
    source: SparqlSource,
) -> None:
    """Per theme: the home city's initiatives, networks, partner cities and other partners.

    An initiative is a collaboration the home takes part in; one on a narrower theme counts
    for the broader one. The gap column says 'no initiative' or 'no partner'. --unlinked lists
    the home's partners none of whose shared collaborations has a theme.
    """
    result = analyze_themes(source, home=home.id, today=as_of)
    net = result.net
    coverage = result.coverage
    if unlinked:
        rows = [
            {
                "id": a,
                "label": net.label(a),
                "kind": net.entities[a].kind,
                "collaborations": _named(net, sorted(net.graph[a])),
            }
            for a in coverage.unthemed_partners
        ]
        _emit(["id", "label", "kind", "collaborations"], rows, fmt, top, short=["collaborations"])
        return
    headers = [
        "theme",
        "label",
        "initiatives",
        "networks",
        "partner_cities",
        "other_partners",
        "gap",
    ]
    rows = []
    for r in coverage.themes:
        if gaps and not r.gap:
            continue
        rows.append(
            {
                "theme": r.theme,
                "label": net.label(r.theme),
                "initiatives": _named(net, r.initiatives),
                "networks": _named(net, r.networks),
                "partner_cities": _named(net, r.partner_cities),
                "other_partners": _named(net, r.other_partners),
                "gap": r.gap,
            }
        )
    _emit(
        headers,
        rows,
        fmt,
        top,
        counts=["initiatives", "partner_cities", "other_partners"],
        short=["networks"],
    )


# --- assess --------------------------------------------------------------------------------


def _assessment_json(a: Assessment, label: Callable[[str], str]) -> dict[str, Any]:
    return {
        "request": a.name,
        "city": a.city,
        "label": label(a.city) if a.city else None,
        "in_graph": a.city is not None,
        "closest_names": list(a.near),
        "home": a.home,
        "shared": [
            {
                "id": s.id,
                "label": label(s.id),
                "kind": s.kind,
                "roles": list(s.roles),
                "home_roles": list(s.home_roles),
                "status": s.status,
            }
            for s in a.shared
        ],
        "agreements": [{"id": i, "label": label(i)} for i in a.agreements],
        "themes": [
            {
                "id": t,
                "label": label(t),
                "initiatives": [{"id": c, "label": label(c)} for c in work],
            }
            for t, work in a.theme_initiatives
        ],
        "purpose": {
            "id": a.purpose,
            "label": label(a.purpose),
            "initiatives": [{"id": c, "label": label(c)} for c in a.purpose_initiatives],
        }
        if a.purpose
        else None,
        "owners": [
            {"administration": o, "label": label(o), "for": c, "for_label": label(c)}
            for o, c in a.owners
        ],
        "council": a.council,
        "council_covered_by": list(a.council_covered_by),
        "principles": [
            {
                "id": p.principle,
                "number": p.number,
                "label": p.label,
                "about": p.about,
                "advice": p.text,
            }
            for p in a.advice
        ],
        "score": a.score,
        "level": a.level,
        "reasons": [
            {
                "points": r.points,
                "reason": r.text,
                "status": r.status,
                "rests_on": [{"what": what, "status": status} for what, status in r.rests_on],
            }
            for r in a.reasons
        ],
    }


def _assessment_text(a: Assessment, label: Callable[[str], str]) -> str:
    home = label(a.home)
    lines = []
    if a.city is None:
        lines.append(
            f"{a.name}: not in the graph, so it shares no networks, projects or agreements "
            f"with {home}."
        )
        if a.near:
            lines.append(
                "Closest names in the graph: "
                + ", ".join(f"{label(n)} ({n})" for n in a.near)
                + "."
            )
    else:
        lines.append(f"Request from {label(a.city)} ({a.city}), assessed for {home}.")
        if a.shared:
            lines.append(f"Shared with {home}:")
            for s in a.shared:
                lines.append(f"  {s.kind:<12} {label(s.id)} ({', '.join(s.roles)}; {s.status})")
        else:
            lines.append(f"Shares no networks, projects or agreements with {home}.")
    agreements = ", ".join(label(i) for i in a.agreements) or "none"
    lines.append(f"Existing agreements: {agreements}.")
    for t, work in a.theme_initiatives:
        found = ", ".join(label(c) for c in work) or f"no initiative of {home}"
        lines.append(f"Theme {label(t)}: {found}.")
    if a.purpose:
        found = ", ".join(label(c) for c in a.purpose_initiatives) or "none of these initiatives"
        lines.append(f"Purpose {label(a.purpose)}: {found}.")
    owners = "; ".join(f"{label(o)} (owns {label(c)})" for o, c in a.owners) or "not recorded"
    lines.append(f"Owning administration: {owners}.")
    lines.append(f"City Council: {a.council}")
    for p in a.advice:
        lines.append(f"Principle {p.number} ({p.label}): {p.text}.")
    lines.append(f"Score: {a.score} ({a.level})")
    for r in a.reasons:
        known = f" [{r.status_text}]" if r.rests_on else ""
        lines.append(f"  {r.points:+d}  {r.text}{known}")
    return "\n".join(lines) + "\n"


@click.command("assess")
@click.option(
    "--city", required=True, help="The city (or region) the request comes from: a name or ID."
)
@click.option(
    "--theme",
    "themes",
    multiple=True,
    help="A theme the request is about (ID or name); repeatable.",
)
@click.option(
    "--purpose",
    help="What the request is for: learn, influence, inspire, cooperate, brand-and-promote.",
)
@format_option(TEXT_FORMATS, "text")
@as_of_option
@source_options(public=True)
@home_option("The city that receives the request.")
def assess_command(
    city: str,
    themes: tuple[str, ...],
    purpose: str | None,
    home: Home,
    fmt: str,
    as_of: dt.date | None,
    source: SparqlSource,
) -> None:
    """Triage a request for cooperation or a delegation visit against the strategy.

    Lists the networks, projects and agreements the city shares with the home city, which
    requested themes and purpose the home city works on and who owns that work, what the home's
    principles ask (its council-approval rule for a binding agreement, and the others), and a
    score with every point's reason. Only the home's strategy counts: its principles and the
    purposes its dataset gives. A city not in the graph is assessed as sharing nothing.
    """
    result = assess(source, city, themes=themes, purpose=purpose, home=home.id, today=as_of)
    if fmt == "json":
        payload = _assessment_json(result.assessment, result.net.label)
        click.echo(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
    else:
        text = _assessment_text(result.assessment, result.net.label)
        click.echo(terminal_safe(text, keep="\n"), nl=False)


# --- export --------------------------------------------------------------------------------


def export_network_command(
    source: SparqlSource, fmt: str, output: Path | None, *, private: bool = False
) -> None:
    """The network formats of ``citykg export``: GraphML, GEXF, CSV node and edge lists, JSON."""
    files = export_network(source, fmt)
    written = write_graph_export(files, output, private=private)
    if not written:
        write_output(files[""], None)
