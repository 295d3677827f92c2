"""Shared pieces of the command line: the error-reporting group, tables, output, the progress
bar and the build result.

The shared options are in :mod:`citykg.options`.

Only the CLI imports click; the library raises :class:`citykg.errors.CitykgError` and this
module turns it into one line ``Error: <file>[:line]: <problem>. <fix>`` and exit code 1.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from citykg.errors import CitykgError
from citykg.files import write_output_file

if TYPE_CHECKING:
    from citykg.graph.build import BuildResult

__all__ = [
    "CitykgGroup",
    "ProgressBar",
    "build_notes",
    "echo_build_result",
    "render_rows",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])


class CitykgGroup(click.Group):
    """A click group that reports :class:`CitykgError` as one line and exit code 1.

    ``lazy_commands`` maps command names to ``"module:attribute"``; such a command's module is
    imported only when the command is used. ``lazy_help`` gives their short help, so that
    ``--help`` lists them without importing them (and rdflib, networkx with them); a lazy
    command without one is imported to learn it.
    """

    def __init__(
        self,
        *args: Any,
        lazy_commands: dict[str, str] | None = None,
        lazy_help: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})
        self.lazy_help = dict(lazy_help or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module, _, attribute = self.lazy_commands[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: list[tuple[str, str | None]] = []
        for name in self.list_commands(ctx):
            if name in self.lazy_help and name not in self.commands:
                rows.append((name, self.lazy_help[name]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, None))
        if not rows:
            return
        # click's own layout (Group.format_commands), with the lazy commands' short help.
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        lines = []
        for name, short in rows:
            if short is None:
                command = self.commands[name]
                short = command.get_short_help_str(limit)
            else:
                # Shortened as click shortens a command's own help.
                short = click.Command(name, help=short).get_short_help_str(limit)
            lines.append((name, short))
        with formatter.section("Commands"):
            formatter.write_dl(lines)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CitykgError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(1)


def _width(text: str) -> int:
    # East Asian wide characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str) -> str:
    """Rows as a terminal table, CSV, TSV, JSON (a list of objects) or a Markdown table."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if fmt == "json":
        return (
            json.dumps(
                [dict(zip(headers, row, strict=True)) for row in cells],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(cells)
        return buffer.getvalue()
    if fmt == "md":

        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(esc(h) for h in headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    widths = [max([_width(h)] + [_width(row[i]) for row in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths])] + [line(row) for row in cells]
    return "\n".join(out) + "\n"


def write_output(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output``, or to stdout when it is None or ``-``."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    write_output_file(output, text)


class ProgressBar:
    """The command line's one progress bar: a job's named steps and counted work, on stderr.

    A :class:`citykg.progress.Progress` to hand to the library. ``steps`` are the job's step
    names in order (none: the job is one span of counted work); each takes an equal part of
    the bar, counted work fills the current step's part, and a step named again (a build's
    ``load``, once per source) keeps its place. As a context manager it fills the bar when the
    job succeeds. Draws nothing when ``quiet``; on a terminal that is not one, click prints the
    label once.
    """

    # Bar positions per step, so that counted work within a step moves it smoothly.
    _PART = 1000

    def __init__(self, label: str, steps: Sequence[str] = (), *, quiet: bool = False) -> None:
        self.steps = tuple(steps)
        self.bar: Any = (
            None
            if quiet
            else click.progressbar(
                length=max(len(self.steps), 1) * self._PART,
                label=label,
                file=sys.stderr,
                show_eta=False,
                item_show_func=lambda item: item,
            )
        )
        self._part = 0
        self._name = ""

    def step(self, name: str, detail: str = "") -> None:
        """Move the bar to the start of step ``name`` (the first time it is named)."""
        if name in self.steps:
            self._part = max(self._part, self.steps.index(name))
        self._name = name
        self._show(self._part * self._PART, name)

    def count(self, done: int, total: int) -> None:
        """Fill ``done / total`` of the current step's part."""
        share = self._PART * min(done, total) // total if total > 0 else 0
        self._show(self._part * self._PART + share, f"{self._name} {done}/{total}".lstrip())

    def _show(self, position: int, item: str) -> None:
        if self.bar is None:
            return
        self.bar.current_item = item
        # Never backwards: a later step or count can only move the bar on.
        self.bar.make_step(max(position - self.bar.pos, 0))
        self.bar.render_progress()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self.bar is None:
            return
        if kind is None:
            self._show(self.bar.length, "")
        self.bar.render_finish()


def build_notes(result: BuildResult, source: Path | None = None) -> list[str]:
    """The loaders' notes of a build; with ``source``, only those about that file."""
    if source is None:
        return list(result.notes)
    return [note for note in result.notes if note.startswith(source.name + ":")]


def echo_build_result(result: BuildResult, fmt: str, source: Path | None = None) -> None:
    """Print what a build did: the notes on stderr, then one line on stdout (or all as JSON).

    ``source`` is the file a command added to the store (``load``, ``enrich``): only its notes
    are shown, since the other sources were loaded (and reported) before.
    """
    notes = build_notes(result, source)
    if fmt == "json":
        payload = {
            "store": str(result.store),
            "triples": result.triples,
            "validated": result.validated,
            "sources": result.sources,
            "notes": notes,
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for note in notes:
        click.echo(note, err=True)
    names = ", ".join(str(s["label"]) for s in result.sources)
    check = "validated" if result.validated else "not validated"
    click.echo(f"Built {result.store}: {result.triples} triples from {names} ({check}).")
