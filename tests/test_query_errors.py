"""Bad input to ``citykg query``: one line, exit 1, the exact message; and injection attempts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal

from citykg.queries.library import get_query, prepare
from tests.conftest import Run

INJECTION = 'x" } DROP ALL; #'


def error(run: Run, *args: str | Path) -> str:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_query_name_suggests_the_closest(run: Run, copenhagen_store: Path) -> None:
    assert (
        error(run, "query", "member-of", "--store", copenhagen_store)
        == "Error: unknown query 'member-of'. Did you mean 'members-of'?"
    )
    assert (
        error(run, "query", "zzz", "--store", copenhagen_store)
        == "Error: unknown query 'zzz'. Run 'citykg queries' to list them."
    )


def test_missing_parameter(run: Run, copenhagen_store: Path) -> None:
    assert error(run, "query", "evidence", "--store", copenhagen_store) == (
        "Error: query 'evidence' needs the parameter 'entity' (a short ID like c40, a prefixed "
        "name like sdg:13, or a full IRI). Add -p entity=VALUE."
    )


def test_ill_typed_parameters(run: Run, copenhagen_store: Path) -> None:
    store = ("--store", copenhagen_store)
    assert (
        error(run, "query", "sdg-contributions", "-p", "goal=thirteen", *store)
        == "Error: parameter 'goal' must be an integer, not 'thirteen'. "
        "Give a whole number: -p goal=13."
    )
    assert error(run, "query", "agreements-ending", "-p", "today=31/12/2024", *store) == (
        "Error: parameter 'today' must be a date YYYY-MM-DD, not '31/12/2024'. "
        "Give a date: -p today=2025-01-31."
    )
    assert error(run, "query", "networks-of", "-p", "actor=two words", *store) == (
        "Error: parameter 'actor' must be an ID or an IRI, not 'two words'. "
        "Give a short ID: -p actor=c40."
    )
    assert (
        error(run, "query", "search", "-p", "text= ", *store)
        == "Error: parameter 'text' is empty. Give some text: -p text=climate."
    )


def test_unknown_parameter_name(run: Run, copenhagen_store: Path) -> None:
    assert (
        error(run, "query", "members-of", "-p", "netwrk=c40", "--store", copenhagen_store)
        == "Error: query 'members-of' has no parameter 'netwrk'. Did you mean 'network'?"
    )
    assert (
        error(run, "query", "themes", "-p", "x=1", "--store", copenhagen_store)
        == "Error: query 'themes' has no parameter 'x'. It takes no parameters."
    )


def test_param_without_equals_is_a_usage_error(run: Run, copenhagen_store: Path) -> None:
    result = run("query", "members-of", "-p", "c40", "--store", copenhagen_store)
    assert result.exit_code == 2
    assert "Invalid value for '-p': 'c40' is not NAME=VALUE" in result.stderr


def test_name_or_file_but_not_both(run: Run, copenhagen_store: Path, tmp_path: Path) -> None:
    assert run("query", "--store", copenhagen_store).exit_code == 2
    both = run("query", "themes", "--file", write(tmp_path / "a.rq", "ASK {}"))
    assert both.exit_code == 2
    assert "Give a query NAME or --file FILE (one of them)." in both.stderr


def test_unknown_id_names_the_closest(run: Run, copenhagen_store: Path) -> None:
    assert error(run, "query", "members-of", "-p", "network=c4", "--store", copenhagen_store) == (
        f"Error: unknown ID 'c4' for parameter 'network' in {copenhagen_store}. Did you mean 'c40'?"
    )
    assert error(
        run, "query", "networks-of", "-p", "actor=kopenhagen", "--store", copenhagen_store
    ) == (
        f"Error: unknown ID 'kopenhagen' for parameter 'actor' in {copenhagen_store}. "
        "Did you mean 'copenhagen' or 'greater-copenhagen' or 'meet-copenhagen-city'?"
    )


def test_full_iris_and_prefixed_names_are_accepted(run: Run, copenhagen_store: Path) -> None:
    by_id = run("query", "members-of", "-p", "network=force", "--store", copenhagen_store)
    by_iri = run(
        "query",
        "members-of",
        "-p",
        "network=<https://w3id.org/citykg/id/force>",
        "--store",
        copenhagen_store,
    )
    by_prefix = run("query", "members-of", "-p", "network=id:force", "--store", copenhagen_store)
    assert by_id.stdout == by_iri.stdout == by_prefix.stdout
    assert "hamburg" in by_id.stdout


def test_syntax_error_with_the_files_line_and_column(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    bad = write(tmp_path / "bad.rq", "SELECT ?x WHERE {\n  ?x ?y ?z\n}\nORDER ?x\n")
    assert (
        error(run, "query", "--file", bad, "--store", copenhagen_store)
        == f"Error: {bad}:4: SPARQL syntax error at column 9: expected BY. Correct the query."
    )
    # citykg puts its prefixes on line 1: the column is still the file's.
    prefix = write(tmp_path / "prefix.rq", "SELECT ?x WHERE { ?x foo:bar ?y }\n")
    assert error(run, "query", "--file", prefix, "--store", copenhagen_store) == (
        f"Error: {prefix}:1: SPARQL syntax error at column 29: unknown prefix (declare it with "
        "PREFIX). Correct the query."
    )
    # ... and so is a VALUES block for a parameter, on the WHERE line.
    values = write(
        tmp_path / "values.rq",
        "# title: t\n# param: n integer 1\nSELECT ?n WHERE { ?s ?p ?n } ORDER ?n\n",
    )
    assert (
        error(run, "query", "--file", values, "--store", copenhagen_store)
        == f"Error: {values}:3: SPARQL syntax error at column 38: expected BY. Correct the query."
    )


def test_bad_query_header(run: Run, copenhagen_store: Path, tmp_path: Path) -> None:
    typo = write(tmp_path / "t.rq", "# title: t\n# param: n int 3\nSELECT ?n WHERE { }\n")
    assert (
        error(run, "query", "--file", typo, "--store", copenhagen_store)
        == f"Error: {typo}:2: unknown parameter type 'int'. Did you mean 'integer'?"
    )
    default = write(tmp_path / "d.rq", "# title: t\n# param: n integer six\nSELECT ?n WHERE { }\n")
    assert error(run, "query", "--file", default, "--store", copenhagen_store) == (
        f"Error: {default}:2: the default of parameter 'n' is wrong: parameter 'n' must be an "
        "integer, not 'six'. Correct the header."
    )
    missing = tmp_path / "missing.rq"
    assert error(run, "query", "--file", missing, "--store", copenhagen_store) == (
        f"Error: {missing}: cannot read the query file (No such file or directory). Check the path."
    )


def test_bad_bind_header(run: Run, copenhagen_store: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "b.rq", "# title: t\n# bind: h = today - 3 days\nSELECT ?h WHERE { }\n")
    assert error(run, "query", "--file", bad, "--store", copenhagen_store) == (
        f"Error: {bad}:2: bad bind line. Write '# bind: NAME = DATE + MONTHS months'."
    )
    undeclared = write(
        tmp_path / "u.rq",
        "# title: t\n# param: today date today\n# bind: h = today + n months\nSELECT ?h WHERE { }\n",
    )
    assert error(run, "query", "--file", undeclared, "--store", copenhagen_store) == (
        f"Error: {undeclared}:3: '# bind: h' needs a date parameter 'today' and an integer "
        "parameter 'n'. Declare them with '# param:'."
    )
    far = write(
        tmp_path / "far.rq",
        "# title: t\n# param: today date today\n# param: n integer 1\n"
        "# bind: h = today + n months\nSELECT ?h WHERE { }\n",
    )
    assert error(run, "query", "--file", far, "-p", "n=999999999", "--as-of", "2024-01-31",
                 "--store", copenhagen_store) == (
        "Error: 999999999 months from 2024-01-31 is not a date. Give fewer months."
    )  # fmt: skip
    result = run("query", "--file", far, "-p", "n=1", "--as-of", "2024-01-31",
                 "--store", copenhagen_store, "--format", "csv")  # fmt: skip
    assert result.stdout == "h\n2024-02-29\n"  # a day the month lacks: its last day


def test_too_large_for_a_table_suggests_csv(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    many = write(tmp_path / "many.rq", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 201\n")
    assert error(run, "query", "--file", many, "--store", copenhagen_store) == (
        "Error: the result has 201 rows, too many for a table (at most 200). "
        "Use --format csv (or tsv, json, md), with -o FILE to save it."
    )
    as_csv = run("query", "--file", many, "--store", copenhagen_store, "--format", "csv")
    assert as_csv.exit_code == 0 and len(as_csv.stdout.splitlines()) == 1 + 201
    fits = write(tmp_path / "fits.rq", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 200\n")
    assert (
        len(run("query", "--file", fits, "--store", copenhagen_store).stdout.splitlines())
        == 2 + 200
    )


def test_no_store_built(run: Run, tmp_path: Path) -> None:
    assert error(run, "query", "themes", "--store", tmp_path / "none") == (
        f"Error: {tmp_path / 'none'}: no store has been built here. Run 'citykg build' first."
    )


def _triples(run: Run, store: Path) -> int:
    return int(json.loads(run("stats", "--store", store, "--format", "json").stdout)["triples"])


@pytest.mark.parametrize(
    "args",
    [
        ("search", "-p", f"text={INJECTION}"),
        ("partners-of", "-p", f"kind={INJECTION}", "-p", "min_shared=1"),
        ("search", "-p", 'text=Copenhagen" } #'),
    ],
)
def test_sparql_in_a_parameter_is_a_plain_value(
    run: Run, copenhagen_store: Path, args: tuple[str, ...]
) -> None:
    before = _triples(run, copenhagen_store)
    result = run("query", *args, "--store", copenhagen_store, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1  # the header: the value matched nothing, as text
    assert _triples(run, copenhagen_store) == before


def test_injection_stays_inside_one_literal() -> None:
    prepared = prepare(get_query("partners-of").text, {"kind": Literal(INJECTION)})
    assert ' VALUES (?kind) { ("x\\" } DROP ALL; #") } ' in prepared.text
    assert prepared.text.count("DROP ALL") == 1
