"""What a built store was made from: its sources, from ``citykg-store.json``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from citykg.graph.store import read_info

__all__ = ["SourceRow", "list_sources"]


@dataclass(frozen=True, order=True)
class SourceRow:
    """One loaded source: its name, loader, triple count, named graph and path."""

    label: str
    loader: str
    triples: int
    graph: str
    path: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def list_sources(store: Path) -> list[SourceRow]:
    """The sources of the store at ``store``, sorted by name.

    The counts are those the build recorded (each source's named graph), so listing needs no
    query and works while another process holds the store.

    Examples
    --------
    >>> import tempfile
    >>> from citykg.graph.build import build
    >>> store = Path(tempfile.mkdtemp()) / "store"
    >>> _ = build(store, validate=False)
    >>> [row.label for row in list_sources(store)]
    ['copenhagen', 'vocabulary']
    """
    info = read_info(store)
    rows = [
        SourceRow(
            label=str(s.get("label", "")),
            loader=str(s.get("loader", "")),
            triples=int(s.get("triples", 0)),
            graph=str(s.get("graph", "")),
            path=str(s.get("path", "")),
        )
        for s in info.sources
    ]
    return sorted(rows)
