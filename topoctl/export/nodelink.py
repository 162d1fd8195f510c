"""networkx node-link JSON of the cabled fabric (``networkx.node_link_graph``, d3.js force layouts):
``{"directed": false, "multigraph": true, "graph": {...}, "nodes": [...], "edges": [...]}``.

Nodes: ``{"id": NAME, "role": ...}`` with a switch's grouping and ``endpoints`` (see ``devices``).
Edges: one per cable, ``source`` = A, ``target`` = Z, ``key`` = the cable's label, and its ports,
link group, class, length and speed; parallel cables are parallel edges. The lists are called
``nodes`` and ``edges``, networkx 3.4+'s defaults (networkx/readwrite/json_graph/node_link.py); one
item a line, written as a stream.
"""

from __future__ import annotations

import json
from pathlib import Path

from topoctl.export.atomic import atomic_text
from topoctl.export.devices import cable_rows, devices
from topoctl.export.job import ExportJob

__all__ = ["write_node_link"]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_node_link(job: ExportJob, out: Path) -> int:
    """Write the graph; returns the number of cables."""
    count = 0
    with atomic_text(out) as handle:
        write = handle.write
        write('{"directed": false, "multigraph": true, "graph": ' + _json({"name": job.design.name}) + ',\n')
        write(' "nodes": [\n')
        first = True
        for name, attributes in devices(job):
            write(("" if first else ",\n") + "  " + _json({"id": name, **attributes}))
            first = False
        write('\n ],\n "edges": [\n')
        for a, z, attributes in cable_rows(job):
            label = attributes.pop("label")
            write(("" if count == 0 else ",\n") + "  " + _json({"source": a, "target": z, "key": label, **attributes}))
            count += 1
        write("\n ]}\n")
    return count
