"""The truth of facts in the dataset format (issue 16): statuses, per-fact evidence and
inferences as rdf:Statement nodes, as-of dates, quantities, the new relations and SDG mappings,
on the fictional fixture tests/fixtures/truth (through the CLI: build, then export)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Run

TRUTH = FIXTURES / "truth"
C = "https://w3id.org/citykg/"
CKG = C + "ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def triples(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    from click.testing import CliRunner

    from citykg.cli import main

    store = tmp_path_factory.mktemp("truth") / "store"
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(TRUTH), "--store", str(store), "-q"])
    assert built.exit_code == 0, built.output
    export = runner.invoke(main, ["export", "--store", str(store), "--format", "nt"])
    assert export.exit_code == 0
    return set(export.stdout.splitlines())


def nt(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} ."


def iri(text: str) -> str:
    return f"<{text}>"


def status(node: str, value: str) -> str:
    return nt(iri(C + "id/" + node), iri(CKG + "status"), iri(CKG + value))


def test_every_node_with_evidence_gets_its_status(triples: set[str]) -> None:
    # Derived: a quote gives stated, a source URL alone gives listed.
    assert status("tidevand", "stated") in triples
    assert status("kystby", "listed") in triples
    assert status("membership/kystby/harbour-net/member", "listed") in triples
    # A membership the strategy quotes and a list gives is stated (the strongest).
    assert status("membership/tidevand/harbour-net/member", "stated") in triples
    assert status("membership/tidevand/harbour-net/member", "listed") not in triples
    # Explicit: inferred, with the editor's reason.
    assert status("sail-club", "inferred") in triples
    note = '"Named on a poster at the harbour; neither the strategy nor a list names it."@en'
    assert nt(iri(C + "id/sail-club"), iri(CKG + "inferenceNote"), note) in triples
    # The administration has no evidence and no status: none is guessed.
    assert not any(t.startswith(f"<{C}id/tide-finance> <{CKG}status>") for t in triples)


def statements(triples: set[str]) -> dict[str, dict[str, set[str]]]:
    found: dict[str, dict[str, set[str]]] = {}
    for line in triples:
        s, p, o = line[:-2].split(" ", 2)
        if s.startswith(f"<{C}id/statement/"):
            found.setdefault(s, {}).setdefault(p, set()).add(o)
    return found


def test_per_fact_evidence_and_inferences_are_reified(triples: set[str]) -> None:
    by_fact = {
        (next(iter(v[iri(RDF + "subject")])), next(iter(v[iri(RDF + "predicate")]))): v
        for v in statements(triples).values()
    }
    net = iri(C + "id/harbour-net")
    owner = by_fact[(net, iri(CKG + "ownedBy"))]
    assert owner[iri(RDF + "object")] == {iri(C + "id/tide-finance")}
    assert owner[iri(CKG + "status")] == {iri(CKG + "inferred")}
    assert owner[iri(CKG + "inferenceNote")] == {
        '"The strategy names no owner; the finance administration keeps the network list."@en'
    }
    sdg = by_fact[(net, iri(CKG + "contributesTo"))]
    assert sdg[iri(RDF + "object")] == {"<http://metadata.un.org/sdg/14>"}
    assert sdg[iri(CKG + "status")] == {iri(CKG + "listed")}
    assert sdg["<http://purl.org/dc/terms/source>"] == {"<https://harbour-net.example/about>"}
    assert sdg[iri(CKG + "asOf")] == {f'"2025-11"^^<{XSD}gYearMonth>'}
    hosts = by_fact[(iri(C + "id/harbour-days"), iri(CKG + "hostedBy"))]
    assert hosts[iri(CKG + "status")] == {iri(CKG + "stated")}
    assert len(hosts["<http://www.w3.org/ns/prov#wasDerivedFrom>"]) == 1
    assert len(by_fact) == 3
    # The triples themselves are still asserted, and the per-fact source is not the entry's.
    assert nt(net, iri(CKG + "ownedBy"), iri(C + "id/tide-finance")) in triples
    assert (
        nt(net, "<http://purl.org/dc/terms/source>", "<https://harbour-net.example/about>")
        not in triples
    )


def test_quantities_keep_their_qualifier_time_and_evidence(triples: set[str]) -> None:
    q = C + "id/quantity/harbour-net/member-cities/2021"
    assert nt(iri(C + "id/harbour-net"), iri(CKG + "quantity"), iri(q)) in triples
    assert nt(iri(q), iri(RDF + "type"), iri(SCHEMA + "QuantitativeValue")) in triples
    assert nt(iri(q), iri(CKG + "measure"), iri(C + "id/member-cities")) in triples
    assert nt(iri(q), iri(SCHEMA + "value"), f'"40"^^<{XSD}integer>') in triples
    assert nt(iri(q), iri(CKG + "qualifier"), iri(CKG + "about")) in triples
    assert nt(iri(q), "<http://purl.org/dc/terms/temporal>", f'"2021"^^<{XSD}gYear>') in triples
    assert status("quantity/harbour-net/member-cities/2021", "stated") in triples
    listed = C + "id/quantity/harbour-net/national-networks/undated"
    assert nt(iri(listed), iri(CKG + "qualifier"), iri(CKG + "moreThan")) in triples
    assert status("quantity/harbour-net/national-networks/undated", "listed") in triples
    assert nt(iri(listed), iri(CKG + "asOf"), f'"2025"^^<{XSD}gYear>') in triples
    growth = iri(C + "id/quantity/tidevand/population-growth/..2040")
    assert nt(growth, iri(CKG + "periodEnd"), f'"2040"^^<{XSD}gYear>') in triples
    assert nt(growth, iri(CKG + "qualifier"), iri(CKG + "about")) in triples
    rng = iri(C + "id/quantity/harbour-days/participants/2024")
    assert nt(rng, iri(SCHEMA + "minValue"), f'"2000"^^<{XSD}integer>') in triples
    assert nt(rng, iri(SCHEMA + "maxValue"), f'"3000"^^<{XSD}integer>') in triples
    assert nt(rng, iri(CKG + "qualifier"), iri(CKG + "exact")) in triples
    # The unit is the measure's.
    assert nt(iri(C + "id/member-cities"), iri(SCHEMA + "unitText"), '"cities"@en') in triples


def test_relations_and_mappings(triples: set[str]) -> None:
    def rel(s: str, p: str, o: str) -> str:
        return nt(iri(C + "id/" + s), iri(CKG + p), iri(C + "id/" + o))

    assert rel("harbour-net", "commitsTo", "sea-accord") in triples
    assert rel("p1", "basedOn", "harbour-plan") in triples
    assert rel("p1", "concerns", "harbour-net") in triples
    assert rel("harbour-plan", "concerns", "harbour-net") in triples
    assert rel("harbour-days", "basedOn", "harbour-plan") in triples
    assert rel("membership/tidevand/harbour-net/member", "supports", "harbour-plan") in triples
    organizer = f"<{C}id/harbour-days> <{SCHEMA}organizer>"
    assert {t for t in triples if t.startswith(organizer)} == {
        f"{organizer} <{C}id/harbour-net> .",
        f"{organizer} <{C}id/tidevand> .",
        # A host is an organizer too (ckg:hostedBy is a sub-property, materialised).
    }
    closematch = "<http://www.w3.org/2004/02/skos/core#closeMatch>"
    exactmatch = "<http://www.w3.org/2004/02/skos/core#exactMatch>"
    assert nt(iri(C + "id/harbour"), closematch, "<http://metadata.un.org/sdg/14>") in triples
    assert not any(exactmatch in t and "metadata.un.org/sdg" in t for t in triples)


# (case, file, text to replace, replacement, expected message after "Error: {dir}/")
CASES = [
    (
        "inferred-without-reason",
        "actors.yaml",
        "    reason: Named on a poster at the harbour; neither the strategy nor a list names it.\n",
        "",
        "actors.yaml:26: the status 'inferred' has no 'reason'. "
        "Add 'reason: ...': one line on why the editor infers it.",
    ),
    (
        "reason-without-inferred",
        "actors.yaml",
        "    status: inferred\n",
        "",
        "actors.yaml:26: a 'reason' without 'status: inferred'. "
        "Add 'status: inferred', or remove the reason.",
    ),
    (
        "stated-without-quote",
        "actors.yaml",
        '      - {source: "https://harbour-net.example/members"}\n',
        '      - {source: "https://harbour-net.example/members"}\n    status: stated\n',
        "actors.yaml:18: the status 'stated' without a quote. Add evidence {section, quote} from "
        "the strategy, or write the status the evidence gives ('listed' for a source URL, "
        "'inferred' with a reason).",
    ),
    (
        "listed-without-source",
        "actors.yaml",
        "    country: denmark\n    evidence:\n      - {section: s-city",
        "    country: denmark\n    status: listed\n    evidence:\n      - {section: s-city",
        "actors.yaml:6: the status 'listed' without a source URL. Add evidence "
        "{source: https://...}, or write 'status: inferred' with a reason.",
    ),
    (
        "unknown-status",
        "actors.yaml",
        "    status: inferred\n",
        "    status: infered\n",
        "actors.yaml:26: unknown status 'infered'. Did you mean 'inferred'?",
    ),
    (
        "for-a-field-the-entry-lacks",
        "work.yaml",
        "for: [sdgs]",
        "for: [hosts]",
        "work.yaml:13: 'for' names the field 'hosts', which the network does not have. "
        "Fields it has: commits_to, label, owner, sdgs, themes.",
    ),
    (
        "inferred-field-the-entry-lacks",
        "work.yaml",
        "      owner: The strategy",
        "      organizer: The strategy",
        "work.yaml:9: 'inferred' names the field 'organizer', which the network does not have. "
        "Fields it has: commits_to, label, owner, sdgs, themes.",
    ),
    (
        "inferred-and-evidenced",
        "work.yaml",
        "for: [sdgs]",
        "for: [owner]",
        "work.yaml:9: the field 'owner' is inferred and has evidence of its own (for:). "
        "Keep one: the evidence, or the inference.",
    ),
    (
        "as-of-without-source",
        "work.yaml",
        '{section: s-networks, quote: "members commit to the Sea Accord"}',
        '{section: s-networks, quote: "members commit to the Sea Accord", as_of: 2025}',
        "work.yaml:24: an as-of date (as_of) without a source. Give the URL of the public list "
        "it describes: '{source: https://..., as_of: 2025-11}' (in a CSV file, the column "
        "source_url).",
    ),
    (
        "unknown-measure",
        "work.yaml",
        "measure: member-cities",
        "measure: members",
        "work.yaml:14: unknown measure 'members' in 'quantities'. Did you mean 'member-cities'?",
    ),
    (
        "unknown-qualifier",
        "work.yaml",
        "qualifier: more-than",
        "qualifier: over",
        "work.yaml:17: unknown qualifier 'over'. Known qualifiers: exact, about, around, "
        "more-than, at-least, less-than, up-to.",
    ),
    (
        "value-and-range",
        "work.yaml",
        "min: 2000, max: 3000",
        "value: 2500, min: 2000, max: 3000",
        "work.yaml:55: a quantity has both 'value' and a range ('min'/'max'). "
        "Give one: the value, or min and max.",
    ),
    (
        "min-above-max",
        "work.yaml",
        "min: 2000, max: 3000",
        "min: 3000, max: 2000",
        "work.yaml:55: a quantity's min 3000 is above its max 2000. Swap or correct them.",
    ),
    (
        "year-and-period",
        "work.yaml",
        "qualifier: around, year: 2021,",
        "qualifier: around, year: 2021, end: 2030,",
        "work.yaml:15: a quantity has both 'year' and a period ('start'/'end'). "
        "Give one: 'year' for a point in time, 'start'/'end' for a period.",
    ),
    (
        "count-given-twice",
        "work.yaml",
        "    commits_to: [sea-accord]\n",
        "    commits_to: [sea-accord]\n    member_count: 40\n",
        "work.yaml:9: 'member_count' and a 'member-cities' quantity both give the count. "
        "Keep the quantity (it says 'about', 'more than' or the year) and remove 'member_count'.",
    ),
    (
        "based-on-an-actor",
        "work.yaml",
        "    based_on: [harbour-plan]\n    concerns",
        "    based_on: [tidevand]\n    concerns",
        "work.yaml:40: 'tidevand' in 'based_on' is a city, not a plan, document, event or "
        "cooperation. Point 'based_on' to a plan, document, event or cooperation.",
    ),
    (
        "csv-as-of-without-source",
        "memberships-list.csv",
        "kystby,harbour-net,member,https://harbour-net.example/members,2025-11",
        "kystby,harbour-net,member,,2025-11",
        "memberships-list.csv:2: an as-of date (as_of) without a source. Give the URL of the "
        "public list it describes: '{source: https://..., as_of: 2025-11}' (in a CSV file, the "
        "column source_url).",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_truth(run: Run, tmp_path: Path, file: str, old: str, new: str, expected: str) -> None:
    data = tmp_path / "truth"
    shutil.copytree(TRUTH, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, "the fixture changed: update the case"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("build", data, "--store", tmp_path / "store", "-q")
    assert result.stderr == f"Error: {data}/{expected}\n"
    assert result.exit_code == 1


def test_public_profile_leaves_out_the_reified_facts_of_hidden_values(
    run: Run, tmp_path: Path
) -> None:
    data = tmp_path / "truth"
    shutil.copytree(TRUTH, data)
    work = data / "work.yaml"
    text = work.read_text(encoding="utf-8")
    work.write_text(
        text.replace(
            "    owner: tide-finance\n", "    owner: tide-finance\n    internal: [owner]\n"
        ),
        encoding="utf-8",
    )
    actors = data / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(
        text.replace("    type: association\n", "    type: association\n    internal: true\n"),
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert run("build", data, "--store", store, "-q").exit_code == 0
    public = run("export", "--store", store, "--format", "nt").stdout
    everything = run("export", "--store", store, "--format", "nt", "--include-internal").stdout
    owned = f"<{RDF}predicate> <{CKG}ownedBy>"
    assert owned in everything and owned not in public
    assert f"<{C}id/tide-finance>" not in {
        line.split(" ")[2] for line in public.splitlines() if line.startswith(f"<{C}id/statement/")
    }
    # The inferred membership of the internal club goes with it, reason and all.
    assert "pays the club's fee" in everything and "pays the club's fee" not in public
    assert "statement/" in public  # the public per-fact evidence stays


TEXT = FIXTURES / "truth-text" / "strategy.txt"
FIX = "Quote the text exactly or name the section it is in."


def _planted(tmp_path: Path) -> Path:
    """The fixture with two wrong quotes: a figure the text does not give, and a passage of
    another section."""
    data = tmp_path / "truth"
    shutil.copytree(TRUTH, data)
    work = data / "work.yaml"
    text = work.read_text(encoding="utf-8")
    text = text.replace('quote: "around 40 member cities"', 'quote: "around 50 member cities"')
    text = text.replace(
        '{section: s-networks, quote: "We work through our networks"}',
        '{section: s-events, quote: "We work through our networks"}',
    )
    work.write_text(text, encoding="utf-8")
    return data


def test_quotes_match_the_loaded_text(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "truth"
    shutil.copytree(TRUTH, data)
    # Whitespace (a line break inside the quote) and typographic apostrophes fold.
    actors = data / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(
        text.replace(
            '      - {section: s-city, quote: "Tidevand is a harbour city."}\n',
            '      - {section: s-city, quote: "Tidevand is a harbour city."}\n'
            '      - {section: s-networks, quote: "Tidevand\'s members of staff meet"}\n',
        ),
        encoding="utf-8",
    )
    result = run("build", data, TEXT, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 0
    assert "Error" not in result.stderr


def test_a_wrong_quote_is_an_error_when_the_text_is_built(run: Run, tmp_path: Path) -> None:
    data = _planted(tmp_path)
    store = tmp_path / "store"
    result = run("build", data, TEXT, "--store", store, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f'Error: {data}/work.yaml:16: the quote "around 50 member cities" is not in section '
        f"'s-networks' of {TEXT}. {FIX}",
        f'Error: {data}/work.yaml:43: the quote "We work through our networks" is not in '
        f"section 's-events' of {TEXT}. {FIX}",
    ]
    # Without the text nothing can be checked: the dataset alone builds.
    assert run("build", data, "--store", store, "-q").exit_code == 0


def test_a_wrong_quote_is_an_error_when_the_text_is_loaded(run: Run, tmp_path: Path) -> None:
    data = _planted(tmp_path)
    store = tmp_path / "store"
    assert run("build", data, "--store", store, "-q").exit_code == 0
    result = run("load", "text", TEXT, "--store", store, "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f'Error: {data}/work.yaml:16: the quote "around 50 member cities" is not in section '
        f"'s-networks' of {TEXT}. {FIX}"
    )
    assert len(result.stderr.splitlines()) == 2


def test_a_long_quote_is_cut_at_60_characters(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "truth"
    shutil.copytree(TRUTH, data)
    plans = data / "work.yaml"
    long = "The Harbour Plan guides our work with the network and with every port of the coast"
    plans.write_text(
        plans.read_text(encoding="utf-8").replace(
            '"The Harbour Plan guides our work with the network"', f'"{long}"'
        ),
        encoding="utf-8",
    )
    result = run("build", data, TEXT, "--store", tmp_path / "store", "-q")
    assert result.stderr == (
        f'Error: {data}/work.yaml:30: the quote "{long[:60]}..." is not in section '
        f"'s-city' of {TEXT}. {FIX}\n"
    )
