"""ruff and mypy, as configured in pyproject.toml, find nothing in the code.

Marked ``lint`` so a fast loop can skip it (``-m "not lint"``); the README command and CI run it. The tools
come with the ``test`` extra; the failure message is their own report.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from repo_paths import REPO

pytestmark = pytest.mark.lint


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(tool) is None:
        pytest.fail(f"{tool} is not installed; pip install -e '.[test]'")
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-fix", "--output-format", "concise", "topoctl", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = _run("mypy")  # the packages and options of [tool.mypy]
    assert result.returncode == 0, result.stdout + result.stderr
