"""``citykg load members|text FILE``: add one source to the store (and ``citykg load-text``).

Each command rebuilds the store from the sources it records plus the new one, atomically
(:func:`citykg.graph.addsource.add_source`), and prints what the loader reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from citykg.clitools import ProgressBar, echo_build_result
from citykg.graph.addsource import add_source
from citykg.graph.build import STEPS
from citykg.options import TEXT_FORMATS, format_option, quiet_option, store_option, store_path

__all__ = ["load_group", "load_text_command"]

FILE = click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))


def _run(
    store: Path | None,
    file: Path,
    options: dict[str, object],
    quiet: bool,
    fmt: str,
    no_validate: bool,
) -> None:
    with ProgressBar("Loading", STEPS, quiet=quiet or fmt == "json") as bar:
        result = add_source(
            store_path(store), file, options, validate=not no_validate, progress=bar
        )
    echo_build_result(result, fmt, source=file)


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in (
        format_option(TEXT_FORMATS, "text"),
        quiet_option,
        click.option("--no-validate", is_flag=True, help="Skip SHACL validation."),
        store_option,
    ):
        func = decorate(func)
    return func


@click.group("load")
def load_group() -> None:
    """Add a member list or a document's text to the store.

    The store is rebuilt from the sources it was built from plus the new file, and replaced
    only if everything loads and validates. Loading the same file again replaces it.
    """


@load_group.command("members")
@FILE
@click.option(
    "--network", required=True, help="ID of the network (or project, programme) the list is of."
)
@click.option(
    "--name-column", help="Column with the members' names (default: Name, City, Member or Label)."
)
@click.option("--country-column", help="Column with each member's country (name or ISO code).")
@click.option("--id-column", help="Column with citykg IDs, where a name alone is ambiguous.")
@click.option("--start-column", help="Column with the date each membership began.")
@click.option("--end-column", help="Column with the date each membership ended.")
@click.option("--role", help="Role ID of every row (default: member).")
@click.option("--sheet", help="Sheet of an .xlsx workbook (default: the first).")
@click.option("--source-url", help="Public page the list comes from (default: the file).")
@_common
def members_command(
    file: Path, store: Path | None, no_validate: bool, quiet: bool, fmt: str, **columns: str | None
) -> None:
    """Add the members of a network from a CSV, TSV or XLSX FILE.

    Rows are matched to known actors by label and alternative label (ignoring case and
    accents); a name that matches none becomes a new city, a name that matches several is
    listed and left out. Options may also stand in '# key: value' lines at the top of a CSV
    file or in a sidecar FILE.yaml.
    """
    options: dict[str, object] = {"loader": "members", **{k: v for k, v in columns.items() if v}}
    _run(store, file, options, quiet, fmt, no_validate)


@click.command("load-text")
@FILE
@click.option(
    "--document", help="ID of the known document the text is (default: found by its headings)."
)
@click.option("--id", "document_id", help="ID for a new document (default: from the file name).")
@click.option("--title", help="Title of a new document (default: the file name).")
@click.option(
    "--publisher",
    metavar="ID",
    help="Whose strategy a new document is (an actor ID): its purpose boxes give that actor's "
    "purposes. A known document keeps the publisher its dataset gives it.",
)
@click.option("--skip", multiple=True, help="Regular expression of lines to drop (repeatable).")
@_common
def load_text_command(
    file: Path,
    store: Path | None,
    no_validate: bool,
    quiet: bool,
    fmt: str,
    document: str | None,
    document_id: str | None,
    title: str | None,
    publisher: str | None,
    skip: tuple[str, ...],
) -> None:
    """Add a strategy document's plain text FILE: its sections, passages, purposes and mentions.

    PDF artefacts (hyphenation, split words, repeated lines, stray footers) are repaired and
    reported. Each section links to the known entities it names (ckg:mentions); each purpose
    box ("WHAT WE ARE DOING TO LEARN:") gives its purposes to the initiatives of its section,
    as the purposes of the document's publisher (the home whose strategy it is).
    """
    options: dict[str, object] = {"loader": "text"}
    for key, value in (
        ("document", document),
        ("id", document_id),
        ("title", title),
        ("publisher", publisher),
    ):
        if value:
            options[key] = value
    if skip:
        options["skip"] = list(skip)
    _run(store, file, options, quiet, fmt, no_validate)


load_group.add_command(load_text_command, "text")
