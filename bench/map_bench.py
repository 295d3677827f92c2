"""Benchmark the map: the renderer on synthetic graphs, ``citykg map`` on a store, the PNG.

Three modes:

- ``map_bench.py [sizes...]`` (default 1000 5000): per size of bench/synthetic.py's graphs,
  the time to write the HTML (layout included), the file size, the time from ``page.goto``
  until the page is usable (``window.citykgReady``: first frame drawn, labels included) in
  headless Chromium, and how long a search and a kind filter take there.
- ``map_bench.py --store STORE``: ``citykg map`` of a built store (a ``citykg synth`` world
  of 5,000 nodes, say) step by step: where the time goes (extraction, map facts,
  centrality and communities, the rest of the map graph, layout, payload, page), each as a
  share of the whole, against the extraction alone as the baseline.
- ``map_bench.py --png STORE``: ``citykg map --format png`` of the store's default map,
  against a baseline measured in the same run: Chromium started and a blank page shot.

Run: ``.venv/bin/python bench/map_bench.py ...``; pages go to ``bench/out/``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthetic import synthetic_graph

from citykg.viz import write_html
from citykg.viz.png import CHROMIUM_ARGS, find_chromium, wait_for_flag

OUT = Path(__file__).parent / "out"


def only(url: str, leaked: list[str]) -> Callable[[Any], None]:
    """A route handler that lets the page file through and aborts (and records) the rest."""

    def handle(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            leaked.append(route.request.url)
            route.abort()

    return handle


def timed(module: Any, name: str, spent: dict[str, float], label: str) -> None:
    """Wrap ``module.name`` so that each call adds its time to ``spent[label]``."""
    inner = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t0

    setattr(module, name, wrapper)


def store_map(store: Path) -> None:
    """Where the time of ``citykg map`` on ``store`` goes."""
    import citykg.analysis.mapgraph as mapgraph
    import citykg.viz.map as vizmap
    from citykg.graph.store import open_dataset
    from citykg.queries.sparql import LocalSource

    spent: dict[str, float] = {}
    timed(mapgraph, "load_network", spent, "extraction (load_network)")
    timed(mapgraph, "load_map_facts", spent, "map facts (countries, coordinates)")
    timed(mapgraph, "node_measures", spent, "centrality and communities (node_measures)")
    timed(vizmap, "_layout", spent, "layout")
    timed(vizmap, "build_payload", spent, "payload")
    source = LocalSource(open_dataset(store))
    t0 = time.perf_counter()
    G = mapgraph.load_map_graph(source, home=None)
    graph_s = time.perf_counter() - t0
    OUT.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    write_html(G, OUT / "store-map.html", title="bench")
    write_s = time.perf_counter() - t0
    total = graph_s + write_s
    inside = sum(v for k, v in spent.items() if k in ("layout", "payload"))
    rows = [*spent.items()]
    rows.append(("rest of the map graph", graph_s - sum(spent[k] for k in list(spent)[:3])))
    rows.append(("page (vis-network, template, writing)", write_s - inside))
    base = spent["extraction (load_network)"]
    print(f"citykg map of {store}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} links")
    print("| step | s | share | x extraction |")
    print("|---|---|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} | {seconds / total:.0%} | {seconds / base:.2f} |")
    print(f"| total | {total:.2f} | 100% | {total / base:.2f} |")


def png_map(store: Path) -> None:
    """``citykg map --format png`` of the default map against a blank page shot."""
    from playwright.sync_api import sync_playwright

    from citykg.analysis.mapgraph import load_map_graph
    from citykg.graph.store import open_dataset
    from citykg.queries.sparql import LocalSource
    from citykg.viz import write_png

    OUT.mkdir(exist_ok=True)
    blank = OUT / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    t0 = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(find_chromium()), headless=True, args=list(CHROMIUM_ARGS)
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(blank.resolve().as_uri())
        page.screenshot(path=str(OUT / "blank.png"))
        browser.close()
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    G = load_map_graph(LocalSource(open_dataset(store)), home="copenhagen", require_home=False)
    graph_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_png(G, OUT / "store-map.png", title="bench")
    png_s = time.perf_counter() - t0
    print("| step | s | x blank page shot |")
    print("|---|---|---|")
    print(f"| Chromium started, blank page shot (baseline) | {baseline:.2f} | 1.00 |")
    print(f"| map graph from the store | {graph_s:.2f} | {graph_s / baseline:.2f} |")
    print(f"| PNG of the map (page written, drawn, shot) | {png_s:.2f} | {png_s / baseline:.2f} |")
    total = graph_s + png_s
    print(f"| citykg map --format png, together | {total:.2f} | {total / baseline:.2f} |")


def main(sizes: list[int]) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(find_chromium()), headless=True, args=list(CHROMIUM_ARGS)
        )
        for n in sizes:
            G = synthetic_graph(n)
            path = OUT / f"map-{n}.html"
            t0 = time.perf_counter()
            write_html(G, path, title=f"Synthetic {n}")
            write_s = time.perf_counter() - t0
            size_mb = path.stat().st_size / 1e6
            loads = []
            for _ in range(3):
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                page = ctx.new_page()
                url = path.resolve().as_uri()
                leaked: list[str] = []
                ctx.route("**/*", only(url, leaked))
                t0 = time.perf_counter()
                page.goto(url)
                wait_for_flag(page, "citykgReady", 60)
                loads.append(time.perf_counter() - t0)
                assert not leaked, leaked
                search_ms = page.evaluate(
                    "() => { const t = performance.now(); citykg.search('city 12');"
                    " return performance.now() - t; }"
                )
                filter_ms = page.evaluate(
                    "() => { const t = performance.now();"
                    " document.querySelector('input[data-kind=city]').click();"
                    " return performance.now() - t; }"
                )
                ctx.close()
            rows.append(
                (
                    n,
                    G.number_of_edges(),
                    write_s,
                    size_mb,
                    min(loads),
                    max(loads),
                    search_ms,
                    filter_ms,
                )
            )
        browser.close()
    print(
        "| nodes | edges | write HTML (s) | file (MB) | usable in Chromium (s, best/worst of 3) "
        "| search (ms) | kind filter (ms) |"
    )
    print("|---|---|---|---|---|---|---|")
    for n, m, w, mb, lo, hi, s, f in rows:
        print(f"| {n:,} | {m:,} | {w:.2f} | {mb:.1f} | {lo:.2f} / {hi:.2f} | {s:.1f} | {f:.1f} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--store"]:
        store_map(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--png"]:
        png_map(Path(sys.argv[2]))
    else:
        main([int(a) for a in sys.argv[1:]] or [1000, 5000])
