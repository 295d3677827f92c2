"""Accent- and case-insensitive matching that means the same in Python and in SPARQL.

SPARQL (and Oxigraph) has no "unaccent" function, so the search query folds each label in
SPARQL with ``LCASE`` and a chain of ``REPLACE`` calls, and the library folds the user's text
with :func:`fold` here. Both come from the one table :data:`FOLDS`, so they agree exactly:
``fold("København") == "kobenhavn"``, and the SPARQL expression gives the same for the label.
The table covers Latin-1 and Latin Extended-A (Danish, Swedish, German, French, Portuguese,
Italian, Spanish, Polish, Czech, Turkish...); combining accents are dropped on both sides.

Folding in the query (rather than a search key materialised at build time) keeps the built
graph as it is and works on any SPARQL 1.1 endpoint, also for data pushed by another citykg.
"""

from __future__ import annotations

import unicodedata

__all__ = ["FOLDS", "fold", "sparql_fold"]

#: Each ASCII replacement and the lower-case letters folded to it.
FOLDS: dict[str, str] = {
    "a": "àáâãäåāăą",
    "c": "çćĉċč",
    "d": "ďđð",
    "e": "èéêëēĕėęě",
    "g": "ĝğġģ",
    "h": "ĥħ",
    "i": "ìíîïĩīĭįı",
    "j": "ĵ",
    "k": "ķ",
    "l": "ĺļľŀł",
    "n": "ñńņňŉ",
    "o": "òóôõöøōŏő",
    "r": "ŕŗř",
    "s": "śŝşš",
    "t": "ţťŧ",
    "u": "ùúûüũūŭůűų",
    "w": "ŵ",
    "y": "ýÿŷ",
    "z": "źżž",
    "ae": "æ",
    "oe": "œ",
    "ss": "ß",
    "th": "þ",
}

_TABLE = {ord(char): ascii_ for ascii_, chars in FOLDS.items() for char in chars}


def fold(text: str) -> str:
    """``text`` lower-cased, with accents and the letters of :data:`FOLDS` made ASCII.

    Examples
    --------
    >>> fold("København")
    'kobenhavn'
    >>> fold("Région Skåne, Straße")
    'region skane, strasse'
    """
    lowered = text.lower().translate(_TABLE)
    # Combining marks (a decomposed "é" is "e" + U+0301) go, as \\p{Mn} does in SPARQL.
    return "".join(c for c in lowered if unicodedata.category(c) != "Mn")


def sparql_fold(expression: str, result: str, indent: str = "") -> str:
    """SPARQL ``BIND`` lines that fold ``expression`` into ``result`` exactly as :func:`fold`.

    One ``BIND`` per replacement, each on its own line, chained through ``?fold1``,
    ``?fold2``...: Oxigraph 0.5 took time that doubled with each level of *nested* ``REPLACE``
    (about a minute for these 24 on the built-in data), while chained ``BIND`` s cost next to
    nothing. The search query holds this text verbatim (a test checks it).

    Examples
    --------
    >>> print(sparql_fold("?name", "?key").splitlines()[1])
    BIND(REPLACE(?fold0, "[àáâãäåāăą]", "a") AS ?fold1)
    """
    pairs = [*((f"[{chars}]", ascii_) for ascii_, chars in FOLDS.items()), ("\\\\p{Mn}", "")]
    lines = [f"{indent}BIND(LCASE(STR({expression})) AS ?fold0)"]
    for number, (pattern, ascii_) in enumerate(pairs, start=1):
        target = result if number == len(pairs) else f"?fold{number}"
        lines.append(
            f'{indent}BIND(REPLACE(?fold{number - 1}, "{pattern}", "{ascii_}") AS {target})'
        )
    return "\n".join(lines)
