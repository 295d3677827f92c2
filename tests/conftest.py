"""Shared fixtures: a CLI runner, stores built once per session (the built-in Copenhagen
graph, the analysis fixture, the fixture with internal data), a small hand-written city graph
and a headless Chromium page for the map tests."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset

from citykg.cli import main
from citykg.defaults import CONFIG_ENV
from citykg.graph.build import build
from citykg.graph.store import STORE_ENV, open_dataset
from citykg.viz.png import CHROMIUM_ARGS, wait_for_flag
from tests.servers import Virtuoso, oxigraph_server, virtuoso_server

FIXTURES = Path(__file__).parent / "fixtures"

Run = Callable[..., Result]


@pytest.fixture(scope="session", autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Session and module fixtures (a push) run before the per-test one below: they too must
    # never write the user's config folder.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_ENV, str(tmp_path_factory.mktemp("config-session")))
        yield


@pytest.fixture(autouse=True)
def _isolated_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # No test may read or write the user's real store: point the default at a fresh folder.
    monkeypatch.setenv(STORE_ENV, str(tmp_path_factory.mktemp("default-store") / "store"))
    # Nor what citykg push remembers in the user's config folder.
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path_factory.mktemp("config")))


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve`` on a fresh folder and a free port, once per session; its base URL."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Debian's Virtuoso with its default settings (a 10,000-row cap), once per session."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def copenhagen_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the built-in dataset; tests must not write to it."""
    store = tmp_path_factory.mktemp("copenhagen") / "store"
    build(store)
    return store


@pytest.fixture(scope="session")
def copenhagen(copenhagen_store: Path) -> Iterator[Dataset]:
    """The built-in graph, opened read-only."""
    yield open_dataset(copenhagen_store)


@pytest.fixture(scope="session")
def twin_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written analysis fixture (two Santiagos, dated memberships), built once;
    tests must not write to it."""
    store = tmp_path_factory.mktemp("twin") / "store"
    build(store, [FIXTURES / "analysis" / "twin-cities"])
    return store


@pytest.fixture(scope="session")
def protected_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with internal entries, persons and contact data, built once; tests must
    not write to it."""
    store = tmp_path_factory.mktemp("protected") / "store"
    build(store, [FIXTURES / "reliability" / "protected"])
    return store


@pytest.fixture
def run() -> Run:
    """Run the ``citykg`` CLI in-process: ``run("stats", "--store", path)``."""
    runner = CliRunner()

    def invoke(
        *args: str | Path, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        return runner.invoke(
            main, [str(a) for a in args], input=input, env=env, catch_exceptions=False
        )

    return invoke


CHROMIUM = "/usr/bin/chromium"
XSS = "<img src=x onerror=alert(1)>"
ARTIFACTS = Path(__file__).parent / "artifacts"


def city_graph() -> nx.Graph:
    """Copenhagen's corner of the world, with the names pyvis garbles and one hostile label."""
    G = nx.Graph()
    G.add_node(
        "copenhagen",
        label="København",
        kind="city",
        alt_labels=["Kobenhavns Kommune", "Copenhagen"],
        themes=["Climate", "Health"],
        networks=["C40", "Eurocities"],
        period="",
        evidence=[
            {
                "quote": "Copenhagen aims to be carbon neutral by 2025.",
                "section": "Climate",
                "source": "International strategy 2024",
            }
        ],
        centrality=1.0,
        community=0,
    )
    G.add_node(
        "skane",
        label="Skåne",
        kind="region",
        alt_labels=["Region Skåne"],
        themes=["Growth"],
        networks=["Greater Copenhagen"],
        evidence=[
            {
                "quote": "Region Skåne is a partner in Greater Copenhagen.",
                "section": "Region",
                "source": "Strategy",
            }
        ],
        centrality=0.4,
    )
    G.add_node(
        "lisbon",
        label="Câmara Municipal de Lisboa",
        kind="administration",
        alt_labels=["Lisbon City Council"],
        themes=["Climate"],
        networks=["Eurocities"],
        centrality=0.3,
    )
    G.add_node(
        "c40", label="C40", kind="network", themes=["Climate"], networks=["C40"], centrality=0.8
    )
    G.add_node(
        "eurocities", label="Eurocities", kind="network", networks=["Eurocities"], centrality=0.7
    )
    G.add_node(
        "greater-cph",
        label="Greater Copenhagen",
        kind="cooperation",
        networks=["Greater Copenhagen"],
        themes=["Growth"],
        period="2015-01 \u2013 ",
    )
    G.add_node(
        "force",
        label="FORCE",
        kind="project",
        themes=["Climate"],
        period="2016-09 \u2013 2020-08",
        evidence=[
            {
                "quote": "FORCE: cities as drivers for circular economy.",
                "section": "Projects",
                "source": "EU portal",
            }
        ],
    )
    G.add_node("climate", label="Climate", kind="theme")
    G.add_node(
        "xss",
        label=XSS,
        kind="event",
        alt_labels=["</script><script>alert(2)</script>"],
        evidence=[{"quote": "</script><b>bold?</b>", "section": "<i>s</i>", "source": "&amp;"}],
    )
    G.add_node("bare")  # no attributes at all
    G.add_edge("copenhagen", "c40", relation="member")
    G.add_edge("copenhagen", "eurocities", relation="member")
    G.add_edge("lisbon", "eurocities", relation="member")
    G.add_edge("skane", "greater-cph", relation="party")
    G.add_edge("copenhagen", "greater-cph", relation="party")
    G.add_edge("copenhagen", "force", relation="lead")
    G.add_edge("lisbon", "force", relation="partner", weight=3)
    G.add_edge("force", "climate", relation="theme")
    G.add_edge("c40", "climate", relation="theme")
    G.add_edge("copenhagen", "xss", relation="host", label="<b>hosted</b>")
    return G


@pytest.fixture
def graph() -> nx.Graph:
    return city_graph()


@dataclass
class Page:
    """A loaded map page plus what happened while loading it."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # No importorskip and no skip on a missing binary: without Chromium these tests must fail.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        yield b
        b.close()


@pytest.fixture
def open_map(browser: Any) -> Iterator[Any]:
    """open_map(html_path) -> Page, with every request other than the file itself aborted."""
    contexts = []

    def _open(path: Path, width: int = 1400, height: int = 900) -> Page:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        page = ctx.new_page()
        url = path.resolve().as_uri()
        result = Page(page=page, url=url)

        def route(r: Any) -> None:
            if r.request.url == url:
                r.continue_()
            else:
                result.requests.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page.on("request", lambda req: None if req.url == url else result.requests.append(req.url))
        page.on(
            "console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: result.console_errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            result.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url)
        assert wait_for_flag(page, "citykgReady", 30), "the map never became ready"
        return result

    yield _open
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def tmp_html() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d) / "map.html"
