"""Whose graph is it: the home cities of a store's datasets, and which datasets state what.

A dataset says whose strategy it is with ``home:`` (``ckg:home`` on its ``dcat:Dataset``). A
command that works for a home (``assess``, ``overlaps``, ``analyze themes``, the named queries
whose parameter defaults to ``home``) takes :func:`choose_home`: the home it is given, else the
store's one home, else ``$CITYKG_HOME``; with none of these it is a :class:`HomeError`, which
the command line reports as a usage error listing the homes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from citykg.errors import CitykgError
from citykg.queries.sparql import SparqlSource

__all__ = ["Home", "HomeChoice", "HomeError", "choose_home", "entity_datasets", "list_homes"]


class HomeError(CitykgError):
    """No home was given and the store has none or several (a usage error, exit code 2)."""


@dataclass(frozen=True, order=True)
class Home:
    """A home: the actor's ID and English label, and the dataset that declares it."""

    id: str
    label: str
    dataset: str


@dataclass(frozen=True)
class HomeChoice:
    """The home a command works for, and a note when ``$CITYKG_HOME`` was passed over."""

    id: str
    note: str = ""


def _query(name: str) -> str:
    return (resources.files("citykg.queries") / f"{name}.rq").read_text(encoding="utf-8")


def list_homes(source: SparqlSource) -> list[Home]:
    """The homes the datasets in ``source`` declare, by ID.

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> from citykg.queries.sparql import LocalSource
    >>> [h.id for h in list_homes(LocalSource(assemble(validate=False).dataset))]
    ['copenhagen']
    """
    rows = source.select(_query("homes")).rows
    return sorted(
        Home(str(r["home"]), str(r["label"] or r["home"]), str(r["dataset"] or "")) for r in rows
    )


def choose_home(
    source: SparqlSource, given: str | None = None, env: str | None = None
) -> HomeChoice:
    """The home to work for: ``given``, else the store's one home, else ``env``
    (``$CITYKG_HOME``).

    Raises
    ------
    HomeError
        Nothing given, and the store has no home or several, and ``env`` is empty: the message
        lists the homes.
    """
    if given:
        return HomeChoice(given)
    homes = sorted({(h.id, h.label) for h in list_homes(source)})
    if len(homes) == 1:
        ((only, _),) = homes
        note = ""
        if env and env != only:
            note = (
                f"Note: the home is {only}, the store's only one; $CITYKG_HOME={env} applies to "
                f"stores with several homes. Give --home {env} to work for it."
            )
        return HomeChoice(only, note)
    if env:
        return HomeChoice(env)
    if not homes:
        raise HomeError(
            f"{source.name} holds no home (no dataset says 'home:')",
            "Give --home ID, or set $CITYKG_HOME.",
        )
    listed = ", ".join(f"{i} ({label})" for i, label in homes)
    raise HomeError(
        f"{source.name} holds several homes: {listed}",
        "Give --home ID, or set $CITYKG_HOME.",
    )


def entity_datasets(source: SparqlSource) -> dict[str, tuple[str, ...]]:
    """Each entity's ID with the datasets that state facts about it (define it or add to it),
    for maps and exports that show or filter by dataset.

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> from citykg.queries.sparql import LocalSource
    >>> found = entity_datasets(LocalSource(assemble(validate=False).dataset))
    >>> found["c40"], found["denmark"]
    (('copenhagen',), ('copenhagen', 'vocabulary'))
    """
    found: dict[str, set[str]] = defaultdict(set)
    for row in source.select(_query("entity-datasets")).rows:
        found[str(row["id"])].add(str(row["in"]))
    return {k: tuple(sorted(v)) for k, v in sorted(found.items())}
