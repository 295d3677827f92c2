"""Evidence from a strategy document's plain text: sections, passages, purposes and mentions.

Text extracted from a PDF carries artefacts; this loader repairs the ones strategy documents
show (and reports each repair):

- words hyphenated across lines ("Copen-" / "hagen") and split without a hyphen ("Admini" /
  "stration": joined when the whole word occurs elsewhere and the parts do not);
- a line repeated right after itself;
- a stray footer of another document (an all-capitals line marked confidential, proprietary
  or copyright, and the short fragments after it), and lines matching ``skip`` patterns;
- sentences run together ("crisis.As") and "C02" written with a zero.

Sections: if the graph knows the document (option ``document``, or the document whose
section titles occur in the text as headings), its sections are used; otherwise every block of
one or two short lines without final punctuation, between blank lines, is a heading.
Each sentence becomes a ``ckg:Passage`` of its section. A purpose box ("WHAT WE ARE DOING TO
LEARN AND INFLUENCE:", or the Danish "DET GØR VI FOR AT SAMARBEJDE:") gives its section
``ckg:purposeOfSection`` and each initiative the section names ``ckg:purpose``; when the
document has a publisher (the home whose strategy it is), a ``ckg:PurposeStatement`` says the
purposes are that home's, so that another city's text never gives purposes to this one's
assessment. Section IDs are scoped to their document (``plan/climate``). Every known
entity a section names by label or alternative label gets ``ckg:mentions`` from the section
and ``dcterms:references`` from the passage.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from citykg.errors import DataError, LoaderError, did_you_mean
from citykg.loaders.base import LoadContext, LoadedSource, source_graph_iri
from citykg.loaders.common import ID_PATTERN, id_of, passage_iri, read_text, section_id
from citykg.loaders.names import Match, Named, NameIndex, fold, slug, tokens
from citykg.ontology.namespaces import CKG, ID

__all__ = ["OPTION_KEYS", "TextLoader", "clean_lines", "load_text"]

OPTION_KEYS = ("document", "id", "title", "publisher", "skip")
#: Kinds that can publish a strategy.
ACTOR_KINDS = ("city", "region", "organisation", "administration")
#: Kinds a section can mention; documents, sections, purposes and roles are structure.
MENTION_KINDS = (
    "city",
    "region",
    "organisation",
    "administration",
    "network",
    "project",
    "programme",
    "cooperation",
    "event",
    "plan",
    "principle",
    "theme",
    "country",
)
#: Kinds that a purpose box's purposes are given to when their section names them.
INITIATIVE_KINDS = ("network", "project", "programme", "cooperation", "event")
BOX_STARTS = ("WHAT WE ARE DOING TO", "WHAT WE DO TO", "DET GØR VI FOR AT", "DET GOR VI FOR AT")
# The boxes' verbs in English and Danish, by purpose ID (used with the purposes' own labels).
PURPOSE_VERBS = {
    "learn": ("learn", "lære", "lære af"),
    "influence": ("influence", "påvirke"),
    "inspire": ("inspire", "inspirere"),
    "cooperate": ("cooperate", "samarbejde", "samarbejder"),
    "brand-and-promote": ("brand", "promote", "brand and promote", "brande", "markedsføre"),
}
_FOOTER = re.compile(
    r"CONFIDENTIAL|CONFIDENTIEL|VERTRAULICH|PROPRIETARY|PROPRI[EÉ]T[EÉ]|COPYRIGHT"
    r"|ALL RIGHTS RESERVED|©"
)
_BULLET = re.compile(r"^[\s•▪‣◦\-\u2013\u2022\uf0a7\uf0b7\ufffd]+(?=\S)")
_RUN_TOGETHER = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
_C02 = re.compile(r"\bC02\b")
_RDF_START = re.compile(r"^(?:@prefix|@base|PREFIX|BASE)\s|^<[^>\s]*>\s", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]?\s+(?=[A-Z0-9\u201c\"\u2018(])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:i\.a|e\.g|i\.e|cf|etc|vs|no|st|mr|mrs|dr|approx)\.|\b[A-Z]\.)$", re.IGNORECASE
)


@dataclass
class _Line:
    number: int
    text: str


@dataclass
class _Section:
    iri: URIRef
    identifier: str
    title: str
    lines: list[_Line] = field(default_factory=list)


@dataclass
class _Repairs:
    notes: list[str] = field(default_factory=list)
    hyphens: int = 0
    splits: int = 0


def _words(text: str) -> list[str]:
    return [t[0] for t in tokens(text)]


def _is_box(text: str) -> bool:
    return text.strip().upper().startswith(BOX_STARTS)


def clean_lines(
    raw: Sequence[str], skip: Sequence[re.Pattern[str]] = (), headings: Iterable[str] = ()
) -> tuple[list[_Line], list[str]]:
    """Drop repeated lines, stray footers and ``skip`` lines; return kept lines and notes.

    ``headings`` are folded titles that end a stray footer's fragments.

    Examples
    --------
    >>> lines = ["Intro", "Intro", "", "TOP SECRET - CONFIDENTIAL", "", "Charte", "", "Text."]
    >>> kept, notes = clean_lines(lines)
    >>> [(line.number, line.text) for line in kept if line.text]
    [(1, 'Intro'), (8, 'Text.')]
    >>> notes[0]
    'line 2: dropped a repeat of line 1'
    """
    known = set(headings)
    kept: list[_Line] = []
    notes: list[str] = []
    previous: _Line | None = None
    footer_from: int | None = None
    last_footer = 0
    footer: list[str] = []

    def close_footer(end: int) -> None:
        nonlocal footer_from
        if footer_from is not None:
            notes.append(
                f"lines {footer_from}-{end}: dropped a stray footer ('{' / '.join(footer)}')"
            )
            footer_from = None
            footer.clear()

    for number, text in enumerate(raw, 1):
        stripped = text.strip()
        if footer_from is not None:
            fragment = (
                stripped
                and len(stripped.split()) <= 3
                and not text[:1].isspace()
                and stripped[-1] not in ".:;,!?"
                and fold(stripped) not in known
            )
            if not stripped or fragment:
                if stripped:
                    footer.append(stripped)
                    last_footer = number
                kept.append(_Line(number, ""))
                continue
            close_footer(last_footer)
        if any(pattern.search(text) for pattern in skip):
            notes.append(f"line {number}: dropped (matches a skip pattern)")
            kept.append(_Line(number, ""))
            continue
        if stripped and _FOOTER.search(stripped) and not any(c.islower() for c in stripped):
            footer_from, last_footer = number, number
            footer.append(stripped)
            kept.append(_Line(number, ""))
            continue
        if stripped and previous is not None and previous.text.strip() == stripped:
            notes.append(f"line {number}: dropped a repeat of line {previous.number}")
            continue
        line = _Line(number, text.rstrip("\n"))
        kept.append(line)
        if stripped:
            previous = line
    if footer_from is not None:
        close_footer(last_footer)
    return kept, notes


# --- Sections -----------------------------------------------------------------------------------

_SECTIONS_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?doc ?docid ?section ?id ?title ?number WHERE {
    ?doc ckg:kind "document" ; dcterms:identifier ?docid .
    ?section dcterms:isPartOf ?doc ; ckg:kind "section" ;
        dcterms:identifier ?id ; rdfs:label ?title .
    OPTIONAL { ?section ckg:number ?number }
}"""


