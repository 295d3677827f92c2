"""Map HTML checks that need no browser: offline, escaped, deterministic, input untouched."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import math
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from citykg.errors import CitykgError
from citykg.fold import fold
from citykg.viz import (
    BrowserUnavailableError,
    UnknownNodeError,
    VizError,
    ego_view,
    filter_view,
    find_chromium,
    render_html,
    view_title,
)
from citykg.viz.payload import build_payload, fold_table
from tests.conftest import XSS, city_graph

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from synthetic import synthetic_graph

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="citykg-data">(.*?)</script>', re.DOTALL
)


class ScriptCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.types: list[str | None] = []
        self.bodies: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.types.append(dict(attrs).get("type"))
            self.bodies.append("")
            self._in = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.bodies[-1] += data


def page_data(page: str) -> dict:
    return json.loads(DATA_BLOCK.search(page).group(1))


def test_no_external_references() -> None:
    page = render_html(city_graph(), title="Copenhagen")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import", page, re.I)
    assert "bootstrap" not in page.lower()


def test_csp_forbids_fetching_and_pins_the_scripts() -> None:
    page = render_html(city_graph(), title="Copenhagen")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 2  # vis-network and the map code
    for s in scripts:
        digest = base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_json_block_escapes_markup() -> None:
    page = render_html(city_graph(), title="A <title> & more")
    block = DATA_BLOCK.search(page).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in block
    data = json.loads(block)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["xss"] == XSS
    assert labels["copenhagen"] == "København"
    assert labels["lisbon"] == "Câmara Municipal de Lisboa"
    assert "<title>A &lt;title&gt; &amp; more</title>" in page
    # parsed as a browser does, the page has exactly our three script elements: nothing in
    # the data or the inlined code ends one early
    scripts = ScriptCounter()
    scripts.feed(page)
    assert scripts.types == ["application/json", None, None]
    assert scripts.bodies[0] == block


def test_same_graph_gives_identical_html() -> None:
    G = city_graph()
    reverse = nx.Graph()
    reverse.add_nodes_from(reversed(list(G.nodes(data=True))))
    reverse.add_edges_from((v, u, d) for u, v, d in reversed(list(G.edges(data=True))))
    for physics in (True, False):
        a = render_html(G, title="t", physics=physics)
        assert a == render_html(G, title="t", physics=physics)
        assert a == render_html(reverse, title="t", physics=physics)


def test_large_graph_is_identical_and_positioned() -> None:
    G = synthetic_graph(600)
    a = render_html(G, title="big")
    assert a == render_html(synthetic_graph(600), title="big")
    data = page_data(a)
    assert data["physics"] is False and data["positioned"] is True
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_input_graph_is_not_modified() -> None:
    G = city_graph()
    before = (copy.deepcopy(dict(G.nodes(data=True))), copy.deepcopy(list(G.edges(data=True))))
    render_html(G, title="t", physics=False)
    assert (dict(G.nodes(data=True)), list(G.edges(data=True))) == before


def test_missing_and_odd_attributes_get_defaults() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a")
    G.add_node(
        "b", label="B", kind="city", themes="Climate", alt_labels=None, centrality=float("nan")
    )
    G.add_node("c", evidence="A bare quote", community="3")
    G.add_edge("a", "b")
    G.add_edge("a", "b", relation="member", weight="heavy")
    data = build_payload(G, title="t", physics=True)
    a, b, c = data["nodes"]
    assert (a["label"], a["kind"], a["alt"], a["themes"], a["evidence"]) == (
        "a",
        "other",
        [],
        [],
        [],
    )
    assert b["themes"] == ["Climate"] and "centrality" not in b
    assert c["evidence"] == [{"quote": "A bare quote", "section": "", "source": ""}]
    assert c["community"] == 3
    assert [e["relation"] for e in data["edges"]] == ["member", "related"]
    assert data["directed"] is True
    render_html(G, title="t")  # and the page builds


def test_given_positions_are_used() -> None:
    G = nx.Graph()
    G.add_node("a", x=0.0, y=0.0)
    G.add_node("b", x=1.0, y=0.0)
    data = page_data(render_html(G, title="t"))
    xs = [n["x"] for n in data["nodes"]]
    assert xs[0] < xs[1] and data["positioned"]


def test_colliding_ids_are_refused() -> None:
    G = nx.Graph()
    G.add_nodes_from([1, "1"])
    with pytest.raises(VizError, match="same ID"):
        render_html(G, title="t")


def test_not_a_graph() -> None:
    with pytest.raises(VizError, match="networkx graph"):
        render_html({"a": 1}, title="t")  # type: ignore[arg-type]


def test_ego_view_by_id_and_by_accentless_label() -> None:
    G = city_graph()
    assert set(ego_view(G, "skane", 1)) == {"skane", "greater-cph"}
    assert set(ego_view(G, "skane", 2)) == {"skane", "greater-cph", "copenhagen"}
    assert "copenhagen" in ego_view(G, "kobenhavn", 0)
    assert "lisbon" in ego_view(G, "camara municipal de lisboa", 0)
    view = ego_view(G, "skane", 1)
    view.nodes["skane"]["label"] = "changed"
    assert G.nodes["skane"]["label"] == "Skåne"


def test_unknown_node_suggests_close_matches() -> None:
    with pytest.raises(UnknownNodeError) as err:
        ego_view(city_graph(), "copenhagn")
    assert isinstance(err.value, CitykgError)
    assert "Did you mean 'copenhagen'" in str(err.value)


def test_filter_view() -> None:
    G = city_graph()
    assert set(filter_view(G, kinds=["network"])) == {"c40", "eurocities"}
    assert set(filter_view(G, themes=["Climate"], kinds=["city", "network", "theme"])) == {
        "copenhagen",
        "c40",
        "climate",
    }
    assert set(filter_view(G, networks="Eurocities")) == {"copenhagen", "lisbon", "eurocities"}
    with pytest.raises(VizError, match="Did you mean 'Climate'"):
        filter_view(G, themes=["Climat"])


def test_missing_chromium_is_a_clear_error() -> None:
    with pytest.raises(BrowserUnavailableError, match="apt-get install chromium"):
        find_chromium("/nonexistent/chromium")


def js_fold(table: dict[str, str], text: str) -> str:
    """What the page's fold does, step by step (the browser test runs the real one)."""
    out = "".join(table.get(c, c.lower() if c < "\x80" else c) for c in text)
    return " ".join(re.split(r"[ \t\n\r\v\f\x1c-\x1f]+", out)).strip()


