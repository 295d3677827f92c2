"""The options citykg's commands share, as click decorators: one name per meaning.

A command that reads the graph takes :func:`source_options` and receives a ready
:class:`~citykg.queries.sparql.SparqlSource` as its ``source`` argument: the local store, or
the SPARQL endpoint that ``--endpoint`` names. With ``public=True`` the local store is seen
through its public profile unless ``--include-internal`` is given.

A command that works for a home city takes :func:`home_option` (below ``source_options``) and
receives a :class:`Home`: ``--home``, else the store's one home, else ``$CITYKG_HOME``, worked
out only when the command asks for it.

Names: ``--store`` is the local store, ``--endpoint`` a SPARQL query endpoint, ``--as-of`` the
date that counts as today, ``--format`` the output format (:data:`TABLE_FORMATS` for every
command that prints rows), ``-o`` the file to write.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
from click.core import ParameterSource

from citykg.defaults import DEFAULT_TIMEOUT, HOME_ENV, PASSWORD_ENV, STORE_ENV, USER_ENV

__all__ = [
    "INTERNAL_WARNING",
    "MAX_TIMEOUT",
    "TABLE_FORMATS",
    "TEXT_FORMATS",
    "Home",
    "Seconds",
    "as_of_option",
    "auth_option",
    "format_option",
    "home_option",
    "include_internal_option",
    "output_option",
    "quiet_option",
    "source_options",
    "store_option",
    "store_path",
    "timeout_option",
    "top_option",
    "user_option",
    "warn_internal",
]

if TYPE_CHECKING:
    from citykg.queries.sparql import SparqlSource

F = TypeVar("F", bound=Callable[..., Any])

#: The ``--format`` choices of every command that prints rows.
TABLE_FORMATS = ("table", "csv", "tsv", "json", "md")
#: The ``--format`` choices of commands that print a report.
TEXT_FORMATS = ("text", "json")

#: Said on stderr by every command that lets internal data out because of --include-internal.
INTERNAL_WARNING = (
    "Warning: --include-internal: the output holds internal data (persons, contact details, "
    "notes, entries marked internal); do not publish it."
)


def _apply(func: F, options: Sequence[Callable[[F], F]]) -> F:
    # Applied bottom-up, so --help lists them in the order given.
    for option in reversed(options):
        func = option(func)
    return func


def store_option(func: F) -> F:
    """``--store PATH`` (or ``$CITYKG_STORE``) for every command that reads or writes the graph."""
    return click.option(
        "--store",
        "store",
        type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
        envvar=STORE_ENV,
        show_envvar=True,
        help="The store folder (default: citykg's folder in your user data directory).",
    )(func)


def store_path(store: Path | None) -> Path:
    """The store folder: ``--store``, else ``$CITYKG_STORE``, else the default."""
    from citykg.graph.store import resolve_store_path  # rdflib only when a command runs

    return resolve_store_path(store)


def quiet_option(func: F) -> F:
    """``--quiet``/``-q``: no progress on stderr."""
    return click.option("--quiet", "-q", is_flag=True, help="Print no progress.")(func)


def format_option(choices: Sequence[str], default: str) -> Callable[[F], F]:
    """``--format`` (passed as ``fmt``) with these choices."""

    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(list(choices)),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def output_option(help_text: str = "File to write (default: stdout).") -> Callable[[F], F]:
    """``-o``/``--output FILE`` (passed as ``output``)."""

    def decorate(func: F) -> F:
        return click.option(
            "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help=help_text
        )(func)

    return decorate


def _to_date(ctx: click.Context, param: click.Parameter, value: dt.datetime | None) -> Any:
    return value.date() if value is not None else None


def as_of_option(func: F) -> F:
    """``--as-of DATE`` (passed as ``as_of``, a :class:`datetime.date` or None)."""
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        metavar="DATE",
        callback=_to_date,
        help="The date that counts as today: which ties are current, what ends soon "
        "(default: today).",
    )(func)


def top_option(func: F) -> F:
    """``--top N``: only the first N rows."""
    return click.option("--top", type=click.IntRange(min=1), help="Show only the first N rows.")(
        func
    )


#: The longest --timeout: a day. A command must end some time.
MAX_TIMEOUT = 86400


class Seconds(click.FloatRange):
    """A number of seconds above zero and at most :data:`MAX_TIMEOUT` ("inf" and "nan" parse
    as floats; both are refused)."""

    def __init__(self) -> None:
        super().__init__(min=0, min_open=True, max=MAX_TIMEOUT)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if math.isnan(seconds):
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        return seconds


def timeout_option(
    what: str = "the endpoint", *, overall: bool = True, local: bool = False
) -> Callable[[F], F]:
    """``--timeout SECONDS``: for a server, all of a command's requests together (``overall``);
    ``local`` adds that on the local store it bounds each query."""
    text = f"Seconds to wait for {what}"
    text += ", over all of the command's requests" if overall else ""
    text += " (on the local store: for each query)." if local else "."

    def decorate(func: F) -> F:
        return click.option(
            "--timeout",
            type=Seconds(),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            help=text,
        )(func)

    return decorate


def user_option(func: F) -> F:
    """``--user NAME`` for HTTP authentication; the password comes from the environment."""
    return click.option(
        "--user",
        envvar=USER_ENV,
        show_envvar=True,
        help=f"User for HTTP authentication; the password is read from ${PASSWORD_ENV}.",
    )(func)


def auth_option(func: F) -> F:
    """``--auth auto|basic|digest``: the HTTP authentication scheme for ``--user``."""
    return click.option(
        "--auth",
        type=click.Choice(["auto", "basic", "digest"]),
        default="auto",
        show_default=True,
        help="How to send --user: auto takes the scheme the server asks for (Digest or "
        "Basic); basic sends Basic at once; digest insists on Digest.",
    )(func)


def include_internal_option(func: F) -> F:
    """``--include-internal`` for every command whose output can leave the machine."""
    return click.option(
        "--include-internal",
        is_flag=True,
        help="Include internal data (persons, contacts, notes, entries marked internal). "
        "Default: the public profile only.",
    )(func)


def warn_internal(include_internal: bool) -> None:
    """Say :data:`INTERNAL_WARNING` on stderr when internal data is let out."""
    if include_internal:
        click.echo(INTERNAL_WARNING, err=True)


def source_options(*, public: bool = False, queries: bool = False) -> Callable[[F], F]:
    """``--store``, ``--endpoint``, ``--graph``, ``--timeout``, ``--user``: hand the command a
    ready ``source`` (:class:`~citykg.queries.sparql.SparqlSource`) instead.

    With ``public=True`` the command also takes ``--include-internal``: the local store is read
    through its public profile unless it is given (with a warning on stderr). An endpoint
    serves what was pushed to it, so ``--include-internal`` with ``--endpoint`` is a usage error.

    ``--timeout`` bounds each query on the local store too: always for a command that runs the
    user's queries (``queries=True``, which also adds ``--allow-service`` and a row limit), and
    for the others only when given (an analysis of a large store may run long on purpose).
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(
            *args: Any,
            store: Path | None,
            endpoint: str | None,
            default_graph: str | None,
            timeout: float,
            user: str | None,
            auth: str,
            include_internal: bool = False,
            allow_service: bool = False,
            **kwargs: Any,
        ) -> Any:
            if endpoint and include_internal:
                raise click.UsageError(
                    "--include-internal applies to the local store; an endpoint serves what "
                    "was pushed to it."
                )
            if public:
                warn_internal(include_internal)
            given = click.get_current_context().get_parameter_source("timeout")
            local_timeout = timeout if queries or given != ParameterSource.DEFAULT else None
            source = _Deferred(
                functools.partial(
                    _open_source,
                    store,
                    endpoint,
                    default_graph=default_graph,
                    timeout=timeout,
                    user=user,
                    auth=auth,
                    profile=public and not include_internal,
                    local_timeout=local_timeout,
                    allow_service=allow_service,
                    queries=queries,
                ),
                private=include_internal,
            )
            return func(*args, source=cast("SparqlSource", source), **kwargs)

        options: list[Callable[[Any], Any]] = [
            store_option,
            click.option(
                "--endpoint",
                metavar="URL",
                envvar="CITYKG_ENDPOINT",
                show_envvar=True,
                help="Ask this SPARQL query endpoint instead of the local store.",
            ),
            click.option(
                "--graph",
                "default_graph",
                metavar="IRI",
                help="With --endpoint: read this named graph (default: the graph 'citykg push' "
                "wrote behind this endpoint, else the endpoint's default graph where that "
                "holds citykg data alone).",
            ),
            timeout_option(local=True),
            user_option,
            auth_option,
        ]
        if public:
            options.append(include_internal_option)
        if queries:
            options.append(
                click.option(
                    "--allow-service",
                    is_flag=True,
                    help="Let the query call other endpoints with SERVICE (refused by default: "
                    "the store would fetch whatever address the query names).",
                )
            )
        return _apply(command, options)  # type: ignore[return-value]

    return decorate


