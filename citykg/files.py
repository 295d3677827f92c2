"""Writing output files whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from citykg.errors import CitykgError

__all__ = ["write_atomic", "write_output_file"]


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends; bytes as they are) to ``path`` through a
    temporary file beside it.

    A reader, or a crash half-way, never sees half a file: the finished file replaces
    ``path`` in one ``os.replace``. Raises ``OSError`` like ``Path.write_text``.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "København\\n")
    >>> target.read_text(encoding="utf-8")
    'København\\n'
    """
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as raw:
                raw.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
        # mkstemp makes the file private (0600); give it the mode a plain write would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(name, 0o666 & ~umask)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def write_output_file(path: Path, text: str) -> None:
    """:func:`write_atomic` for an output the user named with ``-o``; a failure is a
    :class:`~citykg.errors.CitykgError` naming the file."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise CitykgError(
            f"cannot write the file ({exc.strerror})", "Choose another -o path.", file=path
        ) from None