def test_fold_table_folds_like_python() -> None:
    labels = ["København", "Łódź", "Ängelholms kommun", "北京", "Région\u00a0 Skåne", "São Paulo"]
    table = fold_table(labels)
    for text in [*labels, "ĦĲĿŉ \u017f", "Ærø — “quoted”", " a\u2003b "]:
        assert js_fold(table, text) == fold(text), text
    # every character of Latin-1 Supplement and Latin Extended-A is in the table
    assert all(chr(c) in table for c in range(0xA0, 0x180))
    data = page_data(render_html(city_graph(), title="t"))
    assert data["fold"]["ø"] == "o"
    keys = {n["id"]: n["keys"] for n in data["nodes"]}
    assert keys["copenhagen"] == ["kobenhavn", "kobenhavns kommune", "copenhagen"]


def portfolio() -> nx.DiGraph:
    """A home city, a network with 15 members that have no other link, and one that has."""
    G = nx.DiGraph()
    G.add_node("home", label="Home", kind="city", home=True)
    G.add_node("net", label="Cities Network for Long Names", alt_labels=["CNLN"], kind="network")
    G.add_node("proj", label="Project", kind="project")
    G.add_edge("home", "net", relation="member")
    G.add_edge("home", "proj", relation="lead")
    for i in range(15):
        G.add_node(f"m{i:02}", label=f"Member {i}", kind="city", country="Fictionland")
        G.add_edge(f"m{i:02}", "net", relation="member")
    G.add_edge("m00", "proj", relation="partner")
    return G


