"""The ``topoctl`` command line: each command parses its flags, calls one function of ``topoctl.api``
and renders what it returns. No design logic lives here.

``options`` declares every flag once, ``output`` writes JSON, YAML and tables, ``render`` draws the tables,
``errors`` turns every failure into one ``Error:`` line; the commands are in ``designs`` (design, size,
compare, families, validate), ``analysis`` (faults, moe), ``export`` and ``sweeps`` (sweep, plot, report).
"""

from topoctl.cli import designs, analysis, export, sweeps  # noqa: F401, I001 - registers the commands in the help's order
from topoctl.cli.app import app
from topoctl.cli.options import OutputFormat
from topoctl.cli.output import emit as _emit

__all__ = ["app", "main", "OutputFormat", "_emit"]


def main() -> None:
    app()
