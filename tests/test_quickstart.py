"""The README's first quick-start command, run as a new user would: in a fresh clone, under the
distribution's own (externally managed) ``/usr/bin/python3`` when the machine has one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = Path("/usr/bin/python3")


def quick_start_commands() -> list[str]:
    """The command lines of the README's quick-start block, in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "README: no bash block under '## Quick start'"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_an_install_and_run_and_a_test_command():
    first, second = quick_start_commands()
    assert first.endswith("topoctl compare")
    assert second.endswith("python -m pytest")
    assert all("venv" in command for command in (first, second))


def test_ci_runs_the_readme_test_command_unchanged():
    assert quick_start_commands()[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def _user_environment() -> dict[str, str]:
    """This process's environment without the test run's virtual environment; the distribution's
    python3 first on PATH when there is one."""
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH")}
    active = os.environ.get("VIRTUAL_ENV")
    parts = [p for p in env.get("PATH", "").split(os.pathsep) if p and not (active and p.startswith(active))]
    if SYSTEM_PYTHON.exists():
        parts.insert(0, str(SYSTEM_PYTHON.parent))
    env["PATH"] = os.pathsep.join(parts)
    return env


@pytest.mark.slow
def test_first_quick_start_command_prints_table3_in_a_fresh_clone(tmp_path: Path):
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the project as a git checkout to clone")
    clone = tmp_path / "topoctl"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    env = _user_environment()
    which = subprocess.run(["bash", "-c", "command -v python3"], env=env, capture_output=True, text=True, check=True)
    if SYSTEM_PYTHON.exists():
        assert which.stdout.strip() == str(SYSTEM_PYTHON)
    result = subprocess.run(
        ["bash", "-c", quick_start_commands()[0]], cwd=clone, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "DeepSeek-V3 Table 3" in out
    for column in ("FT2", "MPFT", "FT3", "SF", "DF"):
        assert column in out
    for cell in ("$4.38k", "$7.51k", "$5.80k", "16,384", "65,536"):
        assert cell in out
    # the interpreter inside the new environment is the distribution's when it has one
    if SYSTEM_PYTHON.exists():
        cfg = (clone / ".venv" / "pyvenv.cfg").read_text(encoding="utf-8")
        assert "home = /usr/bin" in cfg