def _known_documents(graph: Graph) -> dict[str, tuple[URIRef, list[tuple[URIRef, str, str]]]]:
    documents: dict[str, tuple[URIRef, list[tuple[int, URIRef, str, str]]]] = {}
    for doc, docid, section, identifier, title, number in graph.query(_SECTIONS_QUERY):  # type: ignore[misc]
        entry = documents.setdefault(str(docid), (URIRef(str(doc)), []))
        entry[1].append(
            (
                int(number) if number is not None else 0,
                URIRef(str(section)),
                str(identifier),
                str(title),
            )
        )
    return {
        k: (doc, [(s, i, t) for _, s, i, t in sorted(secs)]) for k, (doc, secs) in documents.items()
    }


def _find_heading(lines: Sequence[_Line], start: int, title: str) -> tuple[int, int] | None:
    """The first run of 1-3 lines from ``start`` that reads exactly ``title``: (first, after)."""
    key = fold(title)
    for i in range(start, len(lines)):
        if not lines[i].text.strip():
            continue
        joined = ""
        for j in range(i, min(i + 3, len(lines))):
            if not lines[j].text.strip():
                break
            joined += " " + lines[j].text
            if fold(joined) == key:
                return i, j + 1
            if not key.startswith(fold(joined)):
                break
    return None


