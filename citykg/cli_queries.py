"""``citykg queries``, ``query``, ``push`` and ``serve``: ask the graph, locally or remotely.

:func:`endpoint_options` and :func:`source_from_options` are for every command that reads the
graph with SPARQL: with them, ``--endpoint URL`` works for it as for ``citykg query``.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib import Literal, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from citykg.clitools import (
    StepBar,
    format_option,
    include_internal_option,
    quiet_option,
    render_rows,
    store_option,
    store_path,
    warn_internal,
    write_output,
)
from citykg.errors import EndpointError, QueryError
from citykg.queries.library import NamedQuery, get_query, list_queries, load_query_file, run_query
from citykg.queries.remote import (
    DEFAULT_GRAPH,
    DEFAULT_TIMEOUT,
    PASSWORD_ENV,
    PUSH_STEPS,
    open_source,
    push,
)
from citykg.queries.serve import DEFAULT_PORT, serve
from citykg.queries.sparql import SelectResult, SparqlSource

__all__ = [
    "TABLE_MAX_ROWS",
    "chosen_endpoint",
    "endpoint_options",
    "push_command",
    "queries_command",
    "query_command",
    "render_result",
    "serve_command",
    "source_from_options",
]

F = TypeVar("F", bound=Callable[..., Any])

#: More rows than this do not make a readable terminal table.
TABLE_MAX_ROWS = 200
ROW_FORMATS = ["table", "csv", "tsv", "json", "md"]


_ENDPOINT_META = "citykg.endpoint"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    # The options are kept in the context, not passed to the command, so that any command
    # gains --endpoint with one decorator and one call (source_from_options).
    ctx.meta.setdefault(_ENDPOINT_META, {})[param.name] = value
    return value


def endpoint_options(func: F) -> F:
    """``--endpoint``, ``--graph``, ``--timeout`` and ``--user`` (password: an env variable).

    The command reads them back through :func:`source_from_options`; they are not passed as
    arguments.
    """
    common: dict[str, Any] = {"expose_value": False, "callback": _remember}
    options = [
        click.option(
            "--endpoint",
            metavar="URL",
            envvar="CITYKG_ENDPOINT",
            show_envvar=True,
            help="Ask this SPARQL endpoint instead of the local store.",
            **common,
        ),
        click.option(
            "--graph",
            "default_graph",
            metavar="IRI",
            help="With --endpoint: query this named graph as the default graph (see push).",
            **common,
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            help="Seconds to wait for the endpoint.",
            **common,
        ),
        click.option(
            "--user",
            envvar="CITYKG_ENDPOINT_USER",
            show_envvar=True,
            help=f"User for HTTP basic authentication; the password is read from ${PASSWORD_ENV}.",
            **common,
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _given() -> dict[str, Any]:
    # What endpoint_options remembered for the running command.
    context = click.get_current_context(silent=True)
    return context.meta.get(_ENDPOINT_META, {}) if context else {}


def chosen_endpoint() -> str | None:
    """The ``--endpoint`` URL given to the running command (see :func:`endpoint_options`)."""
    return _given().get("endpoint") or None


def source_from_options(store: Path | None) -> SparqlSource:
    """The SPARQL source a command's options name: the ``--endpoint`` if given (see
    :func:`endpoint_options`), else the local store at ``store``."""
    given = _given()
    return open_source(
        store_path(store),
        given.get("endpoint"),
        timeout=given.get("timeout") or DEFAULT_TIMEOUT,
        user=given.get("user"),
        default_graph=given.get("default_graph"),
    )


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
    return (
        json.dumps({"head": data["head"], "results": data["results"]}, indent=2, ensure_ascii=False)
        + "\n"
    )


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
@format_option(ROW_FORMATS, "table")
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
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The date 'today' means (default: the real today).",
)
@store_option
@endpoint_options
@format_option(ROW_FORMATS, "table")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: stdout).",
)
def query_command(
    name: str | None,
    file: Path | None,
    params: tuple[str, ...],
    today: dt.datetime | None,
    store: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Run the named query NAME (see 'citykg queries'), or your own with --file.

    \b
    citykg query networks-of -p actor=copenhagen
    citykg query search -p text=kobenhavn --format json
    citykg query --file my.rq --endpoint http://127.0.0.1:7878/query
    """
    if (name is None) == (file is None):
        raise click.UsageError("Give a query NAME or --file FILE (one of them).")
    values = _parse_params(params)
    query = load_query_file(file) if file is not None else get_query(name or "")
    source = source_from_options(store)
    result = run_query(query, values, source, today=today.date() if today else None)
    write_output(render_result(result, fmt, query.form), output)


@click.command("push")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    envvar="CITYKG_PUSH_ENDPOINT",
    show_envvar=True,
    help="The Graph Store endpoint (Oxigraph: http://HOST:7878/store).",
)
@click.option(
    "--graph",
    default=DEFAULT_GRAPH,
    show_default=True,
    metavar="IRI",
    help="The named graph to replace.",
)
@click.option("--dry-run", is_flag=True, help="Only say what would change (triple counts).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait.",
)
@click.option(
    "--user",
    envvar="CITYKG_ENDPOINT_USER",
    show_envvar=True,
    help=f"User for basic authentication; password from ${PASSWORD_ENV}.",
)
@store_option
@include_internal_option
@quiet_option
@format_option(["text", "json"], "text")
def push_command(
    endpoint: str,
    graph: str,
    dry_run: bool,
    timeout: float,
    user: str | None,
    store: Path | None,
    include_internal: bool,
    quiet: bool,
    fmt: str,
) -> None:
    """Upload the built graph to a remote store, replacing one named graph in one request.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol (PUT), so the store never holds half a
    graph; pushing again changes nothing and sends nothing. Sends the public profile (no
    persons, contacts or internal entries) unless --include-internal. Query it then with
    'citykg query NAME --endpoint .../query --graph IRI'.
    """
    warn_internal(include_internal)
    steps = StepBar(PUSH_STEPS, "Pushing", quiet or fmt == "json")
    try:
        result = push(
            store_path(store),
            endpoint,
            graph=graph,
            dry_run=dry_run,
            timeout=timeout,
            user=user,
            include_internal=include_internal,
            progress=steps,
        )
    finally:
        steps.close()
    if fmt == "json":
        click.echo(json.dumps(result.__dict__, indent=2))
        return
    change = (
        f"{result.before} triples now, {result.after} after (+{result.added} -{result.removed})"
    )
    if dry_run:
        click.echo(f"Would replace <{graph}> at {endpoint}: {change}. Nothing was sent.")
    elif not result.sent:
        click.echo(
            f"<{graph}> at {endpoint} already holds the built graph ({result.after} triples). "
            "Nothing was sent."
        )
    else:
        click.echo(f"Replaced <{graph}> at {endpoint}: {change}.")


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
@store_option
@include_internal_option
def serve_command(
    port: int, host: str, writable: bool, cors: bool, store: Path | None, include_internal: bool
) -> None:
    """Start a local SPARQL endpoint over the built store, until Ctrl-C.

    For other tools (YASGUI, a BI tool, a colleague's script); it runs the Oxigraph server
    over the store's public profile (no persons, contacts or internal entries) unless
    --include-internal.
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
