"""The map page in a real headless Chromium: offline, searchable, filterable, XSS-proof."""

from __future__ import annotations

import struct
import sys
import time
from pathlib import Path

import pytest

from citykg.viz import write_html, write_png
from tests.conftest import ARTIFACTS, XSS

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from synthetic import synthetic_graph

pytestmark = pytest.mark.browser


def assert_clean(page) -> None:
    assert page.requests == [], f"the page tried to fetch {page.requests}"
    assert page.console_errors == [], page.console_errors
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"


def visible(page) -> list[str]:
    return sorted(page.js("citykg.visibleNodeIds()"))


def click_node(page, node_id: str) -> None:
    """Click the node where it is drawn on the canvas, as a user would."""
    xy = page.js(
        """id => { const p = citykg.network.getPositions([id])[id];
                   const d = citykg.network.canvasToDOM(p);
                   const r = document.querySelector('#citykg-map canvas').getBoundingClientRect();
                   return [r.left + d.x, r.top + d.y]; }""",
        node_id,
    )
    page.page.mouse.click(xy[0], xy[1])


def test_map_loads_offline_with_all_nodes_and_legend(graph, tmp_html, open_map) -> None:
    write_html(graph, tmp_html, title="Copenhagen's networks")
    page = open_map(tmp_html)
    assert page.js("citykg.nodes.length") == graph.number_of_nodes()
    assert page.js("citykg.edges.length") == graph.number_of_edges()
    assert page.js("document.getElementById('citykg-title').textContent") == (
        "Copenhagen's networks"
    )
    kinds = page.js(
        "[...document.querySelectorAll('#citykg-legend-kinds input')].map(b => b.dataset.kind)"
    )
    assert kinds == sorted({a.get("kind", "other") for _, a in graph.nodes(data=True)})
    relations = page.js(
        "[...document.querySelectorAll('#citykg-legend-relations input')]"
        ".map(b => b.dataset.relation)"
    )
    assert relations == sorted({d["relation"] for *_, d in graph.edges(data=True)})
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "map-small.png"))
    assert_clean(page)


def test_search_is_accent_and_case_insensitive(graph, tmp_html, open_map) -> None:
    write_html(graph, tmp_html, title="t")
    page = open_map(tmp_html)
    assert page.js("citykg.normalise('København')") == "kobenhavn"
    assert page.js("citykg.normalise('  SKÅNE ')") == "skane"
    search = page.page.locator("#citykg-search")
    for typed, expected in [
        ("kobenhavn", "copenhagen"),
        ("KØBENHAVN", "copenhagen"),
        ("kobenhavns kommune", "copenhagen"),
        ("skane", "skane"),
        ("camara municipal", "lisbon"),
        ("lisbon city", "lisbon"),
    ]:
        search.fill("")
        search.press_sequentially(typed, delay=10)
        search.press("Enter")
        assert page.js("citykg.network.getSelectedNodes()") == [expected], typed
        assert page.js("document.getElementById('citykg-details').hidden") is False
    # the zoom followed the selection: the node is at the centre of the view
    centre = page.js(
        "(() => { const v = citykg.network.getViewPosition();"
        " const p = citykg.network.getPositions(['lisbon']).lisbon;"
        " return Math.hypot(v.x - p.x, v.y - p.y); })()"
    )
    assert centre < 5
    assert_clean(page)


def test_kind_theme_and_network_filters_hide_nodes(graph, tmp_html, open_map) -> None:
    write_html(graph, tmp_html, title="t")
    page = open_map(tmp_html)
    everything = sorted(graph)
    assert visible(page) == everything
    page.page.locator("#citykg-legend-kinds input[data-kind='network']").uncheck()
    assert visible(page) == sorted(set(everything) - {"c40", "eurocities"})
    assert "of 10 nodes shown" in page.js("document.getElementById('citykg-counts').textContent")
    page.page.select_option("#citykg-theme", "Climate")
    assert visible(page) == ["climate", "copenhagen", "force", "lisbon"]
    page.page.locator("#citykg-legend-kinds input[data-kind='network']").check()
    page.page.select_option("#citykg-theme", "")
    page.page.select_option("#citykg-network", "Greater Copenhagen")
    assert visible(page) == ["greater-cph", "skane"]
    page.page.click("#citykg-reset")
    assert visible(page) == everything
    # relation filter hides edges, not nodes
    page.page.locator("#citykg-legend-relations input[data-relation='member']").uncheck()
    hidden_edges = page.js("citykg.edges.get({filter: e => e.hidden}).length")
    assert hidden_edges == 3
    # a hidden node is not offered by the search
    page.page.locator("#citykg-legend-kinds input[data-kind='region']").uncheck()
    assert page.js("citykg.search('skane').found") == []
    assert page.js("citykg.search('skane').hidden") == 1
    assert_clean(page)