def test_long_member_lists_start_folded() -> None:
    data = page_data(render_html(portfolio(), title="t"))
    (group,) = data["groups"]
    assert (group["id"], group["hub"], group["short"], group["noun"]) == (
        "group:net",
        "net",
        "CNLN",
        "members",
    )
    assert group["members"] == [f"m{i:02}" for i in range(1, 15)]  # m00 is also in proj
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["m05"]["group"] == "group:net" and "group" not in nodes["m00"]
    assert "group" not in nodes["home"]
    # every member has a place: in a disk beyond the group node, away from the hub
    hub, g = (nodes["net"]["x"], nodes["net"]["y"]), (group["x"], group["y"])
    for m in group["members"]:
        x, y = nodes[m]["x"], nodes[m]["y"]
        assert math.dist((x, y), hub) > math.dist(g, hub) - 1, m
    assert page_data(render_html(portfolio(), title="t", expand=True))["groups"] == []


def test_links_keep_their_direction_and_words() -> None:
    data = page_data(render_html(portfolio(), title="t"))
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert ("home", "net") in edges and ("net", "home") not in edges
    assert data["directed"] is True
    assert data["relations"]["member"]["forward"] == "member of"
    assert data["relations"]["lead"]["backward"] == "led by"
    assert data["home"] == "home"
    assert {n["id"]: n.get("short") for n in data["nodes"]}["net"] == "CNLN"


def test_only_web_addresses_become_links() -> None:
    G = nx.DiGraph()
    G.add_edge(
        "a",
        "b",
        evidence=[
            {"source": "javascript:alert(1)"},
            {"source": "https://www.c40.org/?ref=x"},
            {"quote": "Said.", "source": "Strategy"},
        ],
    )
    (edge,) = page_data(render_html(G, title="t"))["edges"]
    assert [e.get("url") for e in edge["evidence"]] == [None, None, "https://www.c40.org/?ref=x"]
    assert edge["evidence"][0]["quote"] == "Said."  # quotes first


def test_overlaps_star_keeps_every_partner_in_rings() -> None:
    G = nx.Graph(centre="c", weight_label="collaborations shared")
    for other, weight in [("a", 3), ("b", 2), ("x", 1), ("y", 1), ("z", 1)]:
        G.add_edge("c", other, relation="overlap", weight=weight)
    data = page_data(render_html(G, title="t", min_weight=2))
    assert data["groups"] == []
    assert data["weights"] == {
        "label": "collaborations shared",
        "min": 1,
        "max": 3,
        "start": 2,
    }
    pos = {n["id"]: math.hypot(n["x"], n["y"]) for n in data["nodes"]}
    assert pos["c"] == 0 and pos["a"] < pos["b"] < pos["x"]
    assert pos["x"] == pytest.approx(pos["y"], abs=0.2) == pytest.approx(pos["z"], abs=0.2)


def test_shapes_do_not_overlap_after_layout() -> None:
    data = page_data(render_html(portfolio(), title="t", expand=True))
    nodes = data["nodes"]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            gap = math.dist((a["x"], a["y"]), (b["x"], b["y"])) - a["size"] - b["size"]
            assert gap > 0, (a["id"], b["id"])


def test_view_titles_say_what_the_view_is() -> None:
    G = portfolio()
    G.add_node("climate", label="Climate adaptation", kind="theme")
    assert view_title(G) == "Home's international networks"
    assert view_title(G, themes=["climate"]) == "Climate adaptation: who works on it"
    assert view_title(G, networks=["net"], kinds=["city"]) == (
        "CNLN (Cities Network for Long Names) and its members (cities only)"
    )
    G.graph["focus"] = "proj"
    assert view_title(G, themes=["Water"]) == "Around Project on Water"
    G.graph["centre"] = "home"
    assert view_title(G) == "Who shares collaborations with Home"
