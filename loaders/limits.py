"""What a small input file may cost: bounds on YAML aliases and nesting, XML entities and
DTDs, and spreadsheet archives.

A few hundred bytes can describe gigabytes: YAML aliases that refer to aliases (a "billion
laughs"), XML entities that expand to entities, a zip member that inflates a thousandfold.
The parsers citykg uses do not bound these themselves (Oxigraph's RDF/XML parser expands
entities until the process runs out of memory; PyYAML shares aliased nodes, but anything that
walks the value, such as an error message, walks every copy), so each input is checked here
first, and what is over a bound is one :class:`~citykg.errors.DataError` naming the file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO, Any

import yaml

from citykg.errors import DataError

__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_ENTITY_BYTES",
    "MAX_XLSX_BYTES",
    "MAX_YAML_DEPTH",
    "BoundedComposer",
    "YamlLimitError",
    "check_rdfxml",
    "check_xlsx",
    "load_yaml",
]

#: How many values YAML aliases may add to a document, over the values written out.
MAX_ALIAS_VALUES = 100_000
#: How deep YAML mappings and lists may nest (a dataset needs four or five levels).
MAX_YAML_DEPTH = 64
#: How many bytes XML entity references may add to an RDF/XML file.
MAX_ENTITY_BYTES = 16 * 1024 * 1024
#: How many bytes the XML parts of a workbook may hold once unpacked.
MAX_XLSX_BYTES = 256 * 1024 * 1024
#: How much of a file's start may come before its root element (the XML declaration, comments,
#: the DTD).
_PROLOG_BYTES = 1024 * 1024


class YamlLimitError(yaml.composer.ComposerError):
    """A YAML document over a bound (:data:`MAX_ALIAS_VALUES`, :data:`MAX_YAML_DEPTH`)."""

    def __init__(self, problem: str, fix: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)
        self.fix = fix


class BoundedComposer(yaml.composer.Composer):
    """A YAML composer that counts what aliases add and how deep values nest, and stops at
    :data:`MAX_ALIAS_VALUES` and :data:`MAX_YAML_DEPTH` (mix in before a loader class).

    PyYAML's composer recurses once per level (a few thousand ``[`` end in RecursionError), and
    an alias of an alias of an alias multiplies: the count of each node's values, aliases
    expanded, is kept per node, so the check costs one addition per node.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # the loader's own __init__, after this in the MRO
        self._depth = 0
        self._written = 0
        self._values: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]  # from the loader's Parser
        alias = isinstance(event, yaml.AliasEvent)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise YamlLimitError(
                f"the values nest deeper than {MAX_YAML_DEPTH} levels",
                "Write the entries as a list of flat mappings.",
                event.start_mark,
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if alias:
            values = self._values.get(id(node), 1)
        else:
            self._written += 1
            values = 1 + sum(self._values.get(id(child), 1) for child in _children(node))
            self._values[id(node)] = values
        if values > self._written + MAX_ALIAS_VALUES:
            raise YamlLimitError(
                f"aliases (*name) repeat more than {MAX_ALIAS_VALUES} values",
                "Write the values out instead of aliasing aliases.",
                event.start_mark,
            )
        return node


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _SafeLoader(BoundedComposer, yaml.SafeLoader):
    pass


def load_yaml(text: str, loader: type[Any] = _SafeLoader) -> Any:
    """``yaml.load`` with a loader that mixes in :class:`BoundedComposer` (the safe loader by
    default); raises :class:`YamlLimitError` (a ``yaml.MarkedYAMLError``) over a bound.

    Examples
    --------
    >>> load_yaml("network: c40")
    {'network': 'c40'}
    >>> bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\n" + "".join(
    ...     f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\\n"
    ...     for p, n in zip("abcdefgh", "bcdefghi"))
    >>> try:
    ...     load_yaml(bomb)
    ... except YamlLimitError as exc:
    ...     print(exc.problem, "on line", exc.problem_mark.line + 1)
    aliases (*name) repeat more than 100000 values on line 5
    """
    instance = loader(text)
    try:
        return instance.get_single_data()
    finally:
        instance.dispose()


# --- XML -----------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.I)
# The root element: a "<" that starts a name (not "<?", "<!").
_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_ENTITY = re.compile(
    rb"""<!ENTITY\s+(%\s+)?([^\s"'>]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)\b)"""
)
_REFERENCE = re.compile(rb"&([A-Za-z_:][\w.:-]*);")
_SUBSET_END = re.compile(rb"\]\s*>")
_PREDEFINED = frozenset({b"lt", b"gt", b"amp", b"quot", b"apos"})


def _size(count: int) -> str:
    return f"{count // 2**20} MB" if count >= 2**20 else f"{count} bytes"


def _prolog(stream: IO[bytes], path: Path, what: str = "the file") -> bytes:
    """The bytes before the root element (with the DTD, if there is one)."""
    head = stream.read(_PROLOG_BYTES)
    doctype = _DOCTYPE.search(head)
    start = doctype.end() if doctype else 0
    if doctype:
        # Inside the DTD's [...], "<" opens declarations ("<!ENTITY"), never an element.
        bracket, close = head.find(b"[", start), head.find(b">", start)
        if 0 <= bracket < close or (bracket >= 0 and close < 0):
            end = _SUBSET_END.search(head, bracket)
            start = end.end() if end else len(head)
    element = _ELEMENT.search(head, start)
    if element is None and len(head) == _PROLOG_BYTES:
        # A DTD could hide behind a megabyte of comments: no real document has one.
        raise DataError(
            f"{what} does not start its first element within {_size(_PROLOG_BYTES)}",
            "Remove what comes before it.",
            file=path,
        )
    return head[: element.start()] if element else head


def _expanded(values: dict[bytes, bytes], path: Path) -> dict[bytes, int]:
    """How many bytes each entity stands for once its references are expanded."""
    sizes: dict[bytes, int] = {}

    def size(name: bytes, seen: tuple[bytes, ...]) -> int:
        if name in sizes:
            return sizes[name]
        if name in seen:
            raise DataError(
                f"the XML entity '{name.decode(errors='replace')}' refers to itself",
                "Remove the entity declarations from the DTD.",
                file=path,
            )
        value = values[name]
        total = len(_REFERENCE.sub(b"", value))
        for match in _REFERENCE.finditer(value):
            ref = match.group(1)
            if ref in values:
                total += size(ref, (*seen, name))
                if total > MAX_ENTITY_BYTES:
                    break
        sizes[name] = total
        return total

    for name in values:
        size(name, ())
    return sizes


def check_rdfxml(path: Path) -> None:
    """Refuse an RDF/XML file whose entities would expand past :data:`MAX_ENTITY_BYTES`.

    Entity declarations are allowed (OWL files from Protégé declare ``&owl;`` and the like):
    only their expansion is bounded, over the whole file. Parameter and external entities are
    refused: citykg never fetches, and neither is needed for RDF.
    """
    with path.open("rb") as stream:
        prolog = _prolog(stream, path)
        if not _DOCTYPE.search(prolog):
            return
        values: dict[bytes, bytes] = {}
        for match in _ENTITY.finditer(prolog):
            parameter, name, double, single, external = match.groups()
            what = name.decode(errors="replace")
            if parameter or external:
                kind = "a parameter entity" if parameter else "an external entity"
                raise DataError(
                    f"the DTD declares {kind} ('{what}'), which citykg does not read",
                    "Remove it from the DTD.",
                    file=path,
                )
            values[name] = double if double is not None else single
        if not values:
            return
        sizes = _expanded(values, path)
        # References in the DTD itself are already in the sizes: count from the root element.
        stream.seek(len(prolog))
        total = 0
        tail = b""
        while chunk := stream.read(1024 * 1024):
            block = tail + chunk
            # A reference cut by the chunk's end is counted with the next chunk.
            cut = block.rfind(b"&")
            if cut >= 0 and b";" not in block[cut:]:
                block, tail = block[:cut], block[cut:]
            else:
                tail = b""
            for match in _REFERENCE.finditer(block):
                name = match.group(1)
                if name not in _PREDEFINED:
                    total += sizes.get(name, 0)
            if total > MAX_ENTITY_BYTES:
                raise DataError(
                    f"its XML entities expand to more than {_size(MAX_ENTITY_BYTES)} "
                    "(an entity bomb)",
                    "Write the values out, or remove the entity declarations.",
                    file=path,
                )


def check_xlsx(path: Path) -> None:
    """Refuse a workbook with a DTD in any of its XML parts, or whose parts unpack to more
    than :data:`MAX_XLSX_BYTES`.

    Excel and LibreOffice never write a DTD; one in a workbook is there to expand entities.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # the reader says what is wrong with it
    with archive:
        parts = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in parts) > MAX_XLSX_BYTES:
            raise DataError(
                f"the workbook unpacks to more than {_size(MAX_XLSX_BYTES)}",
                "Save the list as .csv, or split it.",
                file=path,
            )
        for info in parts:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(info) as stream:
                    prolog = _prolog(stream, path, f"the workbook part {info.filename}")
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
                return  # the reader says what is wrong with it
            if _DOCTYPE.search(prolog):
                raise DataError(
                    f"the workbook part {info.filename} has a DTD, which spreadsheets never "
                    "write (it can expand entities)",
                    "Save the list again from the spreadsheet program, or as .csv.",
                    file=path,
                )
