"""The ``topoctl`` command line: parse, call the library, render. No design logic lives here."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Design, size, price and compare network topologies for AI clusters.",
)

COMMAND_LINE = "command line"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


FORMAT_OPTION = typer.Option(OutputFormat.table, "--format", "-f", help="table for people; json or yaml for machines")


def _fail(message: object) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def _emit(data: Any, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2))
    else:
        import yaml

        typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), nl=False)


def _console():  # rich stays out of start-up
    from rich.console import Console

    return Console(width=160)


def _param_value(text: str) -> tuple[str, Any]:
    import yaml

    name, sep, value = text.partition("=")
    if not sep or not name:
        raise typer.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--param")
    try:
        return name, yaml.safe_load(value)
    except yaml.YAMLError:
        return name, value


@app.command()
def design(
    spec: Optional[Path] = typer.Argument(None, help="design spec YAML (flags override its fields)"),
    family: Optional[str] = typer.Option(None, "--family", help="fat_tree, multiplane_fat_tree, dragonfly, slim_fly"),
    endpoints: Optional[int] = typer.Option(None, "--endpoints", help="endpoints (fat trees)"),
    radix: Optional[int] = typer.Option(None, "--radix", help="switch radix (ports per switch)"),
    planes: Optional[int] = typer.Option(None, "--planes", help="planes (multiplane_fat_tree)"),
    tiers: Optional[int] = typer.Option(None, "--tiers", help="tiers, 2 or 3 (fat trees)"),
    param: list[str] = typer.Option([], "--param", help="family parameter NAME=VALUE (repeatable)"),
    name: Optional[str] = typer.Option(None, "--name", help="design name"),
    formula_only: bool = typer.Option(False, "--formula-only", help="allow counts by formula for designs with no graph"),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Build, count, price and evaluate one design."""
    from topoctl.design import resolve_set
    from topoctl.errors import TopoctlError
    from topoctl.spec import load_yaml, parse_design_set

    overrides = dict(_param_value(p) for p in param)
    for key, value in (("endpoints", endpoints), ("planes", planes), ("tiers", tiers)):
        if value is not None:
            overrides[key] = value
    try:
        if spec is None:
            if family is None:
                raise typer.BadParameter("give a SPEC file or --family", param_hint="SPEC")
            raw: Any = {"family": family}
            source = COMMAND_LINE
        else:
            source = str(spec)
            raw = load_yaml(spec, source)
            if isinstance(raw, dict) and "designs" in raw:
                _fail(f"{source}: holds a set of designs; 'topoctl compare {source}' compares them")
        if isinstance(raw, dict):
            raw = dict(raw)
            if family is not None:
                raw["family"] = family
            if overrides:
                base = raw.get("parameters") if isinstance(raw.get("parameters"), dict) else {}
                raw["parameters"] = {**base, **overrides}
            if radix is not None:
                switch = raw.get("switch") if isinstance(raw.get("switch"), dict) else {}
                raw["switch"] = {**switch, "radix": radix}
            if name is not None:
                raw["name"] = name
            if formula_only:
                raw["formula_only"] = True
        spec_set = parse_design_set(raw, source, default_name=spec.stem if spec else "design")
        (built,) = resolve_set(spec_set, source, single=True)
        report = built.report()
    except TopoctlError as exc:
        _fail(exc)
    if fmt is OutputFormat.table:
        from topoctl.render import render_design

        render_design(_console(), report)
    else:
        _emit(report, fmt)


@app.command()
def compare(
    specs: list[Path] = typer.Argument(None, help="design or design-set YAML files (default: the paper's Table 3)"),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Compare designs side by side (default: the DeepSeek-V3 paper's Table 3)."""
    from topoctl.design import load_designs
    from topoctl.errors import TopoctlError
    from topoctl.spec import builtin_spec_path

    reports, titles = [], []
    try:
        for path in specs or [builtin_spec_path()]:
            spec_set, designs = load_designs(path)
            titles.append(spec_set.name)
            reports.extend(d.report() for d in designs)
    except TopoctlError as exc:
        _fail(exc)
    if fmt is OutputFormat.table:
        from topoctl.render import render_compare

        render_compare(_console(), " + ".join(titles), reports)
    else:
        _emit({"designs": reports}, fmt)


@app.command()
def families(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List the topology families and their parameters."""
    from topoctl.topologies import FAMILIES

    rows = [
        {"name": name, "summary": cls.summary, "parameters": list(cls.Parameters.model_fields)}
        for name, cls in sorted(FAMILIES.items())
    ]
    if fmt is OutputFormat.table:
        from topoctl.render import render_families

        render_families(_console(), rows)
    else:
        _emit({"families": rows}, fmt)


@app.command()
def validate(specs: list[Path] = typer.Argument(..., help="spec files to check")) -> None:
    """Check spec files: syntax, fields, and that every design resolves."""
    from topoctl.design import load_designs
    from topoctl.errors import TopoctlError

    failed = False
    for path in specs:
        try:
            _, designs = load_designs(path)
        except TopoctlError as exc:
            typer.echo(f"Error: {exc}", err=True)
            failed = True
            continue
        typer.echo(f"ok: {path}: {len(designs)} design{'s' if len(designs) != 1 else ''}")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    app()
