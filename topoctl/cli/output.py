"""The edge where results leave: JSON and YAML for machines, rich tables for people, progress on stderr.

Tables take the terminal's width (``COLUMNS`` when set, as rich and most tools read it); written to a
file or a pipe they take PIPE_WIDTH, so the same input gives the same bytes wherever it runs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from topoctl.cli.errors import fail
from topoctl.cli.options import OutputFormat

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


class ProgressBar:
    """A transient rich progress bar on stderr: drawn on a terminal only, and only once the work has run
    for ``delay_s`` (so quick runs print nothing)."""

    def __init__(self, description: str, delay_s: float = 0.0) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._description, self._delay_s = description, delay_s
        self._bar: Any = None
        self._task: Any = None
        self._done = 0

    def advance(self, steps: int, total: int | None) -> None:
        self.update(self._done + steps, total)

    def update(self, completed: int, total: int | None) -> None:
        self._done = completed
        if self._bar is None:
            if self._clock() - self._start < self._delay_s:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            stderr = Console(stderr=True)
            # a spinner and the elapsed time: work that does not advance for a while (an eigensolver, a
            # solve) still shows it is running
            columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       *([MofNCompleteColumn()] if total is not None else []), TimeElapsedColumn()]
            self._bar = Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal)
            self._bar.start()
            self._task = self._bar.add_task(self._description, total=total)
        self._bar.update(self._task, completed=self._done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner with the elapsed time on stderr (a terminal only) while one long step runs: a solve, a
    graph analysis."""
    with ProgressBar(description) as bar:
        bar.update(0, None)
        yield
