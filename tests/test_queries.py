# The en dash of some labels is data.
# ruff: noqa: RUF001
"""Every named query through ``citykg query`` on the built-in Copenhagen data, with its rows.

Expected rows are read off loaders/data/copenhagen/*.yaml (and, for long member lists, computed
from the CSV files the loader reads), not from the query's own output.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from citykg.loaders.dataset import builtin_dataset_path
from citykg.queries.library import list_queries
from tests.conftest import FIXTURES, Run

DATA = builtin_dataset_path()
FC = "Cities Cooperating for Circular Economy"
SSC_B = "Strategic Sector Cooperation Copenhagen–Beijing"
SSC_BA = "Strategic Sector Cooperation Copenhagen–Buenos Aires"


def table(run: Run, store: Path, *args: str) -> list[tuple[str, ...]]:
    """Run a query with --format csv; return the header and the rows as tuples."""
    result = run("query", *args, "--store", store, "--format", "csv")
    assert result.exit_code == 0, result.output
    return [tuple(row) for row in csv.reader(io.StringIO(result.stdout))]


def csv_members(network: str) -> list[str]:
    with open(DATA / f"memberships-{network}.csv", encoding="utf-8") as handle:
        return [row["member"] for row in csv.DictReader(handle)]


def members(network: str) -> list[str]:
    """The members of a network: its CSV list plus the memberships the strategy states
    (memberships.yaml holds those, with the quote and the list URL; each membership once)."""
    stated = yaml.safe_load((DATA / "memberships.yaml").read_text(encoding="utf-8"))
    return csv_members(network) + [
        m["member"]
        for m in stated["memberships"]
        if m["organization"] == network and m.get("role", "member") == "member"
    ]


def test_networks_of_copenhagen(run: Run, copenhagen_store: Path) -> None:
    c40 = "C40 Cities Climate Leadership Group"
    assert table(run, copenhagen_store, "networks-of") == [
        ("id", "label", "kind", "role", "start", "end"),
        ("c40", c40, "network", "innovation-city", "", ""),
        ("c40", c40, "network", "member", "", ""),
        ("c40", c40, "network", "steering-committee", "", ""),
        ("c40-covid-task-force", "C40 Global Mayors COVID-19 Recovery Task Force", "network", "member", "", ""),
        ("c40-professional-networks", "C40 professional networks", "network", "participant", "", ""),
        ("force", FC, "project", "lead", "", ""),
        ("greater-copenhagen", "Greater Copenhagen", "network", "member", "", ""),
        ("greater-copenhagen-eu-office", "Greater Copenhagen EU Office", "organisation", "member", "", ""),
        ("strategic-sector-cooperation", "Strategic Sector Cooperation", "programme", "participant", "", ""),
        ("who-healthy-cities", "WHO European Healthy Cities Network", "network", "member", "", ""),
    ]  # fmt: skip


def test_networks_of_gives_the_membership_period(run: Run, copenhagen_store: Path) -> None:
    # Region Halland joined Greater Copenhagen on 1 January 2019 (memberships CSV, `start`).
    assert table(run, copenhagen_store, "networks-of", "-p", "actor=region-halland")[1:] == [
        ("greater-copenhagen", "Greater Copenhagen", "network", "member", "2019-01-01", ""),
    ]


def test_members_of_a_programme(run: Run, copenhagen_store: Path) -> None:
    assert table(
        run, copenhagen_store, "members-of", "-p", "network=strategic-sector-cooperation"
    ) == [
        ("member", "label", "kind", "role", "start", "end"),
        ("beijing", "Beijing", "city", "participant", "", ""),
        ("buenos-aires", "Buenos Aires", "city", "participant", "", ""),
        ("copenhagen", "Copenhagen", "city", "participant", "", ""),
    ]


def test_members_of_c40_are_the_member_list_plus_copenhagens_roles(
    run: Run, copenhagen_store: Path
) -> None:
    rows = table(run, copenhagen_store, "members-of")[1:]  # default: c40
    expected = sorted(
        [(m, "member") for m in members("c40")]
        + [("copenhagen", "innovation-city"), ("copenhagen", "steering-committee")]
    )
    assert [(r[0], r[3]) for r in rows] == expected
    assert ("lisbon", "Lisbon", "city", "member", "", "") in rows


def test_project_partners_lead_first(run: Run, copenhagen_store: Path) -> None:
    rows = table(run, copenhagen_store, "project-partners")  # default: force
    assert rows[0] == ("member", "label", "kind", "role", "country")
    assert rows[1] == ("copenhagen", "Copenhagen", "city", "lead", "denmark")
    partners = sorted([*csv_members("force"), "hamburg", "lisbon"])
    assert [(r[0], r[3]) for r in rows[2:]] == [(p, "partner") for p in partners]
    assert ("hamburg", "Hamburg", "city", "partner", "germany") in rows
    assert ("addaptcreative", "AddaptCreative", "organisation", "partner", "") in rows


def test_initiatives_by_theme_include_narrower_themes(run: Run, copenhagen_store: Path) -> None:
    assert table(
        run, copenhagen_store, "initiatives-by-theme", "-p", "theme=climate-adaptation"
    ) == [
        ("id", "label", "kind", "matched"),
        ("ssc-beijing", SSC_B, "cooperation", "climate-adaptation"),
        ("ssc-buenos-aires", SSC_BA, "cooperation", "climate-adaptation"),
        ("c40", "C40 Cities Climate Leadership Group", "network", "climate-adaptation"),
        ("c40-professional-networks", "C40 professional networks", "network", "climate-adaptation"),
        (
            "strategic-sector-cooperation",
            "Strategic Sector Cooperation",
            "programme",
            "climate-adaptation",
        ),
    ]
    # "climate" also finds what is tagged with its narrower themes only.
    rows = table(run, copenhagen_store, "initiatives-by-theme")[1:]
    assert ("ssc-beijing", SSC_B, "cooperation", "climate-adaptation") in rows
    assert (
        "climate-plan-2025",
        "CPH 2025 Climate Plan",
        "plan",
        "greenhouse-gas-reduction",
    ) in rows
    assert len(rows) == 14  # 8 tagged climate, 5 climate adaptation, 1 greenhouse gas reduction


def test_initiatives_by_purpose(run: Run, copenhagen_store: Path) -> None:
    assert table(run, copenhagen_store, "initiatives-by-purpose") == [
        ("id", "label", "kind"),
        ("global-city-in-flux", "Global city in flux", "cooperation"),
        ("ssc-beijing", SSC_B, "cooperation"),
        ("ssc-buenos-aires", SSC_BA, "cooperation"),
        ("greater-copenhagen", "Greater Copenhagen", "network"),
        ("who-healthy-cities", "WHO European Healthy Cities Network", "network"),
        ("international-strategy-plan", "The City of Copenhagen's International Strategy", "plan"),
        ("meet-copenhagen-city", "Meet Copenhagen City", "programme"),
        ("strategic-sector-cooperation", "Strategic Sector Cooperation", "programme"),
        ("force", FC, "project"),
    ]
    rows = table(run, copenhagen_store, "initiatives-by-purpose", "-p", "purpose=inspire")[1:]
    assert ("yellow-festival", "Yellow Festival", "event") in rows
    assert ("force", FC, "project") not in rows


def test_sdg_contributions_through_the_goals_theme(run: Run, copenhagen_store: Path) -> None:
    who = "WHO European Healthy Cities Network"
    # Through the theme that maps to the goal (skos:closeMatch): reported as a mapping.
    rows = table(run, copenhagen_store, "sdg-contributions", "-p", "goal=3")
    assert rows[0] == ("id", "label", "kind", "via", "theme", "status")
    assert [r[:5] for r in rows[1:]] == [
        ("global-city-in-flux", "Global city in flux", "cooperation", "mapping", "health"),
        ("tour-de-france-2022-grand-depart", "Tour de France 2022 Grand Départ in Copenhagen", "event", "mapping", "health"),
        ("tour-de-france-2022-grand-depart", "Tour de France 2022 Grand Départ in Copenhagen", "event", "mapping", "pollution"),
        ("c40-covid-task-force", "C40 Global Mayors COVID-19 Recovery Task Force", "network", "mapping", "health"),
        ("who-healthy-cities", who, "network", "mapping", "health"),
        ("who-healthy-cities", who, "network", "mapping", "health-inequality"),
        ("copenhagen-consensus-of-mayors", "The Copenhagen Consensus of Mayors: Healthier and Happier Cities for All", "plan", "mapping", "health"),
        ("health-policy", "Enjoy life, Copenhageners", "plan", "mapping", "health"),
        ("municipal-planning-strategy", "Municipal Planning Strategy", "plan", "mapping", "health"),
    ]  # fmt: skip
    assert {r[5] for r in rows[1:]} <= {"stated", "listed", "inferred"}


def test_sdg_contributions_stated(run: Run, copenhagen_store: Path) -> None:
    rows = table(run, copenhagen_store, "sdg-contributions")[1:]  # default: 13
    stated = [r[0] for r in rows if r[3] == "contribution"]
    assert stated == ["c40", "climate-plan-2025", "paris-agreement"]  # `sdgs: [13...]` in the YAML


def test_events_all_and_filtered(run: Run, copenhagen_store: Path) -> None:
    header = ("id", "label", "start", "end", "hostedBy", "location", "partOf")
    wca = (
        "world-capital-of-architecture-2023",
        "World Capital of Architecture 2023",
        "2023",
        "2023",
        "copenhagen",
        "Copenhagen",
        "",
    )
    summit = (
        "c40-summit-2019",
        "C40 World Mayors Summit 2019",
        "2019",
        "",
        "copenhagen",
        "Copenhagen",
        "",
    )
    tour = (
        "tour-de-france-2022-grand-depart",
        "Tour de France 2022 Grand Départ in Copenhagen",
        "2022-07-01",
        "",
        "copenhagen",
        "Copenhagen",
        "",
    )
    uia = (
        "uia-world-congress-2023",
        "UIA World Congress of Architects 2023",
        "2023-07",
        "",
        "copenhagen",
        "Copenhagen",
        "world-capital-of-architecture-2023",
    )
    # Copenhagen hosts all six: the strategy has it host or initiate the festival, the
    # business forum and the congress too (issue 16)
    festival = (
        "yellow-festival",
        "Yellow Festival",
        "",
        "",
        "copenhagen",
        "Copenhagen",
        "tour-de-france-2022-grand-depart",
    )
    forum = (
        "c40-business-forum-2019",
        "C40 business forum at the 2019 summit",
        "2019",
        "",
        "copenhagen",
        "Copenhagen",
        "c40-summit-2019",
    )
    assert table(run, copenhagen_store, "events") == [
        header, festival, forum, summit, tour, wca, uia,
    ]  # fmt: skip
    assert table(run, copenhagen_store, "events", "-p", "year=2023") == [header, wca, uia]
    assert table(run, copenhagen_store, "events", "-p", "host=copenhagen") == [
        header, festival, forum, summit, tour, wca, uia,
    ]  # fmt: skip
    assert table(run, copenhagen_store, "events", "-p", "year=2019", "-p", "host=copenhagen") == [
        header,
        forum,
        summit,
    ]


def test_cooperations_with_binding_and_council_approval(run: Run, copenhagen_store: Path) -> None:
    header = (
        "id",
        "label",
        "programme",
        "parties",
        "start",
        "end",
        "binding",
        "councilApprovalRequired",
        "councilApproved",
    )
    nr = "not recorded"
    beijing = ("ssc-beijing", SSC_B, "strategic-sector-cooperation", "2", "", "", nr, nr, nr)
    assert table(run, copenhagen_store, "cooperations") == [
        header,
        ("global-city-in-flux", "Global city in flux", "", "3", "", "", nr, nr, nr),
        beijing,
        ("ssc-buenos-aires", SSC_BA, "strategic-sector-cooperation", "2", "", "", nr, nr, nr),
    ]  # fmt: skip
    assert table(run, copenhagen_store, "cooperations", "-p", "party=beijing") == [header, beijing]


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        ("2020-03-01", "6", [("force", FC, "project", "2020-08")]),  # FORCE ends 2020-08
        ("2020-03-01", "3", []),  # ... which is after 2020-06-01
        ("2020-08-20", "1", [("force", FC, "project", "2020-08")]),  # a month ends on its last day
        ("2020-09-01", "24", []),  # already over
    ],
)
def test_agreements_ending_within_n_months(
    run: Run, copenhagen_store: Path, today: str, months: str, expected: list[tuple[str, ...]]
) -> None:
    rows = table(
        run, copenhagen_store, "agreements-ending", "--as-of", today, "-p", f"months={months}"
    )
    assert rows == [("id", "label", "kind", "end"), *expected]
    # "today" can also be given as the parameter itself.
    assert (
        table(
            run,
            copenhagen_store,
            "agreements-ending",
            "-p",
            f"today={today}",
            "-p",
            f"months={months}",
        )
        == rows
    )


def test_common_ground_of_two_actors(run: Run, copenhagen_store: Path) -> None:
    c40 = "C40 Cities Climate Leadership Group"
    assert table(run, copenhagen_store, "common-ground", "-p", "b=lisbon") == [
        ("id", "label", "kind", "roleA", "roleB"),
        ("c40", c40, "network", "innovation-city", "member"),
        ("c40", c40, "network", "member", "member"),
        ("c40", c40, "network", "steering-committee", "member"),
        ("force", FC, "project", "lead", "partner"),
    ]
    rows = table(run, copenhagen_store, "common-ground", "-p", "b=beijing")[1:]
    assert ("ssc-beijing", SSC_B, "cooperation", "party", "party") in rows
    assert (
        "strategic-sector-cooperation",
        "Strategic Sector Cooperation",
        "programme",
        "participant",
        "participant",
    ) in rows
    assert len(rows) == 5


def test_owned_by(run: Run, copenhagen_store: Path) -> None:
    rows = [
        ("owner", "ownerLabel", "id", "label", "kind"),
        ("finance-administration", "Finance Administration", "international-strategy-plan", "The City of Copenhagen's International Strategy", "plan"),
        ("finance-administration", "Finance Administration", "meet-copenhagen-city", "Meet Copenhagen City", "programme"),
    ]  # fmt: skip
    assert table(run, copenhagen_store, "owned-by") == rows
    assert (
        table(run, copenhagen_store, "owned-by", "-p", "administration=finance-administration")
        == rows
    )
    assert table(run, copenhagen_store, "owned-by", "-p", "administration=city-council") == rows[:1]


def test_evidence_behind_an_entity(run: Run, copenhagen_store: Path) -> None:
    rows = table(run, copenhagen_store, "evidence", "-p", "entity=c40")
    assert rows[0] == (
        "field", "value", "type", "quote", "section", "document", "source", "asOf", "status", "reason"
    )  # fmt: skip
    assert [r[2:7] for r in rows[1:] if r[0] == ""] == [
        ("quote", "Copenhagen is a member of the C40 city network", "C40 cooperation", "international-strategy", ""),
        ("quote", "the world’s big cities meet the climate requirements of the Paris Agreement", "C40 cooperation", "international-strategy", ""),
    ]  # fmt: skip
    assert {r[8] for r in rows[1:] if r[0] == ""} == {"stated"}
    # single facts: the commitment is the strategy's, the SDG links the editor's, the founding
    # and the count c40.org's of 2025
    assert [(r[0], r[1], r[2], r[7], r[8]) for r in rows[1:] if r[0] != ""] == [
        ("commitsTo", "paris-agreement", "quote", "", "stated"),
        ("contributesTo", "http://metadata.un.org/sdg/11", "inference", "", "inferred"),
        ("contributesTo", "http://metadata.un.org/sdg/13", "inference", "", "inferred"),
        ("description", rows[6][1], "source", "2025", "listed"),
        ("foundingDate", "2005-10", "source", "2025", "listed"),
        ("memberCount", "97", "source", "2025", "listed"),
    ]
    # A membership is an entity too: its ID is the path under /id/.
    assert table(
        run,
        copenhagen_store,
        "evidence",
        "-p",
        "entity=membership/copenhagen/c40/steering-committee",
    )[1:][0][2:7] == ("source", "", "", "", "https://www.c40.org/?ref=zeronaut.be")


def test_no_entity_lacks_evidence_in_the_built_in_data(run: Run, copenhagen_store: Path) -> None:
    assert table(run, copenhagen_store, "no-evidence") == [("id", "label", "kind")]


def test_no_evidence_finds_the_actors_without_any(run: Run, tmp_path: Path) -> None:
    # In the mini fixture three actors have neither a quote nor a source (actors.yaml).
    store = tmp_path / "mini"
    assert run("build", FIXTURES / "mini", "--store", store, "-q").exit_code == 0
    assert table(run, store, "no-evidence") == [
        ("id", "label", "kind"),
        ("finance", "Finance Administration", "administration"),
        ("lisbon", "Lisbon", "city"),
        ("uni", "A University", "organisation"),
    ]


@pytest.mark.parametrize(
    "text", ["kobenhavn", "KØBENHAVN", "København", "københavns kommune", "Kobenhavns"]
)
def test_search_ignores_case_and_accents(run: Run, copenhagen_store: Path, text: str) -> None:
    rows = table(run, copenhagen_store, "search", "-p", f"text={text}")
    assert rows[0] == ("id", "label", "kind", "match")
    assert [r[:3] for r in rows[1:]] == [("copenhagen", "Copenhagen", "city")]


def test_search_ranks_exact_then_start_then_within(run: Run, copenhagen_store: Path) -> None:
    assert table(run, copenhagen_store, "search", "-p", "text=genova") == [
        ("id", "label", "kind", "match"),
        ("genoa", "Genoa", "city", "exact"),  # alt label "Genova"
        ("amiu-genova", "AMIU Genova S.p.A.", "organisation", "within"),
        ("ecolegno-genova", "Ecolegno Genova srl", "organisation", "within"),
    ]
    assert table(run, copenhagen_store, "search", "-p", "text=region sk")[1:] == [
        ("region-skane", "Region Skåne", "region", "start"),
    ]
    assert table(run, copenhagen_store, "search", "-p", "text=letbaek")[1:] == [
        ("letbaek-plast", "Letbæk Plast A/S", "organisation", "start"),
    ]


def test_about_an_entity(run: Run, copenhagen_store: Path) -> None:
    rows = table(run, copenhagen_store, "about", "-p", "entity=dgi")
    assert rows[0] == ("property", "value", "valueLabel", "factStatus", "reason")
    assert rows[1:] == [
        # the statement's own status: the strategy gives no country for DGI
        ("country", "denmark", "Denmark", "inferred", "General knowledge; the strategy names no country for it."),
        (
            "description",
            # not "Danish": the strategy gives no country (the country is marked inferred)
            'Sports association; party to the cooperation agreement "Global city in flux".',
            "", "", "",
        ),
        ("identifier", "dgi", "", "", ""),
        ("inDataset", "https://w3id.org/citykg/dataset/copenhagen", "", "", ""),
        ("kind", "organisation", "", "", ""),
        ("label", "DGI", "", "", ""),
        ("status", "ckg:stated", "stated", "", ""),
        ("type", "ckg:Actor", "actor", "", ""),
        ("type", "ckg:Federation", "federation", "", ""),
        ("type", "ckg:Organisation", "organisation", "", ""),
        ("wasDerivedFrom", rows[-1][1], "", "", ""),
    ]  # fmt: skip
    # A section's ID is its document's own: passages are named by document and section.
    assert rows[-1][1].startswith(
        "https://w3id.org/citykg/id/passage/international-strategy/s-who-healthy-cities/"
    )


def test_partners_of_copenhagen(run: Run, copenhagen_store: Path) -> None:
    # Beijing and Buenos Aires: C40, the SSC scheme and their own agreement; Lisbon: C40, FORCE.
    assert table(run, copenhagen_store, "partners-of") == [
        ("id", "label", "partnerKind", "shared"),
        ("beijing", "Beijing", "city", "3"),
        ("buenos-aires", "Buenos Aires", "city", "3"),
        ("lisbon", "Lisbon", "city", "2"),
    ]
    organisations = table(
        run, copenhagen_store, "partners-of", "-p", "min_shared=1", "-p", "kind=organisation"
    )[1:]
    assert (
        "dif",
        "National Olympic Committee and Sports Confederation of Denmark",
        "organisation",
        "1",
    ) in organisations
    assert {r[2] for r in organisations} == {"organisation"}


def test_projects_and_funding(run: Run, copenhagen_store: Path) -> None:
    header = ("id", "label", "inProgramme", "grant", "budget", "euContribution", "start", "end")
    force = (
        "force",
        FC,
        "horizon-2020",
        "689157",
        "11308117.5",
        "9724969.13",
        "2016-09",
        "2020-08",
    )
    assert table(run, copenhagen_store, "projects") == [header, force]
    assert table(run, copenhagen_store, "projects", "-p", "programme=horizon-2020") == [
        header,
        force,
    ]
    assert table(
        run, copenhagen_store, "projects", "-p", "programme=strategic-sector-cooperation"
    ) == [header]


def test_plans_supported(run: Run, copenhagen_store: Path) -> None:
    assert table(run, copenhagen_store, "plans-supported") == [
        ("planId", "planLabel", "id", "label", "kind"),
        ("climate-plan-2025", "CPH 2025 Climate Plan", "force", FC, "project"),
        ("resource-waste-plan-2018", "City of Copenhagen Resource and Waste Management Plan 2018", "force", FC, "project"),
    ]  # fmt: skip


def test_principles_in_order(run: Run, copenhagen_store: Path) -> None:
    rows = table(run, copenhagen_store, "principles")
    assert rows[0] == ("number", "id", "label", "text")
    assert [r[:3] for r in rows[1:]] == [
        ("1", "copenhagen-principle-1", "Prioritise cooperation for sustainable, liveable cities"),
        ("2", "copenhagen-principle-2", "Partners come from the city's networks"),
        ("3", "copenhagen-principle-3", "Assess requests against networks and priorities"),
        ("4", "copenhagen-principle-4", "Time-limited agreements with other cities"),
        ("5", "copenhagen-principle-5", "Act on national interests as the capital"),
        ("6", "copenhagen-principle-6", "Check whether the City Council must approve"),
        ("7", "copenhagen-principle-7", "Protect citizen and company data"),
    ]
    assert rows[7][3].startswith("Data about citizens and companies must be properly protected")


def test_homes_and_the_datasets_of_each_entity(run: Run, copenhagen_store: Path) -> None:
    assert table(run, copenhagen_store, "homes") == [
        ("home", "label", "dataset"),
        ("copenhagen", "Copenhagen", "copenhagen"),
    ]
    rows = table(run, copenhagen_store, "entity-datasets")
    assert rows[0] == ("id", "kind", "in", "home")
    found = {r for r in rows[1:] if r[0] in ("c40", "denmark", "norway")}
    # Copenhagen's dataset adds Danish names to the vocabulary's Denmark.
    assert found == {
        ("c40", "network", "copenhagen", "copenhagen"),
        ("denmark", "country", "copenhagen", "copenhagen"),
        ("denmark", "country", "vocabulary", ""),
        ("norway", "country", "vocabulary", ""),
    }
    only = table(run, copenhagen_store, "entity-datasets", "-p", "dataset=vocabulary")
    assert {r[2] for r in only[1:]} == {"vocabulary"} and len(only) == 1 + 249 + 31 + 7 + 5 + 9


def test_themes_with_counts(run: Run, copenhagen_store: Path) -> None:
    rows = table(run, copenhagen_store, "themes")
    assert rows[0] == ("id", "label", "broader", "sdg", "direct", "withNarrower")
    assert len(rows) == 1 + 31  # the 31 themes of the shared vocabulary
    by_id = {r[0]: r for r in rows[1:]}
    # climate: 8 tagged directly; with climate adaptation and greenhouse gas reduction, 12.
    assert by_id["climate"] == ("climate", "Climate action", "", "13", "8", "12")
    assert by_id["energy"] == ("energy", "Affordable and clean energy", "", "7", "0", "5")
    assert by_id["cycling"] == ("cycling", "Cycling", "mobility", "", "2", "2")


def test_collaborations_with_member_counts(run: Run, copenhagen_store: Path) -> None:
    c40 = len(set(members("c40")))
    greater = len(set(members("greater-copenhagen")))
    assert table(run, copenhagen_store, "collaborations") == [
        ("id", "label", "kind", "members", "statedMembers", "start", "end"),
        ("global-city-in-flux", "Global city in flux", "cooperation", "3", "", "", ""),
        ("ssc-beijing", SSC_B, "cooperation", "2", "", "", ""),
        ("ssc-buenos-aires", SSC_BA, "cooperation", "2", "", "", ""),
        ("c40", "C40 Cities Climate Leadership Group", "network", str(c40), "97", "", ""),
        ("c40-covid-task-force", "C40 Global Mayors COVID-19 Recovery Task Force", "network", "1", "", "", ""),
        ("c40-professional-networks", "C40 professional networks", "network", "1", "", "", ""),
        ("greater-copenhagen", "Greater Copenhagen", "network", str(greater), "", "", ""),
        # "around 100" is a quantity with its qualifier, no stated member count (issue 16)
        ("who-healthy-cities", "WHO European Healthy Cities Network", "network", "1", "", "", ""),
        ("horizon-2020", "Horizon 2020", "programme", "0", "", "", ""),
        ("meet-copenhagen-city", "Meet Copenhagen City", "programme", "0", "", "", ""),
        ("strategic-sector-cooperation", "Strategic Sector Cooperation", "programme", "3", "", "", ""),
        ("force", FC, "project", "22", "", "2016-09", "2020-08"),
    ]  # fmt: skip


def test_mentions_where_a_loaded_text_names_an_entity(run: Run, tmp_path: Path) -> None:
    # The text fixture: a dataset and a strategy whose sentences name its entities.
    store = tmp_path / "text"
    text = FIXTURES / "text"
    assert run("build", text / "dataset", "--store", store, "-q", "--no-validate").exit_code == 0
    assert run("load-text", text / "strategy.txt", "--store", store, "-q").exit_code == 0
    for name in ("tide", "TIDE", "Tidal Energy for Cities"):
        rows = table(run, store, "mentions", "-p", f"entity={name}")
        assert rows[0] == ("id", "document", "number", "section", "quote")
        assert [(r[0], r[3], r[4]) for r in rows[1:]] == [
            (
                "tide",
                "Projects, events and delegations",
                "As head of TIDE, Copenhagen works with Aarhus.",
            ),
        ]
    assert table(run, store, "mentions", "-p", 'entity=x" } DROP ALL #')[1:] == []


TRUTH = FIXTURES / "truth"


@pytest.fixture(scope="module")
def truth_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional fixture with statuses, per-fact evidence and quantities, built once."""
    from citykg.graph.build import build

    store = tmp_path_factory.mktemp("truth") / "store"
    build(store, [TRUTH])
    return store


