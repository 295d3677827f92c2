"""The documentation is true: the CLI reference is the commands' own help, the tutorial's
commands print what it shows, the Python examples run, and every link leads somewhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from citykg.docs_cli import refresh_tutorial, render, run_tutorial, tutorial_steps
from tests.test_quality import ROOT

DOCS = ROOT / "docs"


def test_cli_reference_is_the_commands_own_help() -> None:
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert written == render(), (
        "docs/cli.md differs from the commands' --help: regenerate it with "
        "'.venv/bin/python -m citykg.docs_cli'"
    )


def _links(page: Path) -> Iterator[tuple[str, str]]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:", target):
            yield page.name, target


def _anchors(page: Path) -> set[str]:
    # GitHub's anchors: headings lower-cased, punctuation dropped, spaces as dashes; repeats
    # get -1, -2, ...
    anchors: set[str] = set()
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.M):
        anchor = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = 1
        unique = anchor
        while unique in anchors:
            unique = f"{anchor}-{n}"
            n += 1
        anchors.add(unique)
    return anchors


PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_link_leads_somewhere(page: Path) -> None:
    broken = []
    for _, target in _links(page):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (
            anchor and linked.suffix == ".md" and anchor not in _anchors(linked)
        ):
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


# --- The tutorial: every console block runs as shown -----------------------------------------


def test_the_tutorial_shows_what_each_command_prints(tmp_path: Path) -> None:
    # As a reader would run it: in an empty folder, with a fresh default store.
    steps = tutorial_steps((DOCS / "tutorial.md").read_text(encoding="utf-8"))
    ran = 0
    for step, printed in run_tutorial(steps, tmp_path):
        assert printed == step.text, (
            f"docs/tutorial.md:{step.line}: '$ {step.command}' prints otherwise now. If that is "
            "right, refresh the page with '.venv/bin/python -m citykg.docs_cli' and review its diff"
        )
        ran += 1
    assert ran >= 15


def test_refreshing_the_tutorial_replaces_only_the_output(tmp_path: Path) -> None:
    page = (
        "Intro\n\n```csv file=list.csv\nCity\n```\n\n```console\n$ citykg query network-of\n"
        "stale output\n$ citykg --version\n```\n\n```sh\ncitykg build\n```\n"
    )
    version = run_tutorial(tutorial_steps("```console\n$ citykg --version\n```"), tmp_path)
    assert refresh_tutorial(page) == (
        "Intro\n\n```csv file=list.csv\nCity\n```\n\n```console\n$ citykg query network-of\n"
        "Error: unknown query 'network-of'. Did you mean 'networks-of'?\n$ citykg --version\n"
        f"{next(version)[1]}```\n\n```sh\ncitykg build\n```\n"
    )


# --- The Python pages: their examples are doctests --------------------------------------------


@pytest.mark.parametrize("page", ["api.md", "plugins.md"])
def test_the_python_examples_run(page: str, tmp_path: Path) -> None:
    # In a process of its own: the plugin example registers a loader, which this process's
    # other tests must not see.
    result = subprocess.run(
        [sys.executable, "-m", "doctest", "-o", "ELLIPSIS", "-o", "NORMALIZE_WHITESPACE",
         str(DOCS / page)],
        capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "CITYKG_STORE": str(tmp_path / "store")},
    )  # fmt: skip
    assert result.returncode == 0, f"docs/{page}:\n{result.stdout}{result.stderr}"
    assert (DOCS / page).read_text(encoding="utf-8").count(">>> ") >= 10
