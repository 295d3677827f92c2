"""The built wheel carries the package data: install it in a fresh venv and use it from elsewhere."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        cwd=dist,
    )
    (built,) = dist.glob("citykg-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    site = next((folder / "lib").glob("python3*/site-packages"))
    # The wheel goes into the fresh venv; its dependencies come from this environment's
    # site-packages through a .pth line (no network needed, and no editable citykg: a plain
    # path line does not run this environment's editable-install hooks).
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "citykg-test-deps.pth").write_text("\n".join(deps) + "\n")
    python = folder / "bin" / "python"
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
    return folder


@pytest.mark.slow
def test_wheel_carries_the_package_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "citykg/ontology/citykg.ttl",
        "citykg/ontology/shapes.ttl",
        "citykg/loaders/data/copenhagen/memberships-c40.csv",
        "citykg/loaders/data/copenhagen/networks.yaml",
        "citykg/analysis/sparql/ties.rq",
        "citykg/queries/search.rq",
        "citykg/viz/templates/map.html",
        "citykg/viz/templates/map.js",
        "citykg/viz/geodata/countries-110m.json",
        "citykg/viz/geodata/README.md",
        "citykg/analysis/sparql/map-facts.rq",
        "citykg/graph/store.py",
        "citykg/cli.py",
        "citykg/py.typed",
    ):
        assert expected in names, expected
    assert not any(name.startswith(("tests/", "graph/", "ontology/")) for name in names)


@pytest.mark.slow
def test_installed_wheel_builds_and_analyses_from_another_directory(
    venv: Path, tmp_path: Path
) -> None:
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import citykg.ontology, citykg.cli; print(citykg.ontology.__file__)"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert where.stdout.startswith(str(venv))
    citykg = str(venv / "bin" / "citykg")
    # The version is stated once, in pyproject.toml, and read from the installed metadata.
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    shown = subprocess.run([citykg, "--version"], capture_output=True, text=True, check=True)
    assert shown.stdout == f"citykg, version {version}\n"
    store = tmp_path / "store"
    built = subprocess.run(
        [citykg, "build", "--store", str(store), "--quiet"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"Built {store}: ") and built.stdout.endswith(
        " from copenhagen, vocabulary (validated).\n"
    )
    stats = subprocess.run(
        [citykg, "stats", "--store", str(store)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert "membership" in stats.stdout and "principle       7" in stats.stdout
    out = subprocess.run(
        [citykg, "overlaps", "lisbon", "--top", "1", "--format", "csv", "--store", str(store)],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    assert out.stdout.splitlines()[1].startswith("copenhagen,Copenhagen,city,2,")
    # the world map: the outline and the gazetteer come with the install
    world = tmp_path / "world.html"
    drawn = subprocess.run(
        [citykg, "map", "--layout", "geo", "--store", str(store), "-o", str(world)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert drawn.returncode == 0, drawn.stderr
    page = world.read_text(encoding="utf-8")
    assert '"place":"from GeoNames, matched by name and country"' in page
    assert '"outline":{"borders":[[' in page
