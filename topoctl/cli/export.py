"""The export command: one design as port-level files."""

from typing import Any

import typer

from topoctl import api
from topoctl.cli.app import app
from topoctl.cli.errors import EXIT_INTERRUPTED, fail
from topoctl.cli.options import (
    DESIGN,
    LIMITS,
    SIZING,
    SOLVER,
    ExportAs,
    Layout,
    NoEndpoints,
    Out,
    Pick,
    Spec,
    Subset,
    SwitchOs,
    example,
    grouped,
)
from topoctl.cli.output import ProgressBar

HELP = f"""Export one design: cabling plan, BOM, NetBox, labs, simulators and more.

Sized as by `topoctl size` with --endpoints alone or --requirement.

Formats (--format) and who reads them:

{api.export_formats_help()}
"""


EXAMPLE = example("topoctl export specs/fat-tree-2tier-partial.yaml --format cabling --out plan.csv")


@app.command(help=HELP, epilog=EXAMPLE)
@grouped
def export(spec: Spec = None, *, fmt: ExportAs, out: Out, flags: Any = DESIGN.without("formula_only"),
           pick: Pick = None, subset: Subset = None, no_endpoints: NoEndpoints = False, switch_os: SwitchOs = None,
           layout: Layout = [], sizing: Any = SIZING, solver: Any = SOLVER.without("timings"),
           limits: Any = LIMITS) -> None:
    api.set_limits(**limits)
    bar = ProgressBar(f"export {fmt.value}", delay_s=1.0)
    try:
        count, unit = api.export_design(spec, flags, fmt.value, out, sizing, solver, pick=pick, subset=subset,
                                        endpoints=not no_endpoints, switch_os=switch_os, layout=layout,
                                        progress=bar.advance)
    except KeyboardInterrupt:
        fail("interrupted; the earlier file, if any, is untouched", EXIT_INTERRUPTED)
    finally:
        bar.close()
    typer.echo(f"wrote {out}: {fmt.value}, {count:,} {unit}")
