"""`citykg map` on the built-in data: views, errors, and the written page in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ARTIFACTS, Run


def _payload(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="citykg-data">(.*?)</script>', html, re.S
    )
    assert match, "the page carries its data as JSON"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _map(run: Run, store: Path, out: Path, *args: str) -> dict[str, Any]:
    result = run("map", "--store", store, "-o", out, "--as-of", "2026-01-01", *args)
    assert result.exit_code == 0, result.output
    data = _payload(out.read_text(encoding="utf-8"))
    assert (
        result.stdout == f"Wrote {out}: {len(data['nodes'])} nodes, {len(data['edges'])} links.\n"
    )
    return data


def test_whole_map_is_offline_and_has_every_kind(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "map.html"
    data = _map(run, copenhagen_store, out)
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    ids = {n["id"] for n in data["nodes"]}
    assert {
        "copenhagen",
        "c40",
        "force",
        "lisbon",
        "beijing",
        "tour-de-france-2022-grand-depart",
    } <= ids
    kinds = {n["kind"] for n in data["nodes"]}
    assert {
        "city",
        "region",
        "organisation",
        "network",
        "project",
        "programme",
        "cooperation",
        "event",
        "theme",
    } <= kinds


def test_focus_view(run: Run, copenhagen_store: Path, tmp_path: Path) -> None:
    data = _map(
        run,
        copenhagen_store,
        tmp_path / "m.html",
        "--focus",
        "force",
        "--depth",
        "1",
        "--kind",
        "city",
        "--kind",
        "project",
    )
    assert sorted(n["id"] for n in data["nodes"]) == [
        "copenhagen",
        "force",
        "genoa",
        "hamburg",
        "lisbon",
    ]


def test_theme_view_shows_initiatives_and_partners(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    data = _map(
        run,
        copenhagen_store,
        tmp_path / "m.html",
        "--theme",
        "circular-economy",
        "--kind",
        "city",
        "--kind",
        "project",
        "--kind",
        "cooperation",
    )
    assert sorted(n["id"] for n in data["nodes"]) == [
        "beijing", "buenos-aires", "copenhagen", "force", "genoa", "hamburg", "lisbon", "ssc-beijing", "ssc-buenos-aires",
    ]  # fmt: skip


def test_network_view(run: Run, copenhagen_store: Path, tmp_path: Path) -> None:
    data = _map(run, copenhagen_store, tmp_path / "m.html", "--network", "who-healthy-cities")
    assert sorted(n["id"] for n in data["nodes"]) == ["copenhagen", "who-healthy-cities"]


def test_overlaps_view_weights_edges_by_shared_collaborations(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    data = _map(
        run, copenhagen_store, tmp_path / "m.html", "--overlaps-of", "copenhagen", "--kind", "city"
    )
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    lisbon = edges.get(("copenhagen", "lisbon")) or edges[("lisbon", "copenhagen")]
    assert (
        lisbon["label"]
        == "C40 Cities Climate Leadership Group, Cities Cooperating for Circular Economy"
    )
    assert lisbon["weight"] == 2
    widths = {a if b == "copenhagen" else b: e["width"] for (a, b), e in edges.items()}
    assert widths["lisbon"] > widths["hamburg"]


def test_png(run: Run, copenhagen_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    result = run(
        "map",
        "--store",
        copenhagen_store,
        "--format",
        "png",
        "-o",
        out,
        "--network",
        "c40",
        "--kind",
        "network",
        "--kind",
        "city",
    )
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Wrote {out}: ")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--theme", "circular-econ"],
            "Error: no node has theme 'circular-econ'. Did you mean 'Circular economy'?\n",
        ),
        (
            ["--focus", "kopenhagen"],
            "Error: unknown actor or collaboration 'kopenhagen'. Did you mean 'copenhagen' or 'greater-copenhagen' or 'meet-copenhagen-city'?\n",
        ),
        (["--overlaps-of", "lisbn"], "Error: unknown actor 'lisbn'. Did you mean 'lisbon'?\n"),
    ],
)
def test_map_errors(
    run: Run, copenhagen_store: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "m.html"
    result = run("map", "--store", copenhagen_store, "-o", out, *args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert not out.exists()


def test_focus_and_overlaps_together_is_a_usage_error(run: Run, copenhagen_store: Path) -> None:
    result = run(
        "map", "--store", copenhagen_store, "--focus", "c40", "--overlaps-of", "copenhagen"
    )
    assert result.exit_code == 2
    assert "--focus and --overlaps-of are two different views: give one." in result.stderr


@pytest.mark.browser
def test_copenhagen_map_in_a_browser(
    run: Run, copenhagen_store: Path, tmp_path: Path, open_map: Any
) -> None:
    out = tmp_path / "copenhagen.html"
    data = _map(run, copenhagen_store, out)
    page = open_map(out)
    assert page.js("citykg.nodes.length") == len(data["nodes"])
    assert page.js("citykg.edges.length") == len(data["edges"])
    assert page.js("document.querySelectorAll('#citykg-legend-kinds input').length") >= 9
    search = page.page.locator("#citykg-search")
    search.press_sequentially("kobenhavn", delay=10)
    search.press("Enter")
    assert page.js("citykg.network.getSelectedNodes()") == ["copenhagen"]
    page.js("citykg.select('force')")
    details = page.page.locator("#citykg-details").text_content() or ""
    assert "As head of the EU project Cities Cooperating for Circular Economy (FORCE)" in details
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "copenhagen-map.png"))
    assert page.requests == [] and page.console_errors == [] and page.dialogs == []
