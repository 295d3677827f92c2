"""The built-in Copenhagen dataset: counts from the public lists, and the ontology contract."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset

from citykg.queries.sparql import LocalSource
from tests.conftest import Run

P = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX id: <https://w3id.org/citykg/id/>
"""


def _ids(dataset: Dataset, query: str) -> list[str]:
    result = LocalSource(dataset).select(P + query)
    return sorted(str(row[result.variables[0]]) for row in result.rows)


def _count(dataset: Dataset, query: str) -> int:
    (row,) = LocalSource(dataset).select(P + query).rows
    return int(str(next(iter(row.values()))))


def test_c40_has_97_members_with_their_source(copenhagen: Dataset) -> None:
    members = _ids(
        copenhagen,
        "SELECT ?id WHERE { ?m org:organization id:c40 ; org:role id:member ; org:member/dcterms:identifier ?id ;"
        " dcterms:source <https://www.c40.org/?ref=zeronaut.be> }",
    )
    assert len(members) == 97
    assert {"copenhagen", "lisbon", "beijing", "buenos-aires"} <= set(members)
    assert "hamburg" not in members and "genoa" not in members


def test_greater_copenhagen_has_4_regions_and_85_municipalities(copenhagen: Dataset) -> None:
    regions = _ids(
        copenhagen,
        "SELECT ?id WHERE { id:greater-copenhagen org:hasMember ?r . ?r a ckg:Region ; dcterms:identifier ?id }",
    )
    assert regions == ["capital-region", "region-halland", "region-skane", "region-zealand"]
    cities = _ids(
        copenhagen,
        "SELECT ?id WHERE { id:greater-copenhagen org:hasMember ?c . ?c a ckg:City ; dcterms:identifier ?id }",
    )
    assert len(cities) == 85 and "copenhagen" in cities
    per_region = LocalSource(copenhagen).select(
        P
        + "SELECT ?region (COUNT(?c) AS ?n) WHERE { id:greater-copenhagen org:hasMember ?c . ?c ckg:inRegion/dcterms:identifier ?region } GROUP BY ?region ORDER BY ?region"
    )
    assert [(str(r["region"]), int(str(r["n"]))) for r in per_region.rows] == [
        ("capital-region", 29), ("region-halland", 6), ("region-skane", 33), ("region-zealand", 17),
    ]  # fmt: skip


def test_force_has_22_partners_led_by_copenhagen(copenhagen: Dataset) -> None:
    assert (
        _count(
            copenhagen,
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?m org:organization id:force ; org:member ?a }",
        )
        == 22
    )
    assert _ids(
        copenhagen,
        "SELECT ?id WHERE { ?m org:organization id:force ; org:role id:lead ; org:member/dcterms:identifier ?id }",
    ) == ["copenhagen"]
    partners = _ids(
        copenhagen,
        "SELECT ?id WHERE { ?m org:organization id:force ; org:role id:partner ; org:member/dcterms:identifier ?id }",
    )
    assert len(partners) == 21 and {"hamburg", "lisbon", "genoa"} <= set(partners)


def test_every_entity_has_one_english_label(copenhagen: Dataset) -> None:
    # DISTINCT: a country the vocabulary defines and Copenhagen's dataset adds names to is
    # stated in two graphs, and Oxigraph's union of the graphs repeats what both state.
    bad = _ids(
        copenhagen,
        """SELECT ?x WHERE { ?x ckg:kind ?k .
             { SELECT ?x (COUNT(DISTINCT ?l) AS ?n) WHERE { ?x ckg:kind ?k2 . OPTIONAL { ?x rdfs:label ?l FILTER(lang(?l) = "en") } } GROUP BY ?x }
             FILTER(?n != 1) }""",
    )
    assert bad == []


def test_alt_labels_carry_languages(copenhagen: Dataset) -> None:
    labels = (
        LocalSource(copenhagen)
        .select(P + "SELECT ?l WHERE { id:copenhagen skos:altLabel ?l }")
        .column("l")
    )
    assert ("København", "da") in {(str(lit), getattr(lit, "language", None)) for lit in labels}
    assert "C40" in {
        str(x)
        for x in LocalSource(copenhagen)
        .select(P + "SELECT ?l WHERE { id:c40 skos:altLabel ?l }")
        .column("l")
    }


