"""The map graph: what citykg.viz draws, built from the extracted network and the map facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Dataset

from citykg.analysis.mapgraph import (
    load_map_facts,
    load_map_graph,
    map_graph,
    overlap_graph,
)
from citykg.analysis.networks import Network, load_network
from citykg.errors import CitykgError
from citykg.graph.build import assemble
from citykg.graph.store import open_dataset
from citykg.queries.sparql import LocalSource

DAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def net(copenhagen_store: Path) -> Network:
    return load_network(LocalSource(open_dataset(copenhagen_store)), DAY)


def test_map_graph_follows_the_viz_contract(net: Network, copenhagen: Dataset) -> None:
    G = map_graph(net, home="copenhagen", facts=load_map_facts(LocalSource(copenhagen)))
    keys = {"label", "kind", "alt_labels", "themes", "networks", "period", "evidence"}
    measured = {"centrality", "community"}
    optional = {
        "evidence_status", "status_note", "country", "dataset", "datasets", "lat", "long",
        "home",
        "as_of",  # the C40 cities: the list of 2025
        "quantities",  # the strategy's figures (Copenhagen's growth, the WHO network's ...)
    }  # fmt: skip
    for node, attrs in G.nodes(data=True):
        # themes are not in the actor-collaboration graph: no centrality, no community
        expected = keys if attrs["kind"] == "theme" else keys | measured
        assert expected <= set(attrs) <= expected | optional, node
        assert all(set(e) == {"quote", "section", "source"} for e in attrs["evidence"])
    cph = G.nodes["copenhagen"]
    assert cph["home"] is True
    assert [v for v, h in G.nodes(data="home") if h] == ["copenhagen"]
    # No coordinates: the data's were the editor's, in neither the strategy nor the lists
    # (issue 16); the world map places the city from GeoNames and says so.
    assert cph["country"] == "Denmark" and "lat" not in cph and "long" not in cph
    assert "dataset" not in cph  # one source: nothing to tell apart
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
    assert "un" not in G  # no tie: left off the map


def test_links_point_the_way_the_data_reads(net: Network) -> None:
    G = map_graph(net)
    assert G.is_directed()
    # member -> network, lead -> project, host -> event, party -> agreement, part -> whole
    for start, end, relation in [
        ("copenhagen", "c40", "steering-committee"),
        ("lisbon", "c40", "member"),
        ("copenhagen", "force", "lead"),
        ("hamburg", "force", "partner"),
        ("copenhagen", "tour-de-france-2022-grand-depart", "host"),
        ("beijing", "ssc-beijing", "party"),
        ("force", "horizon-2020", "part-of"),
        ("force", "waste-management", "theme"),
    ]:
        assert G.edges[start, end]["relation"] == relation, (start, end)
        assert not G.has_edge(end, start), (end, start)


def test_a_link_keeps_every_role_its_periods_and_its_own_evidence(net: Network) -> None:
    G = map_graph(net)
    c40 = G.edges["copenhagen", "c40"]
    assert c40["roles"] == ["innovation-city", "member", "steering-committee"]
    assert c40["label"] == "innovation-city, member, steering-committee"
    assert [t["role"] for t in c40["ties"]] == c40["roles"]
    # the membership is the strategy's word and the list's (issue 16): its quote and the URL
    assert c40["evidence"] == [
        {"quote": "", "section": "", "source": "https://www.c40.org/?ref=zeronaut.be"},
        {
            "quote": "Copenhagen is a member of the C40 city network",
            "section": "C40 cooperation",
            "source": "The City of Copenhagen's International Strategy",
        },
    ]
    assert c40["evidence_status"] == "stated"
    # the strategy's sentence sits on the C40 node; the link shows it as said of C40
    assert c40["mentions"] == [
        {
            "quote": "Copenhagen is a member of the C40 city network",
            "section": "C40 cooperation",
            "source": "The City of Copenhagen's International Strategy",
            "on": "c40",
        }
    ]
    force = G.edges["copenhagen", "force"]
    assert force["evidence_status"] == "stated"
    assert force["period"] == "2016-09 – 2020-08"  # noqa: RUF001
    assert force["status"] == "past"
    tour = G.edges["copenhagen", "tour-de-france-2022-grand-depart"]
    assert tour["ties"] == [
        {"role": "host", "start": "2022-07-01", "end": "2022-07-01", "status": "past"}
    ]


def test_an_explicit_status_in_the_data_wins() -> None:
    dataset = assemble(validate=False).dataset
    dataset.update(
        """PREFIX ckg: <https://w3id.org/citykg/ontology#>
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        DELETE { GRAPH ?g { ?m ckg:status ?old } }
        INSERT { GRAPH ?g { ?m ckg:status ckg:inferred ; ckg:inferenceNote "Seen on the C40 page." } }
        WHERE { GRAPH ?g { ?m ckg:status ?old ; org:member/dcterms:identifier "lisbon" ;
                   org:organization/dcterms:identifier "c40" } }"""
    )
    G = load_map_graph(LocalSource(dataset), DAY)
    lisbon = G.edges["lisbon", "c40"]
    assert (lisbon["evidence_status"], lisbon["status_note"]) == (
        "inferred",
        "Seen on the C40 page.",
    )
    assert G.edges["hamburg", "force"]["evidence_status"] == "stated"
    # A second source's weaker status does not weaken a fact: the strongest counts.
    dataset.update(
        """PREFIX ckg: <https://w3id.org/citykg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX org: <http://www.w3.org/ns/org#>
        INSERT { ?m ckg:status ckg:inferred }
        WHERE { ?m org:member/dcterms:identifier "hamburg" ;
                   org:organization/dcterms:identifier "force" }"""
    )
    G = load_map_graph(LocalSource(dataset), DAY)
    assert G.edges["hamburg", "force"]["evidence_status"] == "stated"


def test_a_wrong_status_in_the_data_is_an_error() -> None:
    dataset = assemble(validate=False).dataset
    dataset.update(
        """PREFIX ckg: <https://w3id.org/citykg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        INSERT { ?e ckg:status ckg:rumoured } WHERE { ?e dcterms:identifier "lisbon" }"""
    )
    with pytest.raises(CitykgError) as err:
        load_map_graph(LocalSource(dataset), DAY)
    assert str(err.value).endswith(
        "'lisbon' has the evidence status 'rumoured'. Use ckg:stated, ckg:listed or ckg:inferred."
    )


