"""From the store to networkx: the extraction and the bipartite graph (the map graph: test_mapgraph)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Dataset

from citykg.analysis.networks import Network, load_network, period_bounds
from citykg.fold import name_key as normalise
from citykg.graph.store import open_dataset
from citykg.queries.sparql import LocalSource

DAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def net(copenhagen_store: Path) -> Network:
    return load_network(LocalSource(open_dataset(copenhagen_store)), DAY)


def test_the_whole_graph(net: Network) -> None:
    assert net.graph.number_of_nodes() == 236


def test_memberships_of_one_pair_merge_into_one_edge(net: Network) -> None:
    edge = net.graph.edges["copenhagen", "c40"]
    assert edge["roles"] == ["innovation-city", "member", "steering-committee"]
    assert edge["relation"] == "steering-committee"
    assert edge["status"] == "current" and edge["current"] is True
    assert {"quote": "", "section": "", "source": "https://www.c40.org/?ref=zeronaut.be"} in edge[
        "evidence"
    ]


def test_ties_from_hosts_parties_and_organizers(net: Network) -> None:
    B = net.graph
    assert B.edges["copenhagen", "c40-summit-2019"]["roles"] == ["host"]
    assert B.edges["beijing", "ssc-beijing"]["roles"] == ["party"]
    assert B.edges["ministry-of-foreign-affairs-denmark", "strategic-sector-cooperation"][
        "roles"
    ] == ["organizer"]
    assert B.edges["aso", "tour-de-france-2022-grand-depart"]["roles"] == ["organizer"]


def test_periods_and_evidence(net: Network) -> None:
    B = net.graph
    force = B.edges["lisbon", "force"]  # no own period: the project's dates
    assert (force["start"], force["end"], force["status"]) == ("2016-09", "2020-08", "past")
    assert {
        "quote": "Copenhagen cooperates with, among others, Hamburg, Lisbon",
        "section": "Strategic Sector Cooperation, EU projects and delegations",
        "source": "The City of Copenhagen's International Strategy",
    } in force["evidence"]
    halland = B.edges["region-halland", "greater-copenhagen"]
    assert (halland["start"], "end" in halland, halland["status"]) == (
        "2019-01-01",
        False,
        "current",
    )
    summit = B.edges["copenhagen", "c40-summit-2019"]  # an event ends when it starts
    assert (summit["start"], summit["end"], summit["status"]) == ("2019", "2019", "past")


def test_node_attributes(net: Network) -> None:
    lisbon = net.graph.nodes["lisbon"]
    assert lisbon["alt_labels"] == ["Câmara Municipal de Lisboa", "Lisboa"]
    assert (lisbon["kind"], lisbon["bipartite"], lisbon["id"]) == ("city", 0, "lisbon")
    ssc = net.graph.nodes["ssc-beijing"]
    assert ssc["bipartite"] == 1
    assert ssc["themes"][:2] == ["circular-economy", "climate-adaptation"]
    assert ssc["theme_labels"][:2] == ["Circular economy", "Climate adaptation"]
    assert ssc["purposes"] == ["brand-and-promote", "cooperate", "learn"]


def test_statuses_follow_the_reference_day(copenhagen: Dataset) -> None:
    early = load_network(LocalSource(copenhagen), dt.date(2018, 6, 1))
    assert early.graph.edges["lisbon", "force"]["status"] == "current"
    assert early.graph.edges["region-halland", "greater-copenhagen"]["status"] == "future"


def test_period_bounds() -> None:
    assert period_bounds("2024-02", "2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_bounds("2023", "2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert period_bounds(None, "2020-12") == (None, dt.date(2020, 12, 31))


def test_normalise_matches_names_across_accents_and_case() -> None:
    assert normalise("KØBENHAVN") == normalise("København") == "kobenhavn"
    assert normalise("Malmö") == normalise("malmo")
    assert normalise("Region Skåne") == "region skane"