def test_clicking_a_node_shows_its_evidence(graph, tmp_html, open_map) -> None:
    write_html(graph, tmp_html, title="t", physics=False)
    page = open_map(tmp_html)
    click_node(page, "copenhagen")
    assert page.js("citykg.network.getSelectedNodes()") == ["copenhagen"]
    details = page.page.locator("#citykg-details")
    assert details.is_visible()
    assert page.page.locator("#citykg-details-label").text_content() == "København"
    text = details.text_content()
    assert "Copenhagen aims to be carbon neutral by 2025." in text
    assert "Climate \u2014 International strategy 2024" in text
    assert "Kobenhavns Kommune" in text
    # following a connection in the panel moves the selection
    page.page.get_by_role("button", name="lead \u2192 FORCE").click()
    assert page.js("citykg.network.getSelectedNodes()") == ["force"]
    assert "2016-09 \u2013 2020-08" in details.text_content()
    assert "FORCE: cities as drivers for circular economy." in details.text_content()
    # clicking empty canvas closes the panel
    page.page.mouse.click(700, 880)
    assert not details.is_visible()
    assert_clean(page)


def test_hostile_labels_stay_text(graph, tmp_html, open_map) -> None:
    write_html(graph, tmp_html, title=XSS, physics=False)
    page = open_map(tmp_html)
    click_node(page, "xss")
    assert page.page.locator("#citykg-details-label").text_content() == XSS
    assert "</script><b>bold?</b>" in page.page.locator("#citykg-details").text_content()
    # the tooltip (vis-network's title) is text too
    xy = page.js(
        """() => { const p = citykg.network.getPositions(['xss']).xss;
                   const d = citykg.network.canvasToDOM(p);
                   const r = document.querySelector('#citykg-map canvas').getBoundingClientRect();
                   return [r.left + d.x, r.top + d.y]; }"""
    )
    page.page.mouse.move(xy[0] + 1, xy[1] + 1)
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert XSS in page.page.locator("div.vis-tooltip").inner_text()
    page.page.locator("#citykg-search").fill("script")
    page.page.locator("#citykg-search").press("Enter")
    page.page.wait_for_timeout(300)
    assert page.js("document.querySelectorAll('img, b, i').length") == 0
    assert page.js("document.title") == XSS
    assert page.js("document.querySelectorAll('script').length") == 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "map-xss.png"))
    assert_clean(page)


def test_large_map_is_usable_quickly(tmp_html, open_map) -> None:
    G = synthetic_graph(1000)
    write_html(G, tmp_html, title="1,000 nodes")
    start = time.perf_counter()
    page = open_map(tmp_html)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, elapsed
    assert page.js("citykg.data.physics") is False
    assert page.js("citykg.nodes.length") == 1000
    assert page.js("citykg.edges.length") == G.number_of_edges()
    page.page.locator("#citykg-search").fill("city 12")
    page.page.locator("#citykg-search").press("Enter")
    assert page.js("citykg.network.getSelectedNodes()") == ["city-12"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "map-1000.png"))
    assert_clean(page)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_write_png(graph) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    out = write_png(graph, ARTIFACTS / "map-small-export.png", title="Copenhagen", scale=1)
    assert png_size(out) == (1600, 1000)
    only_map = write_png(
        graph, ARTIFACTS / "map-small-canvas.png", title="t", legend=False, width=800, height=600
    )
    width, height = png_size(only_map)
    assert width < 800 and height < 600  # the drawing without sidebar and header