def test_every_membership_project_and_cooperation_has_evidence(copenhagen: Dataset) -> None:
    missing = _ids(
        copenhagen,
        """SELECT ?x WHERE { VALUES ?c { org:Membership ckg:Project ckg:CooperationAgreement ckg:CityNetwork ckg:Event }
             ?x a ?c . FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?p } FILTER NOT EXISTS { ?x dcterms:source ?s } }""",
    )
    assert missing == []


def test_passages_quote_the_strategy_in_a_section(copenhagen: Dataset) -> None:
    rows = (
        LocalSource(copenhagen)
        .select(
            P
            + """SELECT ?quote ?section WHERE { id:force prov:wasDerivedFrom ?p . ?p prov:value ?quote ;
               dcterms:isPartOf/rdfs:label ?section ; prov:wasQuotedFrom id:international-strategy }"""
        )
        .rows
    )
    assert rows, "FORCE carries a quoted passage"
    assert all(
        str(r["section"]) == "Strategic Sector Cooperation, EU projects and delegations"
        for r in rows
    )
    assert any("FORCE" in str(r["quote"]) for r in rows)


def test_memberships_have_the_materialised_shortcut(copenhagen: Dataset) -> None:
    memberships = _count(
        copenhagen,
        "SELECT (COUNT(DISTINCT ?pair) AS ?n) WHERE { ?m a org:Membership ; org:member ?a ; org:organization ?o BIND(CONCAT(STR(?a), STR(?o)) AS ?pair) }",
    )
    shortcuts = _count(copenhagen, "SELECT (COUNT(*) AS ?n) WHERE { ?a org:memberOf ?o }")
    assert memberships == shortcuts > 200


def test_wikidata_ids_are_only_the_verified_ones(copenhagen: Dataset) -> None:
    used = _ids(
        copenhagen,
        "SELECT ?q WHERE { ?x owl:sameAs|skos:exactMatch ?q FILTER(STRSTARTS(STR(?q), 'http://www.wikidata.org/entity/')) FILTER NOT EXISTS { ?x skos:inScheme <http://metadata.un.org/sdg> } }",
    )
    verified = {"Q1748", "Q956", "Q1486", "Q1055", "Q26073", "Q597", "Q1449"}
    assert {q.rsplit("/", 1)[1] for q in used} <= verified
    assert "http://www.wikidata.org/entity/Q1748" in used


def test_the_strategy_kinds_are_all_present(run: Run, copenhagen_store: Path) -> None:
    result = run("stats", "--store", copenhagen_store, "--format", "json")
    kinds = json.loads(result.stdout)["kinds"]
    for kind in ("city", "region", "organisation", "administration", "network", "project", "programme",
                 "cooperation", "event", "plan", "theme", "purpose", "principle", "passage", "membership",
                 "document", "section"):  # fmt: skip
        assert kinds.get(kind, 0) > 0, kind
    assert kinds["principle"] == 7
    assert kinds["purpose"] == 5


def test_the_seven_principles_are_numbered(copenhagen: Dataset) -> None:
    numbers = _ids(copenhagen, "SELECT ?n WHERE { ?p a ckg:Principle ; ckg:number ?n }")
    assert sorted(int(n) for n in numbers) == list(range(1, 8))


def test_purpose_boxes_and_finance_administration(copenhagen: Dataset) -> None:
    purposes = _ids(copenhagen, "SELECT ?p WHERE { id:c40 ckg:purpose/dcterms:identifier ?p }")
    assert purposes == ["influence", "inspire"]
    gc = _ids(
        copenhagen, "SELECT ?p WHERE { id:greater-copenhagen ckg:purpose/dcterms:identifier ?p }"
    )
    assert gc == ["cooperate"]
    unit = _ids(
        copenhagen, "SELECT ?c WHERE { id:finance-administration org:unitOf/dcterms:identifier ?c }"
    )
    assert unit == ["copenhagen"]


def test_tour_de_france_date(copenhagen: Dataset) -> None:
    (row,) = (
        LocalSource(copenhagen)
        .select(
            P
            + "SELECT ?d WHERE { id:tour-de-france-2022-grand-depart <https://schema.org/startDate> ?d }"
        )
        .rows
    )
    assert str(row["d"]) == "2022-07-01"


def test_built_in_data_validates(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("Valid: ") and result.stdout.endswith(
        " triples conform to the citykg shapes.\n"
    )
