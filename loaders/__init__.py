"""Loaders: sources of RDF for ``citykg build``.

Each loader implements :class:`Loader`; built-ins and third-party loaders register through the
``citykg.loaders`` entry-point group.
"""

from citykg.loaders.base import (
    LoadContext,
    LoadedSource,
    Loader,
    Location,
    find_loader,
    get_loader,
    loader_names,
    register,
    source_graph_iri,
)

__all__ = [
    "LoadContext",
    "LoadedSource",
    "Loader",
    "Location",
    "find_loader",
    "get_loader",
    "loader_names",
    "register",
    "source_graph_iri",
]