def _split_known(
    lines: list[_Line], sections: list[tuple[URIRef, str, str]], notes: list[str]
) -> list[_Section]:
    found: list[tuple[int, int, _Section]] = []
    position = 0
    for iri, identifier, title in sections:
        span = _find_heading(lines, position, title)
        if span is None:
            notes.append(f"section '{identifier}' ('{title}') was not found in the text")
            continue
        found.append((span[0], span[1], _Section(iri, identifier, title)))
        position = span[1]
    for k, (_, after, section) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(lines)
        section.lines = lines[after:end]
    if found and any(line.text.strip() for line in lines[: found[0][0]]):
        notes.append(
            f"lines 1-{lines[found[0][0]].number - 1}: text before the first section is not loaded"
        )
    return [s for _, _, s in found]


def _blocks(lines: Sequence[_Line]) -> list[tuple[int, int]]:
    """Runs of non-blank lines, as (first index, index after)."""
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not lines[i].text.strip():
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].text.strip():
            j += 1
        blocks.append((i, j))
        i = j
    return blocks


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 10
        and len(text) <= 80
        and text[-1] not in ".:;,!?-\u2013"
        and (text[0].isupper() or text[0].isdigit())
        and not _is_box(text)
        and not _BULLET.match(text)
    )


def _split_detected(lines: list[_Line], document_id: str) -> list[_Section]:
    sections: list[_Section] = []
    current: _Section | None = None
    taken: set[str] = set()
    for first, after in _blocks(lines):
        block = lines[first:after]
        joined = " ".join(line.text.strip() for line in block)
        if len(block) <= 2 and _looks_like_heading(joined):
            base = slug(joined, "section")[:40].strip("-")
            local, number = base, 2
            while local in taken:
                local = f"{base}-{number}"
                number += 1
            taken.add(local)
            identifier = section_id(document_id, local)
            current = _Section(ID[identifier], identifier, joined)
            sections.append(current)
            continue
        if current is None:
            identifier = section_id(document_id, "opening")
            taken.add("opening")
            current = _Section(ID[identifier], identifier, "Opening")
            sections.append(current)
        current.lines.extend([*block, _Line(block[-1].number, "")])
    # A heading right above another heading (a document's title, a part's name) holds nothing.
    return [section for section in sections if section.lines]


# --- Paragraphs, boxes, sentences --------------------------------------------------------------


def _join_lines(
    lines: Sequence[str], counts: Counter[str], names: set[str], repairs: _Repairs
) -> str:
    text = ""
    for line in lines:
        line = " ".join(line.split())
        if not text:
            text = line
            continue
        head = re.match(r"\w+", line)
        if (
            text.endswith("-")
            and len(text) > 1
            and text[-2].isalpha()
            and head
            and line[0].islower()
        ):
            text = text[:-1] + line
            repairs.hyphens += 1
            continue
        tail = re.search(r"\w+$", text)
        if tail and head and line[0].islower():
            a, b = tail.group(), head.group()
            whole = (a + b).casefold()
            known = counts[whole] > 0 or whole in names
            if known and counts[a.casefold()] <= 1 and counts[b.casefold()] <= 1:
                text += line
                repairs.splits += 1
                repairs.notes.append(f"joined '{a}' and '{b}' into '{a + b}'")
                continue
        text += " " + line
    text = _RUN_TOGETHER.sub(". ", text)
    return _C02.sub("CO2", text)


def _paragraphs(section: _Section) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for line in section.lines:
        stripped = line.text.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
            current = []
            continue
        if current and (_BULLET.match(stripped) or _is_box(stripped)):
            paragraphs.append(current)
            current = []
        current.append(_Line(line.number, _BULLET.sub("", stripped)))
    if current:
        paragraphs.append(current)
    return paragraphs