def test_evidence_with_status_as_of_and_reason(run: Run, truth_store: Path) -> None:
    rows = table(run, truth_store, "evidence", "-p", "entity=harbour-net")
    note = "The strategy names no owner; the finance administration keeps the network list."
    assert rows[1:] == [
        ("", "", "quote", "Tidevand is a member of the Harbour Network", "Networks", "tide-strategy", "", "", "stated", ""),
        ("contributesTo", "http://metadata.un.org/sdg/14", "source", "", "", "", "https://harbour-net.example/about", "2025-11", "listed", ""),
        ("ownedBy", "tide-finance", "inference", "", "", "", "", "", "inferred", note),
    ]  # fmt: skip
    # A membership a list gives and the strategy quotes: stated, the list's date kept.
    member = table(
        run, truth_store, "evidence", "-p", "entity=membership/tidevand/harbour-net/member"
    )
    assert [(r[2], r[7], r[8]) for r in member[1:]] == [
        ("quote", "", "stated"),
        ("source", "2025-11", "stated"),
    ]


def test_sdg_contributions_tell_a_mapping_from_a_contribution(run: Run, truth_store: Path) -> None:
    assert table(run, truth_store, "sdg-contributions", "-p", "goal=14") == [
        ("id", "label", "kind", "via", "theme", "status"),
        ("harbour-net", "Harbour Network", "network", "contribution", "", "listed"),
        ("harbour-net", "Harbour Network", "network", "mapping", "harbour", "stated"),
    ]


