# ruff: noqa: RUF001  (the labels and periods of the data hold en dashes)
"""The brief and timeline pages in a real Chromium: offline, no console errors, labels shown as
text, the evidence of a clicked row, dates placed where they belong, two A4 pages at most."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from citykg.graph.build import build
from tests.conftest import ARTIFACTS, FIXTURES, XSS, Run

AS_OF = "2026-01-15"
A4_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


@dataclass
class Opened:
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def brief_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("brief-browser") / "store"
    build(store, [FIXTURES / "brief"])
    return store


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """open_page(path, width, height) -> Opened, with every request but the file's aborted
    (and, with ``pages``, those of the other pages of its folder a link leads to)."""
    contexts = []

    def _open(path: Path, width: int = 1440, height: int = 900, pages: bool = False) -> Opened:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        page = ctx.new_page()
        url = path.resolve().as_uri()
        opened = Opened(page)

        folder = path.resolve().parent.as_uri() + "/"

        def route(r: Any) -> None:
            link = r.request.is_navigation_request() and r.request.url.startswith(folder)
            if r.request.url == url or (pages and link and r.request.url.endswith(".html")):
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url)
        page.wait_for_load_state("load")
        return opened

    yield _open
    for ctx in contexts:
        ctx.close()


def _pages(pdf: bytes) -> int:
    return len(A4_PAGE.findall(pdf))


def _busy_dataset(folder: Path, shared: int = 24) -> None:
    """A fictional partner, Busytown, that shares 24 projects and 3 agreements with Copenhagen,
    on 12 themes, under 4 principles: more than two pages hold in full."""
    folder.mkdir()

    def quote(text: str) -> dict[str, str]:
        return {"section": "s-a", "quote": text}

    data = {
        "dataset": {"id": "busy", "title": "A busy fictional partner", "home": "copenhagen"},
        "documents": [
            {
                "id": "doc",
                "title": "A fictional strategy",
                "sections": [{"id": "s-a", "title": "A section with a fairly long title"}],
            }
        ],
        "themes": [{"id": f"t{i}", "label": f"Theme number {i}"} for i in range(12)],
        "cities": [
            {"id": "copenhagen", "label": "Copenhagen", "evidence": [quote("Copenhagen.")]},
            {"id": "busytown", "label": "Busytown", "evidence": [quote("Busytown is busy.")]},
        ],
        "projects": [
            {
                "id": f"project-{i}",
                "label": f"A project with a rather long name number {i}",
                "start": "2020-01",
                "end": "2027-06",
                "themes": [f"t{i % 12}", f"t{(i + 3) % 12}"],
                "evidence": [
                    quote(f"Project {i} does a great many things for both cities for years."),
                    quote(f"A second passage about project {i}, long enough to wrap a line."),
                ],
            }
            for i in range(shared)
        ],
        "cooperations": [
            {
                "id": f"agreement-{i}",
                "label": f"Agreement {i} between Copenhagen and Busytown",
                "parties": ["copenhagen", "busytown"],
                "start": "2024-01-01",
                "end": "2026-05-31",
                "binding": True,
                "council_approval_required": True,
                "evidence": [quote(f"Agreement {i} is quoted here over a line of printed text.")],
            }
            for i in range(3)
        ],
        "principles": [
            {
                "id": f"principle-{n}",
                "number": n,
                "about": [topic],
                "label": f"Principle {n} of a fictional strategy, with a long label",
                "text": "A fictional principle that takes a couple of lines to say what it says.",
                "evidence": [quote("A fictional quote that backs the principle over a line.")],
            }
            for n, topic in (
                (2, "networks-first"),
                (3, "request-assessment"),
                (4, "time-limited-agreements"),
                (6, "council-approval"),
            )
        ],
        "memberships": [
            m
            for i in range(shared)
            for m in (
                {
                    "member": "copenhagen",
                    "organization": f"project-{i}",
                    "role": "lead",
                    "evidence": [quote(f"Copenhagen leads project {i}.")],
                },
                {
                    "member": "busytown",
                    "organization": f"project-{i}",
                    "role": "partner",
                    "evidence": [{"source": "https://example.org/list"}],
                },
            )
        ],
    }
    (folder / "busy.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("city", ["Beijing", "Buenos Aires"])
def test_brief_in_chromium_prints_on_two_a4_pages(
    run: Run, copenhagen_store: Path, tmp_path: Path, open_page: Any, city: str
) -> None:
    out = tmp_path / "brief.html"
    result = run("brief", city, "-o", out, "--as-of", AS_OF, "--store", copenhagen_store)
    assert result.exit_code == 0, result.output
    opened = open_page(out)
    page = opened.page
    assert opened.requests == [] and opened.errors == [] and opened.dialogs == []
    assert page.locator("h1").text_content() == city
    shared = page.locator("#shared h3").all_text_contents()
    assert any("Strategic Sector Cooperation Copenhagen–" in s for s in shared)
    assert any("C40 Cities Climate Leadership Group" in s for s in shared)
    themes = page.locator("#themes p").first.text_content()
    assert "Circular economy" in themes and "Wastewater management" in themes
    # the focus map is drawn without a script: home, partner and the three shared links
    assert page.locator("svg.focusmap line").count() == 6
    assert "Copenhagen" in page.locator("svg.focusmap").text_content()
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert 1 <= _pages(pdf) <= 2, f"{city} prints on {_pages(pdf)} pages"
    ARTIFACTS.mkdir(exist_ok=True)
    name = city.lower().replace(" ", "-")
    (ARTIFACTS / f"brief-{name}.pdf").write_bytes(pdf)
    page.screenshot(path=str(ARTIFACTS / f"brief-{name}.png"), full_page=True)


def test_a_busy_partner_still_prints_on_two_pages(run: Run, tmp_path: Path, open_page: Any) -> None:
    _busy_dataset(tmp_path / "busy")
    store = tmp_path / "store"
    build(store, [tmp_path / "busy"])
    out = tmp_path / "busy.html"
    result = run("brief", "Busytown", "-o", out, "--as-of", AS_OF, "--store", store)
    assert "Busytown shares 27 collaborations with Copenhagen" in result.output
    page = open_page(out).page
    # on screen everything; on paper the first items in full, then rows, and what is left out
    assert page.locator("#shared article.item").count() == 27
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert _pages(pdf) == 2
    page.emulate_media(media="print")
    assert page.locator("#shared article.item:visible").count() == 4
    assert page.locator("table.compact tbody tr:visible").count() == 8
    note = page.locator("#shared p.print-only").text_content()
    assert note == (
        "8 more listed without their evidence, 15 left out on paper: all are on screen and in "
        "the Markdown brief (--format md), with their evidence."
    )
    assert "22 more reasons, on screen" in page.locator("#assessment").text_content()


def test_brief_on_a_phone(run: Run, copenhagen_store: Path, tmp_path: Path, open_page: Any) -> None:
    out = tmp_path / "brief.html"
    run("brief", "Buenos Aires", "-o", out, "--store", copenhagen_store)
    opened = open_page(out, 390, 844)
    width = opened.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / "brief-phone.png"))


def test_brief_shows_hostile_labels_as_text(
    run: Run, brief_store: Path, tmp_path: Path, open_page: Any
) -> None:
    out = tmp_path / "mallory.html"
    run("brief", "mallory", "-o", out, "--store", brief_store)
    opened = open_page(out)
    page = opened.page
    assert opened.dialogs == [] and opened.errors == [] and opened.requests == []
    assert page.locator("h1").text_content() == XSS
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 0
    assert XSS in page.locator("svg.focusmap").text_content()


def test_brief_index_opens_offline(
    run: Run, brief_store: Path, tmp_path: Path, open_page: Any
) -> None:
    folder = tmp_path / "briefs"
    run("brief", "--all", "-o", folder, "--store", brief_store)
    opened = open_page(folder / "index.html", pages=True)
    assert opened.requests == [] and opened.errors == [] and opened.dialogs == []
    first = opened.page.locator("table.index tbody tr").first.locator("a")
    assert first.text_content() == "Vesterby"
    first.click()
    opened.page.wait_for_load_state("load")
    assert opened.page.locator("h1").text_content() == "Vesterby"
    assert opened.requests == []  # the brief next door is the same file:// folder


def test_timeline_in_chromium(
    run: Run, copenhagen_store: Path, tmp_path: Path, open_page: Any
) -> None:
    out = tmp_path / "timeline.html"
    result = run("timeline", "-o", out, "--as-of", AS_OF, "--store", copenhagen_store)
    assert result.exit_code == 0, result.output
    opened = open_page(out)
    page = opened.page
    assert page.evaluate("window.citykgReady === true")
    assert opened.requests == [] and opened.errors == [] and opened.dialogs == []

    def span(locator: Any) -> tuple[float, float]:
        box = locator.bounding_box()
        return box["x"], box["x"] + box["width"]

    def tick(year: int) -> float:
        return span(page.locator(".tl-axis .tl-tick", has_text=str(year)))[0]

    def at(year: int, day_of_year: int) -> float:
        return tick(year) + (tick(year + 1) - tick(year)) * day_of_year / 365

    force = page.locator(".tl-row", has_text="Cities Cooperating for Circular Economy")
    left, right = span(force.locator(".tl-mark"))
    assert abs(left - at(2016, 244)) < 3  # 1 September 2016
    assert abs(right - at(2020, 244)) < 3  # the end of August 2020
    tour = page.locator(".tl-row", has_text="Tour de France 2022")
    a, b = span(tour.locator(".tl-mark.point"))
    assert abs((a + b) / 2 - at(2022, 181.5)) < 3  # 1 July 2022
    undated = page.locator(".tl-undated").text_content()
    assert "C40 Cities Climate Leadership Group" in undated
    assert page.locator(".tl-row", has_text="C40 Cities Climate Leadership Group").count() == 0

    assert page.locator("#tl-panel").is_hidden()
    force.click()
    panel = page.locator("#tl-panel")
    assert panel.is_visible()
    assert "As head of the EU project Cities Cooperating for Circular Economy (FORCE)" in (
        panel.locator(".tl-detail:visible").text_content()
    )
    page.locator(".tl-link", has_text="Strategic Sector Cooperation Copenhagen–Beijing").click()
    detail = panel.locator(".tl-detail:visible")
    assert detail.locator("h2").text_content() == "Strategic Sector Cooperation Copenhagen–Beijing"
    assert "not dated in the data" in detail.text_content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline.png"))
    page.locator("#tl-close").click()
    assert panel.is_hidden()


def test_timeline_shows_hostile_text_as_text(
    run: Run, brief_store: Path, tmp_path: Path, open_page: Any
) -> None:
    out = tmp_path / "timeline.html"
    run("timeline", "-o", out, "--as-of", AS_OF, "--store", brief_store)
    opened = open_page(out, 390, 844)
    page = opened.page
    assert opened.dialogs == [] and opened.errors == [] and opened.requests == []
    row = page.locator(".tl-row").filter(has_text="onerror")
    assert row.locator(".name").text_content() == XSS
    row.click()
    detail = page.locator(".tl-detail:visible")
    assert "A festival </script><script>alert(3)</script>" in detail.text_content()
    assert page.locator("img").count() == 0
    soon = page.locator(".tl-row.soon")
    assert soon.locator(".name").text_content() == "Copenhagen–Vesterby water agreement"
    assert "ends within 6 months" in soon.text_content()
    assert opened.dialogs == []
