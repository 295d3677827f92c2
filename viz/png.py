"""A still PNG of the map, drawn by headless Chromium from the very same HTML page.

One renderer for both outputs: the PNG is a screenshot of :func:`citykg.viz.render_html`'s
page, so colours, shapes, legend and layout match what the interactive map shows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Unpack

import networkx as nx

from citykg.files import write_atomic

from .errors import BrowserUnavailableError, VizError
from .map import MapOptions, write_html

__all__ = ["CHROMIUM_ARGS", "find_chromium", "write_png"]

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Chromium flags: no GPU, no sandbox (containers), and none of Chromium's own phoning home."""

INSTALL_FIX = (
    "Install Chromium (Debian/Ubuntu: apt-get install chromium) or point CITYKG_CHROMIUM "
    "at a Chromium or Chrome executable."
)


def find_chromium(executable: str | PathLike[str] | None = None) -> Path:
    """The Chromium executable to use: ``executable``, ``$CITYKG_CHROMIUM``, or one on PATH.

    Raises
    ------
    BrowserUnavailableError
        None found.
    """
    candidates: list[str] = []
    if executable is not None:
        candidates.append(os.fspath(executable))
    elif os.environ.get("CITYKG_CHROMIUM"):
        candidates.append(os.environ["CITYKG_CHROMIUM"])
    else:
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
            found = shutil.which(name)
            if found:
                candidates.append(found)
        candidates.append("/usr/bin/chromium")
    for c in candidates:
        if Path(c).is_file() and os.access(c, os.X_OK):
            return Path(c)
    raise BrowserUnavailableError(
        "no Chromium executable found" + (f" at {candidates[0]}" if executable else ""),
        INSTALL_FIX,
    )


def write_png(
    G: nx.Graph,
    path: str | PathLike[str],
    *,
    title: str,
    width: int = 1600,
    height: int = 1000,
    scale: float = 1.0,
    legend: bool = True,
    chromium: str | PathLike[str] | None = None,
    timeout: float = 60.0,
    private: bool = False,
    **options: Unpack[MapOptions],
) -> Path:
    """Write a PNG picture of the map of ``G`` to ``path`` and return the path.

    Parameters
    ----------
    G, title, options
        As for :func:`citykg.viz.render_html` (``physics``, ``seed``, ``expand``, ...).
    width, height : int
        Size of the browser window in CSS pixels.
    scale : float
        Device pixel ratio (2 gives a sharp picture for print; the file has ``width*scale``
        pixels across).
    legend : bool
        Include the title bar and legend (default), or only the network drawing.
    private : bool
        The map holds internal data: a new file is readable by its owner only (0600).
    chromium : path, optional
        The Chromium executable (default: ``$CITYKG_CHROMIUM``, else one on PATH).
    timeout : float
        Seconds to wait for the page to draw (and, with physics, to settle).

    Raises
    ------
    BrowserUnavailableError
        playwright or Chromium is missing or does not start; the message says how to fix it.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> write_png(G, "map.png", title="Demo")  # doctest: +SKIP
    PosixPath('map.png')
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailableError(
            "the PNG export needs the playwright package, which is not installed",
            "Install citykg with its png extra: pip install 'citykg[png]' (no 'playwright "
            "install' needed with a system Chromium). " + INSTALL_FIX,
        ) from exc
    executable = find_chromium(chromium)
    out = Path(path)
    with tempfile.TemporaryDirectory(prefix="citykg-png-") as tmp:
        page_path = write_html(G, Path(tmp) / "map.html", title=title, **options)
        url = page_path.resolve().as_uri()
        # Playwright's sync API refuses to run on a thread with a running asyncio loop (a
        # notebook, an async web app, another Playwright session); a worker thread has none.
        with ThreadPoolExecutor(max_workers=1) as pool:
            job = pool.submit(
                _run_browser,
                sync_playwright,
                PlaywrightError,
                executable,
                Path(tmp) / "profile",
                url,
                out,
                _Shot(width, height, scale, legend, timeout, private),
            )
            job.result()
    return out


@dataclass(frozen=True)
class _Shot:
    width: int
    height: int
    scale: float
    legend: bool
    timeout: float
    private: bool = False


def _run_browser(
    sync_playwright: Any,
    playwright_error: type[Exception],
    executable: Path,
    profile: Path,
    url: str,
    out: Path,
    shot: _Shot,
) -> None:
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(profile),  # a fresh, throw-away profile
                executable_path=str(executable),
                headless=True,
                args=list(CHROMIUM_ARGS),
                viewport={"width": shot.width, "height": shot.height},
                device_scale_factor=shot.scale,
            )
            try:
                _shoot(context, url, out, shot.legend, shot.timeout, shot.private)
            finally:
                context.close()
    except playwright_error as exc:
        raise BrowserUnavailableError(
            f"Chromium ({executable}) failed: {str(exc).splitlines()[0]}",
            "Check that it starts: "
            + str(executable)
            + " --headless --no-sandbox --version. "
            + INSTALL_FIX,
        ) from exc


def wait_for_flag(page: Any, flag: str, timeout: float) -> bool:
    """Wait until the page sets ``window.<flag> = true``; False if it has not after ``timeout`` s.

    Polls with ``page.evaluate`` (a DevTools evaluation) rather than Playwright's
    ``wait_for_function``, which compiles its predicate inside the page and so is refused by
    the map's Content-Security-Policy (no 'unsafe-eval') whenever it has to poll.
    """
    deadline = time.monotonic() + timeout
    while True:
        if page.evaluate(f"window.{flag} === true"):
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(25)


def _shoot(
    context: Any, url: str, out: Path, legend: bool, timeout: float, private: bool = False
) -> None:
    def only_the_page(route: Any) -> None:
        # the page needs nothing else; refuse anything it might still ask for
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_page)
    page = context.new_page()
    page.goto(url)
    if not wait_for_flag(page, "citykgReady", timeout):
        raise VizError(
            f"the map did not finish drawing within {timeout:g} s", "Try without --physics."
        )
    # with physics asked for, its run is bounded; after the timeout take the picture as it is
    wait_for_flag(page, "citykgStable", timeout)
    page.evaluate(
        "() => { document.body.classList.add('citykg-static');"
        " citykg.network.setOptions({physics: {enabled: false}});"
        " citykg.network.setSize('100%', '100%'); citykg.frameAll(); citykg.network.redraw(); }"
    )
    page.wait_for_timeout(100)
    image = page.screenshot() if legend else page.locator("#citykg-map").screenshot()
    try:
        write_atomic(out, image, private=private)
    except OSError as exc:
        raise VizError(f"cannot write {out}: {exc}", "Check that the folder is writable.") from exc