def _split_box(paragraph: list[_Line]) -> tuple[str, list[_Line]]:
    """A purpose box's header (all capitals, up to its colon) and the lines after it."""
    header: list[str] = []
    for k, line in enumerate(paragraph):
        text = line.text
        if header and any(c.islower() for c in text):
            return " ".join(header), paragraph[k:]
        if ":" in text:
            before, after = text.split(":", 1)
            header.append(before)
            rest = [_Line(line.number, after.strip())] if after.strip() else []
            return " ".join(header), rest + paragraph[k + 1 :]
        header.append(text)
    return " ".join(header), []


def _split_subheading(paragraph: list[_Line]) -> tuple[str, list[_Line]]:
    """A short heading glued to the paragraph under it ("EU projects" / "Participation in ...")."""
    if len(paragraph) < 2:
        return "", paragraph
    first = " ".join(paragraph[0].text.split())
    if len(first.split()) <= 6 and _looks_like_heading(first) and paragraph[1].text[:1].isupper():
        return first, paragraph[1:]
    return "", paragraph


def _sentences(text: str) -> list[str]:
    # By hand, with a short list of abbreviations: a sentence tokenizer (nltk, spaCy) would be a
    # large dependency and a model download for one document a year.
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start() + 1].rstrip()
        if _ABBREVIATION.search(text[: match.start() + 1]):
            continue
        parts.append(before)
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in (" ".join(part.split()) for part in parts) if p]


# --- Loading ------------------------------------------------------------------------------------


def _purpose_index(graph: Graph) -> NameIndex:
    names = _purpose_names(graph)
    known = {named.identifier: named for _, named in names}
    for identifier, verbs in PURPOSE_VERBS.items():
        if identifier in known:
            names.extend((verb, known[identifier]) for verb in verbs)
    return NameIndex(names)


_ENTITIES_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?e ?id ?kind WHERE { ?e ckg:kind ?kind ; dcterms:identifier ?id }"""


def _entities(graph: Graph, kinds: Sequence[str]) -> list[Named]:
    rows = graph.query(_ENTITIES_QUERY)
    found = [(str(i), URIRef(str(e)), str(k)) for e, i, k in rows]  # type: ignore[misc]
    return sorted(Named(*row) for row in found if row[2] in kinds)


def _purpose_names(graph: Graph) -> list[tuple[str, Named]]:
    query = """
    PREFIX ckg: <https://w3id.org/citykg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?e ?id ?name WHERE {
        ?e ckg:kind "purpose" ; dcterms:identifier ?id .
        { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } }"""
    # Box headers are written in capitals: the names are lower-cased so that none counts as an
    # acronym that must match case.
    rows = graph.query(query)
    found = [(str(e), str(i), str(name)) for e, i, name in rows]  # type: ignore[misc]
    return [(name.lower(), Named(i, URIRef(e), "purpose")) for e, i, name in found]


def _choose_document(
    lines: Sequence[_Line], documents: dict[str, tuple[URIRef, list[tuple[URIRef, str, str]]]]
) -> str | None:
    best: tuple[int, str] | None = None
    for identifier, (_, sections) in sorted(documents.items()):
        found, position = 0, 0
        for _, _, title in sections:
            span = _find_heading(lines, position, title)
            if span is not None:
                found += 1
                position = span[1]
        if found >= max(2, (len(sections) + 1) // 2) and (best is None or found > best[0]):
            best = (found, identifier)
    return best[1] if best else None


def _slug(text: str) -> str:
    return slug(text, "document")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "es" if noun.endswith("x") else "s")


def _options(context: LoadContext, path: Path) -> dict[str, object]:
    options = {
        k: v for k, v in context.options.items() if k in OPTION_KEYS and v not in (None, "", [], ())
    }
    skip = options.get("skip") or []
    patterns = [skip] if isinstance(skip, str) else list(skip)  # type: ignore[call-overload]
    try:
        options["skip"] = [re.compile(str(p)) for p in patterns]
    except re.error as exc:
        raise LoaderError(
            f"bad skip pattern: {exc}", "Give a Python regular expression.", file=path
        ) from None
    return options


def _read_document(path: Path) -> str:
    if path.is_dir():
        raise LoaderError("is a folder, not a text file", "Give a .txt file.", file=path)
    if not path.exists():
        raise LoaderError("no such file", "Check the path.", file=path)
    raw = read_text(path)
    if "\x00" in raw:
        raise DataError(
            "is not a plain text file", "Extract the text first (for a PDF: pdftotext).", file=path
        )
    return raw


@dataclass
class _Document:
    """The document a text is: its IRI and ID, its sections, and whose strategy it is."""

    iri: URIRef
    identifier: str
    sections: list[_Section]
    publisher: URIRef | None
    ids: dict[str, URIRef] = field(default_factory=dict)


_INTERNAL_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
SELECT ?e WHERE { ?e ckg:internal true }"""

