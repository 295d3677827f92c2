"""``citykg overlaps``: who shares which collaborations, on the built-in data and a fixture."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citykg.options import INTERNAL_WARNING
from tests.analysis_support import AS_OF, ids, run_json
from tests.conftest import Run


def overlaps(run: Run, store: Path, *args: str) -> Any:
    return run_json(run, "overlaps", *args, "--store", store)


def test_lisbon_shares_c40_and_force_with_copenhagen(run: Run, copenhagen_store: Path) -> None:
    rows = {r["actor"]: r for r in overlaps(run, copenhagen_store)}
    lisbon = rows["lisbon"]
    assert ids(lisbon["items"]) == ["c40", "force"]
    assert lisbon["shared"] == 2
    # Copenhagen takes part in 17 collaborations and events (15, and the two events the
    # strategy has it host besides: the C40 business forum, the UIA congress), Lisbon in 2
    assert lisbon["jaccard"] == round(2 / 17, 6)
    assert "copenhagen" not in rows


def test_copenhagen_shares_three_items_with_each_ssc_city(run: Run, copenhagen_store: Path) -> None:
    rows = overlaps(run, copenhagen_store)
    assert [r["actor"] for r in rows[:3]] == ["beijing", "buenos-aires", "lisbon"]
    assert ids(rows[0]["items"]) == ["c40", "ssc-beijing", "strategic-sector-cooperation"]
    assert ids(rows[1]["items"]) == ["c40", "ssc-buenos-aires", "strategic-sector-cooperation"]


def test_buenos_aires_and_beijing_share_c40_and_ssc(run: Run, copenhagen_store: Path) -> None:
    rows = overlaps(run, copenhagen_store, "--all-pairs")
    pair = next(r for r in rows if (r["actor_a"], r["actor_b"]) == ("beijing", "buenos-aires"))
    # each city is party to its own bilateral SSC agreement, which the other does not share
    assert ids(pair["items"]) == ["c40", "strategic-sector-cooperation"]
    assert pair["jaccard"] == 0.5
    assert [(r["actor_a"], r["actor_b"], r["shared"]) for r in rows[:4]] == [
        ("beijing", "copenhagen", 3),
        ("buenos-aires", "copenhagen", 3),
        ("beijing", "buenos-aires", 2),
        ("copenhagen", "lisbon", 2),
    ]


def test_table_names_the_shared_items(run: Run, copenhagen_store: Path) -> None:
    result = run("overlaps", "--top", "3", "--store", copenhagen_store, *AS_OF)
    assert result.output.splitlines()[2:] == [
        "beijing       Beijing       city  3       0.176    C40 Cities Climate Leadership Group; "
        "Strategic Sector Cooperation Copenhagen–Beijing; Strategic Sector Cooperation",  # noqa: RUF001
        "buenos-aires  Buenos Aires  city  3       0.176    C40 Cities Climate Leadership Group; "
        "Strategic Sector Cooperation Copenhagen–Buenos Aires; Strategic Sector Cooperation",  # noqa: RUF001
        "lisbon        Lisbon        city  2       0.118    C40 Cities Climate Leadership Group; "
        "Cities Cooperating for Circular Economy",
    ]


def test_csv_rows(run: Run, copenhagen_store: Path) -> None:
    result = run("overlaps", "lisbon", "--format", "csv", "--top", "1", "--store", copenhagen_store)
    assert result.output.splitlines() == [
        "actor,label,kind,shared,jaccard,items",
        "copenhagen,Copenhagen,city,2,0.118,"
        "C40 Cities Climate Leadership Group; Cities Cooperating for Circular Economy",
    ]


def test_network_overlaps_by_shared_members(run: Run, copenhagen_store: Path) -> None:
    rows = overlaps(run, copenhagen_store, "--networks")
    first = rows[0]
    assert (first["a"], first["b"]) == ("c40", "strategic-sector-cooperation")
    assert ids(first["members"]) == ["beijing", "buenos-aires", "copenhagen"]
    assert first["jaccard"] == round(3 / (97 + 4 - 3), 6)
    only_networks = overlaps(run, copenhagen_store, "--networks", "--kind", "network")
    pairs = {(r["a"], r["b"]): ids(r["members"]) for r in only_networks}
    assert pairs[("c40", "greater-copenhagen")] == ["copenhagen"]
    assert all(p[1] != "strategic-sector-cooperation" for p in pairs)


def test_kind_filter(run: Run, copenhagen_store: Path) -> None:
    rows = overlaps(run, copenhagen_store, "--kind", "project")
    assert len(rows) == 21  # the other FORCE partners
    assert {ids(r["items"])[0] for r in rows} == {"force"}
    assert next(r for r in rows if r["actor"] == "lisbon")["jaccard"] == 1.0


def test_theme_filter_counts_narrower_themes(run: Run, copenhagen_store: Path) -> None:
    # the SSC work is tagged climate adaptation, which is narrower than climate action
    rows = {
        r["actor"]: ids(r["items"])
        for r in overlaps(run, copenhagen_store, "--theme", "Climate action")
    }
    assert rows["beijing"] == ["c40", "ssc-beijing", "strategic-sector-cooperation"]
    assert rows["lisbon"] == ["c40"]
    circular = {
        r["actor"]: ids(r["items"])
        for r in overlaps(run, copenhagen_store, "--theme", "circular-economy")
    }
    assert circular["beijing"] == ["ssc-beijing", "strategic-sector-cooperation"]
    assert circular["lisbon"] == ["force"]


def test_current_and_past(run: Run, copenhagen_store: Path) -> None:
    current = {r["actor"]: ids(r["items"]) for r in overlaps(run, copenhagen_store, "--current")}
    past = {r["actor"]: ids(r["items"]) for r in overlaps(run, copenhagen_store, "--past")}
    assert current["lisbon"] == ["c40"]  # FORCE ended in August 2020
    assert past["lisbon"] == ["force"]
    assert "beijing" not in past


def test_status_on_fixture_dates(run: Run, twin_store: Path) -> None:
    everything = {r["actor"]: ids(r["items"]) for r in overlaps(run, twin_store)}
    current = {r["actor"]: ids(r["items"]) for r in overlaps(run, twin_store, "--current")}
    # Malmö's membership of net-a ended in 2015; Copenhagen joins net-b only in 2030
    assert everything["malmo"] == ["coop-malmo", "net-a"]
    assert current["malmo"] == ["coop-malmo"]
    assert everything["lisbon"] == ["net-a", "net-b"]
    assert current["lisbon"] == ["net-a"]
    # Marked internal: the report follows the public profile, like every output that can
    # leave the machine; --include-internal shows it.
    assert "hidden-partner" not in everything
    result = run("overlaps", "--store", twin_store, "--format", "json", "--include-internal")
    assert result.stderr == INTERNAL_WARNING + "\n"
    internal = {r["actor"]: ids(r["items"]) for r in json.loads(result.stdout)}
    assert internal["hidden-partner"] == ["net-a"]


@pytest.mark.parametrize(
    "name", ["Câmara Municipal de Lisboa", "LISBOA", "camara municipal de lisboa"]
)
def test_actor_by_any_name(run: Run, copenhagen_store: Path, name: str) -> None:
    rows = overlaps(run, copenhagen_store, name)
    assert rows[0]["actor"] == "copenhagen"


def test_copenhagen_by_danish_name(run: Run, copenhagen_store: Path) -> None:
    assert overlaps(run, copenhagen_store, "KØBENHAVN") == overlaps(run, copenhagen_store)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lisbn"], "Error: unknown actor 'lisbn'. Did you mean 'lisbon'?"),
        (["--kind", "netwrok"], "Error: unknown kind 'netwrok'. Did you mean 'network'?"),
        (["--theme", "climat"], "Error: unknown theme 'climat'. Did you mean 'climate'?"),
        (["zzzz"], "Error: unknown actor 'zzzz'. Use an ID or a name that is in the graph."),
    ],
)
def test_unknown_names(run: Run, copenhagen_store: Path, args: list[str], message: str) -> None:
    result = run("overlaps", *args, "--store", copenhagen_store)
    assert result.exit_code == 1
    assert result.output.strip() == message


def test_ambiguous_actor(run: Run, twin_store: Path) -> None:
    result = run("overlaps", "Santiago", "--store", twin_store)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: the actor name 'Santiago' is ambiguous. "
        "Use one of the IDs 'santiago-cl' (Santiago), 'santiago-es' (Santiago)."
    )


def test_all_pairs_and_networks_exclude_each_other(run: Run, copenhagen_store: Path) -> None:
    result = run("overlaps", "--all-pairs", "--networks", "--store", copenhagen_store)
    assert result.exit_code == 2
    assert "Use --all-pairs or --networks, not both." in result.output


@pytest.mark.parametrize(
    "command", [["overlaps"], ["analyze", "brokers"], ["assess", "--city", "Lisbon"]]
)
def test_no_store_yet(run: Run, tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--store", tmp_path / "none")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {tmp_path / 'none'}: no store has been built here. Run 'citykg build' first."
    )
