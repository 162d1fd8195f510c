"""The export formats by name, and the one entry the CLI calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from topoctl import budget
from topoctl.errors import ExportError
from topoctl.export.ansible import write_ansible
from topoctl.export.atomic import check_target
from topoctl.export.bom import write_bom
from topoctl.export.cabling import write_cabling
from topoctl.export.containerlab import write_containerlab
from topoctl.export.design_yaml import write_design_yaml
from topoctl.export.dot import write_dot
from topoctl.export.ibtopo import write_ibtopo
from topoctl.export.job import ExportJob
from topoctl.export.netbox import FILES as NETBOX_FILES
from topoctl.export.netbox import write_netbox

__all__ = ["FORMATS", "export"]

# name -> (writer, what the count it returns means)
FORMATS: dict[str, tuple[Callable[..., int], str]] = {
    "design": (write_design_yaml, "cables"),
    "cabling": (write_cabling, "cables"),
    "bom": (write_bom, "cables"),
    "netbox": (write_netbox, "cables"),
    "containerlab": (write_containerlab, "links"),
    "ansible": (write_ansible, "hosts"),
    "ib-topo": (write_ibtopo, "cables"),
    "dot": (write_dot, "cables"),
}
SUBSET_FORMATS = ("containerlab",)
ENDPOINT_OPTION_FORMATS = ("containerlab", "ansible")
DIRECTORY_FORMATS = {"netbox": NETBOX_FILES}  # the files each writes: an earlier export it may replace


def export(
    job: ExportJob, fmt: str, out: Path | str, *, subset: str | None = None, endpoints: bool = True
) -> tuple[int, str]:
    """Write ``job``'s design in format ``fmt`` to ``out``; returns (count, what was counted)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    if subset is not None and fmt not in SUBSET_FORMATS:
        raise ExportError(f"--subset applies to {', '.join(SUBSET_FORMATS)} only, not {fmt}")
    if not endpoints and fmt not in ENDPOINT_OPTION_FORMATS:
        raise ExportError(f"--no-endpoints applies to {', '.join(ENDPOINT_OPTION_FORMATS)} only, not {fmt}")
    # before the build, which can take seconds
    check_target(out, directory=fmt in DIRECTORY_FORMATS, replaceable=DIRECTORY_FORMATS.get(fmt, ()))
    # a containerlab slice holds only its own links; the cables of the whole design still stream by
    budget.check(f"export:{fmt}" if fmt != "containerlab" or subset is None else "export:containerlab-subset",
                 job.design.counts)
    writer, unit = FORMATS[fmt]
    options: dict[str, Any] = {}
    if fmt == "containerlab":
        options = {"subset": subset, "endpoints": endpoints}
    elif fmt == "ansible":
        options = {"endpoints": endpoints}
    return writer(job, Path(out), **options), unit