_PUBLISHER_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?doc ?publisher WHERE { ?doc ckg:kind "document" ; dcterms:publisher ?publisher }"""


def _known_document(
    context: LoadContext,
    identifier: str,
    document: URIRef,
    lines: list[_Line],
    sections: list[tuple[URIRef, str, str]],
    notes: list[str],
) -> _Document:
    # Filtered here: the Oxigraph store binds only projected variables (notes/oxigraph.md).
    rows = context.graph.query(_PUBLISHER_QUERY)
    publishers = sorted(URIRef(str(p)) for d, p in rows if str(d) == str(document))  # type: ignore[misc]
    found = _split_known(lines, sections, notes)
    return _Document(document, identifier, found, publishers[0] if publishers else None)


def _new_document(
    graph: Graph, context: LoadContext, options: dict[str, object], path: Path, lines: list[_Line]
) -> _Document:
    identifier = str(options.get("id") or _slug(path.stem))
    if not ID_PATTERN.match(identifier):
        raise LoaderError(
            f"'{identifier}' is not a valid ID",
            "Use lower-case letters, digits and '-'.",
            file=path,
        )
    taken = {named.identifier for named in _entities(context.graph, (*MENTION_KINDS, "document"))}
    if identifier in taken or identifier in context.known:
        raise LoaderError(
            f"the ID '{identifier}' is taken by an earlier source",
            "Give the document another ID with --id, or name the known one with --document.",
            file=path,
        )
    publisher = _publisher_option(context, options, path)
    document = ID[identifier]
    graph.add((document, RDF.type, CKG.Document))
    graph.add((document, CKG.kind, Literal("document")))
    graph.add((document, DCTERMS.identifier, Literal(identifier)))
    title = str(options.get("title") or path.stem)
    graph.add((document, RDFS.label, Literal(title, lang="en")))
    if publisher is not None:
        graph.add((document, DCTERMS.publisher, publisher))
    ids = {identifier: document}
    sections = _split_detected(lines, identifier)
    for number, section in enumerate(sections, 1):
        graph.add((section.iri, RDF.type, CKG.Section))
        graph.add((section.iri, CKG.kind, Literal("section")))
        graph.add((section.iri, DCTERMS.identifier, Literal(section.identifier)))
        graph.add((section.iri, RDFS.label, Literal(section.title, lang="en")))
        graph.add((section.iri, DCTERMS.isPartOf, document))
        graph.add((section.iri, CKG.number, Literal(number)))
        ids[section.identifier] = section.iri
    return _Document(document, identifier, sections, publisher, ids)


def _publisher_option(
    context: LoadContext, options: dict[str, object], path: Path
) -> URIRef | None:
    wanted = options.get("publisher")
    if wanted is None:
        return None
    actors = {n.identifier: n.iri for n in _entities(context.graph, ACTOR_KINDS)}
    if str(wanted) not in actors:
        raise LoaderError(
            f"unknown actor '{wanted}' for --publisher",
            did_you_mean(str(wanted), actors) or "Give the ID of the city whose strategy it is.",
            file=path,
        )
    return actors[str(wanted)]


@dataclass
class _Counts:
    passages: int = 0
    mentions: int = 0
    boxes: int = 0


class _Reader:
    """Turns a document's sections into passages, mentions and the purposes of its boxes."""

    def __init__(
        self, graph: Graph, context: LoadContext, document: _Document, lines: list[_Line]
    ) -> None:
        self.graph = graph
        self.document = document
        self.names = NameIndex.from_graph(context.graph, MENTION_KINDS)
        self.purposes = _purpose_index(context.graph)
        self.known_words: Counter[str] = Counter(w for line in lines for w in _words(line.text))
        self.repairs = _Repairs()
        self.notes: list[str] = []
        self.counts = _Counts()
        #: Each section's text as read (its lines, and its paragraphs as repaired), for the
        #: check of the quotes that name it.
        self.texts: dict[str, str] = {}
        self.internal = {URIRef(str(row[0])) for row in context.graph.query(_INTERNAL_QUERY)}  # type: ignore[index]

    def section(self, section: _Section) -> None:
        mentioned: dict[URIRef, Named] = {}
        section_purposes: set[URIRef] = set()
        self._mention(self.names.find_in(section.title), mentioned)
        number = 0
        read = [" ".join(line.text for line in section.lines)]
        for paragraph in _paragraphs(section):
            if _is_box(paragraph[0].text):
                paragraph = self._box(paragraph, section_purposes)
                if not paragraph:
                    continue
            heading, paragraph = _split_subheading(paragraph)
            self._mention(self.names.find_in(heading), mentioned)
            text = _join_lines(
                [line.text for line in paragraph], self.known_words, self.names.words, self.repairs
            )
            read.append(text)
            for sentence in _sentences(text):
                number += 1
                self._passage(section, number, sentence, mentioned)
        self.texts[section.identifier] = "\n".join(read)
        for iri in sorted(mentioned):
            self.graph.add((section.iri, CKG.mentions, iri))
        self.counts.mentions += len(mentioned)
        self._give_purposes(section, section_purposes, mentioned)

    @staticmethod
    def _mention(matches: Iterable[Match], mentioned: dict[URIRef, Named]) -> None:
        for match in matches:
            if len(match.entities) == 1:
                mentioned[match.entities[0].iri] = match.entities[0]

    def _box(self, paragraph: list[_Line], section_purposes: set[URIRef]) -> list[_Line]:
        box_line = paragraph[0].number
        header, rest = _split_box(paragraph)
        self.counts.boxes += 1
        found = {e.iri for m in self.purposes.find_in(header) for e in m.entities}
        if not found:
            where = f"line {box_line}: " if box_line else ""
            self.notes.append(f"{where}the box '{header}' names no known purpose")
        section_purposes |= found
        return rest

    def _passage(
        self, section: _Section, number: int, sentence: str, mentioned: dict[URIRef, Named]
    ) -> None:
        g = self.graph
        passage = passage_iri(section.identifier, sentence)
        g.add((passage, RDF.type, CKG.Passage))
        g.add((passage, PROV.value, Literal(sentence)))
        g.add((passage, DCTERMS.isPartOf, section.iri))
        g.add((passage, PROV.wasQuotedFrom, self.document.iri))
        g.add((passage, CKG.number, Literal(number)))
        self.counts.passages += 1
        for match in self.names.find_in(sentence):
            if len(match.entities) > 1:
                ambiguous = ", ".join(e.identifier for e in match.entities)
                where = f"section '{section.identifier}'"
                self.notes.append(f"{where}: '{match.name}' names {ambiguous}; not linked")
                continue
            entity = match.entities[0]
            g.add((passage, DCTERMS.references, entity.iri))
            mentioned[entity.iri] = entity

    def _give_purposes(
        self, section: _Section, purposes: set[URIRef], mentioned: dict[URIRef, Named]
    ) -> None:
        """A box's purposes go to the initiatives its section names: as the strategy's
        statement when the document has a publisher (the home whose purposes they are)."""
        g = self.graph
        initiatives = sorted(iri for iri, e in mentioned.items() if e.kind in INITIATIVE_KINDS)
        publisher = self.document.publisher
        for purpose in sorted(purposes):
            g.add((section.iri, CKG.purposeOfSection, purpose))
            for iri in initiatives:
                g.add((iri, CKG.purpose, purpose))
                if publisher is None:
                    continue
                statement = ID[f"purpose/{id_of(publisher)}/{id_of(iri)}"]
                g.add((statement, RDF.type, CKG.PurposeStatement))
                g.add((statement, CKG.statedBy, publisher))
                g.add((statement, CKG.concerns, iri))
                g.add((statement, CKG.purpose, purpose))
                if iri in self.internal:  # its IRI names the entity: as internal as it
                    g.add((statement, CKG.internal, Literal(True)))


