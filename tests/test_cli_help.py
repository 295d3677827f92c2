"""`citykg --help` and `--version` answer at once: they import no RDF or network library."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from citykg.cli import LAZY_COMMANDS, LAZY_HELP, main
from citykg.clitools import CitykgGroup

HEAVY = ("rdflib", "pyoxigraph", "oxrdflib", "networkx", "scipy", "pyshacl", "SPARQLWrapper")

# Runs the command in a fresh interpreter and prints the heavy libraries it imported.
_PROBE = """
import sys
from citykg.cli import main
try:
    main([sys.argv[1]])
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[2:]))
"""


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_no_heavy_library(option: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, option, *HEAVY], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"
    assert result.stdout.startswith("Usage: " if option == "--help" else "citykg, version ")


def test_every_lazy_command_has_its_short_help() -> None:
    # --help lists lazy commands with LAZY_HELP's text; it must be the command's own.
    ctx = click.Context(main)
    assert sorted(LAZY_HELP) == sorted(LAZY_COMMANDS), "give each lazy command its LAZY_HELP"
    for name, short in LAZY_HELP.items():
        command = main.get_command(ctx, name)
        assert command is not None
        assert short == command.get_short_help_str(limit=1000), name


def test_help_lists_lazy_commands_as_click_would() -> None:
    # A group that has loaded none of its lazy commands lists them from LAZY_HELP; once they
    # are loaded, from the commands: the same page.
    group = CitykgGroup("citykg", lazy_commands=LAZY_COMMANDS, lazy_help=LAZY_HELP)
    runner = CliRunner()
    before = runner.invoke(group, ["--help"], terminal_width=80).stdout
    assert group.commands == {}
    ctx = click.Context(group)
    for name in LAZY_COMMANDS:
        group.get_command(ctx, name)
    assert sorted(group.commands) == sorted(LAZY_COMMANDS)
    after = runner.invoke(group, ["--help"], terminal_width=80).stdout
    assert before == after
    assert "  map        Write the network map as one self-contained HTML file that...\n" in after
