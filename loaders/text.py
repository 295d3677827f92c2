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
``ckg:purposeOfSection`` and each initiative the section names ``ckg:purpose``. Every known
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
from citykg.loaders.dataset import ID_PATTERN, _passage_iri, _read_text
from citykg.loaders.names import Named, NameIndex, fold, slug, tokens
from citykg.ontology.namespaces import CKG, ID

__all__ = ["OPTION_KEYS", "TextLoader", "clean_lines", "load_text"]

OPTION_KEYS = ("document", "id", "title", "skip")
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


def _split_detected(lines: list[_Line], document_id: str, taken: set[str]) -> list[_Section]:
    sections: list[_Section] = []
    current: _Section | None = None
    for first, after in _blocks(lines):
        block = lines[first:after]
        joined = " ".join(line.text.strip() for line in block)
        if len(block) <= 2 and _looks_like_heading(joined):
            base = f"{document_id}-" + slug(joined, "section")[:40].strip("-")
            identifier, number = base, 2
            while identifier in taken:
                identifier = f"{base}-{number}"
                number += 1
            taken.add(identifier)
            current = _Section(ID[identifier], identifier, joined)
            sections.append(current)
            continue
        if current is None:
            identifier = f"{document_id}-opening"
            taken.add(identifier)
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


def load_text(path: Path, context: LoadContext | None = None) -> LoadedSource:
    """Load a document's plain text as sections, passages, purposes and mentions.

    Parameters
    ----------
    path : Path
        A UTF-8 ``.txt`` file.
    context : LoadContext
        The graph loaded so far (its documents, purposes and named entities) and the options
        ``document`` (a known document's ID), ``id`` and ``title`` (for a new document) and
        ``skip`` (regular expressions of lines to drop).

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
    options = {
        k: v for k, v in context.options.items() if k in OPTION_KEYS and v not in (None, "", [], ())
    }
    if path.is_dir():
        raise LoaderError("is a folder, not a text file", "Give a .txt file.", file=path)
    if not path.exists():
        raise LoaderError("no such file", "Check the path.", file=path)
    raw = _read_text(path)
    if "\x00" in raw:
        raise DataError(
            "is not a plain text file", "Extract the text first (for a PDF: pdftotext).", file=path
        )
    skip_option = options.get("skip") or []
    patterns = [skip_option] if isinstance(skip_option, str) else list(skip_option)  # type: ignore[call-overload]
    try:
        skip = [re.compile(str(p)) for p in patterns]
    except re.error as exc:
        raise LoaderError(
            f"bad skip pattern: {exc}", "Give a Python regular expression.", file=path
        ) from None

    documents = _known_documents(context.graph)
    raw_lines = raw.splitlines()
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
    lines, notes = clean_lines(raw_lines, skip, titles)
    document_id = str(wanted) if wanted else _choose_document(lines, documents)
    graph = Graph()
    ids: dict[str, URIRef] = {}
    if document_id is not None:
        document, known_sections = documents[document_id]
        sections = _split_known(lines, known_sections, notes)
    else:
        document_id = str(options.get("id") or _slug(path.stem))
        if not ID_PATTERN.match(document_id):
            raise LoaderError(
                f"'{document_id}' is not a valid ID",
                "Use lower-case letters, digits and '-'.",
                file=path,
            )
        taken = {
            named.identifier
            for named in _entities(context.graph, (*MENTION_KINDS, "document", "section"))
        }
        if document_id in taken or document_id in context.known:
            raise LoaderError(
                f"the ID '{document_id}' is taken by an earlier source",
                "Give the document another ID with --id, or name the known one with --document.",
                file=path,
            )
        document = ID[document_id]
        title = str(options.get("title") or path.stem)
        graph.add((document, RDF.type, CKG.Document))
        graph.add((document, CKG.kind, Literal("document")))
        graph.add((document, DCTERMS.identifier, Literal(document_id)))
        graph.add((document, RDFS.label, Literal(title, lang="en")))
        ids[document_id] = document
        sections = _split_detected(lines, document_id, taken | {document_id})
        for number, section in enumerate(sections, 1):
            graph.add((section.iri, RDF.type, CKG.Section))
            graph.add((section.iri, CKG.kind, Literal("section")))
            graph.add((section.iri, DCTERMS.identifier, Literal(section.identifier)))
            graph.add((section.iri, RDFS.label, Literal(section.title, lang="en")))
            graph.add((section.iri, DCTERMS.isPartOf, document))
            graph.add((section.iri, CKG.number, Literal(number)))
            ids[section.identifier] = section.iri
    if not sections:
        raise DataError(
            "no sections were found in the text",
            "Separate headings from the text with blank lines.",
            file=path,
        )
    graph.add((document, DCTERMS.source, URIRef(path.resolve().as_uri())))

    known_words: Counter[str] = Counter(w for line in lines for w in _words(line.text))
    names = NameIndex.from_graph(context.graph, MENTION_KINDS)
    purposes = _purpose_index(context.graph)
    repairs = _Repairs()
    passages = mentions = boxes = 0
    for section in sections:
        mentioned: dict[URIRef, Named] = {}
        section_purposes: set[URIRef] = set()
        for match in names.find_in(section.title):
            if len(match.entities) == 1:
                mentioned[match.entities[0].iri] = match.entities[0]
        number = 0
        for paragraph in _paragraphs(section):
            if _is_box(paragraph[0].text):
                box_line = paragraph[0].number
                header, paragraph = _split_box(paragraph)
                boxes += 1
                found = {e.iri for m in purposes.find_in(header) for e in m.entities}
                if not found:
                    where = f"line {box_line}: " if box_line else ""
                    notes.append(f"{where}the box '{header}' names no known purpose")
                section_purposes |= found
                if not paragraph:
                    continue
            heading, paragraph = _split_subheading(paragraph)
            for match in names.find_in(heading):
                if len(match.entities) == 1:
                    mentioned[match.entities[0].iri] = match.entities[0]
            text = _join_lines([line.text for line in paragraph], known_words, names.words, repairs)
            for sentence in _sentences(text):
                number += 1
                passage = _passage_iri(section.identifier, sentence)
                graph.add((passage, RDF.type, CKG.Passage))
                graph.add((passage, PROV.value, Literal(sentence)))
                graph.add((passage, DCTERMS.isPartOf, section.iri))
                graph.add((passage, PROV.wasQuotedFrom, document))
                graph.add((passage, CKG.number, Literal(number)))
                passages += 1
                for match in names.find_in(sentence):
                    if len(match.entities) > 1:
                        ambiguous = ", ".join(e.identifier for e in match.entities)
                        where = f"section '{section.identifier}'"
                        notes.append(f"{where}: '{match.name}' names {ambiguous}; not linked")
                        continue
                    entity = match.entities[0]
                    graph.add((passage, DCTERMS.references, entity.iri))
                    mentioned[entity.iri] = entity
        for iri in sorted(mentioned):
            graph.add((section.iri, CKG.mentions, iri))
        mentions += len(mentioned)
        for purpose in sorted(section_purposes):
            graph.add((section.iri, CKG.purposeOfSection, purpose))
            for iri, entity in sorted(mentioned.items()):
                if entity.kind in INITIATIVE_KINDS:
                    graph.add((iri, CKG.purpose, purpose))
    notes = [f"{path.name}: {note}" for note in notes + repairs.notes]
    summary = (
        f"{path.name}: {_count(len(sections), 'section')} of '{document_id}', "
        f"{_count(passages, 'passage')}, {_count(mentions, 'mention')}, "
        f"{_count(boxes, 'purpose box')}; repaired {_count(repairs.hyphens, 'hyphenation')} "
        f"and {_count(repairs.splits, 'split word')}."
    )
    graph_slug = "text-" + _slug(path.stem)
    return LoadedSource(
        name=source_graph_iri(graph_slug),
        label=graph_slug,
        path=str(path),
        loader=TextLoader.name,
        graph=graph,
        ids=ids,
        report=[summary, *notes],
    )


class TextLoader:
    """Loads a document's plain text (``.txt``) as passages, purposes and mentions."""

    name = "text"
    description = "a document's plain text (.txt): sections, passages, purpose boxes, mentions"

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
