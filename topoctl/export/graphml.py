"""GraphML of the cabled fabric (networkx ``read_graphml``, igraph, Gephi, yEd; SST Merlin's
``anytopo`` reads the ``endpoints`` vertex attribute): one vertex per device, one edge per cable.

Vertices: switches (``role``, ``plane``/``pod``/``group`` where the family gives them, ``endpoints``:
the endpoint ports attached) then nodes (``role`` = ``node``). Edges: one per cable, id = the cable's
label, with ``a_port``, ``z_port``, ``link_group``, ``cable_class``, ``length_m``, ``speed_gbps``;
parallel cables are parallel edges (networkx reads a MultiGraph). Keys are declared with their types
as the GraphML primer requires (http://graphml.graphdrawing.org/primer/graphml-primer.html, section 4).
Written as a stream, so a large design needs no XML tree in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from topoctl.export.atomic import atomic_text
from topoctl.export.devices import CABLE_FIELDS, GROUPING, cable_rows, devices
from topoctl.export.job import ExportJob

__all__ = ["write_graphml", "NODE_KEYS"]

NODE_KEYS = {"role": "string", **{k: "int" for k in GROUPING}, "endpoints": "int"}
HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
          'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
          'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')


def _data(attributes: dict[str, Any]) -> str:
    return "".join(f'<data key="{key}">{escape(_text(value))}</data>' for key, value in attributes.items())


def _text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def write_graphml(job: ExportJob, out: Path) -> int:
    """Write the graph; returns the number of cables."""
    count = 0
    with atomic_text(out) as handle:
        write = handle.write
        write(HEADER)
        for key, kind in NODE_KEYS.items():
            write(f'  <key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>\n')
        for key, kind in CABLE_FIELDS.items():
            if key != "label":
                write(f'  <key id="{key}" for="edge" attr.name="{key}" attr.type="{kind}"/>\n')
        write(f'  <graph id={quoteattr(job.design.name)} edgedefault="undirected">\n')
        for name, attributes in devices(job):
            write(f"    <node id={quoteattr(name)}>{_data(attributes)}</node>\n")
        for a, z, attributes in cable_rows(job):
            label = attributes.pop("label")
            write(f"    <edge id={quoteattr(label)} source={quoteattr(a)} target={quoteattr(z)}>"
                  f"{_data(attributes)}</edge>\n")
            count += 1
        write("  </graph>\n</graphml>\n")
    return count
