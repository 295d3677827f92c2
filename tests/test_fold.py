"""One fold everywhere: Python's name matching, the search key the build stores, the query."""

from __future__ import annotations

from pathlib import Path

import pytest

from citykg.analysis.networks import load_network
from citykg.fold import fold, name_key
from citykg.graph.store import open_dataset
from citykg.loaders.names import Named, NameIndex
from citykg.queries.sparql import LocalSource
from tests.conftest import Run

LODZ = """\
# Fictional test data: the network and its memberships are invented.
cities:
  - id: lodz
    label: Łódź
    alt_labels: [{pl: Miasto Łódź}]
  - id: koln
    label: Köln
    alt_labels: [Cologne]
networks:
  - id: eurocities-test
    label: A fictional test network
memberships:
  - {member: lodz, organization: eurocities-test}
  - {member: koln, organization: eurocities-test}
"""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łódź", "lodz"),
        ("København", "kobenhavn"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("Tel Aviv \u2013 Yafo", "tel aviv - yafo"),
        ("  São   Paulo ", "sao paulo"),
        ("Cafe\u0301", "cafe"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_name_key_is_the_words_of_the_fold() -> None:
    assert name_key("Łódź") == name_key("LODZ") == "lodz"
    assert name_key("Washington, D.C.") == name_key("washington dc")
    assert name_key("Copenhagen\u2019s") == "copenhagen"
    assert name_key("buenos-aires") == name_key("Buenos Aires") == "buenos aires"


def test_every_name_in_the_store_has_its_fold_as_search_key(copenhagen_store: Path) -> None:
    source = LocalSource(open_dataset(copenhagen_store))
    rows = source.select(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name (GROUP_CONCAT(?key; separator="|") AS ?keys) WHERE {
          ?x ckg:kind ?kind ; rdfs:label|skos:altLabel ?name .
          OPTIONAL { ?x ckg:searchKey ?key } } GROUP BY ?x ?name"""
    ).rows
    assert len(rows) > 400
    missing = [
        str(r["name"]) for r in rows if fold(str(r["name"])) not in str(r["keys"]).split("|")
    ]
    assert missing == []


@pytest.fixture(scope="module")
def lodz_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from citykg.graph.build import build

    folder = tmp_path_factory.mktemp("lodz")
    (folder / "dataset").mkdir()
    (folder / "dataset" / "work.yaml").write_text(LODZ, encoding="utf-8")
    store = folder / "store"
    build(store, [folder / "dataset"], validate=False)
    return store


def test_lodz_is_found_the_same_way_by_search_overlaps_and_the_loaders(
    run: Run, lodz_store: Path
) -> None:
    # The query's search key, the analyses' name index and the loaders' name index agree.
    found = run("query", "search", "-p", "text=lodz", "--store", lodz_store, "--format", "csv")
    assert found.stdout.splitlines()[1:] == ["lodz,Łódź,city,exact"]
    overlaps = run("overlaps", "lodz", "--store", lodz_store, "--format", "csv")
    assert overlaps.exit_code == 0, overlaps.output
    assert overlaps.stdout.splitlines()[1].startswith("koln,Köln,city,1,")
    net = load_network(LocalSource(open_dataset(lodz_store)))
    assert net.matches("ŁÓDŹ", ["city"]) == ["lodz"]
    index = NameIndex([("Łódź", Named("lodz", None, "city"))])  # type: ignore[arg-type]
    assert [n.identifier for n in index.lookup("lodz")] == ["lodz"]
