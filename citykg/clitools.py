"""Shared pieces of the command line: the error-reporting group, tables, output, the progress
bar and the build result.

The shared options are in :mod:`citykg.options`.

Only the CLI imports click; the library raises :class:`citykg.errors.CitykgError` and this
module turns it into one line ``Error: <file>[:line]: <problem>. <fix>`` and exit code 1.
"""

from __future__ import annotations

import csv
import errno
import importlib
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from citykg.errors import CitykgError
from citykg.files import spreadsheet_safe, write_output_file

if TYPE_CHECKING:
    from citykg.graph.build import BuildResult

__all__ = [
    "CitykgGroup",
    "ProgressBar",
    "build_notes",
    "echo_build_result",
    "json_safe",
    "render_rows",
    "terminal_safe",
    "write_output",
]

#: Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts colour,
#: cursor and title sequences; CR overwrites a line) and the bidirectional controls that
#: reorder what follows (right-to-left override, isolates, marks; "Trojan Source").
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


#: The errors of a write that did not go out: a full disk or device, a closed pipe, I/O.
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE})


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, keep: str = "") -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``)
    instead of acted on; the characters in ``keep`` (such as a newline) stay.

    Labels come from data anyone can write: printed raw, ``\\x1b]0;...`` retitles the
    terminal and U+202E shows a name backwards.

    Examples
    --------
    >>> terminal_safe("Copenhagen\\x1b[31m red\\u202eevil")
    'Copenhagen\\\\x1b[31m red\\\\u202eevil'
    """
    return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def json_safe(text: str) -> str:
    """JSON text with the control characters ``json.dumps`` leaves raw (C1, bidirectional
    controls) written as ``\\uXXXX`` escapes: the same JSON value, safe on a terminal.

    Examples
    --------
    >>> json_safe(json.dumps(["\\u202eabc"], ensure_ascii=False))
    '["\\\\u202eabc"]'
    """
    # json.dumps escapes C0 itself; a newline outside strings is the JSON's own layout.
    return _CONTROLS.sub(
        lambda m: m.group() if m.group() < " " else f"\\u{ord(m.group()):04x}", text
    )


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
            for message in exc.messages:
                click.echo(f"Error: {terminal_safe(message)}", err=True)
            ctx.exit(1)
        except RuntimeError as exc:
            # RocksDB finds a damaged table only when it reads it, anywhere in a command.
            if "Corruption:" not in str(exc):
                raise
            from citykg.graph.store import damaged

            click.echo(f"Error: {terminal_safe(damaged(exc).message)}", err=True)
            ctx.exit(1)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            # A write to standard output that failed (``> /dev/full``, a full disk): an error
            # with a file name is a file's, and the commands report those themselves.
            if exc.filename is not None or exc.errno not in _OUTPUT_ERRORS:
                raise
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more goes out
            reason = exc.strerror or str(exc)
            click.echo(
                f"Error: cannot write to standard output ({reason}). "
                "Check where the output goes, or write it to a file with -o.",
                err=True,
            )
            sys.exit(1)


def _width(text: str) -> int:
    # East Asian wide characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str) -> str:
    """Rows as a terminal table, CSV, TSV, JSON (a list of objects) or a Markdown table.

    Safe to print and to open: control characters in values are shown as escapes
    (:func:`terminal_safe`; JSON keeps them as ``\\u`` escapes), and CSV/TSV cells that a
    spreadsheet would run as formulas start with ``'`` (:func:`citykg.files.spreadsheet_safe`).
    """
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if fmt == "json":
        text = json.dumps(
            [dict(zip(headers, row, strict=True)) for row in cells], indent=2, ensure_ascii=False
        )
        return json_safe(text) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(
            [spreadsheet_safe(terminal_safe(cell, keep="\n\t")) for cell in row] for row in cells
        )
        return buffer.getvalue()
    cells = [[terminal_safe(cell) for cell in row] for row in cells]
    headers = [terminal_safe(h) for h in headers]
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


def write_output(text: str, output: Path | None, *, private: bool = False) -> None:
    """Write ``text`` to ``output``, or to stdout when it is None or ``-``; a new file is
    0600 when ``private`` (it may hold internal data)."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    write_output_file(output, text, private=private)


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
        click.echo(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
        return
    for note in notes:
        click.echo(terminal_safe(note), err=True)
    names = ", ".join(str(s["label"]) for s in result.sources)
    check = "validated" if result.validated else "not validated"
    click.echo(f"Built {result.store}: {result.triples} triples from {names} ({check}).")
