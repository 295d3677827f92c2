"""One fold for every match by name: in Python, in the stored search key and in the map.

:func:`fold` reduces text to lower-case ASCII with the ``anyascii`` transliteration tables
(accents dropped, "ø" -> "o", "Ł" -> "l", "ß" -> "ss", "北京" -> "beijing") and single spaces.
:func:`name_key` builds on it for matching whole names: only the words count, so possessives,
punctuation and dashes do not ("Washington, D.C." and "washington dc", "buenos-aires" and
"Buenos Aires" have the same key).

Every part of citykg that compares names uses these two, so they agree: a name found by
``citykg query search`` is found by ``citykg overlaps``, the loaders and the map's search box.
"""

from __future__ import annotations

import re

from anyascii import anyascii

__all__ = ["fold", "name_key", "words"]

_SPACE = re.compile(r"\s+")
# Possessive 's after a word ("Copenhagen's"); anyascii has made the apostrophe ASCII.
_POSSESSIVE = re.compile(r"(?<=[A-Za-z0-9])'s\b")
# Initials written with full stops ("D.C.", "U.S.A.") count as the same initials without.
_INITIALS = re.compile(r"\b(?:[A-Za-z0-9]\.){2,}")
_WORD = re.compile(r"[A-Za-z0-9]+")


def fold(text: str) -> str:
    """``text`` as lower-case ASCII, with runs of white space as one space.

    Examples
    --------
    >>> fold("København")
    'kobenhavn'
    >>> fold("Łódź"), fold("Région  Skåne, Straße")
    ('lodz', 'region skane, strasse')
    """
    return _SPACE.sub(" ", anyascii(text).lower()).strip()


def words(text: str) -> list[tuple[str, str, int, int]]:
    """The words of ``text`` as ``(folded, plain, start, end)``; offsets into its plain form.

    The plain form is ``text`` transliterated to ASCII with possessives dropped and initials
    joined, case kept (so that acronyms can be told from words).

    Examples
    --------
    >>> [w[0] for w in words("Copenhagen\u2019s C40-summit")]
    ['copenhagen', 'c40', 'summit']
    >>> [w[1] for w in words("Washington, D.C.")]
    ['Washington', 'DC']
    """
    plain = _plain(text)
    return [(m.group().lower(), m.group(), m.start(), m.end()) for m in _WORD.finditer(plain)]


def _plain(text: str) -> str:
    plain = anyascii(text)
    plain = _INITIALS.sub(lambda m: m.group().replace(".", "") + " ", plain)
    return _POSSESSIVE.sub("", plain)


def name_key(text: str) -> str:
    """The key two names share when they name the same thing: their folded words.

    Examples
    --------
    >>> name_key("  KØBENHAVN ")
    'kobenhavn'
    >>> name_key("Washington, D.C.") == name_key("washington dc")
    True
    >>> name_key("buenos-aires") == name_key("Buenos Aires")
    True
    """
    # the words of words(), without their offsets: name indexes key tens of thousands of names
    return " ".join(_WORD.findall(_plain(text))).lower()
