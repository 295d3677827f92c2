# ruff: noqa: RUF001  (the labels and periods of the data hold en dashes)
"""``citykg brief`` and ``citykg timeline`` through the CLI: exact Markdown, the honest page for
a city not in the graph, ambiguous names, ``--all``, evidence statuses, escaping.

The fictional dataset is tests/fixtures/brief (with explicit statuses); Beijing and
Buenos Aires come from the built-in Copenhagen dataset."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from citykg.graph.build import build
from citykg.graph.push import DEFAULT_GRAPH
from citykg.options import INTERNAL_WARNING
from citykg.pagedata import Evidence, evidence_status
from tests.conftest import FIXTURES, XSS, Run
from tests.servers import oxigraph_server

AS_OF = "2026-01-15"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture(scope="module")
def brief_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("brief") / "store"
    build(store, [FIXTURES / "brief"])
    return store


def _footer(store: Path) -> str:
    return (
        f"Made on {_day(dt.date.today())} with citykg 0.1.0; facts as of 15 January 2026. "
        "Built from Fictional partners of Copenhagen (citykg tests); citykg's shared vocabulary "
        f"(citykg), read from {store} (its "
        "public profile: internal data left out).\n\n"
        "Evidence: stated = quoted from the strategy; listed = from a public list; inferred = "
        "the editor's inference; no evidence = the data gives none.\n"
    )


PRINCIPLES = """## Principles of the strategy that apply

### Principle 2: Partners come from the networks

The city finds its partners in its networks.

- “Partners are found in the networks.” (Principles)

Here: {p2}

### Principle 4: Agreements are time-limited

Agreements with other cities run for a limited period.

- “Agreements run for a limited time.” (Principles)

Here: {p4}

### Principle 6: The City Council approves binding agreements

A binding agreement is checked for City Council approval.

- “Binding agreements may need the City Council.” (Principles)

Here: {p6}
"""


def test_brief_markdown_of_a_partner(run: Run, brief_store: Path) -> None:
    result = run("brief", "Vesterby", "--format", "md", "--as-of", AS_OF, "--store", brief_store)
    assert result.exit_code == 0, result.output
    principles = PRINCIPLES.format(
        p2="Vesterby and Copenhagen share the network Green Cities Network.",
        p4="Copenhagen–Vesterby water agreement runs until 2026-03-31.",
        p6="A binding agreement must be assessed for City Council approval (principle 6: The "
        "City Council approves binding agreements); the Council approved Copenhagen–Vesterby "
        "water agreement on 2021-11-25: check whether the new one falls within it.",
    )
    expected = f"""# Briefing: Vesterby and Copenhagen

Briefing for Copenhagen, as of 15 January 2026. Assess score: **7 (possible fit)**.

Shares 4 collaborations with Copenhagen: Copenhagen–Vesterby water agreement; Green Cities Network; Clean Harbour; Harbour Day 2025.
3 themes in common.
1 agreement ending within 6 months.

## Who Vesterby is

A fictional port city in Freedonia.

- Also called: Ciudad de Vesterby (es)
- Kind: city
- Country: Freedonia
- Population: 250,000
- Coordinates: -33.4500, -70.6600
- In the graph as: stated
  - “Copenhagen and Vesterby cooperate on water.” (Cooperation)
- Takes part in:
  - Copenhagen–Vesterby water agreement (cooperation, party): shared
  - Harbour Day 2025 (event, host, past): shared
  - Green Cities Network (network, member): shared
  - Clean Harbour (project, partner, past): shared
  - Culture Cities (network, member)

## What Vesterby shares with Copenhagen

### Copenhagen–Vesterby water agreement (cooperation, current, 2022-01-01 – 2026-03-31)

- Vesterby: party (stated)
- Copenhagen: party (stated)
- Period: 2022-01-01 – 2026-03-31; binding: yes; Council approval required: yes; Council approved: 2021-11-25
- “The water agreement runs until March 2026.” (Cooperation)

### Green Cities Network (network, current)

- Vesterby: member (listed, as of 2025-03)
- Copenhagen: member, since 2018 (stated)
- “Copenhagen is a member of the Green Cities Network.” (Networks)
- Listed on https://example.org/green-network-members

