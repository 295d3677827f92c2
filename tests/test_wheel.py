"""The built wheel carries the package data: install it in a fresh venv and build from elsewhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_builds_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("citykg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "citykg/ontology/citykg.ttl",
        "citykg/ontology/shapes.ttl",
        "citykg/loaders/data/copenhagen/memberships-c40.csv",
        "citykg/loaders/data/copenhagen/networks.yaml",
        "citykg/graph/store.py",
        "citykg/cli.py",
    ):
        assert expected in names, expected
    assert not any(name.startswith(("tests/", "graph/", "ontology/")) for name in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    # The wheel goes into the fresh venv; its dependencies come from this environment's
    # site-packages through a .pth line (no network needed, and no editable citykg: a plain
    # path line does not run this environment's editable-install hooks).
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "citykg-test-deps.pth").write_text("\n".join(deps) + "\n")
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
    )
    where = subprocess.run(
        [str(python), "-c", "import citykg.ontology, citykg.cli; print(citykg.ontology.__file__)"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert where.stdout.startswith(str(venv))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = tmp_path / "store"
    built = subprocess.run(
        [str(venv / "bin" / "citykg"), "build", "--store", str(store), "--quiet"],
        capture_output=True, text=True, cwd=elsewhere,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"Built {store}: ") and built.stdout.endswith(
        " from copenhagen (validated).\n"
    )
    stats = subprocess.run(
        [str(venv / "bin" / "citykg"), "stats", "--store", str(store)],
        capture_output=True, text=True, cwd=elsewhere, check=True,
    )  # fmt: skip
    assert "membership" in stats.stdout and "principle       7" in stats.stdout