def test_inferred_lists_every_inference_with_its_reason(run: Run, truth_store: Path) -> None:
    assert table(run, truth_store, "inferred") == [
        ("subject", "field", "value", "reason"),
        ("harbour-net", "ownedBy", "tide-finance", "The strategy names no owner; the finance administration keeps the network list."),
        ("sail-club", "entry", "organisation", "Named on a poster at the harbour; neither the strategy nor a list names it."),
        ("tidevand", "membership", "sail-club (member)", "The city's harbour office pays the club's fee; no text says it is a member."),
    ]  # fmt: skip


def test_quantities_with_qualifier_unit_time_and_evidence(run: Run, truth_store: Path) -> None:
    assert table(run, truth_store, "quantities") == [
        ("id", "measure", "value", "min", "max", "qualifier", "unit", "time", "status", "asOf", "evidence"),
        ("harbour-days", "participants", "", "2000", "3000", "exact", "participants", "2024", "stated", "", "2,000-3,000 participants"),
        ("harbour-net", "member-cities", "40", "", "", "about", "cities", "2021", "stated", "", "around 40 member cities"),
        ("harbour-net", "national-networks", "5", "", "", "moreThan", "networks", "", "listed", "2025", "https://harbour-net.example/about"),
        ("tidevand", "inhabitants", "250000", "", "", "about", "inhabitants", "2020", "stated", "", "about 250,000 people live in Tidevand"),
        ("tidevand", "population-growth", "30000", "", "", "about", "inhabitants", "..2040", "stated", "", "some 30,000 more by 2040"),
    ]  # fmt: skip
    one = table(run, truth_store, "quantities", "-p", "entity=harbour-days")
    assert [r[0] for r in one[1:]] == ["harbour-days"]


