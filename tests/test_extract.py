"""Targeted extraction: each analysis reads only the parts it uses, and gets from them exactly
what it gets from reading everything (the built-in data, a seeded synthetic world, the twin
fixture)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.term import Identifier

from citykg.analysis.assess import assess_request
from citykg.analysis.extract import PARTS, Entity, check_parts, extract, part_query
from citykg.analysis.metrics import brokers, centrality, communities
from citykg.analysis.networks import ACTOR_KINDS, Network, load_network
from citykg.analysis.overlaps import actor_overlaps, all_pair_overlaps, collaboration_overlaps
from citykg.analysis.themes import theme_coverage
from citykg.graph.build import build
from citykg.graph.store import open_dataset
from citykg.loaders.synth import write_synth
from citykg.queries.sparql import LocalSource, SelectResult

DAY = dt.date(2026, 1, 1)


class CountingSource:
    """A SparqlSource through ``select`` only (as an endpoint is), naming the queries it ran."""

    def __init__(self, dataset: Dataset) -> None:
        self.inner = LocalSource(dataset)
        self.name = "counting"
        self.titles: list[str] = []

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        self.titles.append(query.split("\n", 1)[0].removeprefix("# title: "))
        return self.inner.select(query, bindings)

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        raise AssertionError("not used")

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        raise AssertionError("not used")


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded synthetic world of about 8,000 triples."""
    folder = tmp_path_factory.mktemp("synth")
    write_synth(folder / "world.nt", size=8000, seed=5)
    build(folder / "store", [folder / "world.nt"], validate=False)
    return folder / "store"


@pytest.fixture(params=["copenhagen", "synthetic", "twin"])
def dataset(
    request: pytest.FixtureRequest, copenhagen_store: Path, synth_store: Path, twin_store: Path
) -> Dataset:
    stores = {"copenhagen": copenhagen_store, "synthetic": synth_store, "twin": twin_store}
    return open_dataset(stores[request.param])


@pytest.mark.parametrize(
    ("parts", "titles"),
    [
        ([], ["Entities", "Alternative names"]),
        (["ties"], ["Entities", "Alternative names", "Ties"]),
        (["ties", "themes"], ["Entities", "Alternative names", "Themes", "Ties"]),
        (
            ["roles", "themes", "facts"],
            [
                "Entities",
                "Alternative names",
                "Dates",
                "Themes",
                "Facts",
                "Ties with roles and periods",
            ],
        ),
        (
            list(PARTS),
            [
                "Entities",
                "Alternative names",
                "Dates",
                "Themes",
                "Facts",
                "Evidence",
                "Evidence of memberships",
                "Ties with roles and periods",
            ],
        ),
    ],
)
def test_a_read_asks_only_for_its_parts(
    copenhagen: Dataset, parts: list[str], titles: list[str]
) -> None:
    source = CountingSource(copenhagen)
    load_network(source, DAY, parts)
    assert source.titles == titles


def _blank(entity: Entity, parts: frozenset[str]) -> Entity:
    """``entity`` with the fields of the parts not in ``parts`` emptied."""
    unread: dict[str, object] = {}
    if "roles" not in parts:
        unread |= {"start": None, "end": None}
    if "themes" not in parts:
        unread |= {"themes": (), "broader": ()}
    if "facts" not in parts:
        unread |= {"purposes": (), "owners": (), "part_of": (), "number": None}
        unread |= {"council_approved": None, "binding": None, "council_approval_required": None}
    if "evidence" not in parts:
        unread |= {"evidence": ()}
    return dataclasses.replace(entity, **unread)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "parts", [[], ["ties"], ["ties", "themes"], ["roles"], ["roles", "themes", "facts"]]
)
def test_parts_read_what_the_full_read_reads(dataset: Dataset, parts: list[str]) -> None:
    source = LocalSource(dataset)
    full_entities, full_ties = extract(source)
    entities, ties = extract(source, parts)
    wanted = check_parts(parts)
    assert entities == [_blank(e, wanted) for e in full_entities]
    if "roles" in wanted:
        strip = {dataclasses.replace(t, evidence=()) for t in full_ties}
        assert set(ties) == strip
    elif "ties" in wanted:
        assert ties == sorted(
            {dataclasses.replace(t, role="", start=None, end=None, evidence=()) for t in full_ties},
            key=lambda t: (t.actor, t.collaboration),
        )
    else:
        assert ties == []


def test_endpoints_get_the_same_rows_through_select(copenhagen: Dataset) -> None:
    # an endpoint answers through select (rdflib terms): the same records as the direct path
    assert extract(CountingSource(copenhagen)) == extract(LocalSource(copenhagen))


def _network(dataset: Dataset, parts: list[str]) -> Network:
    return load_network(LocalSource(dataset), DAY, parts)


def test_analyses_on_their_parts_equal_the_full_read(dataset: Dataset) -> None:
    full = _network(dataset, list(PARTS))
    ties = _network(dataset, ["ties"])
    assert sorted(ties.graph.edges) == sorted(full.graph.edges)
    assert all_pair_overlaps(ties) == all_pair_overlaps(full)
    assert all_pair_overlaps(ties, limit=7) == all_pair_overlaps(full, limit=7)
    assert collaboration_overlaps(ties) == collaboration_overlaps(full)
    assert collaboration_overlaps(ties, kinds=["project"]) == collaboration_overlaps(
        full, kinds=["project"]
    )
    actors = [a for a in full.actors if full.graph.degree(a) > 0][:5]
    for actor in actors:
        assert actor_overlaps(ties, actor) == actor_overlaps(full, actor)
    assert centrality(ties).rows == centrality(full).rows
    assert communities(ties) == communities(full)
    assert brokers(ties)[0] == brokers(full)[0]
    themed = _network(dataset, ["ties", "themes"])
    home = actors[0]
    assert theme_coverage(themed, home) == theme_coverage(full, home)
    for theme in themed.of_kind("theme")[:3]:
        assert actor_overlaps(themed, home, theme=theme) == actor_overlaps(full, home, theme=theme)
    timed = _network(dataset, ["roles"])
    for status in ("current", "past"):
        assert actor_overlaps(timed, home, status=status) == actor_overlaps(
            full, home, status=status
        )
        assert all_pair_overlaps(timed, status=status) == all_pair_overlaps(full, status=status)
    assessed = _network(dataset, ["roles", "themes", "facts"])
    cities = [a for a in actors if full.entities[a].kind in ACTOR_KINDS][1:3]
    for city in cities:
        assert assess_request(assessed, city, home=home) == assess_request(full, city, home=home)


def test_a_part_not_read_is_refused(copenhagen: Dataset) -> None:
    net = _network(copenhagen, ["ties"])
    with pytest.raises(ValueError, match="read without its themes"):
        actor_overlaps(net, "copenhagen", theme="climate")
    with pytest.raises(ValueError, match="read without its roles"):
        actor_overlaps(net, "copenhagen", status="current")
    with pytest.raises(ValueError, match="read without its roles, themes, facts"):
        assess_request(net, "Lisbon", home="copenhagen")
    assert "status" not in net.graph.edges["copenhagen", "c40"]  # absent, not defaulted


def test_unknown_part() -> None:
    with pytest.raises(ValueError, match=r"unknown parts \['colours'\]"):
        check_parts(["colours"])


def test_every_query_names_itself() -> None:
    for name in ("entities", "names", "ties", "roles", "dates", "themes", "facts", "evidence"):
        assert part_query(name).startswith("# title: ")
