"""``citykg queries``, ``query``, ``push`` and ``serve``: ask the graph, locally or remotely."""

from __future__ import annotations

import datetime as dt
import json
import signal
from collections.abc import Sequence
from pathlib import Path

import click
from rdflib import Literal, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from citykg.clitools import ProgressBar, json_safe, render_rows, write_output
from citykg.errors import EndpointError, QueryError
from citykg.graph.push import DEFAULT_GRAPH, PUSH_STEPS, push
from citykg.graph.serve import DEFAULT_PORT, serve
from citykg.options import (
    TABLE_FORMATS,
    TEXT_FORMATS,
    Home,
    as_of_option,
    auth_option,
    format_option,
    include_internal_option,
    output_option,
    quiet_option,
    source_options,
    store_option,
    store_path,
    timeout_option,
    user_option,
    warn_internal,
)
from citykg.queries.library import NamedQuery, get_query, list_queries, load_query_file, run_query
from citykg.queries.sparql import SelectResult, SparqlSource

__all__ = [
    "TABLE_MAX_ROWS",
    "push_command",
    "queries_command",
    "query_command",
    "render_result",
    "serve_command",
]

#: More rows than this do not make a readable terminal table.
TABLE_MAX_ROWS = 200


def _cell(term: Identifier | None) -> str:
    return "" if term is None else str(term)


def _sparql_json(result: SelectResult, form: str) -> str:
    # The SPARQL 1.1 Query Results JSON format, serialised by rdflib.
    if form == "ASK":
        answer = result.rows[0]["ask"]
        boolean = isinstance(answer, Literal) and answer.toPython() is True
        return json.dumps({"head": {}, "boolean": boolean}, indent=2) + "\n"
    out = Result("SELECT")
    out.vars = [Variable(v) for v in result.variables]
    out.bindings = [
        {Variable(k): v for k, v in row.items() if v is not None} for row in result.rows
    ]
    data = json.loads(out.serialize(format="json") or b"{}")
    text = json.dumps(
        {"head": data["head"], "results": data["results"]}, indent=2, ensure_ascii=False
    )
    return json_safe(text) + "\n"


def render_result(result: SelectResult, fmt: str, form: str = "SELECT") -> str:
    """A query result as text in ``fmt``; :class:`QueryError` if too long for a table."""
    if fmt == "json":
        return _sparql_json(result, form)
    if fmt == "table" and len(result.rows) > TABLE_MAX_ROWS:
        raise QueryError(
            f"the result has {len(result.rows)} rows, "
            f"too many for a table (at most {TABLE_MAX_ROWS})",
            "Use --format csv (or tsv, json, md), with -o FILE to save it.",
        )
    rows = [[_cell(row.get(v)) for v in result.variables] for row in result.rows]
    return render_rows(list(result.variables), rows, fmt)


def _parse_params(values: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{item}' is not NAME=VALUE", param_hint="'-p'")
        params[key.strip()] = value
    return params


def _params_text(query: NamedQuery) -> str:
    return ", ".join(p.describe() for p in query.params)


@click.command("queries")
@format_option(TABLE_FORMATS, "table")
def queries_command(fmt: str) -> None:
    """List the named queries, with their parameters.

    Run one with 'citykg query NAME -p name=value'.
    """
    found = list_queries()
    if fmt == "json":
        payload = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "default": None if p.required or p.optional else p.default,
                        "required": p.required,
                        "optional": p.optional,
                    }
                    for p in q.params
                ],
            }
            for q in found
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(
        render_rows(
            ["name", "parameters", "title"],
            [[q.name, _params_text(q), q.title] for q in found],
            fmt,
        ),
        nl=False,
    )


@click.command("query")
@click.argument("name", required=False)
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run your own .rq file instead of a named query.",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value (repeatable).",
)
@as_of_option
@source_options(queries=True)
@format_option(TABLE_FORMATS, "table")
@output_option()
def query_command(
    name: str | None,
    file: Path | None,
    params: tuple[str, ...],
    as_of: dt.date | None,
    source: SparqlSource,
    fmt: str,
    output: Path | None,
) -> None:
    """Run the named query NAME (see 'citykg queries'), or your own with --file.

    \b
    citykg query networks-of -p actor=lisbon
    citykg query search -p text=kobenhavn --format json
    citykg query --file my.rq --endpoint http://127.0.0.1:7878/query
    """
    if (name is None) == (file is None):
        raise click.UsageError("Give a query NAME or --file FILE (one of them).")
    values = _parse_params(params)
    query = load_query_file(file) if file is not None else get_query(name or "")
    # A parameter whose default is the home city asks for it only when it is not given.
    result = run_query(query, values, source, today=as_of, home=lambda: Home(None, source).id)
    # A query sees the whole store, internal data too: a new file is for its owner only.
    write_output(render_result(result, fmt, query.form), output, private=True)


