"""Error types of citykg.

The library raises these and never prints or exits; the CLI turns each into one line
``Error: <file>[:line]: <problem>. <fix>`` and exit code 1.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "MAX_LISTED",
    "BuildLockedError",
    "CitykgError",
    "DataError",
    "EndpointError",
    "LoaderError",
    "QueryError",
    "StoreError",
    "StoreVersionError",
    "ValidationError",
    "closest",
    "did_you_mean",
    "gather",
    "shown",
]

#: A run that finds many problems lists at most this many and counts the rest.
MAX_LISTED = 20


#: The longest problem or fix a message carries: a value pasted into one stays readable.
MAX_PART = 1000

_REPR = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 5


def shown(value: object, limit: int = 80) -> str:
    """``value`` for an error message, in bounded time and length: a text in quotes, cut to
    ``limit`` characters; any other value as a short ``repr`` (:mod:`reprlib`).

    A value from a file may be huge (a YAML alias bomb is a list of a billion items): its full
    ``repr`` would take minutes and all memory before the message is shown.

    Examples
    --------
    >>> shown("c40"), shown([1, [2, [3, [4]]], 5, 6, 7, 8, 9])
    ("'c40'", '[1, [2, [...]], 5, 6, 7, ...]')
    >>> len(shown([[[i] * 9] * 9 for i in range(9)]))
    80
    >>> shown("x" * 100, limit=10)
    "'xxxxxxxxx…'"
    """
    text = value if isinstance(value, str) else _REPR.repr(value)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def _cut(text: str) -> str:
    return text if len(text) <= MAX_PART else text[: MAX_PART - 1] + "…"


class CitykgError(Exception):
    """Base class of every error citykg reports to a user.

    Parameters
    ----------
    problem : str
        What is wrong, as a sentence without a final full stop.
    fix : str, optional
        What the user can do about it.
    file : str or Path, optional
        The file (or store folder, or endpoint URL) the problem is in.
    line : int, optional
        The 1-based line in ``file``.

    Examples
    --------
    >>> str(CitykgError("unknown theme 'climat'", "Did you mean 'climate'?", file="a.yaml", line=3))
    "a.yaml:3: unknown theme 'climat'. Did you mean 'climate'?"
    """

    def __init__(
        self,
        problem: str,
        fix: str = "",
        *,
        file: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = _cut(problem)
        self.fix = _cut(fix)
        self.file = str(file) if file is not None else None
        self.line = line
        #: Further problems found in the same run (see :func:`gather`).
        self.others: tuple[CitykgError, ...] = ()
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        text = where + self.problem.rstrip(".") + "."
        if self.fix:
            text += " " + self.fix
        # One line, always: a file name or quoted value may hold a line break.
        return text.replace("\r", "\\r").replace("\n", "\\n")

    def __str__(self) -> str:
        return self.message

    @property
    def messages(self) -> list[str]:
        """This problem's message and those of :attr:`others`, at most :data:`MAX_LISTED`, then
        a line counting the rest.

        Examples
        --------
        >>> error = gather([DataError("b", file="x", line=9), DataError("a", file="x", line=2)])
        >>> error.messages
        ['x:2: a.', 'x:9: b.']
        """
        every = [self, *self.others]
        shown = [e.message for e in every[:MAX_LISTED]]
        rest = len(every) - len(shown)
        if rest:
            shown.append(
                f"{rest} more problem{'s' if rest > 1 else ''} not shown. "
                "Fix the ones above and run again."
            )
        return shown


class DataError(CitykgError):
    """A dataset file is malformed or inconsistent."""


class LoaderError(CitykgError):
    """A source cannot be loaded (unknown kind, unreadable file, bad options)."""


class ValidationError(CitykgError):
    """The built graph violates the SHACL shapes."""


class StoreError(CitykgError):
    """The store folder is missing, locked, from another version or not writable."""


class StoreVersionError(StoreError):
    """The store was written with another layout version; a build will not overwrite it."""


class BuildLockedError(StoreError):
    """Another build holds the store's lock."""


class QueryError(CitykgError):
    """A query is unknown, malformed, or got bad parameters."""


class EndpointError(CitykgError):
    """A remote SPARQL endpoint failed, timed out or refused."""


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` of ``choices`` closest to ``word``, best first.

    Examples
    --------
    >>> closest("copenhagn", ["copenhagen", "hamburg", "lisbon"])
    ['copenhagen']
    """
    return difflib.get_close_matches(word, sorted(set(choices)), n=n, cutoff=0.6)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A fix sentence suggesting the closest of ``choices``, or an empty string.

    Examples
    --------
    >>> did_you_mean("c4", ["c40", "force"])
    "Did you mean 'c40'?"
    """
    found = closest(word, choices)
    if not found:
        return ""
    return "Did you mean " + " or ".join(f"'{c}'" for c in found) + "?"


def _place(error: CitykgError) -> tuple[str, int, str]:
    return (error.file or "", error.line or 0, error.message)


def gather(errors: Iterable[CitykgError]) -> CitykgError:
    """One error for every problem of a run: the first by file and line, the rest (sorted the
    same way, repeats dropped) as its :attr:`CitykgError.others`.

    Examples
    --------
    >>> error = gather([DataError("late", file="b.yaml", line=1), DataError("early", file="a")])
    >>> str(error), [str(e) for e in error.others]
    ('a: early.', ['b.yaml:1: late.'])
    """
    unique: dict[str, CitykgError] = {}
    for error in errors:
        for one in (error, *error.others):
            unique.setdefault(one.message, one)
    ordered = sorted(unique.values(), key=_place)
    if not ordered:
        raise ValueError("gather() needs at least one error")
    first = ordered[0]
    first.others = tuple(ordered[1:])
    return first