def test_map_graph_focus(copenhagen: Dataset) -> None:
    G = load_map_graph(LocalSource(copenhagen), DAY, focus="Lisboa", radius=1)
    actors_and_collabs = {n for n, k in G.nodes(data="kind") if k != "theme"}
    assert actors_and_collabs == {"lisbon", "c40", "force"}
    assert "circular-economy" in G  # FORCE's theme comes along
    assert G.graph["focus"] == "lisbon"
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


def test_home_is_resolved_by_name_and_an_unknown_one_is_loud(copenhagen: Dataset) -> None:
    G = load_map_graph(LocalSource(copenhagen), DAY, home="København")
    assert G.nodes["copenhagen"]["home"] is True
    with pytest.raises(CitykgError, match=r"unknown home city 'kopenhagn'\. Did you mean"):
        load_map_graph(LocalSource(copenhagen), DAY, home="kopenhagn")
    quiet = load_map_graph(LocalSource(copenhagen), DAY, home="atlantis", require_home=False)
    assert quiet.graph["home_missing"] == "atlantis"
    assert not any(h for _, h in quiet.nodes(data="home"))


def test_overlap_graph_is_a_weighted_star(net: Network) -> None:
    G = overlap_graph(net, "copenhagen", home="copenhagen")
    assert (G.graph["centre"], G.graph["weight_label"]) == ("copenhagen", "collaborations shared")
    heavy = sorted(v for v in G["copenhagen"] if G.edges["copenhagen", v]["weight"] >= 2)
    # the UIA organises the congress and the title year Copenhagen hosts (issue 16)
    assert heavy == ["beijing", "buenos-aires", "lisbon", "uia"]
    assert G.nodes["copenhagen"]["home"] is True


def test_datasets_are_read_when_there_are_two() -> None:
    dataset = assemble(validate=False).dataset
    dataset.update(
        """PREFIX ckg: <https://w3id.org/citykg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        INSERT { GRAPH <https://w3id.org/citykg/graph/source/partners> {
                   ?e ckg:inDataset <https://w3id.org/citykg/dataset/partners> } }
        WHERE { ?e dcterms:identifier "lisbon" }"""
    )
    G = load_map_graph(LocalSource(dataset), DAY)
    assert G.nodes["lisbon"]["dataset"] == "copenhagen + partners"
    assert G.nodes["copenhagen"]["dataset"] == "copenhagen"
