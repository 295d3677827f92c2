"""ruff and mypy over the code base, so that CI enforces them like any other test."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The top-level folders installed as citykg.<name>, as pyproject.toml maps them.
SUBPACKAGES = tuple(
    folder
    for name, folder in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-dir"
    ].items()
    if name != "citykg"
)


def test_ruff_check_and_format() -> None:
    check = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict(tmp_path: Path) -> None:
    # mypy cannot follow setuptools' package-dir mapping of an editable install, so it checks a
    # tree of links laid out as the installed package is: citykg/ with the subpackages inside.
    package = tmp_path / "citykg"
    package.mkdir()
    for module in (ROOT / "citykg").glob("*.py"):
        (package / module.name).symlink_to(module)
    for name in SUBPACKAGES:
        (package / name).symlink_to(ROOT / name, target_is_directory=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "-p",
            "citykg",
            "--config-file",
            str(ROOT / "pyproject.toml"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout.replace(str(tmp_path) + "/", "") + result.stderr
