"""The map page in a real headless Chromium: offline, searchable, filterable, XSS-proof."""

from __future__ import annotations

import struct
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from citykg.viz import write_html, write_png
from citykg.viz.png import wait_for_flag
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


def dom_xy(page, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page pixels."""
    x, y = page.js(
        """id => { const p = citykg.network.getPositions([id])[id];
                   const d = citykg.network.canvasToDOM(p);
                   const r = document.querySelector('#citykg-map canvas').getBoundingClientRect();
                   return [r.left + d.x, r.top + d.y]; }""",
        node_id,
    )
    return x, y


def click_node(page, node_id: str) -> None:
    """Click the node where it is drawn on the canvas, as a user would."""
    page.page.mouse.click(*dom_xy(page, node_id))


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
    assert page.js("citykg.fold('København')") == "kobenhavn"
    assert page.js("citykg.fold('  SKÅNE ')") == "skane"
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
    # the view followed the selection: the node is on screen, left of the panel
    x, y = dom_xy(page, "lisbon")
    panel = page.js("document.getElementById('citykg-details').getBoundingClientRect().left")
    map_box = page.page.locator("#citykg-map").bounding_box()
    assert map_box["x"] < x < panel and map_box["y"] < y < map_box["y"] + map_box["height"]
    assert_clean(page)


def test_kind_theme_and_network_filters_hide_nodes(graph, tmp_html, open_map) -> None:
    write_html(graph, tmp_html, title="t")
    page = open_map(tmp_html)
    everything = sorted(graph)
    assert visible(page) == everything
    page.page.locator("#citykg-legend-kinds input[data-kind='network']").uncheck()
    assert visible(page) == sorted(set(everything) - {"c40", "eurocities"})
    assert page.js("document.getElementById('citykg-counts').textContent") == (
        "8 of 10 nodes, 6 of 10 links shown"
    )
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
    assert page.js("citykg.search('skane').hidden") == ["skane"]
    assert_clean(page)


def test_clicking_a_node_shows_its_evidence(graph, tmp_html, open_map) -> None:
    write_html(graph, tmp_html, title="t", physics=False)
    page = open_map(tmp_html)
    click_node(page, "copenhagen")
    assert page.js("citykg.network.getSelectedNodes()") == ["copenhagen"]
    details = page.page.locator("#citykg-details")
    assert details.is_visible()
    assert page.page.locator("#citykg-details h2").text_content() == "København"
    text = details.text_content()
    assert "Copenhagen aims to be carbon neutral by 2025." in text
    assert "Climate \u2014 International strategy 2024" in text
    assert "Kobenhavns Kommune" in text
    # following a connection in the panel moves the selection
    page.page.locator("#citykg-details").get_by_role("button", name="FORCE", exact=True).click()
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
    assert page.page.locator("#citykg-details h2").text_content() == XSS
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
    assert page.js("citykg.data.nodes.length") == 1000
    assert page.js("citykg.data.edges.length") == G.number_of_edges()
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


def portfolio() -> nx.DiGraph:
    """A fictional home city in a network with 15 members (one also in its project)."""
    G = nx.DiGraph()
    G.add_node("home", label="Home", kind="city", home=True, country="Fictionland")
    G.add_node("net", label="Cities Network for Long Names", alt_labels=["CNLN"], kind="network")
    G.add_node("proj", label="Project", kind="project", themes=["Water"])
    G.add_edge("home", "net", relation="member", roles=["member", "founder"])
    G.add_edge(
        "home",
        "proj",
        relation="lead",
        roles=["lead"],
        evidence=[
            {"quote": "</script><b>we lead</b>", "section": "<i>s</i>", "source": "Strategy"},
            {"source": "javascript:alert(1)"},
            {"source": "https://example.org/list"},
        ],
        evidence_status="stated",
    )
    for i in range(15):
        G.add_node(f"m{i:02}", label=f"Member {i}", kind="city", country="Otherland")
        G.add_edge(f"m{i:02}", "net", relation="member")
    G.add_edge("m00", "proj", relation="partner")
    return G


def labels_overlap(labels: list[dict]) -> list[tuple[str, str]]:
    clashes = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                clashes.append((a["id"], b["id"]))
    return clashes


def test_the_map_is_still_and_labelled_at_a_readable_size(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t")
    page = open_map(tmp_html)
    assert page.js("window.citykgStable") is True
    before = page.js("citykg.network.getPositions()")
    page.page.wait_for_timeout(1500)
    assert page.js("citykg.network.getPositions()") == before
    labels = page.js("citykg.drawnLabels()")
    assert {"home", "net", "group:net", "proj"} <= {label["id"] for label in labels}
    assert min(label["px"] for label in labels) >= 11
    assert labels_overlap(labels) == []
    texts = page.js("citykg.drawnLabels().map(l => l.id)")
    assert "m03" not in texts  # folded into the list
    # no link carries a text label on the map; its tooltip says what it is
    assert page.js("citykg.edges.get().filter(e => e.label !== undefined).length") == 0
    assert (
        page.js("citykg.edges.get('e0').title")
        == "Home \u2192 member of, founded \u2192 Cities Network for Long Names"
    )
    assert_clean(page)


def test_a_click_focuses_and_dims_the_rest(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t")
    page = open_map(tmp_html)
    width_before = page.js("document.querySelector('#citykg-map canvas').clientWidth")
    click_node(page, "proj")
    assert page.js("citykg.focusIds()") == ["home", "m00", "proj"]
    opacity = page.js("Object.fromEntries(citykg.nodes.get().map(n => [n.id, n.opacity]))")
    assert opacity["proj"] == opacity["home"] == opacity["m00"] == 1
    assert opacity["net"] < 0.5 and opacity["group:net"] < 0.5
    # the panel lies over the map: the drawing keeps its size, the labels theirs
    assert page.js("document.querySelector('#citykg-map canvas').clientWidth") == width_before
    labels = {label["id"]: label for label in page.js("citykg.drawnLabels()")}
    assert {"proj", "home", "m00"} <= set(labels) and "net" not in labels
    assert labels["proj"]["px"] >= 11
    # two steps away with the control
    page.page.select_option("#citykg-depth", "2")
    assert "net" in page.js("citykg.focusIds()")
    assert_clean(page)


def test_link_panel_shows_roles_evidence_and_safe_sources(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t")
    page = open_map(tmp_html)
    click_node(page, "home")
    page.page.get_by_role("button", name="About the link to Project").click()
    details = page.page.locator("#citykg-details")
    text = details.text_content()
    assert "Home \u2192 Project" in text and "leads" in text
    assert "Stated in the strategy" in text
    assert "\u201c</script><b>we lead</b>\u201d" in text
    assert "<i>s</i> \u2014 Strategy" in text
    assert "javascript:alert(1)" in text  # shown as text, never as a link
    links = page.js(
        "[...document.querySelectorAll('#citykg-details a')]"
        ".map(a => [a.getAttribute('href'), a.target, a.rel])"
    )
    assert links == [["https://example.org/list", "_blank", "noopener noreferrer"]]
    assert page.js("document.querySelectorAll('#citykg-details b, #citykg-details i').length") == 0
    assert page.js("citykg.state.sel") == {"type": "link", "id": "e1"}
    assert_clean(page)


def test_a_folded_list_opens_on_click(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t")
    page = open_map(tmp_html)
    click_node(page, "group:net")
    details = page.page.locator("#citykg-details")
    assert page.page.locator("#citykg-details h2").text_content() == "CNLN: 14 members"
    assert "Member 13" in details.text_content()
    details.get_by_role("button", name="Show them on the map").click()
    assert set(page.js("citykg.visibleNodeIds()")) == set(portfolio())
    assert "open=group%3Anet" in page.js("location.hash")
    assert_clean(page)


def test_filters_reframe_and_count(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t", expand=True)
    page = open_map(tmp_html)
    counts = page.page.locator("#citykg-counts")
    assert counts.text_content() == "18 nodes, 18 links"
    view = page.js("[citykg.network.getScale(), citykg.network.getViewPosition()]")
    page.page.locator("#citykg-legend-kinds input[data-kind='city']").uncheck()
    assert counts.text_content() == "2 of 18 nodes, 0 of 18 links shown"
    assert page.js("[citykg.network.getScale(), citykg.network.getViewPosition()]") != view
    for node in ("net", "proj"):  # what is left is in view
        x, y = dom_xy(page, node)
        box = page.page.locator("#citykg-map").bounding_box()
        assert box["x"] < x < box["x"] + box["width"] and box["y"] < y < box["y"] + box["height"]
    # search finds the hidden ones and offers to show them
    search = page.page.locator("#citykg-search")
    search.fill("member 1")
    page.page.wait_for_selector("#citykg-results li.citykg-note button")
    assert "6 more are hidden by filters" in page.page.locator("#citykg-results").text_content()
    page.page.locator("#citykg-results li.citykg-note button").click()
    assert page.js("citykg.state.hiddenKinds") == {}
    assert page.js("citykg.network.getSelectedNodes()") == ["m01"]
    assert_clean(page)


def test_arrow_keys_move_through_results(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t")
    page = open_map(tmp_html)
    search = page.page.locator("#citykg-search")
    search.press_sequentially("member 1", delay=10)
    search.press("ArrowDown")
    search.press("ArrowDown")
    search.press("ArrowUp")
    selected = page.js(
        "document.querySelector('#citykg-results li[aria-selected=true]').firstChild.textContent"
    )
    assert selected == "Member 10"
    search.press("Enter")
    # a member of a folded list: the list opens to show it
    assert page.js("citykg.network.getSelectedNodes()") == ["m10"]
    assert page.js("citykg.state.open") == {"group:net": True}
    assert "otherland" in page.page.locator("#citykg-details").text_content().lower()
    assert_clean(page)


def test_the_fragment_restores_a_view(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t")
    page = open_map(tmp_html)
    page.js("citykg.select('m04')")
    page.page.select_option("#citykg-colour-by", "country")
    page.page.locator("#citykg-legend-kinds input[data-kind='project']").uncheck()
    fragment = page.js("location.hash")
    view = page.js("[citykg.network.getScale(), citykg.network.getViewPosition()]")
    again = open_map(tmp_html)
    again.page.goto("about:blank")
    again.page.goto(again.url + fragment)
    assert wait_for_flag(again.page, "citykgReady", 10)
    assert again.js("citykg.network.getSelectedNodes()") == ["m04"]
    assert again.js("citykg.state.hiddenKinds") == {"project": True}
    assert again.js("citykg.state.colourBy") == "country"
    assert again.js("citykg.state.open") == {"group:net": True}
    scale, centre = again.js("[citykg.network.getScale(), citykg.network.getViewPosition()]")
    assert scale == pytest.approx(view[0], rel=0.01)
    assert centre["x"] == pytest.approx(view[1]["x"], abs=1)
    assert "Member 4" in again.page.locator("#citykg-details h2").text_content()
    # the button copies it (or shows it to copy where the clipboard is refused)
    again.page.click("#citykg-copy")
    again.page.wait_for_timeout(200)
    shown = again.js(
        "document.getElementById('citykg-link').hidden ? null : document.getElementById('citykg-link').value"
    )
    copied = again.js("document.getElementById('citykg-copy').textContent")
    assert copied == "Link copied" or shown.endswith(fragment)
    assert_clean(again)


def test_phone_keeps_a_usable_map_and_search(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="A title long enough to wrap on a phone screen")
    page = open_map(tmp_html, width=390, height=844)
    assert page.js("document.documentElement.scrollWidth") <= 390
    click_node(page, "home")
    assert page.page.locator("#citykg-details").is_visible()
    assert page.page.locator("#citykg-map").bounding_box()["height"] >= 300
    box = page.page.locator("#citykg-search").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.js("([x, y]) => document.elementFromPoint(x, y).id", centre) == "citykg-search"
    assert box["width"] >= 300
    page.page.mouse.click(*centre)
    page.page.keyboard.type("proj")
    page.page.keyboard.press("Enter")
    assert page.js("citykg.network.getSelectedNodes()") == ["proj"]
    # the legend is a sheet that opens from a button
    assert not page.page.locator("#citykg-legend").is_visible()
    page.page.click("#citykg-legend-toggle")
    assert page.page.locator("#citykg-legend").is_visible()
    assert_clean(page)


def test_connection_lists_are_paged(tmp_html, open_map) -> None:
    G = nx.DiGraph()
    G.add_node("hub", label="Hub", kind="network")
    for i in range(250):
        G.add_edge(f"c{i:03}", "hub", relation="member")
    write_html(G, tmp_html, title="t", expand=True)
    page = open_map(tmp_html)
    page.js("citykg.select('hub')")
    more = page.page.locator("#citykg-details button.citykg-action")
    assert more.text_content() == "100 of 250: show more"
    assert page.page.locator("#citykg-details li.citykg-conn").count() == 100
    more.click()
    assert more.text_content() == "200 of 250: show more"
    more.click()
    assert page.page.locator("#citykg-details li.citykg-conn").count() == 250
    assert not more.is_visible()
    assert_clean(page)


def test_colour_by_community_and_country(tmp_html, open_map) -> None:
    G = portfolio()
    for i, node in enumerate(sorted(G)):
        G.nodes[node]["community"] = i % 3
        G.nodes[node]["dataset"] = "home-data" if i % 2 else "partner-data"
    write_html(G, tmp_html, title="t")
    page = open_map(tmp_html)
    before = page.js("citykg.nodes.get('net').color.background")
    page.page.select_option("#citykg-colour-by", "community")
    assert page.js("citykg.nodes.get('net').color.background") != before
    legend = page.page.locator("#citykg-legend-groups").text_content()
    assert "around " in legend
    page.page.select_option("#citykg-colour-by", "country")
    assert "Otherland" in page.page.locator("#citykg-legend-groups").text_content()
    page.page.select_option("#citykg-colour-by", "dataset")
    legend = page.page.locator("#citykg-legend-groups").text_content()
    assert "home-data" in legend and "partner-data" in legend
    options = page.js(
        "[...document.querySelectorAll('#citykg-colour-by option')].map(o => o.value)"
    )
    assert options == ["kind", "community", "country", "dataset"]
    assert_clean(page)


def test_five_thousand_nodes_are_readable(tmp_html, open_map) -> None:
    G = synthetic_graph(5000)
    for i, node in enumerate(sorted(G)):
        G.nodes[node]["country"] = f"Country {i % 40}"
        G.nodes[node]["community"] = i % 25
    write_html(G, tmp_html, title="5,000 nodes")
    page = open_map(tmp_html)
    assert page.js("citykg.state.colourBy") == "community"
    labels = page.js("citykg.drawnLabels()")
    assert len(labels) >= 10 and min(label["px"] for label in labels) >= 11
    assert labels_overlap(labels) == []
    found = page.js("citykg.search('city 12').found")
    assert found[0] == "city-12"
    page.page.locator("#citykg-search").fill("city 12")
    page.page.wait_for_selector("#citykg-results li.citykg-hit")
    first = page.page.locator("#citykg-results li.citykg-hit").first.text_content()
    assert first == "City 12city \u00b7 Country " + str(sorted(G).index("city-12") % 40)
    biggest = max(G, key=G.degree)
    page.js("id => citykg.select(id)", biggest)
    more = page.page.locator("#citykg-details button.citykg-action").last
    assert more.text_content() == f"100 of {G.degree(biggest):,}: show more"
    assert_clean(page)


def test_world_map_keeps_hostile_text_as_text(tmp_html, open_map) -> None:
    G = nx.Graph(centre="home", weight_label="collaborations shared")
    G.add_node("home", label="Home", kind="city", lat=55.7, long=12.6, place="from the data")
    G.add_node("xss", label=XSS, kind="city", lat=-34.6, long=-58.4, place="<b>geo</b>")
    G.add_node("off", label="</script><i>off</i>", kind="organisation", unplaced="<img src=y>")
    G.add_edge("home", "xss", relation="overlap", weight=2, label="<b>shared</b>")
    G.add_edge("home", "off", relation="overlap", weight=1)
    write_html(G, tmp_html, title=XSS, layout="geo")
    page = open_map(tmp_html)
    assert page.js("citykg.network.getPositions(['xss']).xss.y") > 0  # south of the equator
    click_node(page, "xss")
    text = page.page.locator("#citykg-details").text_content()
    assert XSS in text and "<b>geo</b>" in text
    page.page.locator("#citykg-how").get_by_role("button", name="</script><i>off</i>").click()
    assert "<img src=y>" in page.page.locator("#citykg-details").text_content()
    assert page.js("document.querySelectorAll('img, b, i').length") == 0
    assert page.js("document.querySelectorAll('script').length") == 3
    assert_clean(page)


def test_physics_on_request_runs_a_bounded_while(tmp_html, open_map) -> None:
    write_html(portfolio(), tmp_html, title="t", physics=True)
    page = open_map(tmp_html)
    assert wait_for_flag(page.page, "citykgStable", 20)
    assert page.js("document.getElementById('citykg-physics').checked") is True
    assert_clean(page)


def test_panel_shows_status_reason_as_of_and_figures(run, tmp_path, tmp_html, open_map) -> None:
    """The fictional truth fixture (tests/fixtures/truth), Kystby's listed membership marked
    inferred in its CSV row: the panel gives each fact's status, the editor's reason, the date
    the list describes, and the figures with their qualifiers."""
    import shutil

    from tests.conftest import FIXTURES

    data = tmp_path / "truth"
    shutil.copytree(FIXTURES / "truth", data)
    (data / "memberships-list.csv").write_text(
        "member,organization,role,source_url,as_of,status,reason\n"
        "kystby,harbour-net,member,https://harbour-net.example/members,2025-11,inferred,"
        "Read off the network's map; the list names only the region\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert run("build", data, "--store", store, "-q").exit_code == 0
    assert run("map", "--store", store, "-o", tmp_html).exit_code == 0
    page = open_map(tmp_html)
    page.js("citykg.select('harbour-net')")
    text = page.page.locator("#citykg-details").inner_text()
    assert "Member cities: about 40 cities (2021; stated)" in text
    assert "National networks: more than 5 networks (listed)" in text
    page.page.get_by_role("button", name="About the link to Kystby").click()
    text = page.page.locator("#citykg-details").inner_text()
    assert (
        "Inferred by the editor Read off the network's map; the list names only the region "
        "(list as of 2025-11)" in text
    )
    page.js("citykg.select('tidevand')")
    text = page.page.locator("#citykg-details").inner_text()
    assert "Population growth: about 30,000 inhabitants (by 2040; stated)" in text
    assert_clean(page)