def test_orphans_are_the_home_s_entities_linked_to_nothing(run: Run, truth_store: Path) -> None:
    # The old plan is only published by the home: publishing is no link. Everything else is
    # linked (the administration as an owner, Kystby and the club by memberships, the
    # principle by what it concerns and rests on); themes and measures never count.
    assert table(run, truth_store, "orphans") == [
        ("id", "label", "kind"),
        ("old-plan", "The Old Harbour Plan", "plan"),
    ]


def test_about_shows_status_reason_and_as_of(run: Run, truth_store: Path) -> None:
    club = table(run, truth_store, "about", "-p", "entity=sail-club")
    reason = "Named on a poster at the harbour; neither the strategy nor a list names it."
    assert ("inferenceNote", reason, "", "", "") in club
    assert ("status", "ckg:inferred", "inferred", "", "") in club
    member = table(run, truth_store, "about", "-p", "entity=membership/kystby/harbour-net/member")
    assert ("asOf", "2025-11", "", "", "") in member
    assert ("status", "ckg:listed", "listed", "", "") in member


def test_orphans_count_what_a_membership_relates_and_a_location(run: Run, tmp_path: Path) -> None:
    import shutil

    from citykg.graph.build import build

    data = tmp_path / "truth"
    shutil.copytree(TRUTH, data)
    # The old plan is now supported by Kystby's membership (a CSV column), and a harbour
    # office stands in Tidevand (its place): both are linked.
    (data / "memberships-list.csv").write_text(
        "member,organization,role,source_url,supports\n"
        "kystby,harbour-net,member,https://harbour-net.example/members,old-plan\n",
        encoding="utf-8",
    )
    (data / "office.yaml").write_text(
        "# Fictional, as the rest of the fixture.\n"
        "organisations:\n"
        "  - id: harbour-office\n"
        "    label: Harbour Office\n"
        "    type: office\n"
        "    located_in: tidevand\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    build(store, [data])
    assert table(run, store, "orphans") == [("id", "label", "kind")]


def test_every_named_query_has_a_test_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [q.name for q in list_queries() if f'"{q.name}"' not in source]
    assert untested == []
    assert len(list_queries()) >= 15


def test_queries_lists_names_parameters_and_titles(run: Run) -> None:
    result = run("queries")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "parameters", "title"]
    row = next(line for line in lines if line.startswith("agreements-ending "))
    assert [cell.strip() for cell in row.split("  ") if cell.strip()] == [
        "agreements-ending",
        "months=6 (integer), today=today (date)",
        "Agreements ending soon",
    ]
    assert "common-ground" in result.stdout and "b (iri, required)" in result.stdout
    assert len(lines) == 2 + len(list_queries())


