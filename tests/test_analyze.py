"""``citykg analyze centrality|communities|brokers|themes`` on the built-in data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from tests.analysis_support import AS_OF, ids, run_json
from tests.conftest import Run

# The built-in actor-collaboration graph has 236 nodes: normalised degree is ties / 235.
NODES = 236


def test_centrality_ranks_the_hubs(run: Run, copenhagen_store: Path) -> None:
    rows = run_json(run, "analyze", "centrality", "--store", copenhagen_store)
    assert [r["id"] for r in rows[:3]] == ["c40", "greater-copenhagen", "copenhagen"]
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == NODES
    # 15 collaborations and the two events the strategy has it host besides (issue 16: the
    # C40 business forum and the UIA congress)
    assert by_id["copenhagen"]["ties"] == 17
    assert by_id["copenhagen"]["degree"] == round(17 / (NODES - 1), 6)
    assert by_id["c40"]["degree"] == round(97 / (NODES - 1), 6)
    # Lisbon and Copenhagen both sit in C40 and FORCE: a 2-core of the bipartite graph
    assert by_id["lisbon"]["core"] == by_id["copenhagen"]["core"] == 2
    assert by_id["hamburg"]["core"] == 1
    assert by_id["un"]["ties"] == 0 and by_id["un"]["betweenness"] == 0.0


def test_centrality_by_kind_and_table(run: Run, copenhagen_store: Path) -> None:
    rows = run_json(run, "analyze", "centrality", "--kind", "city", "--store", copenhagen_store)
    assert [r["id"] for r in rows[:4]] == ["copenhagen", "lisbon", "beijing", "buenos-aires"]
    assert {r["kind"] for r in rows} == {"city"}
    table = run("analyze", "centrality", "--top", "1", "--store", copenhagen_store, *AS_OF)
    assert table.output.splitlines()[0].split() == [
        "id", "label", "kind", "ties", "degree", "betweenness", "eigenvector", "core", "community",
    ]  # fmt: skip
    assert table.output.splitlines()[2].startswith(
        "c40  C40 Cities Climate Leadership Group  network  97"
    )


def test_centrality_unknown_kind(run: Run, copenhagen_store: Path) -> None:
    result = run("analyze", "centrality", "--kind", "citty", "--store", copenhagen_store)
    assert result.exit_code == 1
    assert result.output.strip() == "Error: unknown kind 'citty'. Did you mean 'city'?"


def test_communities_follow_the_member_lists(run: Run, copenhagen_store: Path) -> None:
    rows = run_json(run, "analyze", "communities", "--store", copenhagen_store)
    by_collab = {c["id"]: r for r in rows for c in r["collaborations"]}
    # every C40 member but Copenhagen, which Louvain puts with its own bilateral work
    assert ids(by_collab["c40"]["collaborations"]) == ["c40"]
    assert len(by_collab["c40"]["actors"]) == 97 - 4
    assert by_collab["greater-copenhagen"]["size"] == 89  # 88 members and the network
    force = by_collab["force"]
    assert {"lisbon", "hamburg", "genoa"} <= set(force["actors"])
    assert force["hubs"][0] == {"id": "lisbon", "label": "Lisbon"}
    assert "copenhagen" in by_collab["ssc-beijing"]["actors"]
    assert [r["community"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["size"] for r in rows] == sorted((r["size"] for r in rows), reverse=True)


def test_communities_are_reproducible(copenhagen_store: Path) -> None:
    # Separate processes with different hash seeds: set and dict orders change between them,
    # and the communities must not.
    outputs = []
    for seed in ("0", "1", "4242"):
        result = subprocess.run(
            [sys.executable, "-m", "citykg", "analyze", "communities", "--format", "csv",
             "--store", str(copenhagen_store), *AS_OF],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0].startswith("community,size,")
    assert outputs[0] == outputs[1] == outputs[2]


def test_brokers(run: Run, copenhagen_store: Path) -> None:
    rows = run_json(run, "analyze", "brokers", "--store", copenhagen_store)
    assert [r["id"] for r in rows] == ["copenhagen", "lisbon", "beijing", "buenos-aires"]
    lisbon = rows[1]
    assert ids(lisbon["collaborations"]) == ["c40", "force"]
    assert lisbon["communities"] == 2  # it bridges the C40 cities and the FORCE partners
    assert rows[0]["constraint"] < lisbon["constraint"]


def test_brokers_match_networkx_on_the_projection(run: Run, copenhagen_store: Path) -> None:
    # An independent check: project the graph the JSON export holds with plain networkx.
    rows = run_json(run, "analyze", "brokers", "--store", copenhagen_store)
    export = run("export", "--format", "json", "--store", copenhagen_store)
    G = nx.node_link_graph(json.loads(export.output), edges="edges")
    actors = [n for n, b in G.nodes(data="bipartite") if b == 0 and G.degree(n) > 0]
    P = nx.bipartite.projected_graph(G, actors)
    expected = nx.betweenness_centrality(P)
    for r in rows:
        assert r["betweenness"] == round(expected[r["id"]], 6)


def test_theme_coverage(run: Run, copenhagen_store: Path) -> None:
    rows = {r["theme"]: r for r in run_json(run, "analyze", "themes", "--store", copenhagen_store)}
    climate = rows["climate"]
    assert len(climate["initiatives"]) == 8
    assert ids(climate["networks"]) == ["c40", "c40-covid-task-force", "c40-professional-networks"]
    assert len(climate["partner_cities"]) == 96  # the C40 members other than Copenhagen
    circular = rows["circular-economy"]
    assert ids(circular["partner_cities"]) == [
        "beijing",
        "buenos-aires",
        "genoa",
        "hamburg",
        "lisbon",
    ]
    assert ids(rows["sport"]["other_partners"]) == ["aso", "dgi", "dif"]
    assert rows["sport"]["partner_cities"] == []


def test_theme_gaps(run: Run, copenhagen_store: Path) -> None:
    rows = run_json(run, "analyze", "themes", "--gaps", "--store", copenhagen_store)
    gaps = {r["theme"]: r["gap"] for r in rows}
    assert gaps == {
        "covid-recovery": "no partner",
        "data-protection": "no initiative",
        "delegation-visits": "no partner",
        "governance": "no initiative",
        "greenhouse-gas-reduction": "no initiative",
        "health-inequality": "no partner",
        # liveability is no gap since Greater Copenhagen has it ("quality of life")
        "partnerships": "no initiative",
        # reduced inequality has a partner through citizen inclusion (UIA and UNESCO's title)
    }


def test_partners_without_a_theme(run: Run, copenhagen_store: Path) -> None:
    # Only Copenhagen's partners count: the European Union organises Horizon 2020, which FORCE
    # ran under, but Copenhagen takes part in FORCE, not in the programme; every partner of
    # Copenhagen's own initiatives shares a themed one.
    result = run("analyze", "themes", "--unlinked", "--store", copenhagen_store, *AS_OF)
    assert result.exit_code == 0
    assert result.output.splitlines()[2:] == []


def test_theme_table_counts(run: Run, copenhagen_store: Path) -> None:
    result = run("analyze", "themes", "--format", "csv", "--store", copenhagen_store, *AS_OF)
    lines = result.output.splitlines()
    assert lines[0] == "theme,label,initiatives,networks,partner_cities,other_partners,gap"
    assert "data-protection,Data protection,,,,,no initiative" in lines


@pytest.mark.parametrize("home", ["oslo", "Oslo"])
def test_themes_for_another_home(run: Run, twin_store: Path, home: str) -> None:
    rows = {
        r["theme"]: r
        for r in run_json(run, "analyze", "themes", "--home", home, "--store", twin_store)
    }
    # Oslo is in both networks; its partners on culture are Copenhagen and Lisbon
    assert ids(rows["culture"]["partner_cities"]) == ["copenhagen", "lisbon"]
    # via the narrower theme; Copenhagen's agreement with Malmö is not Oslo's initiative
    assert ids(rows["climate"]["initiatives"]) == ["net-a"]
    assert rows["data-protection"]["gap"] == "no initiative"