class _Deferred:
    """A source that opens on first use, so that a command's usage errors come before a
    missing store or password; then it is the opened source in all but its type."""

    def __init__(self, opener: Callable[[], SparqlSource], *, private: bool = False) -> None:
        self._opener = opener
        #: The source lets internal data out (--include-internal): new output files are 0600.
        self.private = private

    @functools.cached_property
    def _source(self) -> SparqlSource:
        return self._opener()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)


def _open_source(
    store: Path | None,
    endpoint: str | None,
    *,
    default_graph: str | None,
    timeout: float,
    user: str | None,
    auth: str,
    profile: bool,
    local_timeout: float | None,
    allow_service: bool,
    queries: bool,
) -> SparqlSource:
    from citykg.graph.source import open_source
    from citykg.queries.sparql import MAX_ROWS

    return open_source(
        store_path(store),
        endpoint,
        timeout=timeout,
        user=user,
        auth=auth,
        default_graph=default_graph,
        profile=profile,
        local_timeout=local_timeout,
        allow_service=allow_service,
        max_rows=MAX_ROWS if queries else None,
    )


class Home:
    """The home a command works for, resolved on first use of :attr:`id` (so that a command
    that does not need one, such as ``overlaps --all-pairs``, never asks the store).

    No ``--home``, no single home in the store and no ``$CITYKG_HOME``: a usage error listing
    the store's homes. When ``$CITYKG_HOME`` names another home than the store's only one, a
    note on stderr says which was used.
    """

    def __init__(self, given: str | None, source: SparqlSource) -> None:
        self.given = given
        self.source = source

    @functools.cached_property
    def id(self) -> str:
        from citykg.queries.homes import HomeError, choose_home

        try:
            choice = choose_home(self.source, self.given, os.environ.get(HOME_ENV) or None)
        except HomeError as exc:
            raise click.UsageError(exc.message) from None
        if choice.note:
            click.echo(choice.note, err=True)
        return choice.id

    def optional(self, without: str) -> str | None:
        """The home where there is one to choose, else None and a note on stderr saying what
        the command does ``without`` one (the map: "none is emphasised")."""
        from citykg.queries.homes import HomeError, choose_home

        try:
            choice = choose_home(self.source, self.given, os.environ.get(HOME_ENV) or None)
        except HomeError as exc:
            click.echo(f"Note: {exc.problem}, so {without}. {exc.fix}", err=True)
            return None
        if choice.note:
            click.echo(choice.note, err=True)
        return choice.id


def home_option(help_text: str = "The home city: an ID or a name.") -> Callable[[F], F]:
    """``--home ID``: hand the command a :class:`Home` as ``home``. Apply it below
    :func:`source_options`, which it reads the homes from."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, home: str | None, source: SparqlSource, **kwargs: Any) -> Any:
            return func(*args, home=Home(home, source), source=source, **kwargs)

        return click.option(
            "--home",
            metavar="ID",
            help=f"{help_text} Default: the store's only home, else ${HOME_ENV}.",
        )(command)  # type: ignore[return-value]

    return decorate
