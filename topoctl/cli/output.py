"""The edge where results leave: JSON and YAML for machines, rich tables for people, progress on stderr
(render.ProgressBar).

Tables take the terminal's width (``COLUMNS`` when set, as rich and most tools read it); written to a
file or a pipe they take PIPE_WIDTH, so the same input gives the same bytes wherever it runs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

import typer

from topoctl.cli.errors import fail
from topoctl.cli.options import OutputFormat
from topoctl.cli.render import ProgressBar, working  # noqa: F401 - the commands take them from here

__all__ = ["emit", "show", "console", "ProgressBar", "working", "PIPE_WIDTH", "MIN_WIDTH"]

PIPE_WIDTH = 160  # not a terminal: fixed, so output is deterministic (and as wide as before)
MIN_WIDTH = 40  # narrower than this, no table can be read; rich would fold every cell


def _stdout_takes_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "ascii").lower().replace("-", "")
    return encoding.startswith("utf")


def emit(data: Any, fmt: OutputFormat) -> None:
    """``data`` as JSON or YAML on stdout."""
    if fmt is OutputFormat.json:
        try:  # Infinity and NaN are not JSON: a figure that is not finite is a bug, not output
            text = json.dumps(data, indent=2, allow_nan=False)
        except ValueError:
            fail("a computed figure is not a finite number; please report the command that gave it")
        typer.echo(text)
    else:
        import yaml

        typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=_stdout_takes_unicode()), nl=False)


def output_width() -> int:
    """COLUMNS when set; else the terminal's width, or PIPE_WIDTH when stdout is not a terminal."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is not None and isatty():
        return max(shutil.get_terminal_size((PIPE_WIDTH, 24)).columns, MIN_WIDTH)
    return PIPE_WIDTH


def console() -> Any:
    from rich.console import Console  # rich stays out of start-up

    return Console(width=output_width())


def show(fmt: OutputFormat, data: Any, render: Callable[[Any], None]) -> None:
    """``render(console)`` for a table, else ``data`` as JSON or YAML."""
    if fmt is OutputFormat.table:
        render(console())
    else:
        emit(data, fmt)
