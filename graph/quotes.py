"""The quote check: every evidence quote naming a section of a loaded text is in that section.

A dataset quotes its strategy by section (``{section: s-c40, quote: "..."}``); when the
strategy's plain text is loaded too (``citykg load text``, or a ``.txt`` given to ``build``),
each such quote must occur in the text of the section it names, as the text loader read it.
The comparison folds runs of whitespace and typographic quotes and apostrophes, nothing more:
a quote that differs in a word is reported, all of them at once, by file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from citykg.errors import DataError
from citykg.loaders.base import LoadedSource

__all__ = ["check_quotes", "fold_quote"]

#: Typographic quotes and apostrophes, and the plain character each one is compared as.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)


def fold_quote(text: str) -> str:
    """``text`` with every run of whitespace one space and typographic quotes plain.

    Examples
    --------
    >>> fold_quote("the world\\u2019s  big\\ncities")
    "the world's big cities"
    """
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHIC)).strip()


def check_quotes(loaded: Sequence[LoadedSource]) -> Iterator[DataError]:
    """One error for each quote that names a section of a loaded text and is not in it.

    Examples
    --------
    >>> from citykg.loaders.base import Location, Quote
    >>> from rdflib import URIRef
    >>> text = LoadedSource(URIRef("t"), "t", "plan.txt", "text",
    ...                     section_texts={"plan/s-a": "We work on  climate."})
    >>> data = LoadedSource(URIRef("d"), "d", "data", "dataset", quotes=[
    ...     Quote("plan/s-a", "We work on climate.", Location("a.yaml", 3)),
    ...     Quote("plan/s-a", "We work on water.", Location("a.yaml", 4))])
    >>> for error in check_quotes([text, data]):
    ...     print(str(error).split(". Quote")[0])
    a.yaml:4: the quote "We work on water." is not in section 's-a' of plan.txt
    """
    # Several texts of one document (a new version beside the old): the quote is in it if it
    # is in the section of any of them.
    texts: dict[str, list[tuple[str, str]]] = {}
    for source in loaded:
        for section, text in source.section_texts.items():
            texts.setdefault(section, []).append((fold_quote(text), source.path))
    for source in loaded:
        for quote in source.quotes:
            if quote.section not in texts:
                continue
            folded = fold_quote(quote.text)
            if any(folded in text for text, _ in texts[quote.section]):
                continue
            documents = " and ".join(sorted({path for _, path in texts[quote.section]}))
            shown = quote.text if len(quote.text) <= 60 else quote.text[:60] + "..."
            local = quote.section.split("/", 1)[-1]
            yield DataError(
                f"the quote \"{shown}\" is not in section '{local}' of {documents}",
                "Quote the text exactly or name the section it is in.",
                file=quote.where.file,
                line=quote.where.line,
            )
