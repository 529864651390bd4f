"""inspector_kit.plots in notebooks: figures that display themselves, legends beside the bars,
a colour per status, unpriced regions shown (issue 18, item 6)."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from inspector_kit import sample_findings
from inspector_kit.pricing import PriceTable, Usage, compare_modes, estimate
from inspector_kit.sample import sample_inventory

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from inspector_kit.coverage import CoverageReport

matplotlib = pytest.importorskip("matplotlib")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report() -> CoverageReport:
    return sample_inventory().analyze()


def _charts(report: CoverageReport) -> dict[str, Figure]:
    from inspector_kit import plots

    return {
        "severity_by": plots.severity_by(sample_findings()),
        "coverage_by_method": plots.coverage_by_method(report),
        "cost_by_region": plots.cost_by_region(compare_modes(report)),
    }


def test_every_chart_displays_itself_as_png(report: CoverageReport) -> None:
    from matplotlib.figure import Figure
    from PIL import Image

    for name, fig in _charts(report).items():
        assert isinstance(fig, Figure), name
        png = fig._repr_png_()  # type: ignore[attr-defined]
        assert png.startswith(PNG), name
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
        assert width > 500 and height > 250, (name, image.size)


def test_ipython_formats_a_chart_as_an_image_without_matplotlib_inline(
    report: CoverageReport,
) -> None:
    pytest.importorskip("IPython")
    # A fresh interpreter: no backend, no %matplotlib inline, only IPython's display formatter.
    code = (
        "from IPython.core.formatters import DisplayFormatter\n"
        "from inspector_kit import plots, sample_findings\n"
        "data, _ = DisplayFormatter().format(plots.severity_by(sample_findings()))\n"
        "print(sorted(data)); print(data['image/png'][:4])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "'image/png'" in result.stdout.splitlines()[0]
    assert "b'\\x89PNG'" in result.stdout


def _boxes(fig: Figure) -> tuple[Any, list[Any]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    bars = [p.get_window_extent(renderer) for p in ax.patches]
    legend = fig.legends[0].get_window_extent(renderer)
    texts = [t.get_window_extent(renderer) for t in ax.get_xticklabels()]
    title = fig._suptitle.get_window_extent(renderer)  # type: ignore[attr-defined]
    return legend, [*bars, *texts, title, ax.get_window_extent(renderer)]


def test_legends_never_cover_the_bars(report: CoverageReport) -> None:
    for name, fig in _charts(report).items():
        assert fig.axes[0].get_legend() is None, name  # not inside the axes
        legend, boxes = _boxes(fig)
        assert not any(legend.overlaps(box) for box in boxes), name
        assert legend.y1 <= boxes[-1].y0, name  # below the plot


def test_excluded_and_stopped_have_their_own_colours(report: CoverageReport) -> None:
    from matplotlib.colors import to_hex

    from inspector_kit._html import COLOURS
    from inspector_kit.coverage import CoverageStatus
    from inspector_kit.plots import coverage_by_method

    assert COLOURS["EXCLUDED"] != COLOURS["STOPPED"]
    assert len({COLOURS[s.value] for s in CoverageStatus}) == len(CoverageStatus)
    ax = coverage_by_method(report).axes[0]
    colour = {c.get_label(): to_hex(c.patches[0].get_facecolor()) for c in ax.containers}
    assert {"EXCLUDED", "STOPPED"} <= set(colour)  # the sample has one of each
    assert colour["EXCLUDED"] == COLOURS["EXCLUDED"]
    assert colour["STOPPED"] == COLOURS["STOPPED"]
    assert len(set(colour.values())) == len(colour)  # no two statuses alike


def test_unpriced_regions_are_shown_not_dropped(report: CoverageReport) -> None:
    from inspector_kit.plots import cost_by_region

    modes = compare_modes(report)
    assert [str(e.region) for e in modes.unpriced] == ["eu-west-1"]
    fig = cost_by_region(modes)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[-1] == "eu-west-1"
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and not hatched[0].get_fill()
    assert hatched[0].get_x() + hatched[0].get_width() / 2 == pytest.approx(len(ticks) - 1)
    assert any(t.get_text() == "unpriced" for t in ax.texts)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(label.startswith("unpriced") for label in labels)
    assert "eu-west-1 unpriced" in fig.get_suptitle()
    assert "+1.75 USD/month" in fig.get_suptitle()  # the switch cost, to the cent


def test_unpriced_items_of_an_estimate_are_named() -> None:
    from inspector_kit.plots import cost_by_region

    usage = Usage(agent_based_hours=720, ami_hours=720)
    table = PriceTable.bundled()
    estimates = {
        r: estimate(usage, region=r, prices=table, missing="list")
        for r in ("us-east-1", "ap-northeast-1")
    }
    ax = cost_by_region(estimates).axes[0]
    notes = [t.get_text() for t in ax.texts]
    assert notes == ["+ unpriced: ec2_ami"] * 2


def test_mode_bars_are_the_three_states(report: CoverageReport) -> None:
    from inspector_kit.plots import cost_by_region

    modes = compare_modes(report)
    ax = cost_by_region(modes).axes[0]
    by_label = {c.get_label(): [p.get_height() for p in c.patches] for c in ax.containers}
    assert by_label["now"] == [float(e.total) for e in modes.current]
    assert by_label["every account agent-based"] == [float(e.total) for e in modes.agent_based]
    assert by_label["every account hybrid"] == [float(e.total) for e in modes.hybrid]
