"""The notebooks under docs/notebooks run top to bottom (executed by nbmake).

They run in a subprocess with the same interpreter, so the kernel ``python3`` is this
virtualenv's Python (jupyter_client maps a kernelspec's ``python`` to ``sys.executable``).
Run one by hand with ``pytest --nbmake docs/notebooks/sample-estate.ipynb``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "docs" / "notebooks").glob("*.ipynb"))


def test_notebooks_exist() -> None:
    assert any(p.name == "sample-estate.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(notebook: Path) -> None:
    pytest.importorskip("nbmake")
    pytest.importorskip("pandas", reason="the notebooks tabulate with pandas")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbmake",
            "--nbmake-timeout=120",
            "-q",
            "-p",
            "no:cacheprovider",
            # The project's addopts (doctests, strict config) are for the test suite.
            "-o",
            "addopts=",
            "-W",
            "default",
            str(notebook),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=notebook.parent,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