@click.command("push")
@click.option(
    "--graph-store",
    "graph_store",
    required=True,
    metavar="URL",
    envvar="CITYKG_GRAPH_STORE",
    show_envvar=True,
    help="The store's Graph Store endpoint (Oxigraph: http://HOST:7878/store; Virtuoso: "
    "http://HOST:8890/sparql-graph-crud-auth).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="The same store's SPARQL query endpoint, to count and compare exactly (needed where "
    "the graph store cuts downloads, as Virtuoso's does); remembered for the graph store, "
    "and later --endpoint commands read the pushed graph.",
)
@click.option(
    "--graph",
    default=DEFAULT_GRAPH,
    show_default=True,
    metavar="IRI",
    help="The named graph to replace.",
)
@click.option("--dry-run", is_flag=True, help="Only say what would change (triple counts).")
@timeout_option("the graph store")
@user_option
@auth_option
@store_option
@include_internal_option
@quiet_option
@format_option(TEXT_FORMATS, "text")
def push_command(
    graph_store: str,
    endpoint: str | None,
    graph: str,
    dry_run: bool,
    timeout: float,
    user: str | None,
    auth: str,
    store: Path | None,
    include_internal: bool,
    quiet: bool,
    fmt: str,
) -> None:
    """Upload the built graph to a remote store, replacing one named graph in one request.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol (PUT); pushing again changes nothing and
    sends nothing. Sends the public profile (no persons, contacts or internal entries)
    unless --include-internal. Then 'citykg query NAME --endpoint QUERY_URL' reads the pushed
    graph (see docs/sharing.md).
    """
    warn_internal(include_internal)
    with ProgressBar("Pushing", PUSH_STEPS, quiet=quiet or fmt == "json") as bar:
        result = push(
            store_path(store),
            graph_store,
            graph=graph,
            endpoint=endpoint,
            dry_run=dry_run,
            timeout=timeout,
            user=user,
            auth=auth,
            include_internal=include_internal,
            progress=bar,
        )
    if fmt == "json":
        click.echo(json.dumps(result.__dict__, indent=2))
        return
    change = (
        f"{result.before} triples now, {result.after} after (+{result.added} -{result.removed})"
    )
    where = result.url
    if dry_run:
        click.echo(f"Would replace <{graph}> at {where}: {change}. Nothing was sent.")
    elif not result.sent:
        click.echo(
            f"<{graph}> at {where} already holds the built graph ({result.after} triples). "
            "Nothing was sent."
        )
    else:
        click.echo(f"Replaced <{graph}> at {where}: {change}.")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("serve")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only).",
)
@click.option(
    "--writable",
    is_flag=True,
    help="Serve a temporary writable copy (deleted on exit; the store itself never changes).",
)
@click.option(
    "--cors", is_flag=True, help="Allow browser pages from other sites (e.g. YASGUI) to query it."
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let queries call other endpoints with SERVICE, and updates LOAD documents (refused "
    "by default: the server would fetch whatever address a request names).",
)
@timeout_option("a query to finish", overall=False)
@store_option
@include_internal_option
def serve_command(
    port: int,
    host: str,
    writable: bool,
    cors: bool,
    allow_service: bool,
    timeout: float,
    store: Path | None,
    include_internal: bool,
) -> None:
    """Start a local SPARQL endpoint over the built store, until Ctrl-C.

    For other tools (YASGUI, a BI tool, a colleague's script); it runs the Oxigraph server
    over the store's public profile (no persons, contacts or internal entries) unless
    --include-internal. Queries are checked before the server sees them: too long or too
    deeply nested ones, and SERVICE and LOAD, are refused with status 400.
    """
    warn_internal(include_internal)
    # SIGTERM (a service manager, `kill`) stops it as cleanly as Ctrl-C.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with serve(
            store_path(store),
            port=port,
            host=host,
            writable=writable,
            cors=cors,
            include_internal=include_internal,
            allow_service=allow_service,
            timeout=timeout,
        ) as server:
            content = "internal data included" if include_internal else "public profile"
            mode = (
                f"writable copy, {content}, deleted on exit"
                if writable
                else f"read-only, {content}"
            )
            click.echo(f"SPARQL endpoint ({mode}): {server.url}")
            click.echo(f"Query page: {server.base}/   Graph store: {server.base}/store")
            click.echo("Press Ctrl-C to stop.", err=True)
            try:
                code = server.wait()
            except KeyboardInterrupt:
                code = 0
    finally:
        signal.signal(signal.SIGTERM, previous)
    # The signal that stops citykg may reach the server first: then it exits by that signal.
    if code not in (0, -signal.SIGINT, -signal.SIGTERM, 130, 143):
        raise EndpointError(
            f"the Oxigraph server stopped with exit code {code}", "Run 'citykg serve' again."
        )
    click.echo("Stopped.", err=True)
