"""From the store to networkx: the extraction, the bipartite graph and the map graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Dataset

from citykg.analysis.mapgraph import load_map_graph, map_graph
from citykg.analysis.networks import Network, load_network, period_bounds
from citykg.errors import CitykgError
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


def test_map_graph_follows_the_viz_contract(net: Network) -> None:
    G = map_graph(net)
    keys = {
        "label",
        "kind",
        "alt_labels",
        "themes",
        "networks",
        "period",
        "evidence",
        "centrality",
        "community",
    }
    for node, attrs in G.nodes(data=True):
        # themes are not in the actor-collaboration graph: no centrality, no community
        expected = keys - {"centrality", "community"} if attrs["kind"] == "theme" else keys
        assert set(attrs) == expected, node
        assert all(set(e) == {"quote", "section", "source"} for e in attrs["evidence"])
    cph = G.nodes["copenhagen"]
    assert cph["networks"] == [
        "C40 Cities Climate Leadership Group",
        "C40 Global Mayors COVID-19 Recovery Task Force",
        "C40 professional networks",
        "Greater Copenhagen",
        "WHO European Healthy Cities Network",
    ]
    assert G.nodes["force"]["period"] == "2016-09 – 2020-08"  # noqa: RUF001
    assert G.nodes["force"]["themes"] == ["Circular economy", "Waste management"]
    assert G.nodes["climate"]["kind"] == "theme"
    assert G.edges["force", "waste-management"]["relation"] == "theme"
    assert G.edges["force", "horizon-2020"]["relation"] == "part-of"
    assert G.edges["copenhagen", "force"]["relation"] == "lead"
    assert G.edges["copenhagen", "c40"]["label"] == "innovation-city, member, steering-committee"
    assert "un" not in G  # no tie: left off the map


def test_map_graph_focus(copenhagen: Dataset) -> None:
    G = load_map_graph(LocalSource(copenhagen), DAY, focus="Lisboa", radius=1)
    actors_and_collabs = {n for n, k in G.nodes(data="kind") if k != "theme"}
    assert actors_and_collabs == {"lisbon", "c40", "force"}
    assert "circular-economy" in G  # FORCE's theme comes along
    with pytest.raises(CitykgError, match="unknown actor or collaboration 'Lisbn'"):
        load_map_graph(LocalSource(copenhagen), DAY, focus="Lisbn")


def test_map_graph_networks_of_collaborations(net: Network) -> None:
    G = map_graph(net)
    assert G.nodes["c40"]["networks"] == ["C40 Cities Climate Leadership Group"]
    assert G.nodes["c40-professional-networks"]["networks"] == [
        "C40 Cities Climate Leadership Group",
        "C40 professional networks",
    ]
    assert G.nodes["force"]["networks"] == []  # Horizon 2020 is a programme, not a network
