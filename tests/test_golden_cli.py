"""Golden outputs of the main commands on the example specs: a refactor must leave every byte as it was.

Regenerate after a deliberate change with ``TOPOCTL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_cli.py``
and name the change in the commit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from topoctl.cli import app

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "data" / "golden" / "cli"
S = "specs/"

CASES: dict[str, list[str]] = {
    "compare-default.txt": ["compare"],
    "compare-default.json": ["compare", "-f", "json"],
    "compare-examples.txt": ["compare", S + "fat-tree-2tier-partial.yaml", S + "fat-tree-3tier-oversubscribed.yaml",
                             S + "mpft-ideal-4-planes.yaml", S + "dragonfly-balanced.yaml", S + "slim-fly-q27.yaml"],
    "families.txt": ["families"],
    "design-ft2.txt": ["design", S + "fat-tree-2tier-partial.yaml"],
    "design-ft2-full.json": ["design", S + "fat-tree-2tier-partial.yaml", "--analysis", "full", "-f", "json"],
    "design-ft3.json": ["design", S + "fat-tree-3tier-oversubscribed.yaml", "-f", "json"],
    "design-mpft.yaml": ["design", S + "mpft-ideal-4-planes.yaml", "-f", "yaml"],
    "design-df.json": ["design", S + "dragonfly-balanced.yaml", "-f", "json"],
    "design-df.txt": ["design", S + "dragonfly-balanced.yaml"],
    "design-sf.json": ["design", S + "slim-fly-q27.yaml", "-f", "json"],
    "design-flags-df.txt": ["design", "--family", "dragonfly", "--radix", "16"],
    "design-table3-mpft.json": ["design", S + "deepseek-v3-table3.yaml", "--design", "MPFT", "-f", "json"],
    "faults-ft2.txt": ["faults", S + "fat-tree-2tier-partial.yaml"],
    "faults-ft2-random.json": ["faults", S + "fat-tree-2tier-partial.yaml", "--link-failures", "2%", "--trials", "20", "-f", "json"],
    "size-mpft.json": ["size", "--requirement", S + "requirements/deepseek-v3-mpft.yaml", "-f", "json"],
    "size-mixed.txt": ["size", "--requirement", S + "requirements/mixed-switches-blast-radius.yaml"],
    "size-flags.json": ["size", "--endpoints", "2048", "--radix", "64", "--top", "3", "-f", "json"],
    "moe-bandwidth.txt": ["moe", "--gpu-bandwidth-gbytes-per-s", "50"],
    "moe-ft2.txt": ["moe", S + "fat-tree-2tier-partial.yaml"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_unchanged(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, CASES[name], env={"COLUMNS": "80", "TERM": "dumb", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    path = GOLDEN / name
    if os.environ.get("TOPOCTL_UPDATE_GOLDEN"):
        path.write_text(result.output)
    assert result.output == path.read_text(), f"{name} changed; see {path}"
