"""Reading dataset files with line numbers: YAML mappings and CSV rows become :class:`Entry`.

Every problem says where it is. A file that cannot be parsed is one problem; the files beside it
are still read, so that a run reports them all (:class:`Problems`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from citykg.errors import CitykgError, DataError, did_you_mean
from citykg.loaders.common import read_text
from citykg.loaders.kinds import COMMON_FIELDS, FIELDS, KINDS, SPEC, is_list_field
from citykg.loaders.limits import BoundedComposer, YamlLimitError, load_yaml

__all__ = ["DATASET_SUFFIXES", "Entry", "Flag", "Problems", "dataset_files", "read_file"]

#: The file suffixes a dataset folder's entries are read from.
DATASET_SUFFIXES = (".yaml", ".yml", ".csv")
#: Lists whose options may stand in a sidecar ``<list>.yaml`` beside them.
SIDECAR_OF = (".csv", ".tsv", ".xlsx")


@dataclass(frozen=True)
class Flag:
    """A YAML yes/no value with how it was written: ``code: NO`` reads as false, and a text
    field that gets one says to quote it instead of storing 'False'."""

    value: bool
    text: str

    def __bool__(self) -> bool:
        return self.value


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(BoundedComposer, yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key.text if isinstance(key, Flag) else key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text here, so that parse_date can say what is wrong with 2023-02-30.
    return str(loader.construct_scalar(node))


def _construct_bool(loader: _LineLoader, node: yaml.ScalarNode) -> Flag:
    return Flag(bool(loader.construct_yaml_bool(node)), str(node.value))


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # A "\ud800" escape gives a lone surrogate, which no store or file can encode.
    text = loader.construct_yaml_str(node)
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise yaml.constructor.ConstructorError(
            None, None, "a text holds a lone surrogate escape such as \\ud800", node.start_mark
        )
    return text


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


@dataclass
class Entry:
    """One entry of a dataset file, with where it was written."""

    kind: str
    fields: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    def error(self, name: str | None, problem: str, fix: str = "") -> DataError:
        return DataError(
            problem, fix, file=self.file, line=self.line_of(name) if name else self.line
        )


class Problems:
    """The problems of a run, gathered instead of raised one by one.

    ``with problems.collect():`` runs a block and keeps the :class:`CitykgError` it raises;
    :meth:`raise_all` raises them together (see :func:`citykg.errors.gather`).
    """

    def __init__(self) -> None:
        self.found: list[CitykgError] = []

    def add(self, error: CitykgError) -> None:
        self.found.extend([error, *error.others])
        error.others = ()

    def __bool__(self) -> bool:
        return bool(self.found)

    def collect(self) -> _Collecting:
        return _Collecting(self)

    def raise_all(self) -> None:
        from citykg.errors import gather

        if self.found:
            raise gather(self.found)


class _Collecting:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> bool:
        if isinstance(error, CitykgError):
            self.problems.add(error)
            return True
        return False


def _yaml_error(exc: yaml.MarkedYAMLError, path: Path) -> DataError:
    problem = (exc.problem or exc.context or "malformed YAML").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if "quoted scalar" in context and exc.context_mark is not None:
        # The parser notices only at the end of the file; the user needs the opening line.
        return DataError(
            "malformed YAML: a quote opened on this line is never closed",
            "Close the quote.",
            file=path,
            line=exc.context_mark.line + 1,
        )
    if "'\\t'" in problem:
        return DataError(
            "malformed YAML: the line holds a tab",
            "Indent with spaces.",
            file=path,
            line=mark.line + 1 if mark else None,
        )
    return DataError(
        f"malformed YAML: {problem}",
        "Check the indentation and quoting there.",
        file=path,
        line=mark.line + 1 if mark else None,
    )


def _read_yaml(path: Path) -> Iterator[Entry]:
    text = read_text(path)
    try:
        document = load_yaml(text, _LineLoader)
    except YamlLimitError as exc:
        raise DataError(
            exc.problem or "the YAML is too big",
            exc.fix,
            file=path,
            line=exc.problem_mark.line + 1 if exc.problem_mark else None,
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path) from None
    except yaml.YAMLError as exc:
        raise DataError(f"malformed YAML: {exc}", "Check the file's syntax.", file=path) from None
    if document is None:
        return
    if not isinstance(document, _Mapping):
        raise DataError(
            "the file must be a mapping from kinds to lists of entries",
            "Start it with a kind, such as 'cities:'.",
            file=path,
            line=1,
        )
    for kind, value in document.items():
        line = document.key_lines[kind]
        _check_kind(kind, path, line)
        if kind == "dataset":
            if not isinstance(value, _Mapping):
                raise DataError("'dataset' must be one mapping", "", file=path, line=line)
            yield Entry(kind, dict(value), str(path), value.line, dict(value.key_lines))
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            raise DataError(
                f"'{kind}' must be a list of entries",
                "Write each entry as '- id: ...'.",
                file=path,
                line=line,
            )
        for item in value:
            if not isinstance(item, _Mapping):
                raise DataError(
                    f"each entry of '{kind}' must be a mapping of fields",
                    "Write it as '- id: ...' with one field per line.",
                    file=path,
                    line=line,
                )
            yield Entry(kind, dict(item), str(path), item.line, dict(item.key_lines))


def _check_kind(kind: str, path: Path, line: int | None) -> None:
    if kind not in KINDS:
        raise DataError(f"unknown kind '{kind}'", did_you_mean(kind, KINDS), file=path, line=line)


def _csv_kind(path: Path) -> str:
    kind = path.stem.split("-", 1)[0].split(".", 1)[0]
    if kind not in KINDS or kind == "dataset":
        raise DataError(
            f"a CSV file's name must start with its kind, not '{kind}'",
            did_you_mean(kind, KINDS) or "Name it like cities-list.csv or memberships-list.csv.",
            file=path,
        )
    return kind


def _read_csv(path: Path) -> Iterator[Entry]:
    kind = _csv_kind(path)
    text = read_text(path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    row_start = 1  # the line the row being read starts on
    try:
        header = next(reader, None)
        row_start = reader.line_num + 1
        if header is None:
            return
        names = [h.strip() for h in header]
        # Mappings (per-field inferences, quantities) have no CSV form.
        known = (FIELDS[kind].keys() | COMMON_FIELDS.keys() | {"source_url", "as_of"}) - {
            "inferred",
            "quantities",
        }
        for column, name in enumerate(names, 1):
            if name not in known:
                raise DataError(
                    f"unknown column '{name}' (column {column}) for {kind}",
                    did_you_mean(name, known) or "Known columns: " + ", ".join(sorted(known)) + ".",
                    file=path,
                    line=1,
                )
        quote = getattr(dialect, "quotechar", None) or '"'
        for row in reader:
            line = reader.line_num
            if line == text.count("\n") + (not text.endswith("\n")) and text.count(quote) % 2:
                # The last row ran to the end of the file: a quote opened on its first line
                # was never closed, and every line after it went into one cell.
                raise DataError(
                    f"a quote ({quote}) opened on this line is never closed",
                    "Close it.",
                    file=path,
                    line=row_start,
                )
            row_start = line + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise DataError(
                    f"the row has {len(row)} cells but the header has {len(names)}",
                    "Quote cells that contain the delimiter.",
                    file=path,
                    line=line,
                )
            yield Entry(kind, _row_fields(kind, names, row), str(path), line, {})
    except csv.Error as exc:
        raise DataError(
            f"malformed CSV: {exc}", "Check the quoting.", file=path, line=reader.line_num
        ) from None


def _row_fields(kind: str, names: list[str], row: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, cell in zip(names, row, strict=False):
        cell = cell.strip()
        if cell == "":
            continue
        if name == "source_url":
            fields.setdefault("evidence", []).insert(0, {"source": cell})
        elif name == "as_of":
            # The date the row's public list describes: it goes with the row's source URL
            # (alone, the loader reports it as an as-of without a source).
            fields.setdefault("evidence", []).append({"as_of": cell})
        elif is_list_field(SPEC[kind].get(name, COMMON_FIELDS.get(name))):
            fields[name] = [part.strip() for part in cell.split("|") if part.strip()]
        else:
            fields[name] = cell
    evidence = fields.get("evidence")
    if evidence and len(evidence) == 2 and "source" in evidence[0]:
        evidence[:] = [evidence[0] | evidence[1]]
    return fields


def read_file(path: Path) -> list[Entry]:
    """The entries of one dataset file (``.yaml``/``.yml`` or ``.csv``).

    Raises
    ------
    DataError
        The file cannot be read or parsed, names an unknown kind, or holds something other
        than entries.
    """
    if path.suffix == ".csv":
        return list(_read_csv(path))
    return list(_read_yaml(path))


def dataset_files(folder: Path) -> tuple[list[Path], list[str]]:
    """The dataset files of ``folder`` in name order, and a note for each file left out.

    Only ``.yaml``, ``.yml`` and ``.csv`` files are entries. A sidecar (``members.xlsx.yaml``,
    the options of a member list beside it) belongs to its list and is skipped, as is any
    other file, each with a note, so that nothing is read as data by accident.
    """
    files: list[Path] = []
    notes: list[str] = []
    inside = folder.resolve()
    for path in sorted(folder.iterdir()):
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            # A link placed in a folder that someone else builds (root, a service) would
            # show the first line of any file the builder can read in an error message.
            raise DataError(
                "is a link to a file outside the dataset folder",
                "Copy the file into the folder instead of linking to it.",
                file=path,
            )
        if path.name.startswith(".") or (path.is_dir() and path.suffix not in DATASET_SUFFIXES):
            continue
        inner = Path(path.stem).suffix.lower()
        if path.suffix in (".yaml", ".yml") and inner in SIDECAR_OF:
            notes.append(
                f"{path}: skipped: a sidecar of '{path.stem}' (the options of a list), "
                "not dataset entries."
            )
        elif path.suffix in DATASET_SUFFIXES:
            files.append(path)
        else:
            notes.append(f"{path}: skipped: not a dataset file (.yaml or .csv).")
    return files, notes
