"""The ``topoctl`` command group: one error wrapper around every command, --version, shell completion."""

from typing import Annotated

import typer

from topoctl.cli.errors import GuardedGroup
from topoctl.cli.options import example

__all__ = ["app"]

app = typer.Typer(
    cls=GuardedGroup,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: rich stays out of start-up
    epilog=example("topoctl compare"),
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("topoctl")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "unknown (not installed)"
        typer.echo(f"topoctl {number}")
        raise typer.Exit()


@app.callback()
def topoctl(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="print the version and exit")] = False,
) -> None:
    """Design, size, price and compare network topologies for AI clusters."""
