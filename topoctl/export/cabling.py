"""Cabling plan (CSV): one row per cable, A -> Z, with class, length, speed and rack positions.

Columns: ``label,a_device,a_port,z_device,z_port,cable_class,length_m,speed_gbps`` (the order
operators' cabling sheets use; see ``reference/export-formats.md``), then ``link_group``, ``a_rack``,
``a_u``, ``z_rack``, ``z_u``. Racks are numbered from 0 in placement order, U from 1 at the bottom.
"""

from __future__ import annotations

import csv
from pathlib import Path

from topoctl.export.atomic import atomic_text
from topoctl.export.job import ExportJob

__all__ = ["HEADER", "write_cabling"]

HEADER = (
    "label",
    "a_device",
    "a_port",
    "z_device",
    "z_port",
    "cable_class",
    "length_m",
    "speed_gbps",
    "link_group",
    "a_rack",
    "a_u",
    "z_rack",
    "z_u",
)


def number(value: float) -> float | int:
    """400 rather than 400.0, so the text is short and stable."""
    return int(value) if float(value).is_integer() else value


def write_cabling(job: ExportJob, out: Path) -> int:
    """Write the plan; returns the number of cables."""
    count = 0
    with atomic_text(out) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        rows = (
            (c.label, c.a_device, c.a_port, c.z_device, c.z_port, c.cable_class, number(c.length_m),
             number(c.speed_gbps), c.link_group, c.a_rack, c.a_u, c.z_rack, c.z_u)
            for c in job.cables()
        )
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