def test_queries_json(run: Run) -> None:
    data = json.loads(run("queries", "--format", "json").stdout)
    events = next(q for q in data if q["name"] == "events")
    assert events["title"] == "Events by year and host"
    assert events["params"] == [
        {"name": "year", "type": "integer", "default": None, "required": False, "optional": True},
        {"name": "host", "type": "iri", "default": None, "required": False, "optional": True},
    ]
    evidence = next(q for q in data if q["name"] == "evidence")
    assert evidence["params"] == [
        {"name": "entity", "type": "iri", "default": None, "required": True, "optional": False}
    ]
    # Every shipped query says what it answers.
    assert all(q["title"] and q["description"] for q in data)


@pytest.mark.parametrize("fmt", ["table", "tsv", "md"])
def test_query_output_formats(run: Run, copenhagen_store: Path, fmt: str) -> None:
    result = run("query", "owned-by", "--store", copenhagen_store, "--format", fmt)
    expected = {
        "table": [
            "owner                   ownerLabel              id                           label                                            kind",
            "----------------------  ----------------------  ---------------------------  -----------------------------------------------  ---------",
            "finance-administration  Finance Administration  international-strategy-plan  The City of Copenhagen's International Strategy  plan",
            "finance-administration  Finance Administration  meet-copenhagen-city         Meet Copenhagen City                             programme",
        ],
        "tsv": [
            "owner\townerLabel\tid\tlabel\tkind",
            "finance-administration\tFinance Administration\tinternational-strategy-plan\tThe City of Copenhagen's International Strategy\tplan",
            "finance-administration\tFinance Administration\tmeet-copenhagen-city\tMeet Copenhagen City\tprogramme",
        ],
        "md": [
            "| owner | ownerLabel | id | label | kind |",
            "|---|---|---|---|---|",
            "| finance-administration | Finance Administration | international-strategy-plan | The City of Copenhagen's International Strategy | plan |",
            "| finance-administration | Finance Administration | meet-copenhagen-city | Meet Copenhagen City | programme |",
        ],
    }  # fmt: skip
    assert result.stdout.splitlines() == expected[fmt]


