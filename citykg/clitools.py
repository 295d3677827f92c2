"""Shared pieces of the command line: the error-reporting group, tables, output, progress.

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
from typing import Any, TypeVar

import click

from citykg.errors import CitykgError
from citykg.files import spreadsheet_safe, write_output_file

__all__ = [
    "CitykgGroup",
    "StepBar",
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
    imported only when the command is used (or listed in ``--help``).
    """

    def __init__(
        self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module, _, attribute = self.lazy_commands[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CitykgError as exc:
            click.echo(f"Error: {terminal_safe(exc.message)}", err=True)
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


class StepBar:
    """A click progress bar over the named steps of one long job, on stderr (none if quiet).

    Call it with ``(step, detail)`` as the library's ``progress`` callbacks do; a step moves
    the bar the first time it is named.
    """

    def __init__(self, steps: Sequence[str], label: str, quiet: bool) -> None:
        self.bar = (
            None
            if quiet
            else click.progressbar(
                length=len(steps),
                label=label,
                file=sys.stderr,
                show_eta=False,
                item_show_func=lambda s: s,
            )
        )
        self.seen: set[str] = set()

    def __call__(self, step: str, detail: str = "") -> None:
        if self.bar is None:
            return
        if step not in self.seen:
            self.seen.add(step)
            self.bar.update(1, current_item=step)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
