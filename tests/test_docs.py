"""The documentation is true: the CLI reference is the commands' own help, the tutorial's
commands print what it shows, the Python examples run, and every link leads somewhere."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from citykg.docs_cli import render
from tests.conftest import Run
from tests.test_quality import ROOT

DOCS = ROOT / "docs"
#: The store path the tutorial shows (the default one, on Linux, for a user called "you").
SHOWN_STORE = "/home/you/.local/share/citykg/store"


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


@dataclass
class Step:
    """A file the reader writes, or a command and what it prints."""

    line: int
    file: str | None = None
    text: str = ""
    command: str | None = None


def tutorial_steps(text: str) -> list[Step]:
    """The files (```lang file=NAME) and commands (```console, '$ citykg ...') of a page."""
    steps: list[Step] = []
    for match in re.finditer(r"^```(\S*)([^\n]*)\n(.*?)^```$", text, flags=re.S | re.M):
        line = text.count("\n", 0, match.start()) + 1
        kind, info, body = match.group(1), match.group(2), match.group(3)
        named = re.search(r"file=(\S+)", info)
        if named:
            steps.append(Step(line, file=named.group(1), text=body))
        elif kind == "console":
            for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
                command, _, output = chunk.partition("\n")
                steps.append(Step(line, command=command, text=output))
    return steps


#: The progress bars' labels: on a terminal that is not one, click prints a bar's label once.
LABELS = {"Building", "Loading", "Enriching", "Pushing", "Generating"}


def printed_by(result: Result, store: Path) -> str:
    """What a reader sees: stderr (less the progress bar) and stdout, the store's path shown
    as :data:`SHOWN_STORE`."""
    errors = "".join(
        line for line in result.stderr.splitlines(keepends=True) if line.strip() not in LABELS
    )
    return (errors + result.stdout).replace(str(store), SHOWN_STORE)


def test_the_tutorial_shows_what_each_command_prints(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a reader would run it: in an empty folder, with the default store (here a fresh one).
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "default-store"
    monkeypatch.setenv("CITYKG_STORE", str(store))
    steps = tutorial_steps((DOCS / "tutorial.md").read_text(encoding="utf-8"))
    assert sum(step.command is not None for step in steps) >= 15
    for step in steps:
        if step.file is not None:
            (tmp_path / step.file).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / step.file).write_text(step.text, encoding="utf-8")
            continue
        assert step.command is not None
        words = shlex.split(step.command, comments=True)
        assert words[0] == "citykg", f"tutorial.md:{step.line}: only citykg commands are run"
        assert printed_by(run(*words[1:]), store) == step.text, (
            f"tutorial.md:{step.line}: $ {step.command}"
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
