"""Benchmark the map renderer on synthetic 1k- and 5k-node graphs.

Reports, per size: time to write the HTML (layout included), file size, and time from
``page.goto`` until the page is usable (``window.citykgReady``: first frame drawn) in headless
Chromium, plus how long a search and a kind filter take there. Deterministic (seed 7).

Run: ``.venv/bin/python bench/map_bench.py [sizes...]``; pages go to ``bench/out/``.
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
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
