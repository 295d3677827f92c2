"""``citykg export --format graphml|gexf|csv|json``: round trips through networkx's readers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import Run

NAMES = {"copenhagen": "København", "lisbon": "Câmara Municipal de Lisboa"}


def export(run: Run, store: Path, fmt: str, output: Path) -> None:
    result = run("export", "--format", fmt, "-o", output, "--store", store)
    assert result.exit_code == 0, result.output
    assert result.output == ""


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_round_trip(run: Run, twin_store: Path, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    export(run, twin_store, fmt, path)
    text = path.read_text(encoding="utf-8")
    for name in NAMES.values():
        assert name in text  # written as UTF-8, not as character references
    G = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    for node, name in NAMES.items():
        assert name in G.nodes[node]["alt_labels"].split("; ")
    assert G.nodes["malmo"]["label"] == "Malmö"
    assert G.nodes["net-a"]["type"] == "network"
    # 7 actors (the internal one left out) and 3 collaborations; Copenhagen is in all three
    assert len(G) == 10
    assert G.nodes["copenhagen"]["degree"] == round(3 / 9, 6)
    assert {G.nodes[n]["community"] for n in G} <= set(range(0, 11))
    assert G.nodes["santiago-es"]["community"] == 0  # isolated: in no community
    assert "hidden-partner" not in G
    assert G.edges["copenhagen", "net-a"]["roles"] == "lead; member"
    assert G.edges["copenhagen", "net-a"]["relation"] == "lead"


def test_gexf_time_intervals(run: Run, copenhagen_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    export(run, copenhagen_store, "gexf", path)
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    G = nx.read_gexf(path)
    edge = G.edges["copenhagen", "force"]
    assert (edge["start"], edge["end"]) == ("2016-09-01", "2020-08-31")  # FORCE: 2016-09 to 2020-08
    assert edge["status"] == "past"  # ended in 2020, whatever day the test runs
    assert G.nodes["force"]["start"] == "2016-09-01"
    assert "start" not in G.edges["copenhagen", "c40"]  # no known dates: always there
    halland = G.edges["region-halland", "greater-copenhagen"]
    assert halland["start"] == "2019-01-01" and "end" not in halland


def test_json_node_link_keeps_lists(run: Run, twin_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    export(run, twin_store, "json", path)
    G = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert "København" in G.nodes["copenhagen"]["alt_labels"]
    assert "Câmara Municipal de Lisboa" in G.nodes["lisbon"]["alt_labels"]
    assert G.edges["copenhagen", "net-a"]["roles"] == ["lead", "member"]
    assert G.edges["copenhagen", "net-a"]["evidence"] == [
        {"quote": "", "section": "", "source": "https://example.org/net-a"}
    ]
    assert G.nodes["net-a"]["themes"] == ["climate-adaptation"]
    assert isinstance(G.nodes["copenhagen"]["betweenness"], float)


def test_json_to_stdout(run: Run, twin_store: Path) -> None:
    result = run("export", "--format", "json", "--store", twin_store)
    data = json.loads(result.output)
    assert {n["id"] for n in data["nodes"]} >= {"copenhagen", "lisbon", "net-a", "coop-malmo"}


def test_csv_with_a_prefix(run: Run, twin_store: Path, tmp_path: Path) -> None:
    export(run, twin_store, "csv", tmp_path / "twin")
    nodes = list(csv.DictReader((tmp_path / "twin-nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "twin-edges.csv").open(encoding="utf-8")))
    by_id = {n["id"]: n for n in nodes}
    assert by_id["copenhagen"]["alt_labels"] == "København"
    assert by_id["lisbon"]["alt_labels"] == "Câmara Municipal de Lisboa"
    assert by_id["malmo"]["label"] == "Malmö"
    malmo = next(e for e in edges if (e["source"], e["target"]) == ("malmo", "net-a"))
    assert (malmo["start"], malmo["end"]) == ("2010-01-01", "2015-06-30")
    assert all(by_id[e["source"]]["bipartite"] == "0" for e in edges)  # actor -> collaboration
    G = nx.from_edgelist((e["source"], e["target"]) for e in edges)
    assert sorted(G["copenhagen"]) == ["coop-malmo", "net-a", "net-b"]


def test_csv_into_a_folder(run: Run, twin_store: Path, tmp_path: Path) -> None:
    export(run, twin_store, "csv", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "nodes.csv"]


def test_csv_needs_an_output(run: Run, twin_store: Path) -> None:
    result = run("export", "--format", "csv", "--store", twin_store)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: CSV export writes two files (nodes and edges). "
        "Name a folder or a file prefix with -o."
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_are_reproducible(run: Run, twin_store: Path, tmp_path: Path, fmt: str) -> None:
    export(run, twin_store, fmt, tmp_path / "a")
    export(run, twin_store, fmt, tmp_path / "b")
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_edges_carry_the_data_s_status_reason_and_as_of(run: Run, tmp_path: Path) -> None:
    # The fictional truth fixture: Tidevand's membership stated (quoted) although a list gives
    # it too; Kystby's, from a list as of 2025-11, marked inferred in its CSV row.
    import shutil

    from tests.conftest import FIXTURES

    data = tmp_path / "truth"
    shutil.copytree(FIXTURES / "truth", data)
    (data / "memberships-list.csv").write_text(
        "member,organization,role,source_url,as_of,status,reason\n"
        "kystby,harbour-net,member,https://harbour-net.example/members,2025-11,inferred,"
        "The list names the region only\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert run("build", data, "--store", store, "-q").exit_code == 0
    out = tmp_path / "net"
    assert run("export", "--store", store, "--format", "csv", "-o", out).exit_code == 0
    rows = list(csv.DictReader((tmp_path / "net-edges.csv").open(encoding="utf-8")))
    found = {
        (r["source"], r["target"]): (r["evidence_status"], r["status_note"], r["as_of"])
        for r in rows
    }
    assert found[("kystby", "harbour-net")] == (
        "inferred",
        "The list names the region only",
        "2025-11",
    )
    assert found[("tidevand", "harbour-net")] == ("stated", "", "2025-11")
    assert found[("tidevand", "harbour-days")] == ("stated", "", "")
