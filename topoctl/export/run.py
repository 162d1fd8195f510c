"""The export formats by name, who reads each, and the one entry the CLI calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from topoctl import budget
from topoctl.errors import ExportError
from topoctl.export.air import SWITCH_OS as AIR_SWITCH_OS
from topoctl.export.air import write_air
from topoctl.export.ansible import write_ansible
from topoctl.export.atomic import check_target
from topoctl.export.bom import write_bom
from topoctl.export.booksim import write_booksim
from topoctl.export.cabling import write_cabling
from topoctl.export.containerlab import KINDS as CLAB_SWITCH_OS
from topoctl.export.containerlab import write_containerlab
from topoctl.export.design_yaml import write_design_yaml
from topoctl.export.dot import write_dot
from topoctl.export.formats import READERS
from topoctl.export.graphml import write_graphml
from topoctl.export.ibtopo import FILES as IBTOPO_FILES
from topoctl.export.ibtopo import write_ibtopo
from topoctl.export.job import ExportJob
from topoctl.export.netbox import FILES as NETBOX_FILES
from topoctl.export.netbox import write_netbox
from topoctl.export.nodelink import write_node_link
from topoctl.export.simai import write_simai

__all__ = ["FORMATS", "Format", "export"]


@dataclass(frozen=True)
class Format:
    writer: Callable[..., int]
    unit: str  # what the count the writer returns means
    reader: str  # who reads it, for `topoctl export --help`


_WRITERS: dict[str, Callable[..., int]] = {
    "design": write_design_yaml, "cabling": write_cabling, "bom": write_bom, "netbox": write_netbox,
    "containerlab": write_containerlab, "air": write_air, "ansible": write_ansible, "ib-topo": write_ibtopo,
    "dot": write_dot, "graphml": write_graphml, "node-link": write_node_link, "booksim": write_booksim,
    "simai": write_simai,
}
FORMATS: dict[str, Format] = {name: Format(_WRITERS[name], unit, reader) for name, (unit, reader) in READERS.items()}
SUBSET_FORMATS = ("containerlab", "air")
ENDPOINT_OPTION_FORMATS = ("containerlab", "air", "ansible")
SWITCH_OS = {"containerlab": tuple(CLAB_SWITCH_OS), "air": tuple(AIR_SWITCH_OS)}
DIRECTORY_FORMATS = {"netbox": NETBOX_FILES, "ib-topo": IBTOPO_FILES}  # the files an earlier export left


def export(
    job: ExportJob, fmt: str, out: Path | str, *, subset: str | None = None, endpoints: bool = True,
    switch_os: str | None = None,
) -> tuple[int, str]:
    """Write ``job``'s design in format ``fmt`` to ``out``; returns (count, what was counted)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    if subset is not None and fmt not in SUBSET_FORMATS:
        raise ExportError(f"--subset applies to {', '.join(SUBSET_FORMATS)} only, not {fmt}")
    if not endpoints and fmt not in ENDPOINT_OPTION_FORMATS:
        raise ExportError(f"--no-endpoints applies to {', '.join(ENDPOINT_OPTION_FORMATS)} only, not {fmt}")
    if switch_os is not None:
        if fmt not in SWITCH_OS:
            raise ExportError(f"--switch-os applies to {', '.join(SWITCH_OS)} only, not {fmt}")
        if switch_os not in SWITCH_OS[fmt]:
            raise ExportError(f"--switch-os {switch_os} is not offered for {fmt}; valid: {', '.join(SWITCH_OS[fmt])}")
    # before the build, which can take seconds
    check_target(out, directory=fmt in DIRECTORY_FORMATS, replaceable=DIRECTORY_FORMATS.get(fmt, ()))
    # a lab slice holds only its own links; the cables of the whole design still stream by
    budget.check(f"export:{fmt}" if fmt not in SUBSET_FORMATS else "export:containerlab-subset", job.design.counts)
    options: dict[str, Any] = {}
    if fmt in SUBSET_FORMATS:
        options = {"subset": subset, "endpoints": endpoints, "switch_os": switch_os}
    elif fmt == "ansible":
        options = {"endpoints": endpoints}
    spec = FORMATS[fmt]
    return spec.writer(job, Path(out), **options), spec.unit