### Clean Harbour (project, past, 2019-01 – 2024-06)

- Vesterby: partner (listed)
- Copenhagen: lead (stated)
- “The Clean Harbour project cuts waste \\</script\\>\\<b\\>in ports\\</b\\>.” (Cooperation)
- “Copenhagen leads Clean Harbour.” (Cooperation)
- Listed on https://example.org/clean-harbour

### Harbour Day 2025 (event, past, 2025-05-20)

- Vesterby: host (stated)
- Copenhagen: host (stated)
- “Both cities host Harbour Day.” (Cooperation)

## Themes in common

**3 themes:** Climate action, Climate adaptation, Waste.

| Copenhagen's initiatives on them | Themes in common it covers |
|---|---|
| Clean Harbour (shared) | Waste |
| Copenhagen–Vesterby water agreement (shared) | Climate action, Climate adaptation |
| Green Cities Network (shared) | Climate action, Climate adaptation |
| Harbour Day 2025 (shared) | Waste |

{principles}
## Agreements ending within 6 months

- **Copenhagen–Vesterby water agreement** (cooperation) ends 2026-03-31: in 75 days.

## Assessment: 7 points, possible fit

- +1 shares the project Clean Harbour (ended)
- +2 shares the cooperation Copenhagen–Vesterby water agreement (current)
- +3 shares the city network Green Cities Network (current)
- +1 shares the event Harbour Day 2025 (ended)

---

{_footer(brief_store)}"""
    assert result.output == expected


def test_brief_of_a_city_in_the_graph_that_shares_nothing(run: Run, brief_store: Path) -> None:
    result = run("brief", "lonely", "--format", "md", "--as-of", AS_OF, "--store", brief_store)
    assert result.exit_code == 0, result.output
    principles = PRINCIPLES.format(
        p2="Lonely Town is in none of Copenhagen's networks.",
        p4="Copenhagen has no agreement with Lonely Town yet: a new one is for a limited period.",
        p6="A binding agreement with Lonely Town would be new: assess whether it must be "
        "presented to the City Council for approval (principle 6: The City Council approves "
        "binding agreements).",
    )
    assert (
        result.output
        == f"""# Briefing: Lonely Town and Copenhagen

Briefing for Copenhagen, as of 15 January 2026. Assess score: **0 (weak fit)**.

Shares no networks, projects, programmes, agreements or events with Copenhagen.
No theme in common.

## Who Lonely Town is

- Kind: city
- Country: Freedonia
- Population: not recorded
- Coordinates: not recorded
- In the graph as: no evidence
- Takes part in nothing in the graph.

## What Lonely Town shares with Copenhagen

Nothing: Lonely Town and Copenhagen take part in no network, project, programme, agreement or event together.

## Themes in common

None: no theme of Lonely Town's collaborations is a theme of Copenhagen's.

{principles}
## Agreements ending within 6 months

None of the shared agreements, projects, programmes or networks ends between 15 January 2026 and 15 July 2026.

## Assessment: 0 points, weak fit

No point: nothing shared, and no theme or purpose was given to assess.

---

