"""``citykg assess``: request triage against the strategy's principles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.analysis_support import AS_OF, ids, run_json
from tests.conftest import Run


def test_beijing_shares_c40_and_the_ssc(run: Run, copenhagen_store: Path) -> None:
    a = run_json(run, "assess", "--city", "Beijing", "--store", copenhagen_store)
    assert a["city"] == "beijing" and a["in_graph"]
    assert ids(a["shared"]) == ["c40", "ssc-beijing", "strategic-sector-cooperation"]
    assert [s["roles"] for s in a["shared"]] == [["member"], ["party"], ["participant"]]
    assert a["shared"][0]["home_roles"] == ["innovation-city", "member", "steering-committee"]
    assert ids(a["agreements"]) == ["ssc-beijing"]
    assert [(r["points"], r["reason"]) for r in a["reasons"]] == [
        (3, "shares the city network C40 Cities Climate Leadership Group (current)"),
        (2, "shares the cooperation Strategic Sector Cooperation Copenhagen–Beijing (current)"),  # noqa: RUF001
        (2, "shares the programme Strategic Sector Cooperation (current)"),
    ]
    assert (a["score"], a["level"]) == (7, "possible fit")
    assert a["council"].startswith(
        "A binding agreement must be assessed for City Council approval "
        "(principle 6: Check whether the City Council must approve); "
        "no existing agreement with Beijing records a Council approval"
    )
    # The rules come from what the home's principles are about, never from their numbers.
    assert [(p["id"], p["about"]) for p in a["principles"]] == [
        ("copenhagen-principle-2", "networks-first"),
        ("copenhagen-principle-4", "time-limited-agreements"),
        ("copenhagen-principle-7", "data-protection"),
    ]
    assert a["principles"][0]["advice"] == (
        "Beijing is in Copenhagen's networks: C40 Cities Climate Leadership Group"
    )


def test_lisbon_report_with_theme_and_purpose(run: Run, copenhagen_store: Path) -> None:
    result = run(
        "assess", "--city", "Lisboa", "--theme", "Circular economy", "--purpose", "learn",
        "--store", copenhagen_store, *AS_OF,
    )  # fmt: skip
    assert result.exit_code == 0
    ssc = "Strategic Sector Cooperation"
    work = (
        f"Cities Cooperating for Circular Economy, {ssc} Copenhagen–Beijing, "  # noqa: RUF001
        f"{ssc} Copenhagen–Buenos Aires, {ssc}"  # noqa: RUF001
    )
    # Each reason ends with the status of the facts it rests on (tested on the fictional
    # fixture below; the built-in data's statuses are the data's business).
    lines = result.output.splitlines()
    assert all(re.search(r" \[(stated|listed|inferred|.+: .+)\]$", line) for line in lines[-4:-1])
    assert [re.sub(r" \[[^]]*\]$", "", line) for line in lines] == [
        "Request from Lisbon (lisbon), assessed for Copenhagen.",
        "Shared with Copenhagen:",
        "  network      C40 Cities Climate Leadership Group (member; current)",
        "  project      Cities Cooperating for Circular Economy (partner; past)",
        "Existing agreements: none.",
        f"Theme Circular economy: {work}.",
        f"Purpose Learn: {work}.",
        "Owning administration: not recorded.",
        "City Council: A binding agreement with Lisbon would be new: assess whether it must be "
        "presented to the City Council for approval (principle 6: Check whether the City Council "
        "must approve).",
        "Principle 2 (Partners come from the city's networks): Lisbon is in Copenhagen's "
        "networks: C40 Cities Climate Leadership Group.",
        "Principle 4 (Time-limited agreements with other cities): an agreement with Lisbon "
        "should cover specific fields for a limited period.",
        "Principle 7 (Protect citizen and company data): agree how citizen and company data is "
        "protected before any is shared.",
        "Score: 7 (possible fit)",
        "  +3  shares the city network C40 Cities Climate Leadership Group (current)",
        "  +1  shares the project Cities Cooperating for Circular Economy (ended)",
        "  +2  Copenhagen works on Circular economy in 4 initiatives",
        "  +1  the purpose 'Learn' matches 4 of these initiatives",
    ]


def test_city_not_in_the_graph_is_answered(run: Run, copenhagen_store: Path) -> None:
    a = run_json(
        run, "assess", "--city", "Nantes", "--theme", "climate-adaptation",
        "--theme", "delegation-visits", "--purpose", "Learn", "--store", copenhagen_store,
    )  # fmt: skip
    assert a["city"] is None and not a["in_graph"]
    assert a["shared"] == [] and a["agreements"] == []
    # the delegation work is Meet Copenhagen City, owned by the Finance Administration
    assert a["owners"] == [
        {
            "administration": "finance-administration",
            "label": "Finance Administration",
            "for": "meet-copenhagen-city",
            "for_label": "Meet Copenhagen City",
        }
    ]
    assert [(r["points"], r["reason"]) for r in a["reasons"]] == [
        (2, "Copenhagen works on Climate adaptation in 5 initiatives"),
        (2, "principle 1 prioritises Climate adaptation"),
        (2, "Copenhagen works on International delegations and visits in 1 initiative"),
        (1, "the purpose 'Learn' matches 4 of these initiatives"),
    ]
    assert a["score"] == 7


def test_misspelt_city_gets_closest_names_not_an_error(run: Run, copenhagen_store: Path) -> None:
    result = run("assess", "--city", "Beijng", "--store", copenhagen_store, *AS_OF)
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "Beijng: not in the graph, so it shares no networks, projects or agreements with "
        "Copenhagen.",
        "Closest names in the graph: Beijing (beijing), Berlin (berlin), Abidjan (abidjan).",
    ]
    assert result.output.splitlines()[-1] == "Score: 0 (weak fit)"


def test_ambiguous_city(run: Run, twin_store: Path) -> None:
    result = run("assess", "--city", "santiago", "--store", twin_store)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: the city name 'santiago' is ambiguous. "
        "Use one of the IDs 'santiago-cl' (Santiago), 'santiago-es' (Santiago)."
    )
    by_alt = run_json(run, "assess", "--city", "Santiago de Compostela", "--store", twin_store)
    assert by_alt["city"] == "santiago-es"


def test_council_approved_agreement(run: Run, twin_store: Path) -> None:
    a = run_json(
        run, "assess", "--city", "MALMÖ", "--theme", "climate-adaptation", "--purpose", "cooperate",
        "--store", twin_store,
    )  # fmt: skip
    assert [(s["id"], s["status"]) for s in a["shared"]] == [
        ("coop-malmo", "current"),
        ("net-a", "past"),
    ]
    assert a["council_covered_by"] == ["coop-malmo"]
    assert a["council"] == (
        "A binding agreement must be assessed for City Council approval (principle 6: Check "
        "whether the City Council must approve); the Council approved Copenhagen–Malmö agreement "  # noqa: RUF001
        "on 2024-03-01: check whether the new one falls within it."
    )
    assert (a["score"], a["level"]) == (8, "strong fit")


def test_owner_of_shared_work(run: Run, twin_store: Path) -> None:
    a = run_json(run, "assess", "--city", "lisbon", "--store", twin_store)
    assert [(o["administration"], o["for"]) for o in a["owners"]] == [
        ("culture-administration", "net-b")
    ]
    # Copenhagen joins net-b in 2030: shared, but not yet current
    assert [(s["id"], s["status"]) for s in a["shared"]] == [
        ("net-a", "current"),
        ("net-b", "future"),
    ]
    assert a["reasons"][1]["reason"] == "shares the network Culture Network (not started)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--city", "Copenhagen"],
            "Error: 'Copenhagen' is the home city itself. Name the city the request comes from.",
        ),
        (
            ["--city", "Lisbon", "--theme", "climat"],
            "Error: unknown theme 'climat'. Did you mean 'climate'?",
        ),
        (
            ["--city", "Lisbon", "--purpose", "lern"],
            "Error: unknown purpose 'lern'. Did you mean 'learn'?",
        ),
        (
            ["--city", "Lisbon", "--home", "Kopenhagen"],
            "Error: unknown actor 'Kopenhagen'. Did you mean 'copenhagen'?",
        ),
    ],
)
def test_assess_errors(run: Run, copenhagen_store: Path, args: list[str], message: str) -> None:
    result = run("assess", *args, "--store", copenhagen_store)
    assert result.exit_code == 1
    assert result.output.strip() == message


def test_an_organisation_in_the_graph_is_found(run: Run, copenhagen_store: Path) -> None:
    a = run_json(run, "assess", "--city", "Danmarks Idrætsforbund", "--store", copenhagen_store)
    assert a["city"] == "dif"
    assert ids(a["agreements"]) == ["global-city-in-flux"]
    assert a["score"] == 2


def test_each_reason_shows_the_status_of_the_facts_it_rests_on(run: Run, tmp_path: Path) -> None:
    # The fictional truth fixture: Tidevand's membership of the Harbour Network is stated
    # (quoted), Kystby's listed (a list); the network's theme tag rests on a stated entry.
    from tests.conftest import FIXTURES

    store = tmp_path / "store"
    assert run("build", FIXTURES / "truth", "--store", store, "-q").exit_code == 0
    result = run("assess", "--city", "Kystby", "--theme", "harbour", "--store", store, *AS_OF)
    assert result.output.splitlines()[-3:] == [
        "Score: 5 (possible fit)",
        "  +3  shares the city network Harbour Network (current) [Tidevand: stated; Kystby: listed]",
        "  +2  Tidevand works on Harbour life in 1 initiative [stated]",
    ]
    a = run_json(run, "assess", "--city", "Kystby", "--store", store, *AS_OF)
    assert a["reasons"] == [
        {
            "points": 3,
            "reason": "shares the city network Harbour Network (current)",
            "status": "listed",  # the weakest of the two: a reason is as sure as its least sure fact
            "rests_on": [
                {"what": "Tidevand", "status": "stated"},
                {"what": "Kystby", "status": "listed"},
            ],
        }
    ]