def test_json_output_is_sparql_results_json(run: Run, copenhagen_store: Path) -> None:
    result = run("query", "projects", "--store", copenhagen_store, "--format", "json")
    data = json.loads(result.stdout)
    assert data["head"] == {
        "vars": ["id", "label", "inProgramme", "grant", "budget", "euContribution", "start", "end"]
    }
    (row,) = data["results"]["bindings"]
    assert row["id"] == {"type": "literal", "value": "force"}
    assert row["budget"]["type"] == "literal" and float(row["budget"]["value"]) == 11308117.5
    assert row["budget"]["datatype"].startswith("http://www.w3.org/2001/XMLSchema#")


def test_own_query_file_with_params_and_output_file(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    query = tmp_path / "cities.rq"
    query.write_text(
        "# title: Cities in a country\n# param: country iri denmark\n"
        "PREFIX ckg: <https://w3id.org/citykg/ontology#>\n"
        'SELECT ?id WHERE { ?c ckg:country ?country ; ckg:kind "city" ; dcterms:identifier ?id .\n'
        '  FILTER(?id IN ("copenhagen", "albertslund", "hamburg")) } ORDER BY ?id\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = run(
        "query",
        "--file",
        query,
        "-p",
        "country=germany",
        "--store",
        copenhagen_store,
        "--format",
        "csv",
        "-o",
        out,
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == "id\nhamburg\n"
    # Without a header, and with a prefix it does not declare (dcterms): citykg's are added.
    plain = tmp_path / "plain.rq"
    plain.write_text('ASK { ?x dcterms:identifier "c40" }\n', encoding="utf-8")
    assert (
        run("query", "--file", plain, "--store", copenhagen_store).stdout.splitlines()[2] == "true"
    )
    assert json.loads(
        run("query", "--file", plain, "--store", copenhagen_store, "--format", "json").stdout
    ) == {
        "head": {},
        "boolean": True,
    }


def test_construct_file_gives_sorted_triples(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    query = tmp_path / "c.rq"
    query.write_text(
        "CONSTRUCT { ?x ckg:kind ?k } WHERE { ?x ckg:kind ?k ; ckg:programme id:horizon-2020 }\n",
        encoding="utf-8",
    )
    assert table(run, copenhagen_store, "--file", str(query)) == [
        ("subject", "predicate", "object"),
        ("https://w3id.org/citykg/id/force", "https://w3id.org/citykg/ontology#kind", "project"),
    ]
