"""The notebooks under docs/notebooks run top to bottom, and show the library's own displays.

They run in a subprocess with the same interpreter (nbclient, kernel ``python3``: jupyter_client
maps a kernelspec's ``python`` to ``sys.executable``), which writes the executed notebook; the
test then reads its outputs: the charts must be images (``image/png``, with no
``%matplotlib inline`` in the notebook) and the tables the library's coloured HTML, not
``print()`` text (issue 18, item 7). Run one by hand with
``pytest --nbmake docs/notebooks/sample-estate.ipynb``.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inspector_kit._html import COLOURS

NOTEBOOKS = sorted((Path(__file__).parent.parent / "docs" / "notebooks").glob("*.ipynb"))
SAMPLE = next((p for p in NOTEBOOKS if p.name == "sample-estate.ipynb"), None)
PNG = b"\x89PNG\r\n\x1a\n"

# Executes one notebook (argv[1]) in its folder and writes the executed copy to argv[2].
_EXECUTE = """
import sys
import nbformat
from nbclient import NotebookClient
from pathlib import Path

source, target = Path(sys.argv[1]), Path(sys.argv[2])
nb = nbformat.read(source, as_version=4)
client = NotebookClient(
    nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}}
)
client.execute()
nbformat.write(nb, target)
"""


def test_notebooks_exist() -> None:
    assert SAMPLE is not None


def _execute(notebook: Path, target: Path) -> dict[str, Any]:
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("pandas", reason="the notebooks tabulate with pandas")
    pytest.importorskip("matplotlib", reason="the notebooks draw charts")
    result = subprocess.run(
        # -W default: the project's "warnings are errors" is for the test suite, not Jupyter.
        [sys.executable, "-W", "default", "-c", _EXECUTE, str(notebook), str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=notebook.parent,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    executed: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return executed


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    assert SAMPLE is not None
    return _execute(SAMPLE, tmp_path_factory.mktemp("nb") / SAMPLE.name)


def _outputs(nb: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(source, output) for every output of every code cell."""
    return [
        ("".join(cell["source"]), output)
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for output in cell["outputs"]
    ]


def test_other_notebooks_run(tmp_path: Path) -> None:
    for notebook in NOTEBOOKS:
        if notebook != SAMPLE:  # the sample runs once, in the fixture
            nb = _execute(notebook, tmp_path / notebook.name)
            assert not [o for _, o in _outputs(nb) if o["output_type"] == "error"], notebook


def test_sample_notebook_runs_without_errors(executed: dict[str, Any]) -> None:
    outputs = _outputs(executed)
    assert outputs
    assert not [o for _, o in outputs if o["output_type"] == "error"]
    code = "\n".join(src for src, _ in outputs)
    assert "%matplotlib" not in code  # the charts display by themselves


def test_charts_render_as_images(executed: dict[str, Any]) -> None:
    images = [
        (src, base64.b64decode("".join(o["data"]["image/png"])))
        for src, o in _outputs(executed)
        if "image/png" in o.get("data", {})
    ]
    sources = [src for src, _ in images]
    for chart in ("severity_by", "coverage_by_method", "cost_by_region"):
        assert any(chart in src for src in sources), chart
    assert all(png.startswith(PNG) and len(png) > 10_000 for _, png in images)
    # No figure fell back to its text form.
    texts = ["".join(o.get("data", {}).get("text/plain", "")) for _, o in _outputs(executed)]
    assert not any(
        t.startswith("<Figure") and "image/png" not in o.get("data", {})
        for t, (_, o) in zip(texts, _outputs(executed), strict=True)
    )


def test_tables_are_the_librarys_coloured_html(executed: dict[str, Any]) -> None:
    html = [
        (src, "".join(o["data"]["text/html"]))
        for src, o in _outputs(executed)
        if "text/html" in o.get("data", {})
    ]
    severity = {COLOURS[s] for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW")}
    status = {COLOURS[s] for s in ("COVERED", "NOT_COVERED", "EXCLUDED", "STOPPED")}

    def coloured(text: str, colours: set[str]) -> bool:
        return any(f"background:{c};color:" in text for c in colours)

    findings = [t for src, t in html if "FindingRecords" in src]
    assert findings and coloured(findings[0], severity)
    assert "white-space:nowrap" in findings[0] and "text-align:left" in findings[0]
    coverage = [t for src, t in html if src.strip().endswith("report")]
    assert coverage and coloured(coverage[0], status)
    triage = [t for src, t in html if src.strip().endswith("plan")]
    assert triage and coloured(triage[0], severity)
    cost = [t for src, t in html if src.strip().endswith("modes")]
    assert cost and "Switching to hybrid scan mode from where we are now: +1.75" in cost[0]
    assert "eu-west-1" in cost[0]  # the unpriced region is named
    assert sum(coloured(t, severity | status) for _, t in html) >= 5


def test_no_print_tables(executed: dict[str, Any]) -> None:
    streams = [o for _, o in _outputs(executed) if o["output_type"] == "stream"]
    assert not streams, [("".join(o["text"]))[:200] for o in streams]
