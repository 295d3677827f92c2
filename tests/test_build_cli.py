"""`citykg build`, `validate`, `stats` and `export` through the CLI on a small fixture."""

from __future__ import annotations

import gc
import json
import os
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from citykg.graph.store import read_info
from tests.conftest import FIXTURES, Run
from tests.test_quality import ROOT

MINI = FIXTURES / "mini"


def test_build_then_stats_counts_every_kind(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run("build", MINI, "--store", store, "--quiet")
    assert result.exit_code == 0, result.output
    # The shared vocabulary (themes, purposes, roles, 249 countries) comes with every build.
    assert result.stdout == f"Built {store}: 4099 triples from mini, vocabulary (validated).\n"
    stats = run("stats", "--store", store)
    assert stats.exit_code == 0
    lines = stats.stdout.splitlines()
    assert lines[0].split() == ["kind", "count"]
    counts = dict(line.split() for line in lines[2:] if line and not line.endswith("graphs."))
    assert counts == {
        "administration": "1", "city": "2", "cooperation": "1", "country": "249", "document": "1",
        "event": "1", "measure": "7", "membership": "5", "network": "1", "organisation": "1", "passage": "8",
        "plan": "1", "principle": "1", "project": "1", "purpose": "5", "role": "9", "section": "2",
        "theme": "33",
    }  # fmt: skip
    assert lines[-1] == "4099 triples in 4 named graphs."


def test_stats_json(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run("build", MINI, "--store", store, "-q")
    data = json.loads(run("stats", "--store", store, "--format", "json").stdout)
    assert data["triples"] == 4099
    assert data["kinds"]["membership"] == 5
    assert sorted(data["graphs"]) == [
        "https://w3id.org/citykg/graph/inferred",
        "https://w3id.org/citykg/graph/ontology",
        "https://w3id.org/citykg/graph/source/mini",
        "https://w3id.org/citykg/graph/source/vocabulary",
    ]


def test_build_json_output(run: Run, tmp_path: Path) -> None:
    result = run("build", MINI, "--store", tmp_path / "s", "--format", "json")
    data = json.loads(result.stdout)
    assert data["triples"] == 4099 and data["validated"] is True
    assert [s["label"] for s in data["sources"]] == ["mini", "vocabulary"]
    assert data["sources"][0]["loader"] == "dataset"


def test_progress_goes_to_stderr_and_quiet_silences_it(run: Run, tmp_path: Path) -> None:
    loud = run("build", MINI, "--store", tmp_path / "a")
    assert "Building" in loud.stderr
    quiet = run("build", MINI, "--store", tmp_path / "b", "--quiet")
    assert quiet.stderr == ""


def test_store_from_environment(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "env-store"
    env = {"CITYKG_STORE": str(store)}
    assert run("build", MINI, "-q", env=env).exit_code == 0
    assert (store / "citykg-store.json").exists()
    stats = run("stats", "--format", "json", env=env)
    assert json.loads(stats.stdout)["triples"] == 4099


def test_stats_without_a_store(run: Run, tmp_path: Path) -> None:
    result = run("stats", "--store", tmp_path / "nothing")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {tmp_path / 'nothing'}: no store has been built here. Run 'citykg build' first.\n"
    )


def test_validate_clean(run: Run) -> None:
    result = run("validate", MINI)
    assert result.exit_code == 0
    assert result.stdout == "Valid: 4099 triples conform to the citykg shapes.\n"


NO_EVIDENCE = (
    "has no evidence: give a quoted passage (prov:wasDerivedFrom), a public source "
    "(dcterms:source) or the editor's reason for inferring it (ckg:inferenceNote)"
)


def test_validate_lists_every_violation(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for path in MINI.iterdir():
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    work = data / "work.yaml"
    # Two memberships and a project lose their evidence: the shapes require it.
    text = work.read_text(encoding="utf-8")
    text = text.replace(
        "    evidence:\n      - {section: s-projects, quote: The project reduces waste.}\n", ""
    )
    work.write_text(text, encoding="utf-8")
    (data / "memberships-list.csv").write_text(
        "member,organization,role\nlisbon,net,member\nuni,proj,partner\n", encoding="utf-8"
    )
    result = run("validate", data)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{data}/memberships-list.csv:2: membership/lisbon/net/member: {NO_EVIDENCE}",
        f"{data}/memberships-list.csv:3: membership/uni/proj/partner: {NO_EVIDENCE}",
        f"{data}/work.yaml:11: proj: {NO_EVIDENCE}",
        "Invalid: 3 violations.",
    ]
    as_json = json.loads(run("validate", data, "--format", "json").stdout)
    assert as_json["conforms"] is False
    assert [v["entity"] for v in as_json["violations"]] == [
        "membership/lisbon/net/member",
        "membership/uni/proj/partner",
        "proj",
    ]


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_export_parses_back_and_is_reproducible(run: Run, tmp_path: Path, fmt: str) -> None:
    store = tmp_path / "store"
    run("build", MINI, "--store", store, "-q")
    first = run("export", "--store", store, "--format", fmt)
    assert first.exit_code == 0
    second = run("export", "--store", store, "--format", fmt)
    assert first.stdout == second.stdout
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(data=first.stdout, format="trig")
        names = sorted(str(g.identifier) for g in dataset.graphs() if len(g))
        assert "https://w3id.org/citykg/graph/source/mini" in names
        per_graph = json.loads(run("stats", "--store", store, "--format", "json").stdout)["graphs"]
        assert {str(g.identifier): len(g) for g in dataset.graphs() if len(g)} == per_graph
    else:
        graph = Graph().parse(
            data=first.stdout, format={"ttl": "turtle", "jsonld": "json-ld"}.get(fmt, fmt)
        )
        # The union of the named graphs: 4099 quads, fewer distinct triples where graphs overlap.
        assert 3800 < len(graph) <= 4099
    assert "København" in first.stdout or (fmt == "jsonld" and "K\\u00f8benhavn" in first.stdout)


def test_export_to_file(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run("build", MINI, "--store", store, "-q")
    out = tmp_path / "graph.nt"
    result = run("export", "--store", store, "--format", "nt", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    assert (
        '<https://w3id.org/citykg/id/copenhagen> <http://www.w3.org/2000/01/rdf-schema#label> "Copenhagen"@en .'
        in lines
    )


def test_export_unknown_format_is_a_usage_error(run: Run) -> None:
    result = run("export", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'xml' is not one of" in result.stderr


def test_failed_build_leaves_previous_store(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run("build", MINI, "--store", store, "-q")
    before = run("export", "--store", store, "--format", "nt").stdout
    listing = sorted(os.listdir(store))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "dataset.yaml").write_text("cities:\n  - id: x\n", encoding="utf-8")
    result = run("build", broken, "--store", store, "-q")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {broken}/dataset.yaml:2: the city 'x' has no 'label', and no source defines "
        "it. Add 'label: ...' to define it here, or build with the source that defines it.\n"
    )
    assert sorted(os.listdir(store)) == listing
    assert run("export", "--store", store, "--format", "nt").stdout == before


def test_rebuild_replaces_and_keeps_one_previous_generation(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    for _ in range(3):
        assert run("build", MINI, "--store", store, "-q").exit_code == 0
    data = sorted(p.name for p in store.iterdir() if p.name.startswith("data-"))
    assert len(data) == 2
    current = json.loads((store / "citykg-store.json").read_text())["data"]
    assert current in data


def test_build_refuses_a_folder_that_is_not_a_store(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me", encoding="utf-8")
    result = run("build", MINI, "--store", folder, "-q")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {folder}: is not a citykg store. Point --store at a store made by 'citykg build'.\n"
    )
    assert sorted(os.listdir(folder)) == ["letter.txt"]


def test_store_of_another_version(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    run("build", MINI, "--store", store, "-q")
    info = json.loads((store / "citykg-store.json").read_text())
    info["format"] = 99
    (store / "citykg-store.json").write_text(json.dumps(info))
    result = run("stats", "--store", store)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {store}: the store has layout version 99, this citykg reads 1. "
        "Delete the folder or choose another --store, then run 'citykg build'.\n"
    )


def test_version_is_the_one_in_pyproject(run: Run) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert run("--version").stdout == f"citykg, version {version}\n"


def test_an_open_reader_survives_later_builds(run: Run, tmp_path: Path) -> None:
    from citykg.graph.store import open_dataset

    store = tmp_path / "store"
    run("build", MINI, "--store", store, "-q")
    reader = open_dataset(store)
    opened = json.loads((store / "citykg-store.json").read_text())["data"]
    for _ in range(3):
        assert run("build", MINI, "--store", store, "-q").exit_code == 0
    # Two generations later the data it reads is still there, and it still answers.
    assert (store / opened).is_dir()
    assert len(reader) == len(open_dataset(store))
    del reader
    import gc

    gc.collect()
    run("build", MINI, "--store", store, "-q")
    assert not (store / opened).exists()
    assert not (store / "readers" / opened).exists()


def test_lazy_commands_are_all_reachable_and_export_knows_the_formats() -> None:
    import click

    from citykg.analysis.netexport import GRAPH_FORMATS
    from citykg.cli import LAZY_COMMANDS, NETWORK_FORMATS, RDF_FORMATS, main
    from citykg.graph import export

    assert tuple(NETWORK_FORMATS) == tuple(GRAPH_FORMATS)
    assert tuple(sorted(export.RDF_FORMATS)) == RDF_FORMATS
    ctx = click.Context(main)
    for name in LAZY_COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name


def test_build_closes_its_database_before_readers_open_it(run: Run, tmp_path: Path) -> None:
    # A writer left open (until some later garbage collection) compacts and deletes files
    # that readers of the published data were about to read. With collection off, only an
    # explicit close makes the folder free.
    store = tmp_path / "store"
    gc.disable()
    try:
        result = run("build", "--store", store, "-q", "--no-validate")
        assert result.stdout == (
            f"Built {store}: 11972 triples from copenhagen, vocabulary (not validated).\n"
        )
        # RocksDB refuses a second writer in this process while the build's is alive.
        ox.Store(str(store / read_info(store).data))
    finally:
        gc.enable()


def test_output_files_are_replaced_whole(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run("build", MINI, "--store", store, "-q").exit_code == 0
    out = tmp_path / "out" / "graph.nt"
    out.parent.mkdir()
    out.write_text("old content that is longer than nothing\n", encoding="utf-8")
    assert run("export", "--store", store, "--format", "nt", "-o", out).exit_code == 0
    printed = run("export", "--store", store, "--format", "nt").stdout
    assert out.read_text(encoding="utf-8") == printed
    # Written beside the target and renamed over it: no temporary file stays behind, and the
    # file gets the mode a plain write would give it.
    assert [p.name for p in out.parent.iterdir()] == ["graph.nt"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
