"""Plots and the HTML report: what they show comes from the rows (a field a newer report adds is
plotted without a change), the same rows give the same bytes, and the report opens in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from topoctl import api
from topoctl.cli import app
from topoctl.errors import FlagError
from topoctl.figures.html import report_html
from topoctl.figures.plots import draw, is_sweep, panels
from topoctl.sweep import flatten, run_sweep, sweep_from

from repo_paths import REPO

TABLE3 = REPO / "specs" / "deepseek-v3-table3.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def table3_rows():
    return api.comparison_rows(api.compare([TABLE3]))


@pytest.fixture(scope="module")
def sweep_rows():
    rows = run_sweep(sweep_from({"endpoints": "1000..4000x2,100000", "families": ["fat_tree", "dragonfly"]}))
    return [flatten(row) for row in rows]


def test_a_sweep_is_lines_and_a_comparison_bars(table3_rows, sweep_rows):
    assert is_sweep(sweep_rows) and not is_sweep(table3_rows)


def test_the_figures_the_reports_hold(table3_rows):
    """Cost, switches, links, optical modules and power (the parts catalog's figures), bisection, faults."""
    names = [panel.name for panel in panels(table3_rows)]
    assert names == ["cost", "switches", "links", "optics", "power", "bisection", "faults"]
    by_name = {panel.name: panel for panel in panels(table3_rows)}
    ft2 = table3_rows[0]
    assert by_name["cost"].value(ft2) == ft2["cost_per_endpoint_usd"]
    assert by_name["switches"].value(ft2) == 96 / 2048  # the paper's FT2: 96 switches, 2,048 endpoints
    assert by_name["optics"].value(ft2) == ft2["num_optical_modules"] / 2048
    assert by_name["power"].value(ft2) == ft2["power_per_endpoint_w"]
    assert by_name["faults"].value(ft2) == 32 / 2048  # one leaf: 32 endpoints


def test_rows_from_before_the_parts_catalog_plot_optical_cables_and_no_power(table3_rows):
    old = [{k: v for k, v in row.items() if not k.startswith(("power", "num_optical_modules", "optics"))}
           for row in table3_rows]
    found = {panel.name: panel for panel in panels(old)}
    assert "power" not in found
    assert found["optics"].value(old[0]) == 2048 / 2048 and "optical switch-to-switch cables" in found["optics"].method


def test_unknown_figure_is_a_flag_error(table3_rows):
    with pytest.raises(FlagError) as caught:
        panels(table3_rows, ["colour"])
    assert str(caught.value) == ("--figure: 'colour' is not a figure; valid: cost, switches, links, optics, power, "
                                 "bisection, faults")


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_plots_are_the_same_bytes_every_time(sweep_rows, fmt, magic):
    first = draw(sweep_rows, (), fmt, "scale")
    assert first.startswith(magic) and first == draw(sweep_rows, (), fmt, "scale")


def test_the_svg_has_log_x_labels_and_a_legend(sweep_rows):
    svg = draw(sweep_rows, ["cost"], "svg").decode()
    for text in ("endpoints (requested, log scale)", "USD per endpoint", "Cost per endpoint", "fat_tree",
                 "dragonfly"):
        assert text in svg, text


def test_plot_and_compare_plot_commands(tmp_path, table3_rows):
    results = tmp_path / "table3.json"
    done = runner.invoke(app, ["compare", str(TABLE3), "-f", "json", "--plot", str(tmp_path / "t3.png")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "t3.png").read_bytes().startswith(b"\x89PNG")
    results.write_text(done.stdout)
    done = runner.invoke(app, ["plot", str(results), "--out", str(tmp_path / "t3.svg"), "--figure", "cost"])
    assert done.exit_code == 0 and done.stdout == f"wrote {tmp_path / 't3.svg'}\n"
    assert (tmp_path / "t3.svg").read_bytes() == draw(table3_rows, ["cost"], "svg", "table3")


def test_report_html_is_self_contained_and_names_every_method(table3_rows):
    page = report_html("Table 3", table3_rows, "specs/deepseek-v3-table3.yaml")
    assert page == report_html("Table 3", table3_rows, "specs/deepseek-v3-table3.yaml")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page) and "<script" not in page
    assert page.count("<svg") == 7 and page.count("<figcaption>") == 7
    for text in ("counts x unit prices (no cable lengths)", "fault_domains_method", "bisection_method",
                 "Figure 5. Power per endpoint.", "Figure 7. Worst single switch failure."):
        assert text in page, text


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> str:
    found = _chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium for the HTML report test (.ci/run installs the Debian package)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return found


def _headless(browser: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--no-first-run", "--user-data-dir=" + os.environ.get("TMPDIR", "/tmp") + "/topoctl-chromium",
                           *args], capture_output=True, text=True, timeout=180)


def test_the_report_opens_in_a_real_browser(browser, tmp_path):
    """`topoctl report` of Table 3 in headless Chromium: the DOM it builds holds the comparison table with
    every design, six figures drawn as SVG with their captions, and the methods; its screenshot is a
    page with content (not blank)."""
    out = tmp_path / "table3.html"
    done = runner.invoke(app, ["report", str(TABLE3), "--out", str(out)])
    assert done.exit_code == 0 and done.stdout == f"wrote {out}: 5 designs\n"
    dom = _headless(browser, "--dump-dom", out.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    rows = re.findall(r"<tr><td>(\w+)</td>", html)
    assert rows[:5] == ["FT2", "MPFT", "FT3", "SF", "DF"]
    assert len(re.findall(r"<figure id=\"figure-", html)) == 7
    assert html.count("<svg") == 7 and "Method:" in html and 'id="methods"' in html
    shot = tmp_path / "table3.png"
    done = _headless(browser, f"--screenshot={shot}", "--window-size=1280,1600", out.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    _assert_not_blank(shot)


def _assert_not_blank(path: Path) -> None:
    """The screenshot has many distinct colours (text, table rules, coloured bars), not one background."""
    import matplotlib.image as mpimg
    import numpy as np

    pixels = mpimg.imread(str(path))[..., :3]
    colours = np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    dark = (pixels.mean(axis=2) < 0.5).mean()
    assert len(colours) > 50 and 0.005 < dark < 0.5, (len(colours), dark)


def test_report_of_sweep_results(tmp_path, browser):
    rows = tmp_path / "rows.jsonl"
    done = runner.invoke(app, ["sweep", "--endpoints", "1000..4000x2,100000", "--families", "fat_tree,dragonfly",
                               "--jobs", "1", "--out", str(rows)])
    assert done.exit_code == 0, done.output
    out = tmp_path / "rows.html"
    done = runner.invoke(app, ["report", str(rows), "--out", str(out)])
    assert done.exit_code == 0 and done.stdout == f"wrote {out}: 8 designs\n"
    page = out.read_text()
    assert page.count('class="infeasible"') == 1 and "no design for 100,000 endpoints" in page
    dom = _headless(browser, "--dump-dom", out.as_uri())
    assert dom.returncode == 0 and dom.stdout.count("<svg") == 7
