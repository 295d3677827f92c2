"""Finding known entities by name: folding, an index of labels, and matching in running text.

Spreadsheets and documents name entities the way people write them: "KØBENHAVN", "Kobenhavn",
"Copenhagen\u2019s", "Washington, D.C.". :func:`fold` reduces a name to a key that ignores case,
accents, possessives and punctuation; :class:`NameIndex` maps such keys to the entities whose
label or alternative label folds to them; :meth:`NameIndex.find_in` finds the names in a text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, URIRef

from citykg.fold import name_key as fold
from citykg.fold import words as tokens

__all__ = ["Match", "NameIndex", "Named", "fold", "slug", "tokens"]


def slug(text: str, fallback: str) -> str:
    """A citykg ID made from ``text`` (lower-case ASCII letters, digits and '-'), or ``fallback``.

    Examples
    --------
    >>> slug("Washington, D.C.", "city")
    'washington-dc'
    >>> slug("北京", "city")
    'beijing'
    >>> slug("?!", "city")
    'city'
    """
    text = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60].strip("-")
    return text or fallback


@dataclass(frozen=True, order=True)
class Named:
    """An entity that can be found by name."""

    identifier: str
    iri: URIRef
    kind: str


@dataclass(frozen=True)
class Match:
    """A name found in a text: the entities it names and where (offsets in the plain text)."""

    name: str
    entities: tuple[Named, ...]
    start: int
    end: int


_NAMES_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e ?id ?kind ?name WHERE {
    ?e ckg:kind ?kind ; dcterms:identifier ?id .
    { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name }
}"""


class NameIndex:
    """Entities by the folded form of each of their names.

    Written by hand: no library in citykg's stack looks up multi-word names in running text
    longest-first and accent-insensitively (rdflib's and Oxigraph's text functions compare whole
    literals), and a few hundred names need nothing faster than a dict of first words.

    A name written all in capitals ("WHO", "EU", "FORCE") is an acronym: in running text it
    matches only where it is written in capitals too, so that "who" and "Task Force" do not
    name the World Health Organization or the FORCE project.

    Examples
    --------
    >>> index = NameIndex([("København", Named("copenhagen", URIRef("urn:cph"), "city"))])
    >>> [n.identifier for n in index.lookup("KOBENHAVN")]
    ['copenhagen']
    """

    def __init__(self, names: Iterable[tuple[str, Named]]) -> None:
        self._by_key: dict[str, set[Named]] = {}
        #: Every folded word of every name (a vocabulary for repairing split words).
        self.words: set[str] = set()
        # First folded word -> (folded words, plain words or None, name), longest first.
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...] | None, str]]] = {}
        seen: set[tuple[str, ...]] = set()
        for name, named in names:
            words = tokens(name)
            if not words:
                continue
            key = " ".join(w[0] for w in words)
            self._by_key.setdefault(key, set()).add(named)
            self.words.update(w[0] for w in words)
            plain = tuple(w[1] for w in words)
            acronym = any(c.isalpha() for c in name) and not any(c.islower() for c in name)
            signature = (*(w[0] for w in words), *(("\0", *plain) if acronym else ()))
            if signature in seen:
                continue
            seen.add(signature)
            self._by_first.setdefault(words[0][0], []).append(
                (tuple(w[0] for w in words), plain if acronym else None, name)
            )
        for entries in self._by_first.values():
            entries.sort(key=lambda e: (-len(e[0]), e[2]))

    @classmethod
    def from_graph(cls, graph: Graph, kinds: Collection[str] | None = None) -> NameIndex:
        """Index every entity of ``graph`` (with a ``ckg:kind`` in ``kinds``, if given)."""
        names: list[tuple[str, Named]] = []
        for row in graph.query(_NAMES_QUERY):
            entity, identifier, kind, name = row  # type: ignore[misc]
            if kinds is not None and str(kind) not in kinds:
                continue
            names.append((str(name), Named(str(identifier), URIRef(str(entity)), str(kind))))
        return cls(names)

    def __len__(self) -> int:
        return len(self._by_key)

    def lookup(self, name: str) -> list[Named]:
        """The entities one of whose names folds to the same key as ``name``, by ID."""
        return sorted(self._by_key.get(fold(name), ()))

    def find_in(self, text: str) -> Iterator[Match]:
        """The names in ``text``, left to right; where names overlap the longest wins."""
        words = tokens(text)
        i = 0
        while i < len(words):
            for folded, plain, name in self._by_first.get(words[i][0], ()):
                n = len(folded)
                window = words[i : i + n]
                if tuple(w[0] for w in window) != folded:
                    continue
                if plain is not None and tuple(w[1] for w in window) != plain:
                    continue
                entities = tuple(sorted(self._by_key[" ".join(folded)]))
                yield Match(name, entities, window[0][2], window[-1][3])
                i += n
                break
            else:
                i += 1