{_footer(brief_store)}"""
    )


def test_brief_of_a_city_not_in_the_graph_says_it_shares_nothing(
    run: Run, brief_store: Path
) -> None:
    result = run("brief", "Atlantis", "--format", "md", "--as-of", AS_OF, "--store", brief_store)
    assert result.exit_code == 0, result.output
    head = result.output.split("## Principles")[0]
    assert head == (
        "# Briefing: Atlantis and Copenhagen\n\n"
        "Briefing for Copenhagen, as of 15 January 2026. Assess score: **0 (weak fit)**.\n\n"
        "Atlantis is not in the graph, so it shares no networks, projects, programmes, "
        "agreements or events with Copenhagen.\n\n"
        "## Who Atlantis is\n\n"
        "Atlantis is not in the graph. Nothing about it is recorded: no names, country, "
        "networks or evidence.\n\n"
        "## What Atlantis shares with Copenhagen\n\n"
        "Nothing: Atlantis and Copenhagen take part in no network, project, programme, "
        "agreement or event together (Atlantis is not in the graph).\n\n"
        "## Themes in common\n\n"
        "None: no theme of Atlantis's collaborations is a theme of Copenhagen's.\n\n"
    )
    assert "Here: Atlantis is not in the graph: it shares none of Copenhagen's networks." in (
        result.output
    )


def test_brief_html_of_a_city_not_in_the_graph(run: Run, brief_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "atlantis.html"
    result = run("brief", "Atlantis", "-o", out, "--as-of", AS_OF, "--store", brief_store)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote {out}: Atlantis is not in the graph; it shares nothing with Copenhagen.\n"
    )
    page = out.read_text(encoding="utf-8")
    assert "Atlantis is not in the graph, so it shares no networks" in page
    assert "nothing shared" in page  # the focus map says so too


def test_an_ambiguous_name_lists_the_candidates(run: Run, brief_store: Path) -> None:
    result = run("brief", "Springfield", "--store", brief_store)
    assert result.exit_code == 1
    assert result.output == (
        "Error: the city name 'Springfield' is ambiguous. Use one of the IDs "
        "'springfield-north' (Springfield), 'springfield-south' (Springfield).\n"
    )


def test_explicit_statuses_and_list_dates(run: Run, brief_store: Path) -> None:
    result = run("brief", "amaro", "--format", "md", "--as-of", AS_OF, "--store", brief_store)
    assert "- Port Amaro: member (inferred: the network's map shows the harbour)\n" in (
        result.output
    )
    assert "- Copenhagen: member, since 2018 (stated)\n" in result.output


def test_a_status_outside_the_three_is_an_error(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad-status.ttl"
    bad.write_text(
        "<https://w3id.org/citykg/id/membership/amaro/green-net/member> "
        "<https://w3id.org/citykg/ontology#status> "
        "<https://w3id.org/citykg/ontology#rumoured> .\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    # The shapes refuse it at build time; a store built without them, or an endpoint, may hold
    # it all the same.
    build(store, [FIXTURES / "brief", bad], validate=False)
    result = run("brief", "amaro", "--format", "md", "--store", store)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {store}: 'membership/amaro/green-net/member' has the evidence status "
        "'rumoured'. Use ckg:stated, ckg:listed or ckg:inferred.\n"
    )


def test_evidence_status_is_derived_only_from_evidence() -> None:
    quote = Evidence(quote="Copenhagen is a member.", section="Networks")
    listed = Evidence(source="https://example.org/list")
    assert evidence_status([listed, quote]) == "stated"
    assert evidence_status([listed]) == "listed"
    assert evidence_status([]) is None  # never a guessed "inferred"
    assert evidence_status([quote], explicit="inferred") == "inferred"


def test_every_value_is_escaped_in_the_html(run: Run, brief_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "mallory.html"
    run("brief", "mallory", "-o", out, "--store", brief_store)
    page = out.read_text(encoding="utf-8")
    assert XSS not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "</script><script>alert(2)" not in page
    assert "<script" not in page  # a brief needs no script at all
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert found is not None
    csp = html.unescape(found.group(1))
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    vesterby = tmp_path / "vesterby.html"
    run("brief", "vesterby", "-o", vesterby, "--store", brief_store)
    text = vesterby.read_text(encoding="utf-8")
    assert "cuts waste &lt;/script&gt;&lt;b&gt;in ports&lt;/b&gt;." in text
    # nothing is loaded from anywhere: links to sources are only links
    assert not re.search(r"""\ssrc\s*=|url\(|@import""", text, re.I)


def test_markdown_escapes_every_value(run: Run, brief_store: Path) -> None:
    result = run("brief", "mallory", "--format", "md", "--store", brief_store)
    assert "# Briefing: \\<img src=x onerror=alert(1)\\> and Copenhagen\n" in result.output
    assert "A name that tries to run a script: \\</script\\>\\<script\\>alert(2)" in (result.output)
    assert "<" not in result.output.replace("\\<", "")


def test_include_internal_says_so_on_the_page(run: Run, brief_store: Path) -> None:
    result = run(
        "brief", "vesterby", "--format", "md", "--include-internal", "--store", brief_store
    )
    assert result.exit_code == 0
    assert result.stderr == INTERNAL_WARNING + "\n"
    assert (
        "> **Internal data included (--include-internal): do not publish or share this page "
        "outside the administration.**" in result.stdout
    )
    assert "(including internal data)" in result.stdout


def test_all_writes_one_brief_per_partner_city_and_an_index(
    run: Run, brief_store: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "briefs"
    result = run("brief", "--all", "-o", folder, "--as-of", AS_OF, "--store", brief_store)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 5 briefs and {folder / 'index.html'}.\n"
    assert sorted(p.name for p in folder.iterdir()) == [
        "amaro.html",
        "index.html",
        "mallory.html",
        "springfield-north.html",
        "springfield-south.html",
        "vesterby.html",
    ]
    index = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]*)</a>', index)
    # best fit first, then by name; Lonely Town shares nothing and has no brief
    assert links == [
        ("vesterby.html", "Vesterby"),
        ("mallory.html", "&lt;img src=x onerror=alert(1)&gt;"),
        ("amaro.html", "Port Amaro"),
        ("springfield-north.html", "Springfield"),
        ("springfield-south.html", "Springfield"),
    ]
    assert "5 cities that share at least one network" in index
    assert "1 possible fit, 4 weak fit." in index


def test_all_in_markdown(run: Run, brief_store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "md"
    result = run("brief", "--all", "--format", "md", "-o", folder, "--store", brief_store)
    assert result.output == f"Wrote 5 briefs and {folder / 'index.md'}.\n"
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert index.splitlines()[4:6] == [
        "| City | Country | Score | Fit | Shared with Copenhagen | Ending soon | Brief |",
        "|---|---|---|---|---|---|---|",
    ]
    assert "| \\<img src=x onerror=alert(1)\\> |  | 3 | weak fit | Green Cities Network |" in index


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["vesterby", "--all", "-o", "x"], "Give a CITY or --all, not both."),
        (["--all"], "--all writes one page per city: name a folder with -o."),
        ([], "Name the CITY to brief on, or give --all."),
    ],
)
def test_brief_usage_errors(run: Run, brief_store: Path, args: list[str], message: str) -> None:
    result = run("brief", *args, "--store", brief_store)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


def test_brief_names_the_shared_work_of_beijing_and_buenos_aires(
    run: Run, copenhagen_store: Path
) -> None:
    for city, agreement in (
        ("Beijing", "Strategic Sector Cooperation Copenhagen–Beijing"),
        ("Buenos Aires", "Strategic Sector Cooperation Copenhagen–Buenos Aires"),
    ):
        result = run("brief", city, "--format", "md", "--as-of", AS_OF, "--store", copenhagen_store)
        assert result.exit_code == 0, result.output
        text = result.output
        assert (
            f"Shares 3 collaborations with Copenhagen: {agreement}; C40 Cities Climate "
            "Leadership Group; Strategic Sector Cooperation.\n7 themes in common.\n"
        ) in text
        assert (
            "**7 themes:** Circular economy, Climate action, Climate adaptation, Construction, "
            "Energy efficiency, Knowledge sharing, Wastewater management.\n"
        ) in text
        assert f"### {agreement} (cooperation, current)\n" in text
        assert "### C40 Cities Climate Leadership Group (network, current)\n" in text
        assert f"- {city}: member (listed, as of 2025)\n" in text  # the C40 list of 2025
        assert "### Strategic Sector Cooperation (programme, current)\n" in text
        assert f"Here: {agreement} has no end date.\n" in text
        assert "- +3 shares the city network C40 Cities Climate Leadership Group (current)\n" in (
            text
        )


def test_brief_of_nantes_in_copenhagens_graph(run: Run, copenhagen_store: Path) -> None:
    result = run("brief", "Nantes", "--format", "md", "--store", copenhagen_store)
    assert result.exit_code == 0
    assert (
        "Nantes is not in the graph, so it shares no networks, projects, programmes, "
        "agreements or events with Copenhagen.\nClosest names in the graph: Athens (athens).\n"
    ) in result.output


def test_timeline_cli(run: Run, brief_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "timeline.html"
    result = run("timeline", "-o", out, "--as-of", AS_OF, "--store", brief_store)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out}: 5 dated, 1 undated.\n"
    page = out.read_text(encoding="utf-8")
    rows = re.findall(r'<button type="button" class="(tl-row[^"]*)" data-item="(\d+)"', page)
    labels = re.findall(r'<span class="name">([^<]*)</span>', page)
    assert labels == [
        "Green Cities Network",
        "Copenhagen–Vesterby water agreement",
        "Clean Harbour",
        "&lt;img src=x onerror=alert(1)&gt;",
        "Harbour Day 2025",
    ]
    # the agreement ending 2026-03-31 is within 6 months of 2026-01-15
    assert [c for c, _ in rows] == ["tl-row", "tl-row soon", "tl-row", "tl-row", "tl-row"]
    # the membership since 2018 has no end: open to the right
    assert 'class="tl-mark open-right"' in page
    # one-day events are points; the undated street party is listed apart, with no mark
    assert page.count('class="tl-mark point"') == 2
    undated = page.split('<section class="tl-undated">')[1].split("</section>")[0]
    assert "Street Party" in undated and "tl-mark" not in undated
    assert "Street Party" not in page.split('<section class="tl-undated">')[0]
    assert "A festival &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert XSS not in page


def test_timeline_with_a_shorter_horizon_flags_nothing(
    run: Run, brief_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "timeline.html"
    run("timeline", "-o", out, "--as-of", AS_OF, "--months", "2", "--store", brief_store)
    assert "tl-row soon" not in out.read_text(encoding="utf-8")


def test_timeline_of_an_unknown_home_is_an_error(run: Run, brief_store: Path) -> None:
    result = run("timeline", "--home", "copenhagn", "--store", brief_store)
    assert result.exit_code == 1
    assert result.output == "Error: unknown actor 'copenhagn'. Did you mean 'copenhagen'?\n"


@pytest.mark.server
def test_brief_and_timeline_from_an_endpoint_match_the_local_ones(
    run: Run, brief_store: Path, tmp_path: Path
) -> None:
    with oxigraph_server(tmp_path / "oxigraph") as url:
        pushed = run("push", "-q", "--graph-store", url + "/store", "--store", brief_store)
        assert pushed.exit_code == 0, pushed.output
        remote = ("--endpoint", url + "/query", "--graph", DEFAULT_GRAPH, "--as-of", AS_OF)
        local = ("--store", brief_store, "--as-of", AS_OF)
        for args in (
            ("brief", "vesterby", "--format", "md"),
            ("brief", "Atlantis", "--format", "md"),
        ):
            there = run(*args, *remote)
            here = run(*args, *local)
            assert there.exit_code == 0, there.output
            # the same page but for where it was read from
            assert there.output == here.output.replace(
                f"read from {brief_store}", f"read from {url}/query"
            )
        there = run("timeline", "-o", tmp_path / "remote.html", *remote)
        here = run("timeline", "-o", tmp_path / "local.html", *local)
        assert there.output.split(": ")[1] == here.output.split(": ")[1] == "5 dated, 1 undated.\n"


def test_brief_of_the_home_city_itself_is_an_error(run: Run, brief_store: Path) -> None:
    result = run("brief", "Copenhagen", "--store", brief_store)
    assert result.exit_code == 1
    assert result.output == (
        "Error: 'Copenhagen' is the home city itself. Name the city the request comes from.\n"
    )


def test_brief_html_to_stdout_and_all_into_a_file(
    run: Run, brief_store: Path, tmp_path: Path
) -> None:
    result = run("brief", "vesterby", "-o", "-", "--store", brief_store)
    assert result.stdout.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert result.stdout.rstrip().endswith("</html>")
    taken = tmp_path / "briefs"
    taken.write_text("not a folder", encoding="utf-8")
    result = run("brief", "--all", "-o", taken, "--store", brief_store)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: --all writes a folder of pages, and {taken} is a file."
    )