def load_text(path: Path, context: LoadContext | None = None) -> LoadedSource:
    """Load a document's plain text as sections, passages, purposes and mentions.

    Parameters
    ----------
    path : Path
        A UTF-8 ``.txt`` file.
    context : LoadContext
        The graph loaded so far (its documents, purposes and named entities) and the options
        ``document`` (a known document's ID), ``id``, ``title`` and ``publisher`` (for a new
        document: whose strategy it is) and ``skip`` (regular expressions of lines to drop).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "plan.txt").write_text("Climate\\n\\nWe work on climate adap-\\ntation.\\n")
    >>> loaded = load_text(folder / "plan.txt")
    >>> sorted(str(o) for o in loaded.graph.objects(None, PROV.value))
    ['We work on climate adaptation.']
    """
    context = context or LoadContext()
    options = _options(context, path)
    raw = _read_document(path)
    documents = _known_documents(context.graph)
    wanted = options.get("document")
    if wanted is not None and str(wanted) not in documents:
        raise LoaderError(
            f"unknown document '{wanted}'",
            did_you_mean(str(wanted), documents)
            or "Load the dataset that defines it first, or leave --document out.",
            file=path,
        )
    # Footer fragments end at a known heading, so headings are looked up before cleaning.
    titles = {fold(t) for _, secs in documents.values() for _, _, t in secs}
    lines, notes = clean_lines(raw.splitlines(), options["skip"], titles)  # type: ignore[arg-type]
    identifier = str(wanted) if wanted else _choose_document(lines, documents)
    graph = Graph()
    if identifier is not None:
        iri, sections = documents[identifier]
        document = _known_document(context, identifier, iri, lines, sections, notes)
        # A section the text lacks has no text: quotes naming it are not in it.
        every_section = [i for _, i, _ in sections]
    else:
        document = _new_document(graph, context, options, path, lines)
        every_section = [s.identifier for s in document.sections]
    if not document.sections:
        raise DataError(
            "no sections were found in the text",
            "Separate headings from the text with blank lines.",
            file=path,
        )
    graph.add((document.iri, DCTERMS.source, URIRef(path.resolve().as_uri())))
    reader = _Reader(graph, context, document, lines)
    for section in document.sections:
        reader.section(section)
    counts, repairs = reader.counts, reader.repairs
    notes = [f"{path.name}: {note}" for note in notes + reader.notes + repairs.notes]
    summary = (
        f"{path.name}: {_count(len(document.sections), 'section')} of '{document.identifier}', "
        f"{_count(counts.passages, 'passage')}, {_count(counts.mentions, 'mention')}, "
        f"{_count(counts.boxes, 'purpose box')}; repaired {_count(repairs.hyphens, 'hyphenation')} "
        f"and {_count(repairs.splits, 'split word')}."
    )
    graph_slug = "text-" + _slug(path.stem)
    return LoadedSource(
        name=source_graph_iri(graph_slug),
        label=graph_slug,
        path=str(path),
        loader=TextLoader.name,
        graph=graph,
        ids=document.ids,
        report=[summary, *notes],
        section_texts={i: reader.texts.get(i, "") for i in every_section},
    )


class TextLoader:
    """Loads a document's plain text (``.txt``) as passages, purposes and mentions."""

    name = "text"
    description = "a document's plain text (.txt): sections, passages, purpose boxes, mentions"
    #: Matches names against what the other sources loaded: runs after them.
    reads_graph = True

    def accepts(self, path: Path) -> bool:
        # A .txt file that starts like Turtle or N-Triples is RDF, not a document's text.
        if not (path.is_file() and path.suffix.lower() == ".txt"):
            return False
        try:
            with path.open("rb") as handle:
                head = handle.read(4096).decode("utf-8", errors="replace")
        except OSError:
            return True  # load() reports the error
        for line in head.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                return not _RDF_START.match(line)
        return True

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]:
        return [load_text(path, context)]
