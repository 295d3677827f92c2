"""The built wheel carries the extraction query, and the analyses run from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_carries_the_network_query(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("citykg-*.whl")
    assert "citykg/graph/sparql/network.rq" in zipfile.ZipFile(wheel).namelist()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    # dependencies from this environment, citykg only from the wheel (as in test_wheel.py)
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "citykg-test-deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-deps", "-q", str(wheel)],
        check=True,
    )  # fmt: skip
    store = tmp_path / "store"
    citykg = str(venv / "bin" / "citykg")
    subprocess.run([citykg, "build", "--store", str(store), "--quiet"], check=True, cwd=tmp_path)
    out = subprocess.run(
        [citykg, "overlaps", "lisbon", "--top", "1", "--format", "csv", "--store", str(store)],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    assert out.stdout.splitlines()[1].startswith("copenhagen,Copenhagen,city,2,")
